"""WCAG contrast measured on the computed styles of a live page (axe-core's colour-contrast
rule, which is not available offline, done the same way for what our pages use: solid
backgrounds, inherited opacity).

`text_failures(page, selector)` lists every visible, enabled element under `selector` whose
own text falls below AA (4.5:1, or 3:1 for large text) against the background it is painted
on; `ratio(a, b)` compares two CSS colours, for focus rings and markers (3:1, WCAG 1.4.11).
"""

_SCRIPT = """
([selector, mode, a, b]) => {
  function parse(c) {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return {r: 0, g: 0, b: 0, a: 0};
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  }
  function over(top, alpha, bottom) {
    const k = top.a * alpha;
    return {r: top.r * k + bottom.r * (1 - k), g: top.g * k + bottom.g * (1 - k), b: top.b * k + bottom.b * (1 - k), a: 1};
  }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function ratio(x, y) {
    const l1 = lum(x), l2 = lum(y);
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  }
  const white = {r: 255, g: 255, b: 255, a: 1};
  if (mode === "pair") return ratio(over(parse(a), 1, white), over(parse(b), 1, white));
  // The colour an element is painted on: its ancestors' backgrounds from the page down, each
  // faded by the opacity above it; the text itself is faded by all of it.
  function painted(el) {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let bg = white, alpha = 1;
    for (const e of chain) {
      const style = getComputedStyle(e);
      alpha *= parseFloat(style.opacity);
      bg = over(parse(style.backgroundColor), alpha, bg);
    }
    return {bg, alpha};
  }
  const failures = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.disabled || el.closest("[disabled], .visually-hidden, option, optgroup") || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden") continue;
      const {bg, alpha} = painted(el);
      const fg = over(parse(style.color), alpha, bg);
      const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const got = ratio(fg, bg);
      if (got < needed) failures.push({text: el.textContent.trim().slice(0, 40), ratio: Math.round(got * 100) / 100, needed});
    }
  }
  return failures;
}
"""


def text_failures(page, selector):
    return page.evaluate(_SCRIPT, [selector, "text", None, None])


def ratio(page, colour, against="rgb(255, 255, 255)"):
    return page.evaluate(_SCRIPT, [None, "pair", colour, against])

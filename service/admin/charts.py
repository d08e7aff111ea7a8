"""Chart geometry for server-rendered inline SVG: no script, no CDN, nothing the CSP blocks.

Each function returns plain numbers; templates/admin/_chart.html draws them.
"""

import math

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 10, 30
COLOURS = ("#0b5cad", "#c0392b", "#1b7a3a", "#8a5a00", "#6c3483", "#117a8b")


def _nice_max(value):
    """A round upper bound for the y axis (1, 2, 5 × a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _frame(labels, top_value, fmt):
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    ticks = [{"y": TOP + plot_h - plot_h * f, "text": fmt(top_value * f)} for f in (0, 0.5, 1)]
    # Every other month label, so twelve of them fit.
    xlabels = [
        {"x": LEFT + slot * (i + 0.5), "text": label}
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % 2 == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + plot_h,
        "ticks": ticks,
        "xlabels": xlabels,
        "slot": slot,
        "plot_h": plot_h,
    }


def _y(frame, value, top_value):
    return frame["bottom"] - frame["plot_h"] * (value / top_value)


def bar_chart(labels, series, fmt=lambda v: f"{v:g}"):
    """Grouped bars. `series` is [(name, values)], one value per label."""
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    frame = _frame(labels, top_value, fmt)
    group = frame["slot"] * 0.8
    width = group / max(len(series), 1)
    bars = []
    for s_index, (name, values) in enumerate(series):
        for i, value in enumerate(values):
            y = _y(frame, value, top_value)
            x = LEFT + frame["slot"] * i + frame["slot"] * 0.1 + width * s_index
            bars.append(
                {
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "w": round(max(width - 1, 1), 1),
                    "h": round(frame["bottom"] - y, 1),
                    "fill": COLOURS[s_index % len(COLOURS)],
                    "title": f"{name}, {labels[i]}: {fmt(value)}",
                }
            )
    legend = [{"name": name, "colour": COLOURS[i % len(COLOURS)]} for i, (name, _) in enumerate(series)]
    return {**frame, "bars": bars, "lines": [], "legend": legend}


def line_chart(labels, series, fmt=lambda v: f"{v:g}"):
    """One polyline per series, with a dot (and a tooltip) at each point."""
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    frame = _frame(labels, top_value, fmt)
    lines = []
    for s_index, (name, values) in enumerate(series):
        dots = [
            {
                "x": round(LEFT + frame["slot"] * (i + 0.5), 1),
                "y": round(_y(frame, v, top_value), 1),
                "title": f"{name}, {labels[i]}: {fmt(v)}",
            }
            for i, v in enumerate(values)
        ]
        lines.append(
            {
                "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
                "dots": dots,
                "colour": COLOURS[s_index % len(COLOURS)],
            }
        )
    legend = [{"name": name, "colour": COLOURS[i % len(COLOURS)]} for i, (name, _) in enumerate(series)]
    return {**frame, "bars": [], "lines": lines, "legend": legend}

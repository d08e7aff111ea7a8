"""The robustness measures of evaluate.py: what a troll tries, at the default policy.

"Flagged" means the default policy's outcome is not publish (policy.decide
with default Settings, no author or article context). Every measure uses
text training never saw: held-out families (families.py), held-out wiki talk
and toxigen rows (data.py), and the evaluation-only sentences of probes.py.
"""

import random
import re

import numpy as np

from . import data, families, obfuscate, probes
from .metrics import roc_auc
from .policy import Settings, decide

POSITIONS = ("start", "middle", "end")
RUN_ON = ("run-on middle", "run-on end")  # the same, with every sentence end taken out
LONG_CHARS = 4000  # benign padding around the insult in the position test


def outcomes(scorer, texts, settings=None):
    """The default policy's outcome for each text, and its scores."""
    settings = settings or Settings()
    scores = scorer.score(texts)
    return [decide(row, text, settings).outcome for row, text in zip(scores, texts)], scores


def flagged_share(scorer, texts):
    if not texts:
        return None
    return float(np.mean([o != "publish" for o in outcomes(scorer, texts)[0]]))


def long_benign_text(data_dir, chars=LONG_CHARS, seed=0):
    """Held-out benign wiki talk comments joined until `chars` long."""
    pool = [t for t in data.wiki_talk_benign_held_out(data_dir) if 100 <= len(t) <= 600]
    random.Random(seed).shuffle(pool)
    out, size = [], 0
    for text in pool:
        out.append(text.strip())
        size += len(text) + 2
        if size >= chars:
            break
    return out


def position(scorer, data_dir):
    """Each insult at the start, middle and end of a long benign comment."""
    paragraphs = long_benign_text(data_dir)
    half = len(paragraphs) // 2
    placed = {
        "start": lambda s: "\n\n".join([s] + paragraphs),
        "middle": lambda s: "\n\n".join(paragraphs[:half] + [s] + paragraphs[half:]),
        "end": lambda s: "\n\n".join(paragraphs + [s]),
        "run-on middle": lambda s: " ".join(map(_run_on, paragraphs[:half] + [s] + paragraphs[half:])),
        "run-on end": lambda s: " ".join(map(_run_on, paragraphs)) + " " + s,
    }
    alone, _ = outcomes(scorer, probes.INSULTS)
    alone_tox = [row["toxicity"] for row in scorer.score(probes.INSULTS)]
    report = {
        "chars": len("\n\n".join(paragraphs)),
        "insults": len(probes.INSULTS),
        "alone_flagged": float(np.mean([o != "publish" for o in alone])),
    }
    for where in POSITIONS + RUN_ON:
        texts = [placed[where](s) for s in probes.INSULTS]
        outs, scores = outcomes(scorer, texts)
        gaps = [abs(row["toxicity"] - a) for row, a in zip(scores, alone_tox)]
        report[where] = {
            "flagged": float(np.mean([o != "publish" for o in outs])),
            "max_toxicity_gap": float(max(gaps)),
        }
    return report


def _run_on(text):
    """`text` with no sentence ends: a troll's way round a reader that cuts at full stops."""
    return " ".join(re.sub(r"[.!?…]+(?=\s|$)", " ", text).split())


def spelling(scorer, seed=0):
    """Disguised insults: share flagged among those whose plain form is flagged."""
    plain_out, _ = outcomes(scorer, probes.INSULTS)
    plain = [s for s, o in zip(probes.INSULTS, plain_out) if o != "publish"]
    rng = random.Random(seed)
    report = {"plain_flagged": len(plain), "plain": len(probes.INSULTS), "by_transform": {}}
    flagged = total = 0
    for name in sorted(obfuscate.TRANSFORMS):
        texts = [obfuscate.disguise_words(s, probes.INSULT_WORDS, rng, name)[0] for s in plain]
        outs, _ = outcomes(scorer, texts)
        hits = sum(o != "publish" for o in outs)
        report["by_transform"][name] = hits / len(texts) if texts else None
        flagged, total = flagged + hits, total + len(texts)
    report["flagged"] = flagged / total if total else None
    return report


def held_out_families(scorer, wrap=None):
    """Held-out threat, violence-news and counter-speech families (families.py); each
    sentence passed through `wrap` first when given (e.g. put inside a long comment)."""
    by_kind = {}
    for family, pairs in families.family_sentences("eval").items():
        kind = by_kind.setdefault(family.kind, {"families": [], "toxic": [], "benign": []})
        kind["families"].append(family.id)
        for text, toxic in pairs:
            kind["toxic" if toxic else "benign"].append(wrap(text) if wrap else text)
    report = {}
    for kind, part in sorted(by_kind.items()):
        toxic, benign = flagged_share(scorer, part["toxic"]), flagged_share(scorer, part["benign"])
        report[kind] = {
            "families": part["families"],
            "toxic": len(part["toxic"]),
            "benign": len(part["benign"]),
            "toxic_flagged": toxic,
            "benign_published": None if benign is None else 1 - benign,
        }
    return report


def benign_flagged(scorer, data_dir):
    texts = data.wiki_talk_benign_held_out(data_dir)
    return {"n": len(texts), "flagged": flagged_share(scorer, texts)}


def toxigen(scorer, data_dir):
    rows = data.toxigen_rows(data_dir, "eval")
    texts, labels = [t for t, _ in rows], [int(h) for _, h in rows]
    outs, scores = outcomes(scorer, texts)
    flagged = np.array([o != "publish" for o in outs])
    labels_arr = np.array(labels, dtype=bool)
    return {
        "n": len(texts),
        "auc": roc_auc(labels, [row["toxicity"] for row in scores]),
        "hate_flagged": float(flagged[labels_arr].mean()),
        "neutral_published": float(1 - flagged[~labels_arr].mean()),
    }


def language_gate(scorer):
    """Share of probes.MULTILINGUAL whose language the gate names right; of the held-out
    short lines (probes.SHORT_MULTILINGUAL), the share named right and the share of their
    insults the default policy publishes, language rule included."""
    try:
        from .language import detect
    except ImportError:
        return None
    right = [detect(text).code == lang for lang, text in probes.MULTILINGUAL]
    short = [(lang, text, insult, detect(text)) for lang, text, insult in probes.SHORT_MULTILINGUAL]
    insults = [(text, found) for _, text, insult, found in short if insult]
    settings = Settings()
    published = [
        decide(row, text, settings, language=found).outcome == "publish"
        for row, (text, found) in zip(scorer.score([text for text, _ in insults]), insults)
    ]
    return {
        "n": len(right),
        "accuracy": float(np.mean(right)),
        "short": len(short),
        "short_named": float(np.mean([found.code == lang for lang, _, _, found in short])),
        "short_insults": len(insults),
        "short_insults_published": float(np.mean(published)),
    }


def friendly(scorer):
    """Share of probes.FRIENDLY (everyday lines in the words of threats) published."""
    return {"n": len(probes.FRIENDLY), "published": 1 - flagged_share(scorer, probes.FRIENDLY)}


def self_harm(scorer):
    """Share of probes.SELF_HARM_URGING flagged, and of probes.SUICIDE_NEWS published."""
    urging, news = flagged_share(scorer, probes.SELF_HARM_URGING), flagged_share(scorer, probes.SUICIDE_NEWS)
    return {
        "urging": len(probes.SELF_HARM_URGING),
        "urging_flagged": urging,
        "news": len(probes.SUICIDE_NEWS),
        "news_published": 1 - news,
    }


def in_long_comment(data_dir):
    """A function that puts a sentence, as its own paragraph, in the middle of the position
    test's long benign comment: padding is how a troll hides a threat from a window."""
    paragraphs = long_benign_text(data_dir)
    half = len(paragraphs) // 2
    return lambda sentence: "\n\n".join(paragraphs[:half] + [sentence] + paragraphs[half:])


def robustness(scorer, data_dir):
    return {
        "position": position(scorer, data_dir),
        "spelling": spelling(scorer),
        "families": held_out_families(scorer),
        "families_in_long_comments": held_out_families(scorer, in_long_comment(data_dir)),
        "self_harm": self_harm(scorer),
        "friendly": friendly(scorer),
        "benign_wiki_talk": benign_flagged(scorer, data_dir),
        "toxigen": toxigen(scorer, data_dir),
        "language": language_gate(scorer),
    }


def table_lines(report):
    """The robustness rows of evaluate's table."""
    pos, sp, fam = report["position"], report["spelling"], report["families"]
    rows = [(f"insult alone flagged ({pos['insults']} insults)", pos["alone_flagged"], "100%")]
    for where in POSITIONS + RUN_ON:
        rows.append((f"insult at {where} of {pos['chars']} chars flagged", pos[where]["flagged"], "100%"))
        rows.append(("  max toxicity gap to insult alone", pos[where]["max_toxicity_gap"], "<= 0.15"))
    rows.append((f"spelling variants flagged (plain flagged: {sp['plain_flagged']})", sp["flagged"], ">= 95%"))
    for name, share in sp["by_transform"].items():
        rows.append((f"  {name}", share, ""))
    threat, news = fam.get("threat", {}), fam.get("news", {})
    rows.append((f"held-out threat families flagged ({threat.get('toxic', 0)})", threat.get("toxic_flagged"), ">= 90%"))
    news_pub = news.get("benign_published")
    rows.append(
        (
            f"held-out violence news flagged ({news.get('benign', 0)})",
            None if news_pub is None else 1 - news_pub,
            "<= 5%",
        )
    )
    for kind in ("counter", "negation", "reporting"):
        part = fam.get(kind, {})
        rows.append((f"held-out {kind} published ({part.get('benign', 0)})", part.get("benign_published"), ">= 60%"))
        rows.append((f"  its hateful originals flagged ({part.get('toxic', 0)})", part.get("toxic_flagged"), ">= 90%"))
    identity = fam.get("identity", {})
    rows.append(
        (
            f"held-out identity mentions published ({identity.get('benign', 0)})",
            identity.get("benign_published"),
            ">= 95%",
        )
    )
    long = report.get("families_in_long_comments")
    if long:
        rows.append((f"the same, each inside a {pos['chars']}-char comment:", None, ""))
        rows.append(("  threats flagged", long.get("threat", {}).get("toxic_flagged"), ">= 90%"))
        news_pub = long.get("news", {}).get("benign_published")
        rows.append(("  violence news flagged", None if news_pub is None else 1 - news_pub, "<= 5%"))
        for kind in ("counter", "negation", "reporting"):
            part = long.get(kind, {})
            rows.append((f"  {kind} published", part.get("benign_published"), ">= 60%"))
            rows.append(("    its hateful originals flagged", part.get("toxic_flagged"), ">= 90%"))
        rows.append(("  identity mentions published", long.get("identity", {}).get("benign_published"), ">= 95%"))
    harm = report.get("self_harm")
    if harm:
        rows.append((f"urging self-harm flagged ({harm['urging']})", harm["urging_flagged"], ">= 90%"))
        rows.append((f"  suicide news and help published ({harm['news']})", harm["news_published"], ">= 95%"))
    friendly_lines = report.get("friendly")
    if friendly_lines:
        label = f"friendly lines in threats' words published ({friendly_lines['n']})"
        rows.append((label, friendly_lines["published"], ">= 95%"))
    bw, tg = report["benign_wiki_talk"], report["toxigen"]
    rows.append((f"benign wiki talk flagged ({bw['n']} held out)", bw["flagged"], "<= 5%"))
    rows.append((f"toxigen held-out toxicity AUC ({tg['n']})", tg["auc"], ""))
    rows.append(("  toxigen hate flagged", tg["hate_flagged"], ""))
    rows.append(("  toxigen neutral published", tg["neutral_published"], ""))
    lang = report["language"]
    rows.append(
        (
            "language gate accuracy" + (f" ({lang['n']})" if lang else " (no language module)"),
            lang["accuracy"] if lang else None,
            "",
        )
    )
    if lang and "short" in lang:
        rows.append((f"  short lines named right ({lang['short']} held out)", lang["short_named"], ""))
        rows.append(
            (f"  short foreign insults published ({lang['short_insults']})", lang["short_insults_published"], "")
        )
    return [_row(label, value, goal) for label, value, goal in rows]


def _row(label, value, goal):
    if value is None:
        shown = "" if label.endswith(":") else "n/a"
    elif "AUC" in label or "gap" in label:
        shown = f"{value:.4f}"
    else:
        shown = f"{value:.1%}"
    return f"{label:<48}{shown:>10}{goal:>10}"

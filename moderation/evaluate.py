"""Measure a model: ``python -m moderation.evaluate --data ../shared/datasets [--json]``.

- toxicity ROC-AUC on wiki_toxicity_test.csv, also apart for the comments that fit one
  scoring window and the longer ones;
- bias_madlibs_77k.csv: overall AUC, and per identity term the subgroup,
  BPSN and BNSP AUC (Borkan et al. 2019), worst terms first;
- toxic-span F1 (SemEval-2021 Task 5) of explain.py on the test part of
  civil_comments_spans.csv, which training never sees;
- throughput of Scorer.score and explain latency;
- robustness at the default policy (robust_eval.py): an insult at three
  positions in a long comment, spelling disguises, held-out threat, news and
  counter-speech families, benign wiki talk and toxigen rows training never
  saw, and the language gate.

It scores through the same Scorer the service uses, so the figures are those
of the shipped path.
"""

import argparse
import json
import re
import statistics
import time

import numpy as np

from . import data
from .metrics import bias_aucs, roc_auc, span_f1
from .robust_eval import robustness, table_lines
from .scorer import PRECISIONS, Scorer

THRESHOLD = 0.90  # per-term bias AUCs must reach this ...
TERM_SHARE = 0.90  # ... for this share of identity terms


def identity_terms(texts):
    """Identity terms of the madlibs file, read from its "Being X is Y." rows.

    Read from the file at run time, so the list is the benchmark's own.
    """
    terms = set()
    for text in texts:
        found = re.match(r"Being (.+) is \w+\.$", text)
        if found:
            terms.add(found.group(1).lower())
    return sorted(terms, key=len, reverse=True)


def term_of(text, terms):
    """The (longest) identity term a sentence mentions, or None."""
    lowered = text.lower()
    for term in terms:
        if re.search(r"\b" + re.escape(term) + r"\b", lowered):
            return term
    return None


def toxicity(scorer, texts):
    return np.array([row["toxicity"] for row in scorer.score(texts)])


def wiki_auc(scorer, data_dir):
    texts, labels = data.wiki_test(data_dir)
    started = time.perf_counter()
    scores = toxicity(scorer, texts)
    seconds = time.perf_counter() - started
    report = {"auc": roc_auc(labels, scores), "n": len(texts), "comments_per_s": len(texts) / seconds}
    return report | by_length(labels, scores, window_counts(scorer, texts))


def window_counts(scorer, texts):
    """How many windows the scorer reads each text in (1: the text fits one window)."""
    return scorer.read(texts)[2]


def by_length(labels, scores, counts):
    """The AUC of the comments that fit one window and of the longer ones, apart: the wiki
    test's long comments were rated as a whole, and the scorer reads each window of them
    (an insult anywhere counts in full), so the two parts tell a model's reading of a comment
    from the windows' combination (MODEL_CARD.md, "Where the wiki AUC is lost")."""
    labels, scores, longer = np.asarray(labels), np.asarray(scores), np.asarray(counts) > 1
    parts = {"one_window": ~longer, "longer": longer}
    return {
        name: {
            "n": int(part.sum()),
            "toxic": int(labels[part].sum()),
            "auc": roc_auc(labels[part], scores[part]) if 0 < labels[part].sum() < part.sum() else None,
        }
        for name, part in parts.items()
    }


def madlibs_bias(scorer, data_dir):
    texts, labels = data.madlibs(data_dir)
    labels = np.array(labels)
    scores = toxicity(scorer, texts)
    terms = identity_terms(texts)
    mentioned = np.array([term_of(t, terms) for t in texts], dtype=object)
    per_term = {}
    for term in terms:
        per_term[term] = bias_aucs(labels, scores, mentioned == term)
        per_term[term]["n"] = int((mentioned == term).sum())
    keys = ("subgroup_auc", "bpsn_auc", "bnsp_auc")
    share = {k: float(np.mean([v[k] >= THRESHOLD for v in per_term.values()])) for k in keys}
    share["all_three"] = float(np.mean([all(v[k] >= THRESHOLD for k in keys) for v in per_term.values()]))
    worst = sorted(per_term, key=lambda t: min(per_term[t][k] for k in keys))
    return {
        "overall_auc": roc_auc(labels, scores),
        "n": len(texts),
        "terms": len(terms),
        "share_at_least_0.90": share,
        "worst_terms": worst[:10],
        "per_term": per_term,
    }


def spans(scorer, data_dir):
    from .explain import explain, load_settings

    posts = data.civil_posts(data_dir, "test")
    settings = load_settings(scorer)
    predicted, latency = [], []
    for text, _ in posts:
        started = time.perf_counter()
        predicted.append([(s["start"], s["end"]) for s in explain(text, scorer, settings)])
        if 400 <= len(text) <= 600:
            latency.append(time.perf_counter() - started)
    return {
        "f1": span_f1(predicted, [g for _, g in posts]),
        "posts": len(posts),
        "settings": settings,
        "explain_ms_500_chars_median": 1000 * statistics.median(latency) if latency else None,
    }


def evaluate(scorer, data_dir, robust_only=False):
    report = {
        "model": scorer.name,
        "version": scorer.version,
        "precision": scorer.precision,
        "window": f"{scorer.window}/{scorer.stride}",
        "robustness": robustness(scorer, data_dir),
    }
    if not robust_only:
        report.update(
            wiki_toxicity_test=wiki_auc(scorer, data_dir),
            madlibs=madlibs_bias(scorer, data_dir),
            toxic_spans=spans(scorer, data_dir),
        )
    return report


def table(report):
    head = f"model {report['model']} {report['version']} ({report['precision']}; windows {report['window']})"
    robust = ["", f"{'robustness (default policy; flagged = not published)':<48}{'value':>10}{'goal':>10}"]
    robust += table_lines(report["robustness"])
    if "wiki_toxicity_test" not in report:
        return "\n".join([head] + robust)
    return "\n".join([head, _quality_table(report)] + robust)


def _quality_table(report):
    wiki, mad, sp = report["wiki_toxicity_test"], report["madlibs"], report["toxic_spans"]
    share = mad["share_at_least_0.90"]
    lines = [
        f"{'measure':<48}{'value':>10}{'goal':>10}",
        f"{'wiki_toxicity_test toxicity ROC-AUC':<48}{wiki['auc']:>10.4f}{'>= 0.955':>10}",
        *_length_lines(wiki),
        f"{'madlibs overall ROC-AUC':<48}{mad['overall_auc']:>10.4f}{'>= 0.95':>10}",
    ]
    for key in ("subgroup_auc", "bpsn_auc", "bnsp_auc", "all_three"):
        label = f"madlibs terms with {key} >= 0.90 (of {mad['terms']})"
        lines.append(f"{label:<48}{share[key]:>10.1%}{'>= 90%':>10}")
    span_label = f"toxic-span F1 (civil test part, {sp['posts']} posts)"
    lines += [
        f"{span_label:<48}{sp['f1']:>10.4f}{'>= 0.62':>10}",
        f"{'explain median ms, 400-600 char posts':<48}{sp['explain_ms_500_chars_median'] or 0:>10.1f}{'<= 50':>10}",
        f"{'score() comments/s on wiki test (batch 32)':<48}{wiki['comments_per_s']:>10.1f}",
        "",
        f"{'worst identity terms':<24}{'subgroup':>10}{'BPSN':>10}{'BNSP':>10}{'n':>8}",
    ]
    for term in mad["worst_terms"]:
        v = mad["per_term"][term]
        lines.append(f"{term:<24}{v['subgroup_auc']:>10.4f}{v['bpsn_auc']:>10.4f}{v['bnsp_auc']:>10.4f}{v['n']:>8}")
    return "\n".join(lines)


def _length_lines(wiki):
    lines = []
    for name, words in (("one_window", "fitting one window"), ("longer", "longer than a window")):
        part = wiki.get(name)
        if part and part["auc"] is not None:
            label = f"  comments {words} ({part['n']}, {part['toxic']} toxic)"
            lines.append(f"{label:<48}{part['auc']:>10.4f}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--checkpoint", help="a detoxify checkpoint (default: the bundled model)")
    parser.add_argument("--config-dir", help="its Hugging Face config/tokenizer directory")
    parser.add_argument(
        "--precision",
        default="auto",
        choices=PRECISIONS,
        help="where the scorer multiplies (default: as the service runs it)",
    )
    parser.add_argument("--window", type=int, help="tokens per scoring window (default: windows.WINDOW)")
    parser.add_argument("--stride", type=int, help="tokens between window starts (default: windows.STRIDE)")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's, one per core)")
    parser.add_argument(
        "--robustness-only", action="store_true", help="only the robustness measures (minutes faster; no madlibs)"
    )
    args = parser.parse_args(argv)
    from .windows import STRIDE, WINDOW

    scorer = Scorer(
        checkpoint=args.checkpoint,
        config_dir=args.config_dir,
        precision=args.precision,
        window=args.window or WINDOW,
        stride=args.stride or STRIDE,
        threads=args.threads,
    )
    report = evaluate(scorer, args.data, robust_only=args.robustness_only)
    print(json.dumps(report, indent=1) if args.json else table(report))


if __name__ == "__main__":
    main()

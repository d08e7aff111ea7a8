"""Window size and how windows are combined, against wiki AUC and dilution (issue 13).

    python benchmarks/windows.py [--model DIR] [--data ../shared/datasets] [--windows 256/192 128/96] [--limit N]

For each window/stride: the toxicity of every window of every wiki_toxicity_test.csv
comment (float32, 1 thread), and the ROC-AUC when a comment's score is its first
window's, the max over its windows (what Scorer does), or their mean; then the
position test of moderation.robust_eval (an insult at the start, middle and end of
4,000 characters of held-out benign wiki talk) and the largest gap between an insult
alone and inside the 5,000-character comment of tests/moderation/test_windows.py.
One JSON line per window size.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "moderation")]

from moderation import data, robust_eval  # noqa: E402
from moderation.metrics import roc_auc  # noqa: E402
from moderation.normalize import for_model  # noqa: E402
from moderation.scorer import CHECKPOINT_FILE, Scorer  # noqa: E402
from moderation.windows import split  # noqa: E402


def window_scores(scorer, texts):
    """Toxicity of each window of each text (as Scorer reads them), a list of arrays."""
    readable = [for_model(t).text or " " for t in texts]
    order = sorted(range(len(texts)), key=lambda i: len(readable[i]))
    out = [None] * len(texts)
    for start in range(0, len(order), scorer.batch_size):
        chunk = order[start : start + scorer.batch_size]
        windows = split(scorer.tokenizer, [readable[i] for i in chunk], scorer.window, scorer.stride)
        rows = [[] for _ in chunk]
        for window, probs in zip(windows, scorer._forward(windows)):
            rows[window.text].append(probs[0])  # toxicity is LABELS[0]
        for i, row in zip(chunk, rows):
            out[i] = np.array(row)
    return out


def dilution(scorer):
    """Largest |insult alone - insult in 5,000 chars| at each position (test_windows.py's texts)."""
    from test_windows import INSULTS, with_insult

    alone = [row["toxicity"] for row in scorer.score(INSULTS)]
    gaps = {}
    for where in ("start", "middle", "end"):
        rows = scorer.score([with_insult(insult, where) for insult in INSULTS])
        gaps[where] = round(max(abs(row["toxicity"] - a) for row, a in zip(rows, alone)), 4)
    return gaps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "moderation" / "models" / "parley-minilm-v1"))
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets"))
    parser.add_argument("--windows", nargs="+", default=["256/192", "128/96"])
    parser.add_argument("--limit", type=int, help="only the first N wiki test comments (a smoke run)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    texts, labels = data.wiki_test(args.data)
    texts, labels = texts[: args.limit], labels[: args.limit]
    for conf in args.windows:
        window, stride = map(int, conf.split("/"))
        scorer = Scorer(
            checkpoint=Path(args.model) / CHECKPOINT_FILE, precision="float32", window=window, stride=stride
        )
        per = window_scores(scorer, texts)
        combined = {"first": [p[0] for p in per], "max": [p.max() for p in per], "mean": [p.mean() for p in per]}
        position = robust_eval.position(scorer, args.data)
        report = {
            "window": window,
            "stride": stride,
            "wiki_comments": len(texts),
            "multi_window": sum(len(p) > 1 for p in per),
            "wiki_auc": {name: round(roc_auc(labels, scores), 4) for name, scores in combined.items()},
            "position_flagged": {w: position[w]["flagged"] for w in robust_eval.POSITIONS},
            "position_gap": {w: round(position[w]["max_toxicity_gap"], 4) for w in robust_eval.POSITIONS},
            "test_windows_gap": dilution(scorer),
        }
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()

"""Scoring throughput of the bundled model against a BERT-base of Detoxify original's shape.

    python benchmarks/scoring.py [--data ../shared/datasets] [--threads 2] [--int8]

Comments per second at batch sizes 1, 8, 32, 128, through the same
Scorer.score path the service uses (length-sorted, padded per batch), over
real comments: news comments (civil_comments_spans.csv, what a news site
gets) and Wikipedia talk comments (wiki_toxicity_test.csv, longer). The
bundled model runs as shipped (the packed forward of moderation/fast.py)
and, for comparison, with transformers' own forward. The reference is
BertForSequenceClassification with bert-base-uncased's published
configuration and random weights (its speed does not depend on them) behind
the same tokenizer and code, run as detoxify runs Detoxify original
(transformers' forward: the ratio the issue asks for) and with the same
packed forward at the same precision (a like-for-like ratio). Where the
shipped Scorer multiplies in bfloat16 (SCORING_PRECISION=auto on a CPU with
native bfloat16), the bundled model is also measured in float32. Peak memory is the RSS high-water
mark of a fresh process that loads the bundled model and scores a batch.
--int8 adds the bundled model after torch dynamic int8 quantisation, for
comparison (the shipped Scorer stays float32, see MODEL_CARD.md).
"""

import argparse
import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH_SIZES = (1, 8, 32, 128)
# bert-base-uncased's published config.json, the architecture of Detoxify "original".
BERT_BASE = dict(
    vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
    intermediate_size=3072, hidden_act="gelu", hidden_dropout_prob=0.1,
    attention_probs_dropout_prob=0.1, max_position_embeddings=512, type_vocab_size=2,
    initializer_range=0.02, layer_norm_eps=1e-12, pad_token_id=0,
)


def comments(data_dir, workload, n, seed=0):
    """n real comments, drawn with a fixed seed."""
    name, column = {"news": ("civil_comments_spans.csv", "text"),
                    "wiki": ("wiki_toxicity_test.csv", "comment")}[workload]
    with open(Path(data_dir) / name, newline="", encoding="utf-8") as fh:
        texts = [row[column] for row in csv.DictReader(fh)]
    return random.Random(seed).sample(texts, n)


def throughput(scorer, texts, batch_size, min_seconds):
    """Comments/s scoring `texts` in batches of batch_size (repeated for min_seconds)."""
    scorer.batch_size = batch_size
    scorer.score(texts[:batch_size])  # warm-up: first calls allocate
    done, started = 0, time.perf_counter()
    while True:
        for start in range(0, len(texts), max(batch_size, 128)):
            chunk = texts[start:start + max(batch_size, 128)]
            scorer.score(chunk)
            done += len(chunk)
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return done / elapsed


def peak_rss_mib(threads):
    """RSS high-water mark (MiB) of a fresh process that loaded the bundled model and scored."""
    # VmHWM rather than ru_maxrss: Linux carries ru_maxrss over from the
    # forking parent, which here holds BERT-base too.
    code = (
        "import torch; torch.set_num_threads(%d)\n"
        "from moderation import Scorer\n"
        "Scorer().score(['A comment about the Beijing talks.'] * 32)\n"
        "line = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(line.split()[1]) / 1024)" % threads
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def bert_base_scorer(tokenizer, fast, bf16=False):
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from moderation.scorer import Scorer

    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(num_labels=6, **BERT_BASE))
    name = "bert-base (random weights)" + (f", packed {'bfloat16' if bf16 else 'float32'}" if fast else "")
    return Scorer.wrap(model, tokenizer, name=name, fast=fast, bf16=bf16)


def int8_scorer(scorer):
    import torch

    from moderation.scorer import Scorer

    quantised = torch.ao.quantization.quantize_dynamic(scorer.model, {torch.nn.Linear}, dtype=torch.qint8)
    return Scorer.wrap(quantised, scorer.tokenizer, name=scorer.name + " int8")


def run(args):
    import warnings

    import torch

    warnings.filterwarnings("ignore")
    torch.set_num_threads(args.threads)
    from moderation.scorer import Scorer

    ours = Scorer()  # as shipped: the packed forward of moderation/fast.py, precision "auto"
    ours.name += f" (shipped: packed, {ours.precision})"
    candidates = [ours]
    if ours.precision != "float32":
        exact = Scorer(precision="float32")
        exact.name += " (packed, float32)"
        candidates.append(exact)
    ours_stock = Scorer(fast=False)
    ours_stock.name += " (transformers forward)"
    candidates.append(ours_stock)
    if args.int8:
        candidates.append(int8_scorer(ours_stock))
    # Like for like: BERT-base through the same forward at the same precision.
    bert_fast = bert_base_scorer(ours.tokenizer, fast=True, bf16=ours.precision == "bfloat16")
    bert = bert_base_scorer(ours.tokenizer, fast=False)  # Detoxify original as detoxify runs it
    candidates += [bert_fast, bert]
    report = {"threads": args.threads, "model": ours.name, "version": ours.version,
              "precision": ours.precision, "results": {}}
    for workload in args.workloads:
        texts = comments(args.data, workload, args.comments)
        rows = report["results"][workload] = {}
        for scorer in candidates:
            small = scorer.name.startswith("bert-base")
            rows[scorer.name] = {
                b: throughput(scorer, texts[:128] if small else texts, b, args.seconds / (2 if small else 1))
                for b in BATCH_SIZES
            }
            print(workload, scorer.name, {b: round(v, 1) for b, v in rows[scorer.name].items()},
                  file=sys.stderr, flush=True)
        rows["ratio_vs_bert_base"] = {b: rows[ours.name][b] / rows[bert.name][b] for b in BATCH_SIZES}
        rows["ratio_vs_bert_base_fast"] = {
            b: rows[ours.name][b] / rows[bert_fast.name][b] for b in BATCH_SIZES}
        rows["mean_chars"] = sum(map(len, texts)) / len(texts)
    report["peak_rss_mib"] = peak_rss_mib(args.threads)
    return report


def print_table(report):
    print(f"\nthreads={report['threads']}  model={report['model']} {report['version']}")
    for workload, rows in report["results"].items():
        print(f"\n{workload} comments (mean {rows['mean_chars']:.0f} chars): comments/s")
        print(f"{'model':<58}" + "".join(f"{'batch ' + str(b):>12}" for b in BATCH_SIZES))
        for name, values in rows.items():
            if name in ("mean_chars", "ratio_vs_bert_base", "ratio_vs_bert_base_fast"):
                continue
            print(f"{name:<58}" + "".join(f"{values[b]:>12.1f}" for b in BATCH_SIZES))
        for key, label in (("ratio_vs_bert_base", "bundled / bert-base"),
                           ("ratio_vs_bert_base_fast", "bundled / bert-base packed")):
            ratio = rows[key]
            print(f"{label:<58}" + "".join(f"{ratio[b]:>11.1f}x" for b in BATCH_SIZES))
    print(f"\npeak RSS of a process that loaded the bundled model and scored: {report['peak_rss_mib']:.0f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--comments", type=int, default=512, help="comments per workload")
    parser.add_argument("--seconds", type=float, default=8.0, help="minimum time per measurement")
    parser.add_argument("--workloads", nargs="+", default=["news", "wiki"], choices=["news", "wiki"])
    parser.add_argument("--int8", action="store_true", help="also measure dynamic int8 quantisation")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args)
    print(json.dumps(report, indent=1) if args.json else "", end="")
    if not args.json:
        print_table(report)


if __name__ == "__main__":
    main()

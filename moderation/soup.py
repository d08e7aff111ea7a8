"""Average two checkpoints of one model: ``python -m moderation.soup A B --weight W --out DIR``.

Two runs of one architecture (B fine-tuned from A with train.py --init, or both
trained from the same base) each learn some things and drift on others; the
weight-space average (a "model soup", Wortsman et al. 2022, "WiSE-FT") keeps
most of each. The bundled 1.4 is 0.6 x 1.2 + 0.4 x a run from the base
(MODEL_CARD.md). The result has B's config, tokenizer and explain files,
averaged tensors, and is named after DIR, as train.py names a run; tune
explain.json for it afterwards (train.tune_explain)."""

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch


def average(a, b, weight):
    return {
        k: ((1 - weight) * a[k].float() + weight * b[k].float()).to(a[k].dtype) if a[k].is_floating_point() else a[k]
        for k in a
    }


def heads_seed(config):
    """The seed that drew a run's classifier and span heads: its own --seed, or for a run
    continued with --init the heads' seed of the model it started from (train.py records
    it); a soup's is its runs' common one. None where unknown."""
    training = config.get("training") or {}
    return training.get("heads_seed", training.get("seed"))


def soup(dir_a, dir_b, weight, out, version):
    ckpt_a = torch.load(Path(dir_a) / "model.ckpt", map_location="cpu", weights_only=True)
    ckpt_b = torch.load(Path(dir_b) / "model.ckpt", map_location="cpu", weights_only=True)
    if ckpt_a["state_dict"].keys() != ckpt_b["state_dict"].keys():
        raise SystemExit("the two checkpoints do not have the same tensors")
    seed_a, seed_b = heads_seed(ckpt_a["config"]), heads_seed(ckpt_b["config"])
    if seed_a is not None and seed_b is not None and seed_a != seed_b:
        # The classifier and span heads start from random weights drawn by the seed: two runs
        # with different seeds have unrelated heads, and their average flattens the scores
        # (MODEL_CARD, "1.5a": held-out threats 90.9% -> 75.1%).
        print(
            f"warning: the runs' heads were drawn with seeds {seed_a} and {seed_b}; they will not average",
            file=sys.stderr,
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "explain.json"):
        shutil.copy(Path(dir_b) / name, out / name)
    config = json.loads(json.dumps(ckpt_b["config"]))
    config["name"] = out.name  # as train.py names a run: after its directory
    config["version"] = version
    config["training"] = {
        "seed": seed_a if seed_a == seed_b else None,
        "heads_seed": seed_a if seed_a == seed_b else None,
        "soup": {
            "a": ckpt_a["config"].get("version"),
            "b": ckpt_b["config"].get("version"),
            "weight_b": weight,
            "b_training": ckpt_b["config"].get("training"),
        },
    }
    torch.save(
        {
            "config": config,
            "state_dict": average(ckpt_a["state_dict"], ckpt_b["state_dict"], weight),
            "span_head": average(ckpt_a["span_head"], ckpt_b["span_head"], weight),
        },
        out / "model.ckpt",
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--weight", type=float, default=0.5, help="B's share, 0 to 1")
    parser.add_argument("--out", required=True)
    parser.add_argument("--version", default="1.1")
    args = parser.parse_args(argv)
    if not 0.0 <= args.weight <= 1.0:
        raise SystemExit("--weight must be from 0 to 1")
    soup(args.a, args.b, args.weight, args.out, args.version)


if __name__ == "__main__":
    main()

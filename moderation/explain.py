"""Which words drove a comment's toxicity score, as character spans.

    from moderation.explain import explain
    explain("You are a complete idiot.")  # [{'start': 19, 'end': 24, 'text': 'idiot', ...}]

The bundled model has a span head: a per-token layer on the same encoder
output that produces the score, trained on the Civil Comments toxic spans
(what human raters marked). One forward pass gives the toxicity score and a
per-token probability; tokens above a threshold, in a comment whose toxicity
passes a gate, are widened to whole words and joined into spans. Two more
settings decide whether a toxic comment gets any span at all: its strongest
token must reach ``span_gate`` (raters mark no span on about two posts in five
of the span data even though the post was judged toxic: where the head is
unsure where the toxicity is, marking nothing is right more often), and a token
must reach ``relative`` times the strongest one. All four numbers are chosen on
the validation part of civil_comments_spans (``--tune``) and stored beside the
model in explain.json.

Models without a span head (detoxify's published ones) fall back to
gradient x input on the toxicity logit.

``python -m moderation.explain --tune --data ../shared/datasets`` rewrites
explain.json; ``python -m moderation.explain "some text"`` prints spans.
"""

import argparse
import json
import re
from pathlib import Path

from .labels import LABELS

DEFAULTS = {"token_threshold": 0.5, "gate": 0.5, "attribution_share": 0.5, "span_gate": 0.0, "relative": 0.0}
# Characters that belong to a word when widening a token: letters, digits,
# apostrophes and the asterisks people use to half-censor a swear word.
_WORD_CHAR = re.compile(r"[\w'*]")


def settings_path(scorer):
    """explain.json beside a local model; None for published detoxify models."""
    return Path(scorer.model_dir) / "explain.json" if scorer.model_dir else None


def load_settings(scorer):
    path = settings_path(scorer)
    if path and path.is_file():
        return {**DEFAULTS, **json.loads(path.read_text())}
    return dict(DEFAULTS)


def _widen(text, start, end):
    """Grow [start, end) to the whole word(s) it touches."""
    while start > 0 and _WORD_CHAR.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD_CHAR.match(text[end]):
        end += 1
    return start, end


def _merge(text, ranges):
    """Join ranges that overlap or are separated only by spaces."""
    merged = []
    for start, end in sorted(ranges):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def token_scores(scorer, text):
    """(toxicity, [(start, end, weight)] per real token) for one text, offsets in `text`.

    The model reads the normalised text (moderation.normalize) as Scorer.score reads it, all
    in one pass: in windows (moderation.windows), and a text longer than one window also in
    its re-read pieces. The toxicity is what Scorer.score gives; a token's weight is its
    highest in any window, or in any piece when the re-read counts (the piece is then what
    the score stands on: a padded insult's words are marked as if it were posted alone).
    """
    import torch

    from .normalize import for_model
    from .windows import batch, combine, reread_spans, split, with_reread

    readable = for_model(text)
    body = readable.text or " "
    windows = split(scorer.tokenizer, [body], scorer.window, scorer.stride)
    places = reread_spans(scorer.tokenizer, body, scorer.window) if len(windows) > 1 else {}
    pieces = split(scorer.tokenizer, list(places), scorer.window, scorer.stride) if places else []
    inputs = batch(windows + pieces, scorer.tokenizer.pad_token_id or 0)
    with scorer.lock, torch.no_grad():
        if scorer.span_head is not None:
            out = scorer.model.bert(**inputs)
            logits = scorer.model.classifier(out.pooler_output)
            weights = torch.sigmoid(scorer.span_head(out.last_hidden_state))[:, :, 0]
        else:
            weights, logits = _gradient_x_input(scorer.model, inputs, torch, LABELS.index("toxicity"))
    rows = [dict(zip(LABELS, row)) for row in scorer.probabilities(logits)]
    alone = {label: combine([row[label] for row in rows[: len(windows)]], scorer.combine) for label in LABELS}
    scores = with_reread(alone, rows[len(windows) :])
    best = {}
    for row, window in enumerate(windows):
        _keep_best(best, window.offsets, weights[row].tolist(), 0)
    if scores != alone:  # the re-read counts: its pieces' words, at each place they were cut from
        starts = [[a for a, _ in spots] for spots in places.values()]
        for row, piece in enumerate(pieces, start=len(windows)):
            for start in starts[piece.text]:
                _keep_best(best, piece.offsets, weights[row].tolist(), start)
    tokens = [(*readable.original_span(start, end), weight) for (start, end), weight in sorted(best.items())]
    return scores["toxicity"], tokens


def _keep_best(best, offsets, weights, shift):
    """Each token's highest weight so far, by its (start, end) in the text (`shift` places a
    piece's own offsets in the text)."""
    for (start, end), weight in zip(offsets, weights):
        if end > start:
            key = (start + shift, end + shift)
            best[key] = max(weight, best.get(key, 0.0))


def _gradient_x_input(model, inputs, torch, tox):
    """Per-token relevance for models without a span head, each window scaled to max 1."""
    weights, logits = [], []
    for row in range(inputs["input_ids"].shape[0]):
        one = {name: tensor[row : row + 1] for name, tensor in inputs.items()}
        embeds = model.get_input_embeddings()(one["input_ids"]).detach().requires_grad_(True)
        with torch.enable_grad():
            out = model(inputs_embeds=embeds, attention_mask=one["attention_mask"]).logits
            out[0, tox].backward()
        relevance = (embeds.grad * embeds).sum(-1)[0].clamp(min=0)
        weights.append(relevance / relevance.max().clamp(min=1e-9))
        logits.append(out.detach()[0])
    return torch.stack(weights), torch.stack(logits)


def explain(text, scorer=None, settings=None):
    """Character spans that drove the toxicity score, most relevant first."""
    from .scorer import get_scorer

    scorer = scorer or get_scorer()
    settings = settings or load_settings(scorer)
    toxicity, tokens = token_scores(scorer, text)
    if scorer.span_head is None:
        return spans_from_tokens(text, toxicity, tokens, settings["gate"], settings["attribution_share"])
    return _head_spans(text, toxicity, tokens, settings)


def _head_spans(text, toxicity, tokens, settings):
    """spans_from_tokens with a span-head model's settings (explain.json's keys)."""
    return spans_from_tokens(
        text,
        toxicity,
        tokens,
        settings["gate"],
        settings["token_threshold"],
        span_gate=settings["span_gate"],
        relative=settings["relative"],
    )


def spans_from_tokens(text, toxicity, tokens, gate, threshold, span_gate=0.0, relative=0.0):
    """Apply the gates and the thresholds, widen to words, merge neighbours."""
    strongest = max((w for _, _, w in tokens), default=0.0)
    if toxicity < gate or strongest < span_gate:
        return []
    threshold = max(threshold, relative * strongest)
    chosen = [_widen(text, s, e) for s, e, w in tokens if w >= threshold]
    out = []
    for start, end in _merge(text, chosen):
        weight = max(w for s, e, w in tokens if s < end and e > start)
        out.append({"start": start, "end": end, "text": text[start:end], "weight": round(weight, 4)})
    return sorted(out, key=lambda span: -span["weight"])


GRID = {
    "gate": (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "token_threshold": (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
    "span_gate": (0.0, 0.5, 0.6, 0.7, 0.8),
    "relative": (0.0, 0.3, 0.5),
}


def tune(scorer, posts):
    """The explain settings (a point of GRID) with the best mean span F1 on `posts`; (F1, settings)."""
    from itertools import product

    from .metrics import span_f1

    cached = [(text, *token_scores(scorer, text)) for text, _ in posts]
    gold = [spans for _, spans in posts]
    best = (-1.0, None)
    for values in product(*GRID.values()):
        settings = dict(zip(GRID, values))
        predicted = [[(s["start"], s["end"]) for s in _head_spans(t, tox, toks, settings)] for t, tox, toks in cached]
        f1 = span_f1(predicted, gold)
        if f1 > best[0]:  # strictly better: ties keep the earlier, plainer settings
            best = (f1, settings)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description="Explain toxicity scores as spans.")
    parser.add_argument("text", nargs="*")
    parser.add_argument("--tune", action="store_true", help="choose thresholds on validation posts")
    parser.add_argument("--data", default="../shared/datasets")
    args = parser.parse_args(argv)
    from .scorer import get_scorer

    scorer = get_scorer()
    if args.tune:
        from .train import tune_explain

        tune_explain(scorer.model_dir, args.data)
    for text in args.text:
        print(json.dumps(explain(text, scorer)))


if __name__ == "__main__":
    main()

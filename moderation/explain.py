"""Which words drove a comment's toxicity score, as character spans.

    from moderation.explain import explain
    explain("You are a complete idiot.")  # [{'start': 19, 'end': 24, 'text': 'idiot', ...}]

The bundled model has a span head: a per-token layer on the same encoder
output that produces the score, trained on the Civil Comments toxic spans
(what human raters marked). One forward pass gives the toxicity score and a
per-token probability; tokens above a threshold, in a comment whose toxicity
passes a gate, are widened to whole words and joined into spans, and a token
must also reach ``relative`` times the strongest one. Whether a toxic comment
gets any span at all is a decision of its own: raters mark no span on about two
posts in five of the span data even though the post was judged toxic (the
toxicity is in the whole, not in words), and a comment wrongly marked or wrongly
left bare scores 0 either way. ``mark`` is a logistic model of "raters would
mark something here" from the toxicity, the strongest token and the comment's
length (long comments are marked less often), fitted on the validation part of
civil_comments_spans; spans are shown only where it reaches its threshold. All
the numbers are chosen there (``--tune``) and stored beside the model in
explain.json.

Models without a span head (detoxify's published ones) fall back to
gradient x input on the toxicity logit.

``python -m moderation.explain --tune --data ../shared/datasets`` rewrites
explain.json; ``python -m moderation.explain "some text"`` prints spans.
"""

import argparse
import json
import math
import re
from pathlib import Path
from typing import NamedTuple

from .labels import LABELS

DEFAULTS = {"token_threshold": 0.5, "gate": 0.5, "attribution_share": 0.5, "relative": 0.0, "mark": None}
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
    return token_scores_many(scorer, [text])[0]


class _Reading(NamedTuple):
    """How one text is read: its normalised form, windows, re-read places and pieces."""

    readable: object
    windows: list
    places: dict
    pieces: list


def _reading(scorer, text):
    from .normalize import for_model
    from .windows import reread_spans, split

    readable = for_model(text)
    body = readable.text or " "
    windows = split(scorer.tokenizer, [body], scorer.window, scorer.stride)
    places = reread_spans(scorer.tokenizer, body, scorer.window) if len(windows) > 1 else {}
    pieces = split(scorer.tokenizer, list(places), scorer.window, scorer.stride) if places else []
    return _Reading(readable, windows, places, pieces)


def token_scores_many(scorer, texts):
    """token_scores of each text: their windows and pieces together, PASS_ROWS rows a pass at most.

    The worker explains a scored batch's flagged comments together: one at a time, each
    comment cost about twice what scoring it in a batch did. With the packed forward
    (moderation/fast.py) each comment attends only to its own tokens, so its numbers are
    the ones it gets alone (in float32; bfloat16 products round by the batch's rows).
    """
    readings = [_reading(scorer, text) for text in texts]
    results = []
    for group in _groups(readings):
        results.extend(_token_scores_of(scorer, group))
    return results


# Most rows (windows and pieces) one explaining pass reads: a batch of long flagged comments
# (a 5,000-character comment is 6 to 8 rows) is explained in several passes,
# so the padded hidden states stay within a few tens of MB.
PASS_ROWS = 64


def _groups(readings):
    """Consecutive readings, at most PASS_ROWS rows a group (a longer text alone)."""
    group, rows = [], 0
    for reading in readings:
        count = len(reading.windows) + len(reading.pieces)
        if group and rows + count > PASS_ROWS:
            yield group
            group, rows = [], 0
        group.append(reading)
        rows += count
    if group:
        yield group


def _token_scores_of(scorer, readings):
    """(toxicity, tokens) of each reading, from one forward pass over all their rows."""
    import torch

    from .fast import encode, installed
    from .windows import batch

    rows = [window for reading in readings for window in reading.windows + reading.pieces]
    inputs = batch(rows, scorer.tokenizer.pad_token_id or 0)
    with scorer.lock, torch.no_grad():
        if scorer.span_head is not None:
            if installed(scorer.model):
                hidden, pooled = encode(scorer.model, **inputs)
            else:
                out = scorer.model.bert(**inputs)
                hidden, pooled = out.last_hidden_state, out.pooler_output
            logits = scorer.model.classifier(pooled)
            weights = torch.sigmoid(scorer.span_head(hidden))[:, :, 0]
        else:
            weights, logits = _gradient_x_input(scorer.model, inputs, torch, LABELS.index("toxicity"))
    probabilities = [dict(zip(LABELS, row)) for row in scorer.probabilities(logits)]
    results, first = [], 0
    for reading in readings:
        last = first + len(reading.windows) + len(reading.pieces)
        results.append(_read_tokens(scorer, reading, probabilities[first:last], weights[first:last].tolist()))
        first = last
    return results


def _read_tokens(scorer, reading, rows, weights):
    """(toxicity, tokens) of one text from its rows' probabilities and token weights."""
    from .windows import combine, with_reread

    count = len(reading.windows)
    alone = {label: combine([row[label] for row in rows[:count]], scorer.combine) for label in LABELS}
    scores = with_reread(alone, rows[count:])
    best = {}
    for row, window in enumerate(reading.windows):
        _keep_best(best, window.offsets, weights[row], 0)
    if scores != alone:  # the re-read counts: its pieces' words, at each place they were cut from
        starts = [[a for a, _ in spots] for spots in reading.places.values()]
        for row, piece in enumerate(reading.pieces, start=count):
            for start in starts[piece.text]:
                _keep_best(best, piece.offsets, weights[row], start)
    tokens = [(*reading.readable.original_span(start, end), weight) for (start, end), weight in sorted(best.items())]
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
    return explain_many([text], scorer, settings)[0]


def explain_many(texts, scorer=None, settings=None):
    """explain() of each text, in one forward pass (token_scores_many)."""
    from .scorer import get_scorer

    scorer = scorer or get_scorer()
    settings = settings or load_settings(scorer)
    if not texts:
        return []
    explained = []
    for text, (toxicity, tokens) in zip(texts, token_scores_many(scorer, texts)):
        if scorer.span_head is None:
            explained.append(spans_from_tokens(text, toxicity, tokens, settings["gate"], settings["attribution_share"]))
        else:
            explained.append(_head_spans(text, toxicity, tokens, settings))
    return explained


def _head_spans(text, toxicity, tokens, settings):
    """spans_from_tokens with a span-head model's settings (explain.json's keys)."""
    return spans_from_tokens(
        text,
        toxicity,
        tokens,
        settings["gate"],
        settings["token_threshold"],
        relative=settings["relative"],
        mark=settings["mark"],
    )


def spans_from_tokens(text, toxicity, tokens, gate, threshold, relative=0.0, mark=None):
    """Apply the gates and the thresholds, widen to words, merge neighbours."""
    strongest = _strongest(tokens)
    if toxicity < gate or (mark and mark_probability(mark, toxicity, strongest, len(text)) < mark["threshold"]):
        return []
    threshold = max(threshold, relative * strongest)
    chosen = [_widen(text, s, e) for s, e, w in tokens if w >= threshold]
    out = []
    for start, end in _merge(text, chosen):
        weight = max(w for s, e, w in tokens if s < end and e > start)
        out.append({"start": start, "end": end, "text": text[start:end], "weight": round(weight, 4)})
    return sorted(out, key=lambda span: -span["weight"])


def _strongest(tokens):
    """The highest token weight of (start, end, weight) tokens; 0 for none."""
    return max((w for _, _, w in tokens), default=0.0)


def _logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _mark_features(toxicity, strongest, length):
    return (1.0, _logit(toxicity), _logit(strongest), math.log1p(length))


MARK_FEATURES = ("bias", "toxicity", "strongest", "length")


def mark_probability(mark, toxicity, strongest, length):
    """How likely raters are to mark some span in a comment of this toxicity, strongest
    token weight and length in characters (`mark`: explain.json's logistic model).

    Lengths past the longest post it was fitted on count as that length: it learned that
    long posts are marked less, not how much less a 5,000-character one is, and the re-read
    finds insults in those that a moderator must see marked."""
    length = min(length, mark.get("longest", length))
    z = sum(mark[name] * x for name, x in zip(MARK_FEATURES, _mark_features(toxicity, strongest, length)))
    return 1.0 / (1.0 + math.exp(-max(min(z, 60.0), -60.0)))


def fit_mark(features, marked, l2=1.0, steps=30):
    """Logistic regression by Newton's method: {feature: weight} from rows of _mark_features
    and whether raters marked anything (bias unpenalised, L2 on the rest)."""
    import numpy as np

    x, y = np.array(features, dtype=float), np.array(marked, dtype=float)
    penalty = l2 * np.diag([0.0] + [1.0] * (x.shape[1] - 1))
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -60, 60)))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        w -= np.linalg.solve(hessian, x.T @ (p - y) + penalty @ w)
    return {name: round(float(v), 4) for name, v in zip(MARK_FEATURES, w)}


GRID = {
    # Not under 0.3: every validation post was once judged toxic, so they cannot teach the
    # gate that a comment the model calls benign should show no highlighted words.
    "gate": (0.3, 0.4, 0.5),
    "token_threshold": (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
    "relative": (0.0, 0.3, 0.5),
    "mark": tuple(round(0.3 + 0.025 * i, 3) for i in range(17)),  # the mark model's threshold
}


def tune(scorer, posts):
    """The explain settings with the best mean span F1 on `posts`; (F1, settings).

    The mark model is fitted first, then every point of GRID tried. A post's F1 is the
    F1 of its spans where it is marked and (gold is empty) where it is not, so each
    threshold pair's spans are computed once and each gate pair only chooses among them.
    """
    from itertools import product

    from .metrics import offsets, post_f1

    cached = [(text, *token_scores(scorer, text)) for text, _ in posts]
    gold = [offsets(spans) for _, spans in posts]
    peaks = [_strongest(toks) for _, _, toks in cached]
    mark = fit_mark(
        [_mark_features(tox, peak, len(t)) for (t, tox, _), peak in zip(cached, peaks)], [bool(g) for g in gold]
    )
    longest = max(len(t) for t, _, _ in cached)
    chance = [mark_probability(mark, tox, peak, len(t)) for (t, tox, _), peak in zip(cached, peaks)]
    if_bare = [float(not g) for g in gold]
    if_marked = {}
    for threshold, relative in product(GRID["token_threshold"], GRID["relative"]):
        spans = [spans_from_tokens(t, 1.0, toks, 0.0, threshold, relative) for t, _, toks in cached]
        if_marked[threshold, relative] = [
            post_f1(offsets((s["start"], s["end"]) for s in p), g) for p, g in zip(spans, gold)
        ]
    best = (-1.0, None)
    for values in product(*GRID.values()):
        gate, threshold, relative, at_least = values
        shown = [tox >= gate and p >= at_least for (_, tox, _), p in zip(cached, chance)]
        scores = [m if show else b for m, b, show in zip(if_marked[threshold, relative], if_bare, shown)]
        f1 = sum(scores) / len(scores)
        if f1 > best[0]:  # strictly better: ties keep the earlier, plainer settings
            best = (f1, {**dict(zip(GRID, values)), "mark": {**mark, "threshold": at_least, "longest": longest}})
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

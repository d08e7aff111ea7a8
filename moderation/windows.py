"""Every word is read: a comment longer than the model's window becomes overlapping windows.

The model reads at most WINDOW tokens ([CLS] and [SEP] included). A longer comment is cut
into windows of that size, each starting STRIDE tokens after the one before, so every
token is read and every token near a cut is read twice, with context on both sides. The
windows of all the comments of a batch go through the model together, in one forward
pass; each comment's scores are then combined over its windows (``combine``). The work
grows with the number of windows, that is linearly with the comment's length.

Tokens keep their character offsets (in the text the model was given), so explain.py can
map the words that drove a score back to the comment across windows, and across re-read
pieces (`reread_spans` says where in the text each piece was cut from).

A window of benign text around an insult dilutes it: an insult padded with paragraphs
scored up to 0.39 lower than alone (MODEL_CARD.md). So a comment longer than one window is
also read in pieces cut at its sentence ends, a run-on sentence in chunks of a few dozen
words (`reread_pieces`), in the same forward pass.
When its windows already reach the review threshold on some attribute, or one of its pieces
alone reaches the hold threshold, each attribute's score is the worst of its windows and its
pieces: the insult counts as if posted alone. Otherwise the windows' scores stand, so a
sentence that only looks borderline out of context never flags benign text.
"""

import re
from dataclasses import dataclass

from .policy import DEFAULT_HOLD, DEFAULT_REVIEW

WINDOW = 256
STRIDE = 192
# A comment's re-read counts when its windows reach the default policy's review threshold on
# some attribute (it is flagged already; the re-read decides how badly), or when one of its
# pieces, read alone, reaches the hold threshold (one sentence that would be held on its own).
REREAD_FROM = DEFAULT_REVIEW
PIECE_HOLD = DEFAULT_HOLD
PIECE_MIN = 6  # tokens: a shorter sentence is read with the next one if that is short too
# A run-on sentence (over RUN_ON words: an insult glued into a page with no full stop, or
# after a page of "lol lol") is re-read in chunks of CHUNK words, CHUNK_STRIDE apart, so the
# insult is read nearly alone: every run of up to CHUNK - CHUNK_STRIDE words lies whole
# inside one chunk. An ordinary long sentence stays whole: chunking every sentence over
# CHUNK words moved the wiki AUC 0.9408 -> 0.9397, chunking only run-ons 0.9408 -> 0.9407.
RUN_ON = 64
CHUNK = 24
CHUNK_STRIDE = 12
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n\s*")  # linear: no nested quantifiers


@dataclass(frozen=True)
class Window:
    text: int  # which input text this window belongs to
    ids: tuple  # token ids, special tokens included
    offsets: tuple  # (start, end) in that text of each token in ids; (0, 0) for special tokens


def window_starts(count, size, stride):
    """Where each window starts over `count` tokens; the last one ends at the last token."""
    if count <= size:
        return [0]
    starts = list(range(0, count - size + 1, stride))
    if starts[-1] + size < count:
        starts.append(count - size)
    return starts


def _specials(tokenizer):
    """The ids a single text is wrapped in: ([CLS], [SEP]) for BERT, (<s>, </s>) for RoBERTa."""
    ids = tokenizer("", add_special_tokens=True)["input_ids"]
    return tuple(ids[:1]), tuple(ids[1:])


def split(tokenizer, texts, window=WINDOW, stride=STRIDE):
    """All the windows of `texts`, in order of text then position."""
    head, tail = _specials(tokenizer)
    content = window - len(head) - len(tail)
    encoded = tokenizer(
        list(texts), add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False
    )
    windows = []
    for index, (ids, offsets) in enumerate(zip(encoded["input_ids"], encoded["offset_mapping"])):
        for start in window_starts(len(ids), content, stride):
            windows.append(
                Window(
                    index,
                    head + tuple(ids[start : start + content]) + tail,
                    ((0, 0),) * len(head) + tuple(map(tuple, offsets[start : start + content])) + ((0, 0),) * len(tail),
                )
            )
    return windows


def sentence_spans(text):
    """(start, end) of each sentence (or line) of `text`, in order, blank ones left out."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if text[start : end.start()].strip():
            spans.append((start, end.start()))
        start = end.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def reread_pieces(tokenizer, text, window=WINDOW):
    """`text` cut at sentence ends into pieces for the re-read: each sentence on its own, and
    a sentence under PIECE_MIN tokens joined to the next while that one is short too (so
    "Shut up, clown." between two long sentences is read alone, and a flood of one-word
    sentences is read a few words at a time); a sentence over RUN_ON words is read in
    overlapping chunks of CHUNK words instead, so a run-on sentence dilutes an insult no
    more than a short one would. Every short piece is followed by one of at least PIECE_MIN
    tokens, a chunk starts CHUNK_STRIDE words after the one before, and the same piece twice
    is read once: the re-read grows linearly with the text, whatever its punctuation."""
    return list(reread_spans(tokenizer, text, window))


def reread_spans(tokenizer, text, window=WINDOW):
    """{piece: [(start, end) of each place in `text` it was cut from]}, pieces in order of
    first appearance (reread_pieces): where explain.py maps a piece's words back to."""
    spans = sentence_spans(text)
    if not spans:
        return {}
    sizes = [len(ids) for ids in tokenizer([text[a:b] for a, b in spans], add_special_tokens=False)["input_ids"]]
    pieces, (start, end), size = [], spans[0], sizes[0]
    for (a, b), n in zip(spans[1:], sizes[1:]):
        if size < PIECE_MIN and n < PIECE_MIN and size + n <= window - 2:
            end, size = b, size + n
        else:
            pieces.append((start, end))
            start, end, size = a, b, n
    pieces.append((start, end))
    places = {}
    for a, b in _chunked(text, pieces):
        places.setdefault(text[a:b], []).append((a, b))
    return places


def _chunked(text, pieces):
    """`pieces` ((start, end) in `text`) with each one over RUN_ON words replaced by its
    chunks, in order."""
    out = []
    for a, b in pieces:
        words = [(a + m.start(), a + m.end()) for m in _WORD.finditer(text, a, b)]
        if len(words) <= RUN_ON:
            out.append((a, b))
            continue
        for start in window_starts(len(words), CHUNK, CHUNK_STRIDE):
            out.append((words[start][0], words[start + CHUNK - 1][1]))
    return out


def batch(windows, pad_id):
    """input_ids and attention_mask tensors for windows of different lengths."""
    import torch

    longest = max(len(w.ids) for w in windows)
    ids = torch.full((len(windows), longest), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), longest), dtype=torch.long)
    for row, w in enumerate(windows):
        ids[row, : len(w.ids)] = torch.tensor(w.ids, dtype=torch.long)
        mask[row, : len(w.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}


def combine(values, how="max"):
    """One score from a comment's window scores.

    max: a comment is as bad as its worst window (an insult anywhere counts in full).
    """
    if how == "max":
        return max(values)
    raise ValueError(f"unknown way to combine windows: {how!r}")


def with_reread(scores, reread):
    """A long comment's {attribute: score} from its windows, raised to its worst re-read
    piece's on each attribute when the windows already flag it (REREAD_FROM) or one piece
    alone would be held (PIECE_HOLD)."""
    if not reread:
        return scores
    flagged = any(scores[label] >= REREAD_FROM.get(label, 1.0) for label in scores)
    if not flagged and not any(piece[label] >= PIECE_HOLD.get(label, 1.0) for piece in reread for label in piece):
        return scores
    return {label: max(value, max(piece[label] for piece in reread)) for label, value in scores.items()}

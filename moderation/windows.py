"""Every word is read: a comment longer than the model's window becomes overlapping windows.

The model reads at most WINDOW tokens ([CLS] and [SEP] included). A longer comment is cut
into windows of that size, each starting STRIDE tokens after the one before, so every
token is read and every token near a cut is read twice, with context on both sides. The
windows of all the comments of a batch go through the model together, in one forward
pass; each comment's scores are then combined over its windows (``combine``). The work
grows with the number of windows, that is linearly with the comment's length.

Tokens keep their character offsets (in the text the model was given), so explain.py can
map the words that drove a score back to the comment across windows.
"""

from dataclasses import dataclass

WINDOW = 256
STRIDE = 192


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

"""What the moderators' pages read beyond the queues and the history: an author's standing,
a comment's text split by its highlighted spans, and the excerpt a card shows of a long one."""

from .queues import author_records


def author_summary(user):
    """The author's standing as a moderator weighs it: decisions and sanctions state."""
    record = author_records([user.id])[user.id]
    return {
        **record,
        "status": user.status,
        "suspended_until": user.suspended_until if user.is_suspended else None,
        "premoderated": user.premoderated,
        "auto_premoderated": user.auto_premoderated,
    }


def highlight(text, spans):
    """Split `text` into [(segment, marked)] by the decision's spans.

    Spans are kept only where they still match the text (an edit moves characters) and
    do not overlap an earlier one, so the output always rebuilds the text exactly.
    """
    text = text or ""
    chosen, last = [], 0
    valid = [
        s
        for s in spans or ()
        if isinstance(s, dict)
        and isinstance(s.get("start"), int)
        and isinstance(s.get("end"), int)
        and 0 <= s["start"] < s["end"] <= len(text)
        and (s.get("text") is None or text[s["start"] : s["end"]] == s["text"])
    ]
    for span in sorted(valid, key=lambda s: s["start"]):
        if span["start"] >= last:
            chosen.append(span)
            last = span["end"]
    out, pos = [], 0
    for span in chosen:
        if span["start"] > pos:
            out.append((text[pos : span["start"]], False))
        out.append((text[span["start"] : span["end"]], True))
        pos = span["end"]
    if pos < len(text):
        out.append((text[pos:], False))
    return out


# A card shows a comment whole up to this many characters. Past it (a troll pads an insult
# with pages of text, and a moderator on a phone would scroll through all of it), the card
# shows each highlighted span with CONTEXT characters either side and the whole text folded.
WHOLE_UP_TO = 700
CONTEXT = 160
ELIDED = "…"


def excerpt(segments, whole_up_to=WHOLE_UP_TO, context=CONTEXT):
    """highlight()'s [(segment, marked)] cut down to the marks and their surroundings, with
    (ELIDED, None) where text is left out; None when the comment is short enough to show whole.

    With no marks (held by a rule rather than by words) the card keeps the opening."""
    if sum(len(text) for text, _ in segments) <= whole_up_to:
        return None
    out, last = [], len(segments) - 1
    for index, (text, marked) in enumerate(segments):
        if marked:
            out.append((text, True))
            continue
        after_mark, before_mark = index > 0, index < last
        if not (after_mark or before_mark):  # no marks at all: the opening
            out += [(_cut(text, 2 * context, from_end=False), False), (ELIDED, None)]
        elif len(text) <= (after_mark + before_mark) * context + len(ELIDED):
            out.append((text, False))
        else:
            if after_mark:
                out.append((_cut(text, context, from_end=False), False))
            out.append((ELIDED, None))
            if before_mark:
                out.append((_cut(text, context, from_end=True), False))
    return out


def _cut(text, length, from_end):
    """`length` characters from the start (or end) of `text`, shortened to a word boundary when
    one is near, so an excerpt does not open or close on half a word."""
    piece = text[-length:] if from_end else text[:length]
    space = piece.find(" ") if from_end else piece.rfind(" ")
    if space >= 0 and (space < length // 4 if from_end else space > length - length // 4):
        piece = piece[space + 1 :] if from_end else piece[:space]
    return piece

"""What the moderators' pages read beyond the queues and the history: an author's standing,
and a comment's text split by its highlighted spans."""

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

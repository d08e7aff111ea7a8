"""Rendering of plain-text comment bodies: escaped, paragraphs kept, links made clickable."""

import re

from markupsafe import Markup, escape

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Matched on the raw text, before escaping, so that '&' in a query string is found intact.
URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""


def _link(url):
    # Sentence punctuation after a URL belongs to the sentence, not the link.
    tail = ""
    while url and url[-1] in TRAILING:
        tail = url[-1] + tail
        url = url[:-1]
    anchor = Markup('<a href="{0}" rel="nofollow ugc noopener" target="_blank">{0}</a>').format(url)
    return anchor + escape(tail)


def _linkify(line):
    if "://" not in line:  # most lines hold no link: skip the search
        return escape(line)
    out, last = [], 0
    for match in URL.finditer(line):
        out.append(escape(line[last : match.start()]))
        out.append(_link(match.group(0)))
        last = match.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


def render_body(text):
    """Blank lines separate paragraphs; single newlines become line breaks."""
    paragraphs = PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip("\n"))
    # Joined as plain strings, each piece already escaped: a thread page renders ~190 bodies,
    # and joining Markup objects escapes-checks every piece again.
    return Markup("\n".join("<p>" + "<br>".join(map(_linkify, p.split("\n"))) + "</p>" for p in paragraphs))

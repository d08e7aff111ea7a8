"""Banned and suspect word matching that survives common disguises.

A listed word matches on word boundaries, case-folded, when its letters are written with
look-alike characters ("1d10t"), stretched ("stuuupid") or split by punctuation
("i.d.i.o.t"). Each listed letter must still appear at least once, so "ass" does not
match "as".
"""
import re
import unicodedata
from functools import lru_cache

# Characters commonly typed in place of a letter.
LOOKALIKES = {
    "a": "a4@",
    "b": "b8",
    "e": "e3",
    "g": "g9",
    "i": "i1!|",
    "l": "l1|",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
    "z": "z2",
}
# What may be inserted between the letters of a word without breaking the match.
FILLER = r"[.\-_*'`~]*"


def normalise(text):
    return unicodedata.normalize("NFKC", text).casefold()


def _letter(char):
    if char.isspace():
        return r"\s+"
    chars = LOOKALIKES.get(char, char)
    return "[" + "".join(re.escape(c) for c in chars) + "]+"


def _word_pattern(word):
    body = FILLER.join(_letter(c) for c in normalise(word).strip())
    # Boundaries by hand: \b would not treat '@' or '$' as part of a word.
    return rf"(?<![\w@$]){body}(?![\w@$])"


@lru_cache(maxsize=64)
def compile_words(words):
    """One pattern per listed word; `words` is a tuple so the result can be cached."""
    return tuple((word, re.compile(_word_pattern(word))) for word in words if word.strip())


def find_words(text, words):
    """The listed words that occur in `text`, each with the first character span that matched."""
    folded = normalise(text)
    found = []
    for word, pattern in compile_words(tuple(words)):
        match = pattern.search(folded)
        if match:
            found.append((word, match.span()))
    return found

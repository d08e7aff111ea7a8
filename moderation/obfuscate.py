"""Spelling disguises of a word, as trolls type them: training augmentation and tests.

These are the transforms the normaliser (moderation/normalize.py) undoes:
digits and symbols for letters, letters split by spaces, punctuation or
brackets, stretched letters, look-alike letters from other scripts, fullwidth
forms, letter-shaped symbols (🅸🅳🅸🅾🆃), combining marks drawn through each
letter, zero-width characters, half-censored words and an emoji for the word. The
model is trained on them too, so that what the normaliser misses it may
still read (and, with the normaliser in front, train and inference see the
same text).
"""

import re

LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "l": "1", "g": "9", "b": "8"}
# Latin letter -> Cyrillic or Greek letter drawn the same.
CONFUSABLE = {
    "a": "а",
    "c": "с",
    "e": "е",
    "o": "о",
    "p": "р",
    "x": "х",
    "y": "у",
    "i": "і",
    "k": "κ",
    "n": "η",
    "t": "τ",
    "u": "υ",
}
SEPARATORS = (" ", ".", "-", "*", "_", " . ")
# Punctuation between single letters that "fancy text" tools and trolls use besides those.
PUNCTUATION = ("|", "/", "+", ",", ":")
BRACKETS = ("()", "[]", "{}")
# First code point of a run of 26 letter-shaped symbols, A to Z: regional indicators (🇦),
# negative circled (🅐) and negative squared (🅰) capitals.
LETTER_SYMBOLS = (0x1F1E6, 0x1F150, 0x1F170)
# Combining marks drawn through or under each letter: strikethrough, slash, underline, and
# a stack of the ones "zalgo" text piles on.
MARKS = ("\u0336", "\u0338", "\u0332", "\u0335", "\u030d\u0316\u0344\u0310")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060")
# Emoji used in place of an insult word.
EMOJI = {
    "clown": "🤡",
    "pig": "🐷",
    "pigs": "🐷",
    "snake": "🐍",
    "rat": "🐀",
    "rats": "🐀",
    "shit": "💩",
    "crap": "💩",
    "ass": "🍑",
    "idiot": "🤡",
    "moron": "🤡",
    "fool": "🤡",
    "donkey": "🫏",
    "cow": "🐄",
    "monkey": "🐒",
    "dog": "🐕",
    "fuck": "🖕",
    "fucking": "🖕",
}


def leet(word, rng):
    spots = [i for i, c in enumerate(word) if c.lower() in LEET]
    if not spots:
        return stretch(word, rng)
    chosen = set(rng.sample(spots, max(1, rng.randint(1, len(spots)))))
    return "".join(rng.choice(LEET[c.lower()]) if i in chosen else c for i, c in enumerate(word))


def spaced(word, rng):
    return rng.choice(SEPARATORS).join(word)


def stretch(word, rng):
    vowels = [i for i, c in enumerate(word) if c.lower() in "aeiouy"] or [len(word) - 1]
    i = rng.choice(vowels)
    return word[:i] + word[i] * rng.randint(3, 7) + word[i + 1 :]


def confusable(word, rng):
    spots = [i for i, c in enumerate(word) if c.lower() in CONFUSABLE]
    if not spots:
        return fullwidth(word, rng)
    chosen = set(rng.sample(spots, max(1, rng.randint(1, len(spots)))))
    return "".join(CONFUSABLE[c.lower()] if i in chosen else c for i, c in enumerate(word))


def fullwidth(word, rng):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)


def zero_width(word, rng):
    if len(word) < 2:
        return word + rng.choice(ZERO_WIDTH)
    mark, always = rng.choice(ZERO_WIDTH), rng.randrange(len(word) - 1)
    return "".join(c + (mark if k == always or rng.random() < 0.5 else "") for k, c in enumerate(word[:-1])) + word[-1]


def censor(word, rng):
    if len(word) < 4:
        return word[0] + "*" * (len(word) - 1)
    inner = [i for i in range(1, len(word) - 1) if word[i].lower() in "aeiou"] or [1]
    return "".join("*" if i in inner else c for i, c in enumerate(word))


def punctuated(word, rng):
    return rng.choice(PUNCTUATION).join(word)


def bracketed(word, rng):
    opening, closing = rng.choice(BRACKETS)
    return "".join(opening + c + closing for c in word)


def symbols(word, rng):
    first = rng.choice(LETTER_SYMBOLS)
    return "".join(chr(first + ord(c) - ord("a")) if "a" <= c <= "z" else c for c in word.lower())


def marked(word, rng):
    mark = rng.choice(MARKS)
    return "".join(c + mark for c in word)


def emoji(word, rng):
    return EMOJI.get(word.lower()) or leet(word, rng)


TRANSFORMS = {
    "leet": leet,
    "spaced": spaced,
    "stretch": stretch,
    "confusable": confusable,
    "fullwidth": fullwidth,
    "zero_width": zero_width,
    "censor": censor,
    "emoji": emoji,
    "punctuated": punctuated,
    "bracketed": bracketed,
    "symbols": symbols,
    "marked": marked,
}


def disguise(word, rng, name=None):
    """One disguise of `word`: the transform `name`, or a random one."""
    return TRANSFORMS[name or rng.choice(sorted(TRANSFORMS))](word, rng)


def disguise_words(text, words, rng, name=None):
    """`text` with every occurrence of the (lower-case) `words` disguised.

    Returns (new_text, mapping) where mapping lists (old_start, old_end,
    new_start, new_end) for each replaced word, so character spans can be
    carried over.
    """
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE
    )
    out, moved, last, shift = [], [], 0, 0
    for match in pattern.finditer(text):
        new = disguise(match.group(0), rng, name)
        out.append(text[last : match.start()] + new)
        start = match.start() + shift
        moved.append((match.start(), match.end(), start, start + len(new)))
        shift += len(new) - (match.end() - match.start())
        last = match.end()
    out.append(text[last:])
    return "".join(out), moved


def move_spans(spans, moved):
    """Character spans of the old text mapped onto the disguised text."""

    def at(pos, is_end):
        shift = 0
        for old_start, old_end, new_start, new_end in moved:
            if pos >= old_end:
                shift = new_end - old_end
            elif pos > old_start:  # inside a replaced word: widen to all of it
                return new_end if is_end else new_start
        return pos + shift

    return [(at(a, False), at(b, True)) for a, b in spans]

"""One normaliser for the model's input and the word lists: spelling tricks folded away.

    from moderation.normalize import for_model, for_matching
    for_model("you 1d10t 🤡").text        # 'you idiot clown'
    for_matching("Ｉ.Ｄ.Ｉ.Ｏ.Ｔ").text     # 'idiot'

People dodge a filter by writing a word so that a human still reads it and a machine
does not: compatibility characters (fullwidth, ligatures), look-alikes from other
scripts (Cyrillic 'о' for Latin 'o'), invisible format characters, digits and symbols
for letters ("1d10t", "a$$"), letters spaced, dotted or piped apart ("i d i o t",
"i.d.i.o.t", "i|d|i|o|t", "(i)(d)(i)(o)(t)"), letter-shaped symbols (🅸, 🇮), stretched
letters ("stuuupid") and emoji standing for a word. Both entry points undo
these with the same tables, so the word lists and the model see the same text:

- ``for_model`` is conservative: it keeps case, punctuation and ordinary numbers
  ("1990", "50%", "3rd", "mp3") and only rewrites a token that reads as a disguised
  word, an abuse abbreviation ("kys") or chat shorthand ("u r" -> "you are"), so the text
  stays readable for the model;
- ``for_matching`` folds harder (case-folded, accents stripped, every separator inside
  a token dropped) and records what the matcher needs: letters a digit may also stand
  for ("1" is i or l), where a word may begin or end inside a joined token, and which
  characters are masks ("f*ck").

Every output character remembers the span of original characters it came from, so a
span found on the normalised text maps back with ``original_span``. Everything is one
pass per stage over the text: the cost is linear in its length.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Look-alike letters from other scripts, written as Latin (Unicode's confusables, the
# ones people use in practice). A token is folded only if every letter in it becomes
# Latin, so real Russian or Greek words are left alone.
CONFUSABLES = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "һ": "h",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ɡ": "g",
    "ӏ": "l",
    "ь": "b",
    "г": "r",
    "п": "n",
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Х": "X",
    "Ѕ": "S",
    "І": "I",
    "Ј": "J",
    "Ԁ": "D",
    "Ӏ": "l",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ω": "w",
    "ζ": "z",  # the word matcher casefolds first, and capital Ζ (a true look-alike) becomes ζ
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
    # Latin small capitals, IPA and other look-alikes
    "ı": "i",
    "ɪ": "i",
    "ʟ": "l",
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ɢ": "g",
    "ʜ": "h",
    "ᴊ": "j",
    "ᴋ": "k",
    "ᴍ": "m",
    "ɴ": "n",
    "ᴏ": "o",
    "ᴘ": "p",
    "ʀ": "r",
    "ꜱ": "s",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ʏ": "y",
    "ᴢ": "z",
    "ɑ": "a",
    "ɩ": "i",
}

# Digits and symbols typed for letters: (letter, the other letter it may stand for).
LEET = {
    "0": ("o", None),
    "1": ("i", "l"),
    "3": ("e", None),
    "4": ("a", None),
    "5": ("s", None),
    "7": ("t", None),
    "9": ("g", None),
    "@": ("a", None),
    "$": ("s", None),
    "!": ("i", "l"),
    "|": ("l", "i"),
    "+": ("t", None),
    "€": ("e", None),
}

# Emoji commonly used for an insult or a threat, as the word a reader takes from them.
EMOJI = {
    "🤡": "clown",
    "🐷": "pig",
    "🐖": "pig",
    "🐽": "pig",
    "🐀": "rat",
    "🐁": "rat",
    "🐍": "snake",
    "💩": "shit",
    "🖕": "fuck you",
    "🔪": "knife",
    "🗡": "knife",
    "🔫": "gun",
    "💀": "skull",
    "☠": "skull",
    "⚰": "coffin",
    "🪦": "grave",
    "💣": "bomb",
    "🧨": "bomb",
    "🪓": "axe",
    "🐒": "monkey",
    "🐵": "monkey",
    "🦍": "ape",
    "🐑": "sheep",
    "🐄": "cow",
    "🐕": "dog",
    "🤮": "disgusting",
    "🩸": "blood",
    "🪢": "noose",
}

# Abuse abbreviations, spelled out for the model, which never met them in training ("kys"
# scored 0.08, "kill yourself" 0.73). Only ones with no everyday innocent reading; the word
# lists match what an admin lists, abbreviations included, so matching leaves them as written.
ABBREVIATIONS = {
    "kys": "kill yourself",
    "stfu": "shut the fuck up",
    "gtfo": "get the fuck out",
    "foad": "fuck off and die",
}

# Chat shorthand, spelled out for the model: lower case and whole tokens only, so "Plan B", "U-turn"
# and "the R language" stay. With the letters apart, "u r a star" scored 0.70 under 1.6 (spaced
# single letters look like a disguise to it) and "you are a star" 0.01.
SHORTHAND = {"u": "you", "r": "are", "ur": "your"}

# Characters that split a word's letters apart ("i.d.i.o.t"); '*' also masks a letter.
SEPARATORS = set(".-_*~`'·•")
# Letter-shaped symbols that NFKC leaves as they are: regional indicators (🇦, two of which
# make a flag) and the negative circled and squared capitals (🅐, 🅰) of "fancy text"
# generators. The first code point of each run of 26, A to Z.
_LETTER_SYMBOL_RUNS = (0x1F1E6, 0x1F150, 0x1F170)
# Digit-led tokens that are quantities, ordinals or times, never leet ("3rd", "10am", "4k").
_UNIT = re.compile(
    r"\d+(st|nd|rd|th|s|am|pm|k|m|h|x|p|d|g|b|kg|km|cm|mm|ml|mb|gb|tb|mph|fps|hz|"
    r"v|w|kw|min|mins|hr|hrs|yo|ft|lb|lbs|mg|yr|yrs|c|f)",
    re.IGNORECASE,
)
_LINK = re.compile(r"://|^www\.|@[^@]*\.[a-z]", re.IGNORECASE)
_INVISIBLE = {"\ufe0e", "\ufe0f", "\u180e"} | {chr(c) for c in range(0x1F3FB, 0x1F400)}
STRETCH = 3  # this many repeats of a letter is stretching, not spelling
# Letters that are words on their own in chat: "a", "i", and textspeak's "u" (you), "r" (are),
# "y" (why), "c" (see), "n" (and), "b" (be). A short run made only of them ("u r a loser",
# "y r u", "i c u") is words, not a word spelled out: joined it read "ura loser". No insult is
# spelled with these letters alone in TEXTSPEAK_RUN letters or fewer; longer runs still join.
TEXTSPEAK = frozenset("aiurycnb")
TEXTSPEAK_RUN = 4


@dataclass
class Piece:
    """One output character and the original characters [start, end) it stands for."""

    char: str
    start: int
    end: int
    alt: str = None  # another letter this character may stand for ("1" -> i or l)
    mask: bool = False  # '*' standing for an unknown letter
    boundary: bool = False  # a word may begin just before this piece (matching only)


@dataclass(frozen=True)
class Normalised:
    """Normalised text; starts/ends give each character's original span."""

    text: str
    starts: tuple
    ends: tuple
    alts: dict = field(default_factory=dict)  # position -> other letter it may be
    masks: frozenset = frozenset()  # positions of letters masked with '*'
    soft: frozenset = frozenset()  # positions inside joined tokens where a word may start or end

    def original_span(self, start, end):
        """The original [start, end) covering normalised characters [start, end)."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return at, at
        return self.starts[start], max(self.ends[start:end])


@lru_cache(maxsize=4096)
def _char(ch, fold):
    """What one original character becomes: '' (invisible), its folded form, or an emoji's word."""
    if ch in EMOJI:
        return f" {EMOJI[ch]} "
    letter = _symbol_letter(ch)
    if letter:
        return letter.casefold() if fold else letter
    if ch in _INVISIBLE or unicodedata.category(ch) == "Cf":
        return ""  # zero-width spaces and joiners, bidi marks, variation selectors, skin tones
    out = unicodedata.normalize("NFKC", ch)
    if fold:
        out = "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))
        out = out.casefold()
    return out


def _symbol_letter(ch):
    """'A' for 🇦, 🅐 or 🅰; None for anything else."""
    code = ord(ch)
    for first in _LETTER_SYMBOL_RUNS:
        if first <= code < first + 26:
            return chr(ord("A") + code - first)
    return None


def _pieces(text, fold):
    pieces = []
    for i, ch in enumerate(text):
        for out in _char(ch, fold):
            pieces.append(Piece(out, i, i + 1))
    return pieces


def _tokens(pieces):
    """Split into runs of non-space pieces; gaps[i] is the run of spaces after tokens[i]."""
    tokens, gaps = [], []
    for piece in pieces:
        if piece.char.isspace():
            if tokens:
                gaps[-1].append(piece)
        elif not tokens or gaps[-1]:
            tokens.append([piece])
            gaps.append([])
        else:
            tokens[-1].append(piece)
    return tokens, gaps


def _foreign_script(pieces):
    """True if the text has letters of another script that are no look-alike (real Russian, Greek)."""
    return any(p.char.isalpha() and p.char not in CONFUSABLES and not _latin(p.char) for p in pieces)


def _fold_confusables(token, foreign):
    """Look-alikes to Latin, if that makes every letter in the token Latin.

    In a text that also has real words in that script, only a token that already mixes in
    a Latin letter (or a leet digit) is a disguise ("іdіоt"); "как" among Russian words
    stays Russian.
    """
    mapped = [CONFUSABLES.get(p.char, p.char) for p in token]
    if mapped == [p.char for p in token]:
        return token
    if any(c.isalpha() and not _latin(c) for c in mapped):
        return token
    if foreign and not any((p.char.isalpha() and _latin(p.char)) or p.char in LEET for p in token):
        return token
    for piece, char in zip(token, mapped):
        piece.char = char
    return token


def _latin(char):
    return char.isascii() or "LATIN" in unicodedata.name(char, "")


def _leet_span(chars, fold):
    """(start, stop) of the token's core that may hold leet, or None if it is not a disguised word."""
    start, stop = 0, len(chars)
    while start < stop and not (chars[start].isalnum() or chars[start] in LEET):
        start += 1
    while stop > start and not (chars[stop - 1].isalnum() or chars[stop - 1] in "$@"):
        stop -= 1  # trailing '!' and '|' are punctuation ("wow!!")
    if start < stop - 1 and chars[start] == "!" and chars[start + 1] == "!":
        while start < stop and chars[start] == "!":
            start += 1  # "!!really": punctuation, not a letter
    core = "".join(chars[start:stop])
    letters = sum(c.isalpha() for c in core)
    if not any(c in LEET for c in core) or letters < (1 if fold else 2) or _UNIT.fullmatch(core):
        return None
    if not fold and _LINK.search("".join(chars)):
        return None  # an address or a link reaches the model as written
    if not all(c.isalpha() or c in LEET or c in SEPARATORS for c in core):
        return None  # "$5.99", "10:30pm", "co2/kg": quantities, not words
    if not fold and re.fullmatch(r"[^\W\d_]+\d+", core):
        return None  # "mp3", "covid19", "gr8": a name with a number, readable as it is
    return start, stop


def _fold_leet(token, fold):
    chars = [p.char for p in token]
    span = _leet_span(chars, fold)
    if span is None:
        return token
    for piece in token[span[0] : span[1]]:
        if piece.char in LEET:
            piece.char, piece.alt = LEET[piece.char]
    return token


def _spelled_out(token):
    """Single letters split by one repeated separator of one to three characters ("i.d.i.o.t",
    "i|d|1|o|t", "(i)(d)(i)(o)(t)", "i...d...i...o...t") -> the letters; None if it is not that."""
    start, stop = 0, len(token)
    while start < stop and not token[start].char.isalnum():
        start += 1
    while stop > start and not token[stop - 1].char.isalnum():
        stop -= 1
    chars = [p.char for p in token[start:stop]]
    for width in (1, 2, 3):
        if _alternates(chars, width):
            return token[:start] + token[start : stop : width + 1] + token[stop:]
    return None


def _alternates(chars, width):
    """Is `chars` letter, separator, letter, ... with one separator of `width` characters throughout?

    Any characters that are neither letters, digits nor spaces may separate, so that every
    "fancy text" style reads alike; a letter may be leet or a look-alike, and at least half
    must be real letters, so "1+1+1" stays arithmetic. Other scripts are left as written
    ("中、日、韩" is a list). Three letters at least: "a-b" and "and/or" are not words spelled out.
    """
    step = width + 1
    if len(chars) < 2 * step + 1 or (len(chars) + width) % step:
        return False
    separator = chars[1:step]
    if any(c.isalnum() or c.isspace() for c in separator):
        return False
    if any(chars[k + 1 : k + step] != separator for k in range(0, len(chars) - 1, step)):
        return False
    letters = chars[::step]
    if any(c in separator or not _spells(c) for c in letters):
        return False
    return 2 * sum(c.isalpha() for c in letters) >= len(letters)


def _spells(char):
    """May this character be a letter of a disguised English word?"""
    return (char.isalpha() and (_latin(char) or char in CONFUSABLES)) or char in LEET


def _join_spelled(token):
    letters = _spelled_out(token)
    return letters if letters is not None else token


def _letter_of(token, loose):
    """The one letter a token consists of, or None; `loose` allows punctuation around it ("a.")."""
    if len(token) == 1:
        return token[0] if token[0].char.isalpha() else None
    if not loose:
        return None
    letters = [p for p in token if p.char.isalnum()]
    return letters[0] if len(letters) == 1 and letters[0].char.isalpha() else None


def _join_spaced(tokens, gaps, loose):
    """Runs of one-letter tokens ("i d i o t") become one token; a wider gap ends a word."""
    letters = [_letter_of(t, loose) for t in tokens]
    out_tokens, out_gaps, i = [], [], 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and letters[j] and letters[j + 1]:
            j += 1
        if j - i + 1 < 3 or _textspeak(letters[i : j + 1]):
            out_tokens.append(tokens[i])
            out_gaps.append(gaps[i])
            i += 1
            continue
        widths = [len(gaps[k]) for k in range(i, j)]
        narrow = min(widths)
        word = [letters[i]]
        for k in range(i + 1, j + 1):
            if widths[k - i - 1] > narrow:
                out_tokens.append(_mark_article(word))
                out_gaps.append(gaps[k - 1])
                word = []
            word.append(letters[k])
        out_tokens.append(_mark_article(word))
        out_gaps.append(gaps[j])
        i = j + 1
    return out_tokens, out_gaps


def _textspeak(run):
    """A short run of one-letter words ("u r a"), which stays as written."""
    return len(run) <= TEXTSPEAK_RUN and all(piece.char.lower() in TEXTSPEAK for piece in run)


def _mark_article(word):
    """In "a s h i l l" the "a" may be the article: let a match also start after it."""
    if len(word) >= 4 and word[0].char in "aAiI":
        word[1].boundary = True
    return word


def _letter_at(token, index):
    return 0 <= index < len(token) and token[index].char.isalpha()


def _destretch(token, keep):
    """Runs of STRETCH or more equal letters shortened to `keep` ("stuuupid" -> "stuupid").

    The last kept letter takes over the span of the dropped ones. A plain double stays, and
    so does a run that is a whole word ("www", "III", "XXX"): nothing is stretched there.
    """
    out, k = [], 0
    while k < len(token):
        stop = k + 1
        while stop < len(token) and token[stop].char == token[k].char and token[stop].alt == token[k].alt:
            stop += 1
        run = token[k:stop]
        whole_word = not _letter_at(token, k - 1) and not _letter_at(token, stop)
        if stop - k >= STRETCH and token[k].char.isalpha() and not whole_word:
            run = run[:keep]
            run[-1] = Piece(run[-1].char, run[-1].start, token[stop - 1].end, run[-1].alt)
        out.extend(run)
        k = stop
    return out


def _spelled_abbreviation(token):
    """A token whose letters are one of ABBREVIATIONS ("kys", "KYS!", "k.y.s" once joined) or
    of SHORTHAND, as written ("u?", not "U"), with them spelled out, every letter of the
    phrase mapped to the abbreviation's span."""
    letters = [k for k, piece in enumerate(token) if piece.char.isalnum()]
    if not letters or letters[-1] - letters[0] + 1 != len(letters):
        return token
    written = "".join(token[k].char for k in letters)
    phrase = ABBREVIATIONS.get(written.lower()) or SHORTHAND.get(written)
    if phrase is None:
        return token
    first, last = letters[0], letters[-1]
    start, end = token[first].start, token[last].end
    return token[:first] + [Piece(char, start, end) for char in phrase] + token[last + 1 :]


def _punctuation_to_space(pieces):
    """For matching, punctuation that is neither a separator nor leet splits words: "idiot," """
    for piece in pieces:
        if not (piece.char.isalnum() or piece.char in LEET or piece.char in SEPARATORS):
            piece.char = " "
    return pieces


def _drop_wordless(tokens, gaps):
    """Tokens with no letter or digit ("--", "$") become part of the gap around them."""
    kept_tokens, kept_gaps = [], []
    for token, gap in zip(tokens, gaps):
        if any(p.char.isalnum() for p in token):
            kept_tokens.append(token)
            kept_gaps.append(list(gap))
        elif kept_gaps:
            kept_gaps[-1].extend(token + gap)
    return kept_tokens, kept_gaps


def _prepared(text, fold):
    pieces = _pieces(text, fold)
    foreign = _foreign_script(pieces)
    tokens, gaps = _tokens(pieces)
    # Spelled-out words first: their separators may be any punctuation, even leet ("i|d|i|o|t").
    tokens = [_join_spelled(t) for t in tokens]
    if fold:  # then punctuation splits words, and what it split off may be spelled out too
        tokens, gaps = _tokens(_punctuation_to_space(_flatten(tokens, gaps)))
        tokens = [_join_spelled(t) for t in tokens]
    tokens = [_fold_leet(_fold_confusables(t, foreign), fold) for t in tokens]
    if fold:
        tokens, gaps = _drop_wordless(tokens, gaps)
    return _join_spaced(tokens, gaps, loose=fold)


def _flatten(tokens, gaps):
    return [piece for token, gap in zip(tokens, gaps) for piece in token + gap]


def _build(pieces, **extra):
    return Normalised(
        "".join(p.char for p in pieces), tuple(p.start for p in pieces), tuple(p.end for p in pieces), **extra
    )


def for_model(text):
    """Readable text for the model: disguises undone, ordinary text left as written."""
    tokens, gaps = _prepared(text, fold=False)
    pieces = []
    for token, gap in zip(tokens, gaps):
        pieces.extend(_spelled_abbreviation(_destretch(token, 2)))
        pieces.extend(gap)
    return _build(pieces)


def for_matching(text):
    """Case-folded letters for the word lists, with alternatives, masks and soft word boundaries."""
    tokens, gaps = _prepared(text, fold=True)
    pieces, alts, masks, soft = [], {}, set(), set()
    for token, gap in zip(tokens, gaps):
        _append_word(pieces, token, alts, masks, soft)
        if gap and pieces and pieces[-1].char != " ":
            pieces.append(Piece(" ", gap[0].start, gap[-1].end))
    while pieces and pieces[-1].char == " ":
        pieces.pop()
    return _build(pieces, alts=alts, masks=frozenset(masks), soft=frozenset(soft))


def _append_word(pieces, token, alts, masks, soft):
    """A token's letters, its separators dropped; other punctuation becomes a space."""
    inside, stars = _inside_letters(token), _star_runs(token)
    for k, piece in enumerate(token):
        if piece.boundary:
            soft.add(len(pieces))
        if piece.char.isalnum():
            pass
        elif piece.char == "*" and inside[k] and stars[k] <= 2:  # "f*ck", "f**k"; longer runs decorate
            piece.mask = True
        elif piece.char in SEPARATORS and inside[k]:
            soft.add(len(pieces))  # a word may begin or end here ("kick-ass")
            continue
        elif pieces and pieces[-1].char != " ":
            piece = Piece(" ", piece.start, piece.end)
        else:
            continue
        if piece.alt:
            alts[len(pieces)] = piece.alt
        if piece.mask:
            masks.add(len(pieces))
        pieces.append(piece)


def _inside_letters(token):
    """For each position: is there a letter somewhere before it and after it in the token?"""
    before, seen = [], False
    for piece in token:
        before.append(seen)
        seen = seen or piece.char.isalpha()
    after, seen = [], False
    for piece in reversed(token):
        after.append(seen)
        seen = seen or piece.char.isalpha()
    return [b and a for b, a in zip(before, reversed(after))]


def _star_runs(token):
    """For each position, the length of the run of '*' it belongs to (0 if not a star)."""
    runs, k = [0] * len(token), 0
    while k < len(token):
        stop = k
        while stop < len(token) and token[stop].char == "*":
            stop += 1
        for j in range(k, stop):
            runs[j] = stop - k
        k = max(stop, k + 1)
    return runs

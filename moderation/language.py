"""Which language a comment is written in, offline, and whether the model can read it.

    from moderation.language import detect
    detect("Du bist ein verdammter Idiot.")   # Detected(code='de', confidence=0.99, name='German')
    detect("ok")                              # Detected(code='unsure', ...)

The detector is lingua (lingua-language-detector, Apache-2.0): its models ship inside the
wheel, so nothing is fetched at run time. It is restricted to CANDIDATES, the languages
a news site's comments come in most, and runs in lingua's low-accuracy mode (trigram
models only): about 60 MB resident instead of about 700 MB for the full models of these
languages, and well under a millisecond a comment. Its weakness is short text, so text
with too few letters is "unsure", as is short text that may be English and text where no
language is confident: all go through the model as before. MODEL_LANGUAGES are the
languages the model was trained on.

The alphabet comes first, though: text written mostly in a script other than Latin
(Arabic, Cyrillic, Devanagari, Hangul, Thai, ...) is not English however short it is, and
lingua tells the languages of one script apart well even on two words. A troll's one-word
Arabic or Hindi insult is otherwise "unsure", read by a model that sees only unknown
tokens, and published as clean. Where lingua names no language of that script with
confidence (Thai is not a candidate), the script is named instead: "und-Thai" ("und" for an
undetermined language, as in BCP 47, then the script's Unicode name), shown as "Thai script".
"""

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_LANGUAGES = frozenset({"en"})
MODEL_LANGUAGE_NAMES = "English"  # for reasons a moderator reads: "the model reads English"
UNSURE = "unsure"
# Below this many letters (an ideograph, kana or hangul syllable counts as IDEOGRAPH_WEIGHT)
# lingua's guesses on short text are too often wrong to act on.
MIN_LETTERS = 20
IDEOGRAPH_WEIGHT = 4
# The top language's share of lingua's confidence needed to call it; chosen on
# moderation/language_samples.py and the English wiki test comments (MODEL_CARD.md).
MIN_CONFIDENCE = 0.75
# Short Latin text (MIN_SHORT_LETTERS up to MIN_LETTERS letters) is named only with two more
# signs: no English function word (SHORT_TEXT_SIGNS) or contraction, and fewer than
# MAX_KNOWN_SHARE of its words read by the model's English vocabulary (ENGLISH_VOCABULARY). A troll's
# "Du Arschloch." or "Ta gueule, crétin." is then named and goes by the language rule;
# "Stupid!" or "crybaby", which lingua's trigrams may call foreign, are words the model reads
# and stay with it. Chosen on short wiki talk and Civil Comments lines and short lines in
# nine languages (MODEL_CARD.md, "Languages").
MIN_SHORT_LETTERS = 6
MAX_KNOWN_SHARE = 2 / 3
# The bundled model's WordPiece vocabulary (that of all-MiniLM-L6-v2 and bert-base-uncased),
# read as an English lexicon: what any of the English models Parley runs reads as whole words.
ENGLISH_VOCABULARY = Path(__file__).resolve().parent / "models" / "parley-minilm-v1" / "tokenizer.json"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# English function words that are not words of the other candidates' common speech. A comment
# where they are this share of the words is English whatever the trigrams say: lingua's
# low-accuracy mode misreads shouting, wiki markup and names ("REDIRECT Talk:..." as French),
# and calling English foreign would take a comment away from the model.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "you're",
        "are",
        "were",
        "that",
        "this",
        "with",
        "have",
        "has",
        "not",
        "they",
        "what",
        "from",
        "just",
        "about",
        "but",
        "would",
        "should",
        "could",
        "there",
        "their",
        "been",
        "will",
        "can",
        "our",
        "his",
        "her",
        "him",
        "she",
        "who",
        "why",
        "how",
        "when",
        "because",
        "only",
        "also",
        "than",
        "then",
        "them",
        "these",
        "those",
        "some",
        "any",
        "all",
        "very",
        "really",
        "think",
        "know",
        "people",
        "it",
        "its",
        "it's",
        "i'm",
        "don't",
        "doesn't",
        "isn't",
        "can't",
        "won't",
        "of",
        "for",
        "my",
        "we",
        "on",
        "at",
        "or",
        "if",
        "be",
        "an",
        "by",
        "was",
        "is",
    ]
)
ENGLISH_SHARE = 0.2
# Of those, the ones that are also everyday words of a candidate language (German "was",
# "will", "also", "an", "her"; Dutch "is", "of", "we"; French "on", "or"; Polish "my";
# Romanian "are"; Danish "for", "at", "by"; Turkish "can"). In a long comment they count
# with the rest; in a short one ("Was für ein dummer Artikel.") one of them is no sign of
# English.
SHARED_WORDS = frozenset(
    ["was", "will", "also", "an", "her", "is", "of", "we", "on", "or", "my", "are", "for", "at", "by", "can"]
)
SHORT_TEXT_SIGNS = ENGLISH_WORDS - SHARED_WORDS
# The other side's evidence: everyday function words of the Latin-script candidates lingua
# most often meets in comments that are not English words too (no "die", "so", "in", "do",
# "no", "con", "um", "de", "la", "el": English text and names use them). Where a comment
# holds as many of these as it holds English function words (a shared one counting half),
# the English share decides nothing and lingua reads it: "Was für ein erbärmlicher
# Journalist." is a fifth "was", and German. Where lingua is unsure of a comment without any
# English sign, FUNCTION_WORDS_NEEDED of one language's words, more than of any other's, name
# it: lingua's trigrams call "Du bist so ein dummer Vollidiot." Norwegian at 0.57. They also
# lift the short-text veto of words the model's vocabulary holds ("du", "ein", "so").
FUNCTION_WORDS = {
    code: frozenset(words.split())
    for code, words in {
        "de": "der das und ist nicht ein eine einen einem für mit sich auch auf dem des ich du sie wir ihr"
        " wie aber noch nur oder wenn dass schon sehr doch mal bist sind hier dieser diese soll",
        "fr": "le les et est une des du pas que qui ce cette je tu vous nous sont avec pour mais très",
        "es": "los las del que por para pero muy eres una esta este esto está",
        "it": "il lo gli della sei che è questo questa sono anche una",
        "pt": "os um uma não você é isso que",
        "nl": "het een niet je zijn dat wat ook jij bent maar",
    }.items()
}
FOREIGN_WORDS = frozenset().union(*FUNCTION_WORDS.values())
FUNCTION_WORDS_NEEDED = 2
# Letters of one non-Latin script needed to say "not English" by the alphabet alone: one
# letter may be a symbol in English text (π, µ), two are a word.
MIN_SCRIPT_LETTERS = 2
SCRIPT_TAG = "und-"  # undetermined language, then the script's name
# Scripts counted as one: Japanese mixes kana with Chinese characters (Unicode's "CJK").
SCRIPT_GROUPS = {"HIRAGANA": "HAN", "KATAKANA": "HAN", "CJK": "HAN"}

CANDIDATES = (
    "ENGLISH",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "POLISH",
    "RUSSIAN",
    "UKRAINIAN",
    "TURKISH",
    "ARABIC",
    "CHINESE",
    "JAPANESE",
    "KOREAN",
    "HINDI",
    "SWEDISH",
    "DANISH",
    "BOKMAL",
    "FINNISH",
    "GREEK",
    "CZECH",
    "ROMANIAN",
    "HUNGARIAN",
    "INDONESIAN",
    "VIETNAMESE",
    "PERSIAN",
    "HEBREW",
)


@dataclass(frozen=True)
class Detected:
    code: str  # ISO 639-1 code ("de"), or UNSURE
    confidence: float  # lingua's confidence in that language, 0 to 1
    name: str  # "German"; "" when unsure

    @property
    def sure(self):
        return self.code != UNSURE

    @property
    def readable(self):
        """Whether the model reads this comment: it is in a model language, or we are unsure."""
        return not self.sure or self.code in MODEL_LANGUAGES


_detector = None
_detector_lock = threading.Lock()


def _build():
    global _detector
    with _detector_lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            languages = [getattr(Language, name) for name in CANDIDATES]
            _detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    return _detector


def name_of(code):
    """'German' for 'de', 'Thai script' for 'und-Thai'; the code itself for one lingua does
    not know (and for UNSURE)."""
    from lingua import IsoCode639_1, Language

    if code.startswith(SCRIPT_TAG):
        return f"{code[len(SCRIPT_TAG) :]} script"
    try:
        language = Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except (AttributeError, ValueError, TypeError):
        return code
    return _display(language)


def _display(language):
    return language.name.capitalize().replace("Bokmal", "Norwegian")


def letter_weight(text):
    """How much text there is to judge a language by: letters, ideographs counting more."""
    return sum(_weight(_script(char)) for char in text if char.isalpha())


def _script(char):
    """The Unicode script of a letter, from its name: 'LATIN', 'CYRILLIC', 'HAN', ..."""
    name = unicodedata.name(char, "")
    script = name.split(" ", 1)[0].split("-", 1)[0] if name else "UNKNOWN"
    return SCRIPT_GROUPS.get(script, script)


def _weight(script):
    """A letter's weight as text to judge: an ideograph, kana or hangul syllable says more."""
    return IDEOGRAPH_WEIGHT if script in ("HAN", "HANGUL") else 1


def main_script(text):
    """(script, letters): the non-Latin script most of the letters of `text` are in, when
    letters of non-Latin scripts are the majority, else ("LATIN", letters); (None, 0) without
    letters. Counted after NFKC folding, so that mathematical bold or fullwidth Latin letters
    count as Latin; ideographs weigh as in letter_weight."""
    counts = {}
    for char in unicodedata.normalize("NFKC", text):
        if char.isalpha():
            script = _script(char)
            counts[script] = counts.get(script, 0) + _weight(script)
    if not counts:
        return None, 0
    total, latin = sum(counts.values()), counts.pop("LATIN", 0)
    if not counts or latin * 2 >= total:
        return "LATIN", latin
    script = max(counts, key=counts.get)
    return script, total - latin


def english_share(text, words=ENGLISH_WORDS):
    """Share of the words of `text` that are English function words (of `words`)."""
    found = _words(text)
    return sum(w in words for w in found) / len(found) if found else 0.0


def _words(text):
    """The lower-cased words of `text`, stripped of the punctuation around them."""
    return [w for w in (w.strip(".,;:!?()[]{}\"'*-=<>") for w in text.lower().split()) if w]


@cache
def _vocabulary():
    """The WordPiece vocabulary of ENGLISH_VOCABULARY (word starts and "##" continuations);
    empty where the file is missing, which keeps short text unsure."""
    if not ENGLISH_VOCABULARY.is_file():
        return frozenset()
    return frozenset(json.loads(ENGLISH_VOCABULARY.read_text(encoding="utf-8"))["model"]["vocab"])


def _fold(word):
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def _pieces(word, vocabulary):
    """How the uncased WordPiece tokenizer cuts `word` (folded): the longest known start,
    then the longest known "##" continuations; None where some part is unknown."""
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start and (word[start:end] if start == 0 else "##" + word[start:end]) not in vocabulary:
            end -= 1
        if end == start:
            return None
        pieces.append(word[start:end])
        start = end
    return pieces


def _known(word, vocabulary):
    """A word the model reads: one piece of its vocabulary, or a stem of four letters or more
    with one ending ("coward" + "s", "idiot" + "ic"), not a foreign word in fragments."""
    pieces = _pieces(word.replace("'", ""), vocabulary)
    return pieces is not None and (len(pieces) == 1 or (len(pieces) == 2 and len(pieces[0]) >= 4))


def _english_ahead(text):
    """Whether English function words outweigh FOREIGN_WORDS in `text`: each English one counts
    1, one shared with another candidate (SHARED_WORDS) a half, each foreign one 1."""
    words = _words(text)
    english = sum(1.0 if w in SHORT_TEXT_SIGNS else 0.5 for w in words if w in ENGLISH_WORDS)
    return english > sum(w in FOREIGN_WORDS for w in words)


def known_share(text):
    """Share of the words of `text` that the model's English vocabulary reads (_known)."""
    words = [_fold(word) for word in _WORD.findall(text)]
    vocabulary = _vocabulary()
    return sum(_known(w, vocabulary) for w in words) / len(words) if words else 1.0


# English contractions and possessives end a word ("that's", "don't", "we're"); French and
# Italian elisions begin one ("c'est", "l'articolo").
_ENGLISH_ENDING = re.compile(r"[^\W\d_]{2,}'(?:s|t|re|ve|ll|d|m)\b", re.IGNORECASE)


def _english_sign(text):
    """Whether short text shows it may be English: an English function word that is not also
    a word of another candidate, an English contraction, or no vocabulary to judge it by."""
    return (
        english_share(text, SHORT_TEXT_SIGNS) > 0
        or _ENGLISH_ENDING.search(text.replace("’", "'")) is not None
        or not _vocabulary()
    )


def detect(text):
    """The language of `text` as a Detected; UNSURE for very short Latin text, for short text
    without strong signs (MIN_SHORT_LETTERS), or where no language is clearly ahead."""
    script, letters = main_script(text)
    if script not in (None, "LATIN"):
        return _by_script(text, script, letters)
    weight = letter_weight(text)
    if weight < MIN_SHORT_LETTERS:
        return Detected(UNSURE, 0.0, "")
    named = _function_word_language(text)
    if weight < MIN_LETTERS:
        if not named and (_english_sign(text) or known_share(text) >= MAX_KNOWN_SHARE):
            return Detected(UNSURE, 0.0, "")
    elif english_share(text) >= ENGLISH_SHARE and _english_ahead(text):
        return Detected("en", 1.0, "English")
    # Lower case: the trigram models were built from ordinary text, and shouting misleads them.
    values = _build().compute_language_confidence_values(text.lower())
    if values and values[0].value >= MIN_CONFIDENCE:
        return _lingua_detected(values[0])
    if named:  # with lingua's confidence in it, however low
        confidence = next((v.value for v in values if _code(v.language) == named), 0.0)
        return Detected(named, round(confidence, 4), name_of(named))
    return Detected(UNSURE, values[0].value if values else 0.0, "")


def _code(language):
    """A lingua Language's ISO 639-1 code, lower case ("de")."""
    return language.iso_code_639_1.name.lower()


def _lingua_detected(value):
    """Detected from one of lingua's confidence values."""
    return Detected(_code(value.language), round(value.value, 4), _display(value.language))


def _function_word_language(text):
    """The language whose FUNCTION_WORDS `text` holds FUNCTION_WORDS_NEEDED of, more than of
    any other's, when nothing in it may be English; else None."""
    if _english_sign(text):
        return None
    words = _words(text)
    counts = sorted(((sum(w in FUNCTION_WORDS[code] for w in words), code) for code in FUNCTION_WORDS), reverse=True)
    (best, code), (second, _) = counts[0], counts[1]
    return code if best >= FUNCTION_WORDS_NEEDED and best > second else None


def _by_script(text, script, letters):
    """Text mostly in one non-Latin script: its language if lingua is confident, else the
    script itself (never English, and never unsure past two letters)."""
    if letters < MIN_SCRIPT_LETTERS:
        return Detected(UNSURE, 0.0, "")
    values = _build().compute_language_confidence_values(text.lower())
    if values and values[0].value >= MIN_CONFIDENCE:
        return _lingua_detected(values[0])
    code = (SCRIPT_TAG + script.capitalize())[:16]  # decisions store 16 characters
    return Detected(code, 1.0, name_of(code))


def accuracy(samples, detector=detect):
    """Share of (code, text) samples whose detected language is right; English counts as
    right when it is English or unsure (the model reads it either way)."""
    right = 0
    for code, text in samples:
        found = detector(text)
        right += found.code == code or (code in MODEL_LANGUAGES and found.readable)
    return right / len(samples)

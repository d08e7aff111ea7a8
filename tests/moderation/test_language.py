"""moderation.language: lingua, offline, restricted to common languages; short text named
only where three signs agree, unsure otherwise."""

import pytest

from moderation import language
from moderation.language import UNSURE, accuracy, detect, known_share, name_of
from moderation.language_samples import SAMPLES, SHORT
from moderation.probes import SHORT_MULTILINGUAL


@pytest.mark.parametrize(
    "text, code",
    [
        ("Du bist ein verdammter Idiot und solltest endlich die Klappe halten.", "de"),
        ("Vielen Dank für diesen wunderbaren Artikel, er hat mir sehr gefallen.", "de"),
        ("你是个白痴，闭嘴吧。", "zh"),
        ("Tu es vraiment un pauvre imbécile, personne ne t'écoute.", "fr"),
    ],
)
def test_languages_the_model_does_not_read(text, code):
    found = detect(text)
    assert found.code == code and found.sure and not found.readable


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the balanced article about the council budget.",
        "REDIRECT Talk:Bombardments of Shimonoseki and the naval history of Japan",  # markup, names
        "WHAT A DISGRACE, I HOPE THE WHOLE COUNCIL RESIGNS TOMORROW!!!",  # shouting
        "The article quotes the German chancellor saying 'Wir schaffen das' in 2015.",
    ],
)
def test_english_is_read_by_the_model(text):
    assert detect(text).readable


@pytest.mark.parametrize(
    "text, code",
    [
        # A word English shares with the language ("was", "also", "will") is a fifth of the words.
        ("Was für ein lächerlicher Kommentar.", "de"),
        ("Also ehrlich, was für ein Unsinn.", "de"),
        ("Er will nur provozieren, dieser Clown.", "de"),
    ],
)
def test_a_shared_word_does_not_make_foreign_text_english(text, code):
    assert detect(text).code == code


@pytest.mark.parametrize(
    "text, code",
    [
        # lingua's trigrams, alone: Danish at 0.70, French at 0.47, Dutch at 0.25, German at
        # 0.97 but short and of words the model's vocabulary holds.
        ("Er ist ein Lügner.", "de"),
        ("Ce type est un guignol.", "fr"),
        ("Het is een clown.", "nl"),
        ("Du bist so ein Versager.", "de"),
    ],
)
def test_function_words_name_a_language_lingua_is_unsure_of(text, code):
    assert detect(text).code == code


def test_function_words_name_nothing_beside_an_english_sign():
    found = detect("Le Pen says que sera sera, and the voters shrug.")
    assert found.readable


@pytest.mark.parametrize(
    "text",
    [
        "The mayor is a spineless weasel.",  # only "is" and "a" are function words; lingua may say otherwise
        "Senators are shameless liars.",
        "His plan is an absolute disgrace.",
    ],
)
def test_english_with_few_function_words_stays_english(text):
    assert detect(text).code == "en"


@pytest.mark.parametrize("text", SHORT)
def test_short_text_is_unsure(text):
    assert detect(text).code == UNSURE


@pytest.mark.parametrize(
    "text",
    [
        "Stupid!",  # lingua's trigrams call some of these foreign; the model reads every word
        "Cowards!",
        "That's stupid.",
        "Idiotic take.",
        "Shut up, clown.",
        "Great article, thanks.",
        "Lock her up!",
        "Bravo, Angela Merkel!",
    ],
)
def test_short_english_stays_with_the_model(text):
    assert detect(text).readable


def test_short_lines_in_other_languages_are_named_where_the_signs_agree():
    """Held-out short lines (probes.SHORT_MULTILINGUAL, not what the rule was chosen on):
    45% named right when measured (3 of 40 named another foreign language: still the language
    rule), none called English."""
    found = [(code, detect(text)) for code, text, _ in SHORT_MULTILINGUAL]
    assert sum(code == got.code for code, got in found) >= 0.4 * len(found)
    assert not [got for _, got in found if got.sure and got.readable]


def test_the_model_reads_a_word_that_its_vocabulary_holds_whole_or_as_a_stem_and_an_ending():
    assert known_share("cowards idiotic") == 1.0  # coward + s, idiot + ic
    assert known_share("Arschloch Vollidiot") == 0.0  # fragments of WordPiece, not words


def test_without_the_vocabulary_short_text_stays_unsure(monkeypatch, tmp_path):
    assert detect("Ferme ta gueule, crétin.").code == "fr"
    monkeypatch.setattr(language, "ENGLISH_VOCABULARY", tmp_path / "missing.json")
    language._vocabulary.cache_clear()
    try:
        assert detect("Ferme ta gueule, crétin.").code == UNSURE
    finally:
        monkeypatch.undo()
        language._vocabulary.cache_clear()


def test_accuracy_on_our_multilingual_sentences():
    assert accuracy(SAMPLES) >= 0.95


@pytest.mark.parametrize(
    "text, code",
    [
        ("أنت غبي جدا", "ar"),  # nine letters: short, but no English is written in Arabic script
        ("तुम बहुत बेवकूफ हो", "hi"),
        ("ты дурак", "ru"),
        ("白痴", "zh"),
        ("ばか", "ja"),  # kana and Chinese characters count as one script
        ("μαλάκα", "el"),
    ],
)
def test_short_text_in_another_alphabet_is_not_english(text, code):
    found = detect(text)
    assert found.code == code and not found.readable


def test_a_script_whose_language_is_not_named_is_named_by_its_script():
    found = detect("คุณโง่มาก")  # Thai: not one of the candidate languages
    assert found.code == "und-Thai" and not found.readable
    assert found.name == name_of(found.code) == "Thai script"


@pytest.mark.parametrize(
    "text",
    [
        "The value of π is about 3.14",  # one Greek letter in English
        "Путин said the war would be short, according to the report.",  # a quoted name
        "𝐲𝐨𝐮 𝐚𝐫𝐞 𝐚 𝐝𝐞𝐥𝐢𝐠𝐡𝐭",  # mathematical bold Latin: Latin after NFKC
    ],
)
def test_latin_text_with_other_letters_is_still_read_by_the_model(text):
    assert detect(text).readable

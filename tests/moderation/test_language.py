"""moderation.language: lingua, offline, restricted to common languages; unsure on short text."""

import pytest

from moderation.language import UNSURE, accuracy, detect
from moderation.language_samples import SAMPLES, SHORT


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


@pytest.mark.parametrize("text", SHORT)
def test_short_text_is_unsure(text):
    assert detect(text).code == UNSURE


def test_accuracy_on_our_multilingual_sentences():
    assert accuracy(SAMPLES) >= 0.95

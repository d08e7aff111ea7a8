"""moderation.normalize: each spelling trick folds to the plain word; offsets map back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.normalize import for_matching, for_model

TRICKS = [
    ("ｉｄｉｏｔ", "idiot"),  # fullwidth
    ("іdіоt", "idiot"),  # Cyrillic і and о
    ("ΙDΙΟΤ", "idiot"),  # Greek capitals
    ("i\u200bd\u200ci\u200do\u2060t", "idiot"),  # zero-width characters
    ("id\u00adiot", "idiot"),  # soft hyphen
    ("1d10t", "idiot"),  # leet digits
    ("@$$hole", "asshole"),  # leet symbols
    ("sh!t", "shit"),
    ("i d i o t", "idiot"),  # spaced
    ("i.d.i.o.t", "idiot"),  # dotted
    ("i-d-i-o-t", "idiot"),
    ("i_d_i_o_t", "idiot"),
    ("i*d*i*o*t", "idiot"),
    ("I.D.I.O.T.", "idiot"),
    ("🤡", "clown"),
    ("🐀", "rat"),
    ("🔪", "knife"),
    ("🖕🏽", "fuck you"),  # skin tone dropped
    ("i|d|i|o|t", "idiot"),  # punctuation between the letters, leet or not
    ("i/d/1/o/t", "idiot"),
    ("i+d+i+o+t", "idiot"),
    ("i,d,i,o,t", "idiot"),
    ("i..d..i..o..t", "idiot"),  # a separator of two or three characters
    ("i...d...i...o...t", "idiot"),
    ("i♥d♥i♥o♥t", "idiot"),  # any symbol
    ("і|d|і|о|t", "idiot"),  # look-alikes too
    ("🇮🇩🇮🇴🇹", "idiot"),  # regional indicator letters
    ("🅸🅳🅸🅾🆃", "idiot"),  # negative squared capitals
    ("🅘🅓🅘🅞🅣", "idiot"),  # negative circled capitals
]


@pytest.mark.parametrize("written, word", TRICKS)
def test_each_trick_folds_to_the_plain_word(written, word):
    assert for_matching(written).text == word
    assert for_model(written).text.strip(" .").casefold() == word  # the sentence's full stop stays


@pytest.mark.parametrize(
    "text",
    [
        "In 1990, 50% of voters",
        "the 3rd time at 10am",
        "mp3 and covid19",
        "costs $5.99",
        "wow!! really?!",
        "mail me at jo@example.com",
        "Привет, как дела?",
        "Καλημέρα σας",
        "don't",
        "A.I. and U.N.",
        "e.g. this",
    ],
)
def test_ordinary_text_reaches_the_model_as_written(text):
    # Numbers, real words in other scripts and punctuation are not leet.
    assert for_model(text).text == text


def test_stretched_letters_keep_a_double_for_the_model():
    assert for_model("stuuuupid and coooool").text == "stuupid and cool"
    # Matching keeps every letter: the matcher compares runs.
    assert for_matching("stuuuupid").text == "stuuuupid"


def test_a_digit_that_may_be_two_letters_keeps_both():
    folded = for_matching("k1ll")
    assert folded.text == "kill" and folded.alts == {1: "l"}


def test_masks_and_soft_boundaries():
    assert for_matching("f*ck").masks == frozenset({1})
    folded = for_matching("kick-ass")
    assert folded.text == "kickass" and 4 in folded.soft


def test_spans_map_back_to_the_original():
    text = "Well, you ｉ.ｄ.ｉ.ｏ.ｔ 🤡!"
    folded = for_model(text)
    start = folded.text.index("idiot")
    assert folded.original_span(start, start + 5) == (10, 19)
    clown = folded.text.index("clown")
    assert text[slice(*folded.original_span(clown, clown + 5))] == "🤡"


@given(st.text(max_size=80))
def test_every_output_character_points_into_the_original(text):
    for normalised in (for_model(text), for_matching(text)):
        assert len(normalised.starts) == len(normalised.ends) == len(normalised.text)
        assert all(0 <= s < e <= len(text) for s, e in zip(normalised.starts, normalised.ends))
        assert list(normalised.starts) == sorted(normalised.starts)


# --- the edges of each rule (each case below failed under a mutant that `make mutate` found) ---


@pytest.mark.parametrize(
    "text",
    [
        "no way!!!",  # a run of three is stretching only for letters
        "1000 people",
        "this is 4u",  # one letter is too little to read leet into for the model
        "at 10:30pm",  # a ':' makes it a time, not a word
        "version 1.2.3",  # digits dotted apart are not a spelled-out word
        "counting 1 2 3",  # nor are digits spaced apart
        "1+1+1 is 3",  # nor digits added up: a spelled-out word is at least half letters
        "and/or w/o 24/7",  # separators between words or pairs, not single letters
        "clause 3(a)(ii)",
        "a-b",  # two letters are too few to be a spelled-out word
        "中、日、韩",  # other scripts' lists stay lists
    ],
)
def test_more_ordinary_text_reaches_the_model_as_written(text):
    assert for_model(text).text == text


def test_a_link_is_not_read_as_leet():
    assert for_model("www.w3schools.com").text == "www.w3schools.com"


@pytest.mark.parametrize("text", ["Henry III died in 1272.", "Rated XXX.", "zzz", "(AAA)"])
def test_a_run_that_is_a_whole_word_is_not_stretching(text):
    assert for_model(text).text == text


@pytest.mark.parametrize(("text", "read"), [("aaaargh", "aargh"), ("nooo!", "noo!"), ("baaa", "baa"), ("aaab", "aab")])
def test_a_run_beside_other_letters_is_stretching(text, read):
    assert for_model(text).text == read


@pytest.mark.parametrize(
    "written, folded",
    [
        ("(1d10t)", "(idiot)"),  # brackets around a disguised word stay brackets
        ("(i.d.i.o.t)", "(idiot)"),
        ("(i)(d)(i)(o)(t)", "(idiot)"),  # each letter in brackets
        ("[i][d][1][o][t]", "[idiot]"),
        ("r.a.t", "rat"),  # three letters are the shortest word spelled out
        ("!!really", "!!really"),  # leading '!!' is punctuation, not "ii"
        ("!!sh!t", "!!shit"),  # ... and the word after it is still read
        ("!!!$h!t", "!!!shit"),  # an odd run of '!' too
    ],
)
def test_punctuation_around_a_disguised_word_stays_for_the_model(written, folded):
    assert for_model(written).text == folded


def test_three_stretched_letters_keep_two_and_the_span_of_all_three():
    folded = for_model("stuuupid")
    assert folded.text == "stuupid"
    # The second kept 'u' stands for original characters 3-4, the dropped one included.
    assert folded.starts == (0, 1, 2, 3, 5, 6, 7)
    assert folded.ends == (1, 2, 3, 5, 6, 7, 8)


@pytest.mark.parametrize(
    "written, word",
    [
        ("\u0455\u0441\u0430\u043c", "scam"),  # every letter a Cyrillic look-alike, no Latin letter at all
        ("\u0455\u0441\u0430\u043c — call now", "scam call now"),  # a dash is no letter of another script
        ("Привет, іdіоt", "привет idiot"),  # among real Russian, a token mixing in Latin is a disguise
    ],
)
def test_look_alikes_fold_unless_the_text_is_really_another_script(written, word):
    assert for_matching(written).text == word


def test_accented_latin_is_not_another_script():
    # 'é' is Latin: the text is not foreign, so the all-Cyrillic look-alike "Ѕсам" still folds.
    assert for_model("\u0405\u0441\u0430\u043c at the café").text == "Scam at the café"


@pytest.mark.parametrize(
    "written, word",
    [
        ("r a t", "rat"),  # three spaced letters are the shortest word joined
        ("s c u m", "scum"),
        ("a b", "a b"),  # two are not
        ("r a t here", "rat here"),  # the token after a joined word is kept
        ("r a t  b a t", "rat bat"),  # a wider gap ends a word
        ("you r  a  t", "you rat"),  # widths are compared within the run, not with the gaps before it
        ("r.a.t", "rat"),  # three letters dotted apart too
        ("you,1d10t", "you idiot"),  # a comma splits words before leet is read
        ("kiss my a$", "kiss my as"),  # a trailing '$' is a letter
        ("wow! really", "wow really"),  # one space for a '!' and the gap after it
        ("ab2$cd", "ab2 cd"),  # punctuation left inside a token becomes a space
        ("ab2$$cd", "ab2 cd"),  # ... one space for a run of it
        ("call 1 2 3", "call 1 2 3"),
    ],
)
def test_matching_joins_and_splits_words(written, word):
    assert for_matching(written).text == word


def test_a_gap_that_ends_a_spaced_word_stays_a_space_for_the_model():
    assert for_model("r a t  b a t").text == "rat  bat"


def test_one_or_two_stars_mask_a_letter_and_longer_runs_decorate():
    assert (for_matching("f**k").text, for_matching("f**k").masks) == ("f**k", frozenset({1, 2}))
    assert (for_matching("f***k").text, for_matching("f***k").masks) == ("fk", frozenset())
    # Each run of stars is measured on its own: the first here masks, the second decorates.
    folded = for_matching("f*c***k")
    assert (folded.text, folded.masks) == ("f*ck", frozenset({1}))


@pytest.mark.parametrize("written", ["*idiot", "idiot*", "*idiot*"])
def test_a_star_outside_the_letters_is_no_mask(written):
    folded = for_matching(written)
    assert (folded.text, folded.masks, folded.soft) == ("idiot", frozenset(), frozenset())


def test_a_four_letter_spaced_word_may_start_after_its_article():
    assert for_matching("a r a t").soft == frozenset({1})


def test_an_empty_span_maps_to_a_point():
    folded = for_matching("  xyz")
    assert folded.original_span(0, 0) == (2, 2)
    assert folded.original_span(1, 1) == (3, 3)
    assert folded.original_span(3, 3) == (5, 5)  # the end of the text: after its last character
    for nothing in ("", "!!!"):
        assert for_matching(nothing).original_span(0, 0) == (0, 0)


@pytest.mark.parametrize(
    "text, spelled, phrase, written",
    [
        ("just kys already", "just kill yourself already", "kill yourself", "kys"),
        ("KYS!", "kill yourself!", "kill yourself", "KYS"),
        ("k y s", "kill yourself", "kill yourself", "k y s"),  # spaced apart, joined first
        ("stfu, moron", "shut the fuck up, moron", "shut the fuck up", "stfu"),
    ],
)
def test_the_model_reads_abuse_abbreviations_spelled_out(text, spelled, phrase, written):
    normalised = for_model(text)
    assert normalised.text == spelled
    at = spelled.index(phrase)
    start, end = normalised.original_span(at, at + len(phrase))  # marked words point at what was written
    assert text[start:end] == written


@pytest.mark.parametrize("text", ["the sky is blue", "skys", "kysx", "Kyiv"])
def test_words_that_merely_contain_an_abbreviation_are_left_alone(text):
    assert for_model(text).text == text


def test_the_word_lists_match_abbreviations_as_written():
    assert for_matching("kys").text == "kys"


@pytest.mark.parametrize(
    "written, model",
    [
        ("u r a loser", "you are a loser"),  # textspeak: words, not one word spelled out ("ura")
        ("r u ok?", "are you ok?"),
        ("ur article", "your article"),
        ("i c u", "i c you"),  # one-letter words stay apart
        ("U R A LOSER", "U R A LOSER"),  # shorthand is lower case: capitals stay as written
        ("Plan B, vitamin C", "Plan B, vitamin C"),
        ("u r a l o s e r", "uraloser"),  # a longer run is still a word spelled out
        ("r a t", "rat"),  # as is a short one with a letter that is no word on its own
    ],
)
def test_chat_shorthand_is_read_as_words(written, model):
    assert for_model(written).text == model


def test_shorthand_maps_back_to_the_letter_it_stands_for():
    normalised = for_model("thank u!")
    start = normalised.text.index("you")
    assert normalised.original_span(start, start + 3) == (6, 7)


def test_the_matcher_keeps_one_letter_words_apart():
    assert for_matching("u r a loser").text == "u r a loser"
    assert for_matching("y r u").text == "y r u"

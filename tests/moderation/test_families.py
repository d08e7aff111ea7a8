"""families.py: held-out families share no frame with training, and the split is stable."""

import re
from dataclasses import replace

from moderation import data, families


def frames(part):
    return {frame for f in families.FAMILIES if families.split(f) == part for frame in f.originals + f.benign}


def test_every_kind_has_held_out_and_training_families():
    kinds = {f.kind for f in families.FAMILIES}
    for kind in kinds:
        parts = {families.split(f) for f in families.FAMILIES if f.kind == kind}
        assert parts == {"train", "eval"}, kind


def test_no_frame_is_in_both_parts():
    assert not frames("train") & frames("eval")


def test_no_held_out_sentence_is_a_training_sentence():
    train = {t for pairs in families.family_sentences("train", per_frame=20).values() for t, _ in pairs}
    held = {t for pairs in families.family_sentences("eval").values() for t, _ in pairs}
    assert held and train and not train & held


def test_family_ids_are_unique():
    ids = [f.id for f in families.FAMILIES]
    assert len(ids) == len(set(ids))


def test_sentences_are_deterministic_and_filled():
    family = families.FAMILIES[0]
    first, again = families.sentences(family), families.sentences(family)
    assert first == again
    assert all(
        "{" not in text and "}" not in text for f in families.FAMILIES for text, _ in families.sentences(f, per_frame=3)
    )


def test_counter_speech_quotes_its_own_originals():
    family = next(f for f in families.FAMILIES if f.kind == "counter")
    pairs = families.sentences(family)
    originals = [t for t, toxic in pairs if toxic]
    quoting = [t for t, toxic in pairs if not toxic and any(o in t for o in originals)]
    assert originals and quoting


def test_a_and_an_follow_the_filler():
    assert families._fill("You are a {i}.", _Pick("idiot")) == "You are an idiot."
    assert families._fill("You are an {i}.", _Pick("moron")) == "You are a moron."


class _Pick:
    """An rng whose choice() always returns the value wanted for {i} (other slots: first option)."""

    def __init__(self, value):
        self.value = value

    def choice(self, options):
        return self.value if options is families.INSULTS else options[0]


def test_identity_mentions_are_benign_and_name_more_than_the_threat_fillers():
    pairs = [p for f in families.FAMILIES if f.kind == "identity" for p in families.sentences(f)]
    assert pairs and not any(toxic for _, toxic in pairs)
    named = {word for word in families.IDENTITIES if any(word in text for text, _ in pairs)}
    assert named - set(families.GROUP_WORDS), "the identity families should reach beyond the threat fillers"


def test_families_added_later_leave_the_held_out_set_as_it_was(monkeypatch):
    # split() draws each kind's held-out quarter by hash, so a new family counted in the draw
    # could push an old one in or out of the evaluation and the figures would stop being
    # comparable across model versions. Late families are trained and left out of the draw.
    late = [f for f in families.FAMILIES if f.late]
    assert late and all(families.split(f) == "train" for f in late)
    with_late = families.held_out_ids()
    monkeypatch.setattr(families, "FAMILIES", [f for f in families.FAMILIES if not f.late])
    assert families.held_out_ids() == with_late
    held = {i for i in with_late if i.startswith("identity.")}
    assert held == {"identity.neighbours", "identity.speaking_as"}


def test_a_late_family_counted_in_the_draw_would_have_moved_the_held_out_set(monkeypatch):
    # The guard above is needed: the same families drawn as ordinary ones change the set.
    before = families.held_out_ids()
    monkeypatch.setattr(families, "FAMILIES", [replace(f, late=False) for f in families.FAMILIES])
    assert families.held_out_ids() != before


def test_the_self_harm_probes_are_no_family_s_sentences():
    # probes.SELF_HARM_URGING measures frames the model never read: none of them may be a
    # sentence any family (trained or held out) can produce.
    from moderation import probes

    written = {text.lower() for f in families.FAMILIES for text, _ in families.sentences(f, per_frame=20)}
    assert not written & {t.lower() for t in probes.SELF_HARM_URGING + probes.SUICIDE_NEWS}
    urging = [f for f in families.FAMILIES if f.id.startswith(("threat.selfharm.", "threat.self."))]
    assert len(urging) >= 8 and all(families.split(f) == "train" for f in urging)


def test_the_friendly_probes_are_no_family_s_sentences():
    # probes.FRIENDLY measures friendly lines in the threats' words that no family holds.
    from moderation import probes

    written = {text.lower() for f in families.FAMILIES for text, _ in families.sentences(f, per_frame=20)}
    assert not written & {t.lower() for t in probes.FRIENDLY}


def test_a_threat_is_an_identity_attack_only_when_it_names_a_group():
    by_target = {"person": [], "group": []}
    for family in families.FAMILIES:
        for frame in family.originals if family.kind == "threat" else ():
            slots = set(re.findall(r"\{(\w)\}", frame))
            if "x" in slots:
                continue  # the target filler is a person or a group, drawn per sentence
            one_frame = families.Family(family.id, "threat", originals=(frame,))
            texts = [text for text, _ in families.sentences(one_frame, per_frame=6)]
            by_target["group" if slots & {"g", "G", "j"} else "person"] += texts
    assert len(by_target["person"]) > 500 and len(by_target["group"]) > 50
    assert not any(families.names_identity(text) for text in by_target["person"])
    assert all(families.names_identity(text) for text in by_target["group"])
    labels = [data.family_labels("threat", text)["identity_attack"] for text in by_target["group"][:3]]
    assert labels == [1.0, 1.0, 1.0]
    assert data.family_labels("threat", by_target["person"][0])["identity_attack"] == 0.0
    assert "identity_attack" not in data.family_labels("negation", "You are an idiot.")

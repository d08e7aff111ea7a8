"""moderation.assess.judge: the one verdict the worker and `moderation.check` both use."""

from moderation.assess import judge, judge_many
from moderation.policy import Article, Author, Settings

CLEAN = dict.fromkeys(("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"), 0.01)
TEXT = "What a load of Bl0ody nonsense, and more besides."


def model_spans(_text):
    return [{"start": 32, "end": 35, "text": "and", "weight": 0.4}]


def test_the_policys_words_come_first_then_the_models_spans():
    verdict = judge(TEXT, CLEAN, Settings(banned_words=("bloody",)), explain=model_spans)
    assert (verdict.decision.outcome, verdict.decision.rule) == ("hold", "banned_word")
    word, model = verdict.spans
    assert word == {"start": 15, "end": 21, "text": "Bl0ody", "weight": 1.0, "rule": "banned_word"}
    assert model == model_spans(TEXT)[0]


def test_words_are_marked_even_without_an_explainer():
    verdict = judge(TEXT, CLEAN, Settings(banned_words=("bloody",)))
    assert [span["text"] for span in verdict.spans] == ["Bl0ody"]


def test_a_published_comment_asks_the_model_for_no_spans():
    asked = []
    verdict = judge("A kind and ordinary remark about the weather.", CLEAN, Settings(), explain=asked.append)
    assert verdict.decision.outcome == "publish" and verdict.spans is None and asked == []


def test_a_held_comment_without_words_keeps_the_models_spans():
    scores = {**CLEAN, "toxicity": 0.95}
    verdict = judge(TEXT, scores, Settings(), explain=model_spans)
    assert verdict.decision.rule == "hold_band" and verdict.spans == model_spans(TEXT)


def test_judging_many_asks_for_the_flagged_texts_spans_in_one_call_and_judges_as_judge_does():
    settings = Settings(banned_words=("bloody",))
    calm = "A kind and ordinary remark about the weather."
    toxic = "Some other words that the model scored high."
    cases = [(TEXT, CLEAN, Author(), Article()), (calm, CLEAN, Author(), Article())]
    cases.append((toxic, {**CLEAN, "toxicity": 0.95}, Author(), Article(premoderated=True)))
    calls = []

    def explain_many(texts):
        calls.append(list(texts))
        return [model_spans(text) for text in texts]

    judged = judge_many(cases, settings, explain_many=explain_many)
    assert calls == [[TEXT, toxic]]
    assert judged == [judge(*case, explain=model_spans) for case in [(t, s, settings, a, r) for t, s, a, r in cases]]


def test_judging_many_with_nothing_flagged_asks_for_no_spans():
    calls = []
    judged = judge_many([("A kind and ordinary remark.", CLEAN, Author(), Article())], Settings(), calls.append)
    assert calls == [] and judged[0].spans is None and judged[0].decision.outcome == "publish"


def test_the_same_text_held_for_one_author_and_published_for_another_keeps_spans_only_where_held():
    calls = []

    def explain_many(texts):
        calls.append(list(texts))
        return [model_spans(text) for text in texts]

    text = "Some words that the model scored high for one of them."
    toxic = {**CLEAN, "toxicity": 0.95}
    cases = [(text, toxic, Author(), Article()), (text, CLEAN, Author(), Article()), (text, toxic, Author(), Article())]
    held, published, again = judge_many(cases, Settings(), explain_many=explain_many)
    assert calls == [[text]]  # explained once
    assert held.decision.outcome == again.decision.outcome == "hold" and held.spans == model_spans(text)
    assert published.decision.outcome == "publish" and published.spans is None

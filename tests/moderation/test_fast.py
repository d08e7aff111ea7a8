"""moderation.fast computes what transformers' forward computes, only cheaper."""

import copy

import pytest

torch = pytest.importorskip("torch")

from moderation.fast import speed_up, supports  # noqa: E402

COMMENTS = [
    "Thanks for the balanced article.",
    "x",
    "",
    "The council voted 7-2 to fund the new bus lanes, which the mayor had promised in 2024. " * 3,
    "You are a pathetic idiot and everyone here knows it.",
    "As a gay Muslim veteran, I found the reporting on the budget fair. " * 12,  # truncated at 256
]


def stock_and_fast(scorer):
    stock = copy.deepcopy(scorer.model)
    stock.forward = type(stock).forward.__get__(stock)  # transformers' own forward
    return stock, scorer.model


def logits(model, enc):
    with torch.no_grad():
        return model(**enc)[0]


def test_bundled_scorer_runs_the_fast_forward(scorer):
    assert supports(scorer.model)
    assert hasattr(scorer.model, "_parley_stock_forward")


def test_same_logits_as_transformers_on_a_padded_batch(scorer):
    stock, fast = stock_and_fast(scorer)
    enc = scorer.tokenizer(COMMENTS, return_tensors="pt", truncation=True, padding=True)
    assert enc["attention_mask"].sum(1).min() < enc["attention_mask"].shape[1]  # really padded
    assert torch.allclose(logits(stock, enc), logits(fast, enc), atol=1e-5)


def test_same_logits_one_comment_at_a_time(scorer):
    stock, fast = stock_and_fast(scorer)
    for text in COMMENTS:
        enc = scorer.tokenizer([text], return_tensors="pt", truncation=True, padding=True)
        assert torch.allclose(logits(stock, enc), logits(fast, enc), atol=1e-5), text


def test_padding_does_not_leak_into_a_comment(scorer):
    """A comment's logits do not depend on how long its batch-mates are."""
    _, fast = stock_and_fast(scorer)
    alone = scorer.tokenizer([COMMENTS[4]], return_tensors="pt", padding=True)
    padded = scorer.tokenizer([COMMENTS[4], COMMENTS[3]], return_tensors="pt", padding=True)
    assert torch.allclose(logits(fast, alone)[0], logits(fast, padded)[0], atol=1e-5)


def test_training_mode_and_embedding_inputs_use_the_stock_forward(scorer):
    model = copy.deepcopy(scorer.model)
    enc = scorer.tokenizer(COMMENTS[:2], return_tensors="pt", padding=True)
    embeds = model.get_input_embeddings()(enc["input_ids"])
    out = model(inputs_embeds=embeds, attention_mask=enc["attention_mask"])
    assert out.logits.shape == (2, 6)  # a transformers output object, not our tuple
    model.train()
    assert hasattr(model(**enc), "logits")


def test_other_architectures_are_left_alone():
    from transformers import RobertaConfig, RobertaForSequenceClassification

    config = RobertaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=1,
                           num_attention_heads=2, intermediate_size=64, num_labels=6)
    model = RobertaForSequenceClassification(config).eval()
    assert not supports(model)
    assert speed_up(model) is model and not hasattr(model, "_parley_stock_forward")

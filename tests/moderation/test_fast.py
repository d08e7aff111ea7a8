"""moderation.fast computes what transformers' forward computes, only cheaper.

In float32 it agrees with transformers' forward to 1e-5; with bfloat16 products
(the default where the CPU has them) it stays within BF16_BOUND of float32,
and in both a comment's scores do not depend on its batch-mates.
"""

import copy

import pytest

torch = pytest.importorskip("torch")

from moderation.fast import encode, native_bf16, speed_up, supports  # noqa: E402
from moderation.scorer import Scorer  # noqa: E402

# How far bfloat16 products may move a probability (measured: at most 0.0054
# over the 1,492 wiki test comments, 0.0046 over 2,000 news comments, p99 0.0017;
# see MODEL_CARD.md).
BF16_BOUND = 0.01

COMMENTS = [
    "Thanks for the balanced article.",
    "x",
    "",
    "The council voted 7-2 to fund the new bus lanes, which the mayor had promised in 2024. " * 3,
    "You are a pathetic idiot and everyone here knows it.",
    "As a gay Muslim veteran, I found the reporting on the budget fair. " * 12,  # truncated at 256
]


def stock_and_fast(scorer, bf16=False):
    stock = copy.deepcopy(scorer.model)
    stock.forward = type(stock).forward.__get__(stock)  # transformers' own forward
    return stock, speed_up(copy.deepcopy(stock), bf16=bf16)


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


def test_encode_gives_every_tokens_last_state_and_the_pooled_cls_as_the_encoder_does(scorer):
    stock, fast = stock_and_fast(scorer)
    enc = scorer.tokenizer(COMMENTS, return_tensors="pt", truncation=True, padding=True)
    with torch.no_grad():
        out = stock.bert(**enc)
        hidden, pooled = encode(fast, **enc)
    real = enc["attention_mask"].bool()
    assert hidden.shape == out.last_hidden_state.shape
    assert torch.allclose(out.last_hidden_state[real], hidden[real], atol=1e-5)
    assert torch.count_nonzero(hidden[~real]) == 0
    assert torch.allclose(out.pooler_output, pooled, atol=1e-5)


@pytest.mark.parametrize("bf16", [False, True])
def test_padding_does_not_leak_into_a_comment(scorer, bf16):
    """A comment's scores do not depend on how long its batch-mates are: in float32 to 1e-5
    (a padding token read would move them far more); in bfloat16 within BF16_BOUND, since
    oneDNN picks its bfloat16 kernels by the batch's row count and their rounding differs (up
    to 0.003 in a logit, measured on the bundled 1.2 and 1.4 on a Xeon with AMX)."""
    _, fast = stock_and_fast(scorer, bf16=bf16)
    for one, mate in ((4, 3), (3, 0)):
        alone = scorer.tokenizer([COMMENTS[one]], return_tensors="pt", padding=True)
        padded = scorer.tokenizer([COMMENTS[one], COMMENTS[mate]], return_tensors="pt", padding=True)
        by_itself, beside = logits(fast, alone)[0], logits(fast, padded)[0]
        if bf16:
            assert (torch.sigmoid(by_itself) - torch.sigmoid(beside)).abs().max() < BF16_BOUND
        else:
            assert torch.allclose(by_itself, beside, atol=1e-5)


def test_bf16_stays_within_its_bound_of_float32(scorer):
    stock, fast = stock_and_fast(scorer, bf16=True)
    enc = scorer.tokenizer(COMMENTS, return_tensors="pt", truncation=True, padding=True)
    exact, rounded = torch.sigmoid(logits(stock, enc)), torch.sigmoid(logits(fast, enc))
    assert not torch.equal(exact, rounded)  # bfloat16 really ran
    assert (exact - rounded).abs().max() < BF16_BOUND


def test_the_scorer_says_which_precision_runs(scorer):
    assert scorer.precision == ("bfloat16" if native_bf16() else "float32")
    exact = Scorer(precision="float32")
    assert exact.precision == "float32" and not exact.model._parley_bf16
    assert Scorer(fast=False, precision="bfloat16").precision == "float32"  # stock forward: fp32


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="precision must be one of"):
        Scorer(precision="int4")


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

    config = RobertaConfig(
        vocab_size=100, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64, num_labels=6
    )
    model = RobertaForSequenceClassification(config).eval()
    assert not supports(model)
    assert speed_up(model) is model and not hasattr(model, "_parley_stock_forward")

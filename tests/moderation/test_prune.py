"""Pruning a trained model's feed-forward layers (train.py --init DIR --intermediate N)."""

import pytest
import torch
from torch import nn

from moderation.scorer import BUNDLED, MODELS_DIR
from moderation.train import prune_feed_forward, start_from


def bundled_model():
    """The bundled model as training holds it (float32, its span head beside it)."""
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig.from_pretrained(MODELS_DIR / BUNDLED)
    model, span_head = BertForSequenceClassification(config), nn.Linear(config.hidden_size, 1)
    start_from(model, span_head, MODELS_DIR / BUNDLED)
    return model.eval()


def logits(model, ids):
    with torch.no_grad():
        return model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits


def test_keeping_every_unit_computes_the_same_function_and_fewer_keeps_the_most_important():
    model = bundled_model()
    ids = torch.tensor([[101, 2017, 2024, 1037, 6887, 102]])
    before = logits(model, ids)
    first = model.bert.encoder.layer[0]
    w_in, w_out = first.intermediate.dense.weight.clone(), first.output.dense.weight.clone()

    prune_feed_forward(model, model.config.intermediate_size)  # all 1,536: the same units, in order
    assert torch.allclose(logits(model, ids), before, atol=1e-5)

    prune_feed_forward(model, 768)
    ranked = (w_in.norm(dim=1) * w_out.norm(dim=0)).topk(768).indices.sort().values
    assert model.config.intermediate_size == 768
    assert torch.equal(first.intermediate.dense.weight, w_in[ranked])
    assert torch.equal(first.output.dense.weight, w_out[:, ranked])
    assert logits(model, ids).shape == before.shape


def test_a_shallower_student_starts_from_the_chosen_layers_of_a_trained_model():
    from transformers import BertConfig, BertForSequenceClassification

    teacher = bundled_model()
    config = BertConfig.from_pretrained(MODELS_DIR / BUNDLED, num_hidden_layers=3)
    student, span_head = BertForSequenceClassification(config), nn.Linear(config.hidden_size, 1)
    start_from(student, span_head, MODELS_DIR / BUNDLED, layers=[0, 2, 4])

    for new, old in enumerate([0, 2, 4]):
        mine, theirs = student.bert.encoder.layer[new], teacher.bert.encoder.layer[old]
        assert torch.equal(mine.intermediate.dense.weight, theirs.intermediate.dense.weight)
        assert torch.equal(mine.attention.self.query.weight, theirs.attention.self.query.weight)
    assert torch.equal(student.classifier.weight, teacher.classifier.weight)
    assert torch.equal(student.bert.embeddings.word_embeddings.weight, teacher.bert.embeddings.word_embeddings.weight)


def test_from_layers_must_match_the_number_of_layers():
    import pytest

    from moderation.train import main

    with pytest.raises(SystemExit):
        main(["--init", str(MODELS_DIR / BUNDLED), "--layers", "3", "--from-layers", "0,4"])
    with pytest.raises(SystemExit):
        main(["--layers", "2", "--from-layers", "4,0"])


def test_the_teachers_scores_are_kept_for_the_next_run_of_the_same_examples(tmp_path):
    import json
    from types import SimpleNamespace

    from moderation.train import teacher_targets

    cache = tmp_path / "teacher.json"
    examples = [SimpleNamespace(text="You are an idiot."), SimpleNamespace(text="Thanks for the article.")]
    first = teacher_targets(MODELS_DIR / BUNDLED, examples, cache=cache)
    assert first[0][0] > 0.5 > first[1][0]  # toxicity of each, as the bundled model scores them
    saved = json.loads(cache.read_text())
    saved["scores"] = [[0.25] * 6, [0.75] * 6]  # marked, to see which scores the next run reads
    cache.write_text(json.dumps(saved))
    assert teacher_targets(MODELS_DIR / BUNDLED, examples, cache=cache) == saved["scores"]
    other = examples + [SimpleNamespace(text="Another comment.")]
    # Other texts: scored anew, not read from the cache (0.25 / 0.75). A batch of three may sum
    # its products in another order than a batch of two (measured 1e-10 apart on an AVX2 EPYC).
    anew = teacher_targets(MODELS_DIR / BUNDLED, other, cache=cache)[:2]
    assert [row == pytest.approx(expected, abs=1e-6) for row, expected in zip(anew, first)] == [True, True]

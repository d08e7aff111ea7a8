"""Loading: clear errors for bad files, fp16 weights into a float32 model, no Flask."""

import subprocess
import sys

import pytest
import torch

from moderation.scorer import BUNDLED, CHECKPOINT_FILE, MODELS_DIR, ModelLoadError, Scorer

BUNDLE = MODELS_DIR / BUNDLED


def test_missing_checkpoint_names_the_path(tmp_path):
    path = tmp_path / "nowhere" / "model.ckpt"
    with pytest.raises(ModelLoadError, match="nowhere/model.ckpt"):
        Scorer(checkpoint=path, config_dir=BUNDLE)


def test_corrupt_checkpoint_names_the_path(tmp_path):
    path = tmp_path / "broken.ckpt"
    path.write_bytes(b"this is not a torch file" * 100)
    with pytest.raises(ModelLoadError, match="broken.ckpt"):
        Scorer(checkpoint=path, config_dir=BUNDLE)


def test_checkpoint_without_config_is_refused(tmp_path):
    path = tmp_path / "bare.ckpt"
    torch.save({"state_dict": {}}, path)
    with pytest.raises(ModelLoadError, match="bare.ckpt"):
        Scorer(checkpoint=path, config_dir=BUNDLE)


def test_unknown_published_model_is_refused():
    with pytest.raises(ModelLoadError, match="nonesuch"):
        Scorer(model="nonesuch")


def test_fp16_weights_load_as_float32(scorer):
    saved = torch.load(BUNDLE / CHECKPOINT_FILE, map_location="cpu", weights_only=True)["state_dict"]
    assert saved["classifier.weight"].dtype == torch.float16
    params = dict(scorer.model.named_parameters())
    assert all(p.dtype == torch.float32 for p in params.values())
    for name in (
        "classifier.weight",
        "bert.encoder.layer.0.attention.self.query.weight",
        "bert.embeddings.word_embeddings.weight",
    ):
        assert torch.equal(params[name].detach(), saved[name].float()), name


def test_bundle_fits_the_size_limit():
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file())
    assert total <= 48 * 1024 * 1024


def test_library_imports_no_flask():
    code = (
        "import sys, moderation, moderation.scorer, moderation.explain, moderation.metrics, "
        "moderation.evaluate, moderation.data; assert 'flask' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

"""soup.py: the weight average of two checkpoints, tensor by tensor."""

import torch

from moderation.soup import average


def test_average_weighs_b_by_its_share_and_keeps_dtypes():
    a = {"w": torch.tensor([0.0, 2.0], dtype=torch.float16), "ids": torch.tensor([1, 2])}
    b = {"w": torch.tensor([4.0, 6.0], dtype=torch.float16), "ids": torch.tensor([3, 4])}
    out = average(a, b, 0.25)
    assert out["w"].tolist() == [1.0, 3.0] and out["w"].dtype == torch.float16
    assert out["ids"].tolist() == [1, 2]  # integer buffers are A's, not averaged


def trained_run(folder, config, value=0.0):
    """A run's directory as train.py leaves it: its files and a checkpoint of one tensor."""
    folder.mkdir()
    for file in ("config.json", "tokenizer.json", "tokenizer_config.json", "explain.json"):
        (folder / file).write_text(f'{{"from": "{folder.name}"}}')
    tensors = {"w": torch.full((2,), value, dtype=torch.float16)}
    torch.save({"config": config, "state_dict": tensors, "span_head": dict(tensors)}, folder / "model.ckpt")
    return folder


def test_a_soup_is_named_after_its_directory_and_averages_both_heads(tmp_path):
    from moderation.soup import soup

    def run(name, value, version):
        return trained_run(tmp_path / name, {"name": name, "version": version, "training": {"run": name}}, value)

    out = tmp_path / "parley-minilm-v1"
    soup(run("old", 0.0, "1.2"), run("new", 10.0, "1.4b"), 0.4, out, "1.4")
    made = torch.load(out / "model.ckpt", weights_only=True)
    assert made["config"]["name"] == "parley-minilm-v1" and made["config"]["version"] == "1.4"
    assert made["config"]["training"]["seed"] is None  # neither run recorded one
    assert made["config"]["training"]["soup"] == {
        "a": "1.2",
        "b": "1.4b",
        "weight_b": 0.4,
        "b_training": {"run": "new"},
    }
    assert made["state_dict"]["w"].tolist() == [4.0, 4.0] and made["span_head"]["w"].tolist() == [4.0, 4.0]
    assert (out / "explain.json").read_text() == '{"from": "new"}'


def test_runs_of_different_seeds_are_souped_with_a_warning_and_one_seed_is_kept(tmp_path, capsys):
    from moderation.soup import soup

    def run(name, seed):
        return trained_run(tmp_path / name, {"version": name, "training": {"seed": seed}})

    soup(run("a", 13), run("b", 29), 0.4, tmp_path / "mixed", "x")
    assert "seeds 13 and 29" in capsys.readouterr().err
    soup(run("c", 13), run("d", 13), 0.4, tmp_path / "same", "y")
    assert capsys.readouterr().err == ""
    made = torch.load(tmp_path / "same" / "model.ckpt", weights_only=True)
    assert made["config"]["training"]["seed"] == 13


def test_a_continued_run_is_compared_by_the_seed_of_the_heads_it_started_from(tmp_path, capsys):
    from moderation.soup import soup

    start = trained_run(tmp_path / "start", {"version": "1.6", "training": {"seed": 13}})
    # Its own --seed shuffled the data; its heads came from the model it started from.
    continued = trained_run(tmp_path / "cont", {"version": "1.7", "training": {"seed": 29, "heads_seed": 13}})
    soup(start, continued, 0.5, tmp_path / "soup", "1.7s")
    assert capsys.readouterr().err == ""
    assert torch.load(tmp_path / "soup" / "model.ckpt", weights_only=True)["config"]["training"]["heads_seed"] == 13
    other = trained_run(tmp_path / "other", {"version": "x", "training": {"seed": 13, "heads_seed": 29}})
    soup(start, other, 0.5, tmp_path / "warned", "y")
    assert "seeds 13 and 29" in capsys.readouterr().err

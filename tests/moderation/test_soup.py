"""soup.py: the weight average of two checkpoints, tensor by tensor."""

import torch

from moderation.soup import average


def test_average_weighs_b_by_its_share_and_keeps_dtypes():
    a = {"w": torch.tensor([0.0, 2.0], dtype=torch.float16), "ids": torch.tensor([1, 2])}
    b = {"w": torch.tensor([4.0, 6.0], dtype=torch.float16), "ids": torch.tensor([3, 4])}
    out = average(a, b, 0.25)
    assert out["w"].tolist() == [1.0, 3.0] and out["w"].dtype == torch.float16
    assert out["ids"].tolist() == [1, 2]  # integer buffers are A's, not averaged

"""CPU features as the benchmarks print them, and bfloat16 only where the CPU has it."""

import pytest

from moderation import cpu

XEON = {"model": "Xeon", "cores": 2, "AVX2": True, "AVX-512": True, "VNNI": True, "BF16": False, "AMX": False}


def test_flags_are_read_from_cpuinfo(monkeypatch):
    monkeypatch.setattr(cpu, "_cpuinfo", lambda: ("Some EPYC", {"avx2", "avx512f", "avx512_bf16", "fma"}))
    found = cpu.features()
    assert found["model"] == "Some EPYC"
    assert (found["AVX2"], found["AVX-512"], found["VNNI"], found["BF16"], found["AMX"]) == (
        True,
        True,
        False,
        True,
        False,
    )


def test_unknown_flags_say_unknown(monkeypatch):
    monkeypatch.setattr(cpu, "_cpuinfo", lambda: ("arm64", None))
    assert cpu.features()["AVX2"] is None
    assert "AVX2 unknown" in cpu.describe()


def test_describe_names_every_feature_and_the_emulation(monkeypatch):
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")
    monkeypatch.delenv("MKL_ENABLE_INSTRUCTIONS", raising=False)
    line = cpu.describe(XEON)
    assert line.startswith("Xeon (2 cores): AVX2 yes, AVX-512 yes, VNNI yes, BF16 no, AMX no")
    assert "emulating: ATEN_CPU_CAPABILITY=avx2" in line
    # MKL multiplies the float32 layers with AVX-512 unless told otherwise: the line says so.
    assert "MKL not narrowed" in line
    monkeypatch.setenv("MKL_ENABLE_INSTRUCTIONS", "AVX2")
    line = cpu.describe(XEON)
    assert "MKL_ENABLE_INSTRUCTIONS=AVX2" in line and "MKL not narrowed" not in line


@pytest.mark.parametrize("bf16, expected", [(False, "float32"), (True, "bfloat16"), (None, "bfloat16")])
def test_auto_uses_bfloat16_only_where_the_cpu_has_it(monkeypatch, bf16, expected):
    torch = pytest.importorskip("torch")
    from moderation import fast

    # oneDNN claims bfloat16 on every AVX-512 CPU (emulated where BF16 is missing).
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    monkeypatch.setattr(cpu, "features", lambda: dict(XEON, BF16=bf16))
    assert fast.choose_precision("auto") == expected
    assert fast.choose_precision("float32") == "float32"

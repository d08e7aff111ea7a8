"""What this CPU can do for scoring, in the words the README's speed figures use.

Scoring speed depends on a handful of instruction-set extensions: AVX2 (every
x86 server CPU of the last decade), AVX-512, VNNI (int8 dot products: what makes
int8 models fast), BF16 (native bfloat16 dot products) and AMX (matrix tiles).
The benchmarks print them so a figure always comes with the CPU it holds on.

The flags come from /proc/cpuinfo (Linux); elsewhere they are unknown (None).
torch's own view can be narrowed for emulation: ATEN_CPU_CAPABILITY=avx2 for
torch's own kernels (``torch_isa()`` reports what they use), ONEDNN_MAX_CPU_ISA=AVX2
for oneDNN's, and MKL_ENABLE_INSTRUCTIONS=AVX2 for MKL's, which multiplies the
float32 linear layers: without it those still run AVX-512 code, 1.5 times as fast
as AVX2 code on a Xeon (measured 2026-12-06), and an "emulated" AVX2 figure flatters.
"""

import os
import platform

# Feature name -> any /proc/cpuinfo flag that provides it.
FLAGS = {
    "AVX2": ("avx2",),
    "AVX-512": ("avx512f",),
    "VNNI": ("avx512_vnni", "avx_vnni"),
    "BF16": ("avx512_bf16", "amx_bf16"),
    "AMX": ("amx_tile",),
}


def _cpuinfo():
    """(model name, set of flags) from /proc/cpuinfo, or (platform's guess, None)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return platform.processor() or platform.machine(), None
    fields = {}
    for line in lines:
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())  # the first CPU speaks for all
    flags = set(fields.get("flags", "").split()) or None
    return fields.get("model name", platform.machine()), flags


# The variables that narrow what torch's kernels (ATen), oneDNN and MKL use, to emulate an
# ordinary CPU on one that has more: all three for an honest AVX2 figure.
EMULATION = ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS")


def features():
    """{"model": str, "cores": int, "AVX2": bool|None, ..., "AMX": bool|None}."""
    model, flags = _cpuinfo()
    found = {"model": model, "cores": os.cpu_count()}
    for name, candidates in FLAGS.items():
        found[name] = None if flags is None else any(flag in flags for flag in candidates)
    return found


def torch_isa():
    """The instruction set torch's kernels use here, e.g. 'AVX512' or 'AVX2' (emulated)."""
    import torch

    return torch.backends.cpu.get_cpu_capability()


def describe(found=None):
    """One line: 'Intel Xeon ... (2 cores): AVX2 yes, AVX-512 yes, VNNI yes, BF16 no, AMX no'."""
    found = found or features()
    marks = {True: "yes", False: "no", None: "unknown"}
    listed = ", ".join(f"{name} {marks[found[name]]}" for name in FLAGS)
    emulated = [f"{k}={os.environ[k]}" for k in EMULATION if k in os.environ]
    suffix = f" (emulating: {' '.join(emulated)})" if emulated else ""
    if emulated and found["AVX-512"] and "MKL_ENABLE_INSTRUCTIONS" not in os.environ:
        suffix += " [MKL not narrowed: float32 products still use AVX-512; add MKL_ENABLE_INSTRUCTIONS=AVX2]"
    return f"{found['model']} ({found['cores']} cores): {listed}{suffix}"

"""Where the cores went during a load run: CPU seconds per role, read from /proc.

Roles: the web processes (gunicorn and its children), the scoring workers (the embedded
default's scoring process, a child of its web process, by its command line), PostgreSQL
and Redis (by process name), and the load generator itself. Everything else on the
machine is "other". Linux only, like the rest of the benchmark.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
SERVERS = {"postgres": "postgres", "redis-server": "redis"}


def _processes():
    """{pid: (name, parent pid, CPU seconds so far)} of every process we may read."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        found[int(entry.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def cpu_by_role(roots):
    """CPU seconds so far per role. roots: {pid: role} of the processes the benchmark started."""
    processes = _processes()
    totals = {}
    for pid, (name, _, seconds) in processes.items():
        role = _role(pid, processes, roots) or SERVERS.get(name) or "other"
        totals[role] = totals.get(role, 0.0) + seconds
    return totals


def _role(pid, processes, roots):
    if pid == os.getpid():
        return "generator"
    if _is_scoring_child(pid):
        return "workers"
    while pid in processes:  # walk up to a process the benchmark started
        if pid in roots:
            return roots[pid]
        pid = processes[pid][1]
    return None


def _is_scoring_child(pid):
    try:
        return b"service.background.child" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def shares(before, after, elapsed):
    """Per role, percent of one core over the interval (roles that used under 0.5% left out)."""
    used = {role: 100 * (after.get(role, 0) - before.get(role, 0)) / elapsed for role in after}
    return {role: round(pct, 1) for role, pct in sorted(used.items(), key=lambda kv: -kv[1]) if pct >= 0.5}

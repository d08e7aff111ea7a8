"""make mutate: mutation testing of the pure core, a score per file, and the survivors.

mutmut (setup.cfg holds its settings) changes one thing at a time in the files below and runs
only the unit tests that reach the changed function; a mutant the tests do not notice
"survives". A survivor is a missing test, unless the change cannot alter behaviour: those
"equivalent" mutants are written down once, with why, in mutation/equivalent.txt and left out
of the score. The run starts from nothing each time (an old result may predate a test).

    make mutate                          # every target, MUTATE_WORKERS=2 processes
    MUTATE_ONLY=moderation/policy.py make mutate
Exits 1 when a file scores under MUTATE_FLOOR percent (90 by default).
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"
# File -> the functions mutated there; None is every function. perks.py also reads the
# database, and only its date and tier rules are pure.
TARGETS = {
    "moderation/policy.py": None,
    "moderation/words.py": None,
    "moderation/normalize.py": None,
    "service/domain/membership/perks.py": ["add_months", "period_end", "effective_end", "is_active", "highest_tier"],
    "service/domain/threads/cursors.py": None,
}
DETECTED = {"killed", "timeout", "caught by type check", "segfault"}


def module_of(path):
    return path.removesuffix(".py").replace("/", ".")


def globs(targets):
    """mutmut's mutant-name patterns for the chosen files and functions."""
    out = []
    for path in targets:
        functions = TARGETS[path]
        if functions is None:
            out.append(f"{module_of(path)}.*")
        else:
            out += [f"{module_of(path)}.x_{name}__mutmut_*" for name in functions]
    return out


def read_equivalent():
    """{mutant name: why} from equivalent.txt ('name  # why' a line, '#' lines are comments)."""
    found = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        name, _, why = line.partition("#")
        if name.strip():
            found[name.strip()] = why.strip()
    return found


def mutmut(*args):
    return subprocess.run(
        [sys.executable, "-m", "mutmut", *args], cwd=ROOT, text=True, capture_output=True, check=False
    )


def results(patterns):
    """{mutant name: status} for the mutants that match `patterns`."""
    listing = mutmut("results", "--all", "true")
    if listing.returncode:
        sys.exit(f"mutmut results failed:\n{listing.stderr}")
    found = {}
    for line in listing.stdout.splitlines():
        match = re.fullmatch(r"\s*(\S+): (.+?)\s*", line)
        if match and any(fnmatch.fnmatchcase(match[1], p) for p in patterns):
            found[match[1]] = match[2]
    return found


def file_of(name, targets):
    return next(path for path in targets if name.startswith(module_of(path) + "."))


def report(statuses, targets, equivalent, floor):
    """Print the table and the survivors; the files under the floor."""
    rows, survivors, low = defaultdict(Counter), [], []
    for name, status in sorted(statuses.items()):
        row = rows[file_of(name, targets)]
        row["total"] += 1
        if name in equivalent:
            row["equivalent"] += 1
        elif status in DETECTED:
            row["killed"] += 1
        else:
            survivors.append((name, status))
    print(f"\n{'file':32} {'killed':>7} {'of':>5} {'equiv':>6} {'score':>7}")
    for path in targets:
        row = rows[path]
        scored = row["total"] - row["equivalent"]
        score = 100.0 * row["killed"] / scored if scored else 100.0
        low += [path] if score < floor else []
        print(f"{path:32} {row['killed']:7} {scored:5} {row['equivalent']:6} {score:6.1f}%")
    for name, status in survivors:
        print(f"\n--- {status}: {name}\n{mutmut('show', name).stdout.strip()}")
    stale = [n for n in equivalent if n in statuses and statuses[n] in DETECTED]
    for name in stale:
        print(f"\nequivalent.txt lists {name}, but the tests kill it: remove the line.")
    return low


def main():
    only = [p for p in os.environ.get("MUTATE_ONLY", "").split(",") if p]
    targets = only or list(TARGETS)
    unknown = [p for p in targets if p not in TARGETS]
    if unknown:
        sys.exit(f"not a mutation target: {', '.join(unknown)} (targets: {', '.join(TARGETS)})")
    workers = os.environ.get("MUTATE_WORKERS", "2")
    floor = float(os.environ.get("MUTATE_FLOOR", "90"))
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    patterns = globs(targets)
    run = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", workers, *patterns], cwd=ROOT, check=False
    )
    if run.returncode:
        sys.exit(f"mutmut run failed ({run.returncode})")
    low = report(results(patterns), targets, read_equivalent(), floor)
    if low:
        sys.exit(f"\nunder {floor:g}% of the non-equivalent mutants killed: {', '.join(low)}")


if __name__ == "__main__":
    main()

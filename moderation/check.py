"""Dry-run the moderation policy over an archive: what would Parley have done?

    python -m moderation.check --in last_month.csv --out verdicts.jsonl
    python -m moderation.check --settings our_settings.json < comments.jsonl > verdicts.jsonl

Reads JSONL (one ``{"text": ...}`` object a line) or CSV (a column named text, body or
comment), scores every comment with the bundled model, and writes one JSON line per
comment, in input order: outcome (publish / review / hold / reject), reason, rule, the six
scores, the language and the spans a moderator would see highlighted. No Flask and no
database: the same code as the site's scoring worker (moderation.assess.judge), with the
default settings or those in ``--settings`` (the fields admins edit under Moderation →
Settings). Authors and articles are taken as neither trusted nor pre-moderated. A
progress bar and a count per outcome go to stderr.
"""

import argparse
import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

from .policy import OUTCOMES, PolicyError, policy_keys, settings_from

TEXT_COLUMNS = ("text", "body", "comment")


class InputError(ValueError):
    """The input cannot be read as comments; the message says why."""


def _text_of(record, where):
    for key in TEXT_COLUMNS:
        value = record.get(key)
        if isinstance(value, str):
            return value
    raise InputError(f"{where}: no text (expected a field named {', '.join(TEXT_COLUMNS)})")


def read_jsonl(lines):
    """Comments from JSON lines; each line is an object with a text, body or comment field."""
    texts = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise InputError(f"line {number}: expected a JSON object")
        texts.append(_text_of(record, f"line {number}"))
    return texts


def read_csv(stream):
    """Comments from a CSV file with a header naming a text, body or comment column."""
    reader = csv.DictReader(stream)
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or ()}
    column = next((columns[c] for c in TEXT_COLUMNS if c in columns), None)
    if column is None:
        found = ", ".join(reader.fieldnames or ()) or "none"
        raise InputError(f"the CSV has no text column: name one text, body or comment (found: {found})")
    return [row[column] or "" for row in reader]


def read_comments(stream, name=""):
    """JSONL or CSV: by the file's extension, else by whether it starts with '{'."""
    content = stream.read()
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json") or (suffix != ".csv" and content.lstrip().startswith("{")):
        return read_jsonl(content.splitlines())
    return read_csv(io.StringIO(content, newline=""))


def load_settings(path):
    """Policy settings from a JSON file of the fields admins edit; defaults without one."""
    if path is None:
        return settings_from({})
    try:
        values = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read settings ({exc})") from None
    if not isinstance(values, dict):
        raise InputError(f"{path}: settings must be a JSON object")
    ignored = sorted(set(values) - set(policy_keys(values)))
    if ignored:  # the site's other settings (report_hide_threshold, ...) do not change a verdict
        print(f"moderation.check: not policy settings, ignored: {', '.join(ignored)}", file=sys.stderr)
    try:
        return settings_from(values)
    except PolicyError as exc:
        raise InputError(f"{path}: {exc}") from None


def verdicts(texts, settings, scorer, progress=None):
    """One output record per text, in order; scored in the scorer's batches."""
    from .assess import judge_many
    from .explain import explain_many
    from .policy import Article, Author

    records = []
    for start in range(0, len(texts), scorer.batch_size):
        batch = texts[start : start + scorer.batch_size]
        scored = scorer.score(batch)
        cases = [(text, scores, Author(), Article()) for text, scores in zip(batch, scored)]
        judged = judge_many(cases, settings, explain_many=lambda wanted: explain_many(wanted, scorer))
        records.extend(_record(text, scores, verdict) for text, scores, verdict in zip(batch, scored, judged))
        if progress is not None:
            progress.update(len(batch))
    return records


def _record(text, scores, verdict):
    decision = verdict.decision
    return {
        "text": text,
        "outcome": decision.outcome,
        "reason": decision.reason,
        "rule": decision.rule,
        "scores": {name: round(value, 4) for name, value in scores.items()},
        "language": verdict.language.code,
        "spans": verdict.spans or [],
    }


def summary(records):
    counts = Counter(r["outcome"] for r in records)
    total = len(records) or 1
    return "\n".join(f"{outcome:<8}{counts[outcome]:>8}  {100 * counts[outcome] / total:5.1f}%" for outcome in OUTCOMES)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m moderation.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--in", dest="source", help="JSONL or CSV of comments (default: stdin)")
    parser.add_argument("--out", help="where to write the JSONL verdicts (default: stdout)")
    parser.add_argument("--settings", help="JSON of moderation settings (default: the site defaults)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.settings)
        texts = _read(args.source)
    except (InputError, OSError, UnicodeDecodeError) as exc:
        print(f"moderation.check: {exc}", file=sys.stderr)
        return 2
    from tqdm import tqdm

    from .scorer import get_scorer

    scorer = get_scorer()
    with tqdm(total=len(texts), unit="comment", file=sys.stderr) as progress:
        records = verdicts(texts, settings, scorer, progress)
    _write(args.out, records)
    print(summary(records), file=sys.stderr)
    return 0


def _read(source):
    if source:
        with open(source, encoding="utf-8", newline="") as stream:
            return read_comments(stream, source)
    if not hasattr(sys.stdin, "buffer"):
        return read_comments(sys.stdin)
    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="")
    try:
        return read_comments(stream)
    finally:
        stream.detach()  # leave sys.stdin open


def _write(path, records):
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if path:
        Path(path).write_text(lines, encoding="utf-8")
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(lines.encode("utf-8"))  # UTF-8 whatever the locale says
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(lines)


if __name__ == "__main__":
    sys.exit(main())

"""python -m moderation.check: the policy dry-run over an archive decides as the site does."""

import json

from sqlalchemy import select

from moderation.check import main
from service.domain.moderation.statuses import OUTCOME_STATUS
from service.extensions import db
from service.models import Comment, ScoringDecision

COMMENTS = [
    "Thanks for the balanced article, I learned a lot about the Beijing talks.",
    "You are a worthless idiot and everyone hates you, shut up you pathetic moron.",
    "Vielen Dank für diesen ausgezeichneten Artikel über den Stadtrat, sehr gut recherchiert.",
    "Du bist ein verdammter Idiot und solltest endlich die Klappe halten.",
    "你是个白痴，闭嘴吧，没人想听你说话。",
    "What a bunch of sh1t, you 1d10t.",
    "I disagree with the author about tariffs, but the numbers were well explained.",
]


def run(tmp_path, capsys, source, *extra):
    out = tmp_path / "out.jsonl"
    code = main(["--in", str(source), "--out", str(out), *extra])
    err = capsys.readouterr().err
    return code, ([json.loads(line) for line in out.read_text().splitlines()] if code == 0 else []), err


def test_jsonl_round_trip_in_order(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": t, "id": i}) + "\n" for i, t in enumerate(COMMENTS)))
    code, records, err = run(tmp_path, capsys, source)
    assert code == 0
    assert [r["text"] for r in records] == COMMENTS
    for record in records:
        assert record["outcome"] in ("publish", "review", "hold", "reject") and record["reason"] and record["rule"]
        assert set(record["scores"]) == set("toxicity severe_toxicity obscene threat insult identity_attack".split())
        assert isinstance(record["spans"], list) and record["language"]
    assert records[0]["outcome"] == "publish" and records[1]["outcome"] == "hold"
    assert records[2]["rule"] == "language" and "German" in records[2]["reason"]
    assert "publish" in err and "hold" in err  # the summary per outcome


def test_csv_round_trip_in_order_with_a_body_column(tmp_path, capsys):
    import csv

    source = tmp_path / "in.csv"
    with source.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "Body"])
        writer.writerows([[i, t] for i, t in enumerate(COMMENTS[:3])])
    code, records, _ = run(tmp_path, capsys, source)
    assert code == 0 and [r["text"] for r in records] == COMMENTS[:3]


def test_a_csv_without_a_text_column_is_refused(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("id,author\n1,ann\n")
    code, _, err = run(tmp_path, capsys, source)
    assert code == 2
    assert "no text column" in err and "text, body or comment" in err and "id, author" in err


def test_settings_file_is_read_like_the_settings_page(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": COMMENTS[0]}) + "\n" + json.dumps({"text": COMMENTS[2]}) + "\n")
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps({"banned_words": "Beijing\n", "language_action": "hold", "report_hide_threshold": 3})
    )
    code, records, err = run(tmp_path, capsys, source, "--settings", str(settings))
    assert code == 0
    assert records[0]["rule"] == "banned_word" and records[1]["outcome"] == "hold"
    start = COMMENTS[0].casefold().index("beijing")  # the matched word is marked, as on the moderator's card
    assert records[0]["spans"][0] == {
        "start": start,
        "end": start + 7,
        "text": COMMENTS[0][start : start + 7],
        "weight": 1.0,
        "rule": "banned_word",
    }
    assert "ignored: report_hide_threshold" in err
    settings.write_text(json.dumps({"language_action": "delete"}))
    code, _, err = run(tmp_path, capsys, source, "--settings", str(settings))
    assert code == 2 and "language_action" in err


def test_outcomes_equal_the_services(tmp_path, capsys, ann_on_article, worker, app):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in COMMENTS))
    code, records, _ = run(tmp_path, capsys, source)
    assert code == 0
    ids = []
    for text in COMMENTS:
        response = ann_on_article.post("/api/v1/articles/test-article/comments", {"body": text})
        assert response.status_code == 201
        ids.append(response.get_json()["comment"]["id"])
    worker.drain()
    with app.app_context():
        for comment_id, record in zip(ids, records):
            comment = db.session.get(Comment, comment_id)
            decision = db.session.scalars(select(ScoringDecision).where(ScoringDecision.comment_id == comment_id)).one()
            assert comment.status == OUTCOME_STATUS[record["outcome"]], record["text"]
            assert (decision.rule, decision.reason, decision.language) == (
                record["rule"],
                record["reason"],
                record["language"],
            )

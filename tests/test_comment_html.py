"""A thread's text boxes built in Python: the limit in words, a refused draft kept and said."""

from service.articles.comment_html import comment_text_html


def test_a_text_box_says_the_limit_and_keeps_a_refused_draft_escaped_with_its_reason(app):
    with app.app_context():
        limit = app.config["COMMENT_MAX_LENGTH"]
        plain = str(comment_text_html("reply-7", "Reply to <ann>"))
        refused = str(comment_text_html("edit-7", "Edit", "</textarea><script>x</script>", "Too long & rude"))
    assert '<label for="reply-7">Reply to &lt;ann&gt;</label>' in plain
    assert f'data-max-length="{limit}"' in plain and f"up to {limit:,} characters" in plain
    assert 'aria-describedby="reply-7-hint"' in plain and "aria-invalid" not in plain and "form-error" not in plain
    assert "<script>" not in refused and "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>" in refused
    assert '<p class="error form-error" id="edit-7-error" role="alert">Too long &amp; rude</p>' in refused
    assert 'aria-describedby="edit-7-error edit-7-hint" aria-invalid="true" autofocus' in refused


def test_a_comment_form_asked_for_by_the_query_is_written_in_and_others_stay_folded(app, ann_on_article, make_user):
    """Without the page's script, ?reply=ID or ?report=ID writes that comment's form in (open);
    every other comment's Reply and Report stays a folded link; nonsense asks for nothing."""
    from service.extensions import db
    from service.models import Comment

    from .conftest import Api

    ids = [
        ann_on_article.post("/api/v1/articles/test-article/comments", {"body": body}).get_json()["comment"]["id"]
        for body in ("first words", "second words")
    ]
    with app.app_context():
        for cid in ids:
            db.session.get(Comment, cid).status = "published"
        db.session.commit()
    make_user("bob")
    bob = Api(app.test_client())
    bob.login("bob")

    def page(query=""):
        return bob.get(f"/articles/test-article{query}").get_data(as_text=True)

    folded = page()
    assert folded.count('<template id="reply-form">') == 1 and 'id="reply-__ID__"' in folded
    for cid in ids:
        assert f'href="/articles/test-article?reply={cid}#reply-{cid}">Write a reply</a>' in folded
        assert f'id="reply-{cid}"' not in folded and f'id="report-reason-{cid}"' not in folded

    asked = page(f"?sort=oldest&reply={ids[1]}")
    assert '<details class="reply" open><summary>Reply</summary><form' in asked
    assert f'<input type="hidden" name="parent_id" value="{ids[1]}">' in asked
    assert f'<label for="reply-{ids[1]}">Reply to ann</label>' in asked
    assert '<input type="hidden" name="sort" value="oldest">' in asked  # the page a refusal returns to
    assert f'id="reply-{ids[0]}"' not in asked
    # The links of this page keep its order.
    assert f'href="/articles/test-article?sort=oldest&amp;report={ids[0]}#report-reason-{ids[0]}"' in asked

    reported = page(f"?report={ids[0]}")
    assert f'<select id="report-reason-{ids[0]}" name="reason" required>' in reported
    assert f'action="/comments/{ids[0]}/report"' in reported

    for nonsense in ("?reply=abc", "?reply=99999999999999999999", "?report=-1", "?reply=%C2%B2"):
        assert page(nonsense).count('<details class="reply" open>') == 0


def test_a_signed_out_page_holds_no_comment_forms(app, ann_on_article):
    ann_on_article.post("/api/v1/articles/test-article/comments", {"body": "hello"})
    page = app.test_client().get("/articles/test-article?reply=1").get_data(as_text=True)
    assert "<template" not in page and '<form method="post" action="/articles/test-article/comments"' not in page

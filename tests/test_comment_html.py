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

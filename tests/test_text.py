from service.text import render_body


def test_paragraphs_and_line_breaks():
    assert render_body("one\ntwo\n\nthree") == "<p>one<br>two</p>\n<p>three</p>"


def test_links_are_clickable_with_safe_rel_and_trailing_punctuation_left_out():
    html = render_body("See https://example.com/a?b=1&c=2.")
    assert html == (
        '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">'
        "https://example.com/a?b=1&amp;c=2</a>.</p>"
    )


def test_only_http_links_and_everything_escaped():
    html = render_body('javascript:alert(1) <b>bold</b> "q"')
    assert "<a" not in html and "&lt;b&gt;" in html and "&#34;q&#34;" in html


def test_url_cannot_break_out_of_the_attribute():
    html = render_body('http://x.example/"onmouseover="alert(1)')
    assert 'href="http://x.example/"' in html
    assert '"onmouseover' not in html

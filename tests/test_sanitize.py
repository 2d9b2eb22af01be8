import pytest

from articles.sanitize import sanitize_html


@pytest.mark.parametrize(
    "dirty",
    [
        "<p>Hi</p><script>alert(1)</script>",
        '<p onclick="alert(1)">Hi</p>',
        '<img src="x.jpg" onerror="alert(1)" alt="">',
        '<a href="javascript:alert(1)">Hi</a>',
        '<a href="JaVaScRiPt:alert(1)">Hi</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">Hi</a>',
        '<iframe src="https://evil.example/"></iframe>',
        "<style>body{display:none}</style><p>Hi</p>",
        '<p style="position:fixed">Hi</p>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_dangerous_markup_never_survives(dirty):
    clean = sanitize_html(dirty).lower()
    for needle in (
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "data:",
        "<iframe",
        "<style",
        "style=",
        "<svg",
    ):
        assert needle not in clean


def test_news_markup_is_kept():
    html = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4><p>A <strong>bold</strong> and <em>em</em> "
        '<a href="https://example.org/a">link</a>.</p><ul><li>one</li></ul><ol><li>two</li></ol>'
        "<blockquote><p>Quote</p></blockquote>"
        '<figure data-image="12"><figcaption>Cap</figcaption></figure>'
    )
    clean = sanitize_html(html)
    for fragment in (
        "<h2>Heading</h2>",
        "<h3>Sub</h3>",
        "<h4>Minor</h4>",
        "<strong>bold</strong>",
        "<em>em</em>",
        '<a href="https://example.org/a" rel="noopener noreferrer">link</a>',
        "<ul><li>one</li></ul>",
        "<ol><li>two</li></ol>",
        "<blockquote><p>Quote</p></blockquote>",
        '<figure data-image="12"><figcaption>Cap</figcaption></figure>',
    ):
        assert fragment in clean


def test_h1_is_demoted_to_text_because_the_page_owns_the_h1():
    assert sanitize_html("<h1>Big</h1>") == "Big"


def test_control_characters_are_removed():
    assert sanitize_html("<p>a\x00b\x07c\x1bd</p>") == "<p>abcd</p>"


def test_empty_body_stays_empty():
    assert sanitize_html("") == ""


def test_images_are_never_kept_photos_are_library_figures():
    assert sanitize_html('<p>a<img src="https://example.org/p.jpg" alt="A">b</p>') == "<p>ab</p>"

"""The stored body (Contract A): normalised on every write, and what that removes is named."""

import pytest
from django.conf import settings

from articles.body import normalise, photo_ids, removals
from articles.models import Article
from articles.models.images import body_photo_library

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YOUTUBE_FIGURE = f'<figure data-embed="{YOUTUBE}"><a href="{YOUTUBE}">{YOUTUBE}</a></figure>'


def clean(value):
    return normalise(value, body_photo_library)


def labels(value):
    return [(str(r), r.visible) for r in removals(value, body_photo_library)]


def test_plain_text_with_blank_lines_becomes_paragraphs():
    assert normalise("First line\nsame paragraph\n\nSecond") == (
        "<p>First line<br>\nsame paragraph</p>\n<p>Second</p>"
    )


def test_inline_text_alone_becomes_a_paragraph():
    assert normalise("Hello <strong>world</strong>") == "<p>Hello <strong>world</strong></p>"


@pytest.mark.parametrize(
    "value",
    [
        f"<p>{YOUTUBE}</p>",
        f'<p><a href="{YOUTUBE}">{YOUTUBE}</a></p>',
        f"Intro\n\n{YOUTUBE}\n\nOutro",
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=x" '
        'frameborder="0" allow="autoplay" allowfullscreen></iframe>',
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
        '<figure data-embed="https://youtu.be/dQw4w9WgXcQ"><a href="x">whatever</a></figure>',
    ],
)
def test_youtube_urls_and_embed_code_become_the_canonical_figure(value):
    assert YOUTUBE_FIGURE in normalise(value)
    assert "<iframe" not in normalise(value)


def test_vimeo_player_iframe_becomes_the_canonical_figure():
    stored = normalise(
        '<p>Look:</p><iframe src="https://player.vimeo.com/video/76979871?h=a"></iframe>'
    )
    url = "https://vimeo.com/76979871"
    assert stored == f'<p>Look:</p>\n<figure data-embed="{url}"><a href="{url}">{url}</a></figure>'


def test_normalising_twice_changes_nothing():
    value = (
        "Text\n\n<h2>Head</h2><ul><li>a</li></ul><pre>a\n\nb</pre>"
        f'<iframe src="https://player.vimeo.com/video/1"></iframe><p>{YOUTUBE}</p>'
        '<figure data-image="3"><figcaption>Cap</figcaption></figure>tail'
    )
    once = normalise(value)
    assert normalise(once) == once


def test_existing_markup_is_kept():
    value = (
        '<h2>H</h2>\n<p>A <a href="https://example.org/" rel="noopener noreferrer">link</a>, '
        "<em>em</em>.</p>\n<blockquote>\n<p>Q</p>\n</blockquote>\n<figure>\n"
        "<figcaption>Chart</figcaption>\n</figure>"
    )
    assert normalise(value) == value


@pytest.mark.django_db
def test_library_image_becomes_a_photo_figure_keeping_its_caption(image_factory):
    photo = image_factory(renditions=True)
    rendition = photo.rendition_url(640)
    # Where the original was served before originals moved out of MEDIA_ROOT (0017).
    legacy = settings.MEDIA_URL + photo.file.name
    stored = clean(
        f'<figure><img src="{legacy}" alt="x"><figcaption>Here</figcaption></figure>'
        f'<p>Text <img src="http://testserver{rendition}"> more</p>'
    )
    assert stored == (
        f'<figure data-image="{photo.pk}"><figcaption>Here</figcaption></figure>\n'
        f'<p>Text </p>\n<figure data-image="{photo.pk}"></figure>\n<p>more</p>'
    )
    assert labels(f'<img src="{legacy}">') == []


@pytest.mark.django_db
def test_outside_and_data_images_are_not_stored_and_are_named(image_factory):
    photo = image_factory()
    value = (
        '<p>a<img src="https://example.org/x.jpg">b</p><img src="data:image/png;base64,AAAA">'
        f'<img src="https://elsewhere.example{photo.file.url}">'
    )
    assert clean(value) == "<p>ab</p>"
    assert labels(value) == [
        ("an image from example.org (not in the photo library)", True),
        ("an image pasted as data (not in the photo library)", True),
        ("an image from elsewhere.example (not in the photo library)", True),
    ]


@pytest.mark.django_db
def test_unknown_photo_figure_is_removed_and_named(image_factory):
    photo = image_factory()
    value = f'<figure data-image="999999"></figure><figure data-image="{photo.pk}"></figure>'
    assert clean(value) == f'<figure data-image="{photo.pk}"></figure>'
    assert labels(value) == [("an unknown photo #999999", False)]


def test_code_and_formatting_are_named_as_such():
    value = (
        '<p style="color:red" onclick="x()">Hi</p><p style="margin:0">x</p><script>x()</script>'
        '<style>p{}</style><span class="MsoNormal">t</span><a href="javascript:x()">y</a><!-- c -->'
    )
    assert labels(value) == [
        ("a script", False),
        ("a style sheet", False),
        ("style attributes (2)", False),
        ("an event handler", False),
        ("a “class” attribute", False),
        ("an unsafe link", False),
        ("a <span> tag (its text is kept)", False),
        ("an HTML comment", False),
    ]


def test_visible_content_is_named_first():
    value = (
        '<p>x</p><iframe src="https://example.com/widget"></iframe><video src="v.mp4"></video>'
        '<object data="x.swf"></object><figure data-embed="https://example.net/v/1"></figure>'
    )
    assert labels(value) == [
        ("an iframe from example.com", True),
        ("a video from example.net (only YouTube and Vimeo are embedded)", True),
        ("a <object> element", True),
        ("a <video> element", True),
    ]
    assert normalise(value) == "<p>x</p>"


def test_the_editors_own_output_reports_nothing():
    value = (
        '<p>A <a href="https://example.org/" target="_blank" rel="noopener nofollow">link</a></p>'
        f'{YOUTUBE_FIGURE}<figure data-image="4"><figcaption>Cap</figcaption></figure>'
    )
    assert removals(value) == []


def test_photo_ids_in_order_once():
    body = '<figure data-image="3"></figure><figure data-image="1"></figure><figure data-image="3">'
    assert photo_ids(body) == [3, 1]


@pytest.mark.django_db
def test_every_write_path_stores_the_normalised_body(article_factory):
    story = article_factory(body="One\n\nTwo")
    assert story.body == "<p>One</p>\n<p>Two</p>"
    Article.objects.filter(pk=story.pk).update(body="x\n\ny")
    assert Article.objects.get(pk=story.pk).body == "<p>x</p>\n<p>y</p>"
    story.body = '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    story.save()
    assert Article.objects.get(pk=story.pk).body == YOUTUBE_FIGURE
    bulk = Article(headline="Bulk", slug="bulk", section=story.section, body="A\n\nB")
    Article.objects.bulk_create([bulk])
    assert Article.objects.get(slug="bulk").body == "<p>A</p>\n<p>B</p>"

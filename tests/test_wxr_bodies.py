"""What an imported body becomes: inline photos placed, missing ones marked, valid headings."""

from __future__ import annotations

import pytest

from articles.models import Article, Image
from tests.wxr_exports import VERSIONS, attachment, export, post, run

pytestmark = pytest.mark.django_db

UPLOADS = "https://example.com/wp-content/uploads"


@pytest.mark.parametrize("version", VERSIONS)
def test_inline_image_of_an_imported_attachment_becomes_its_photo(write, media, version, client):
    content = (
        "Before.\n\n"
        f'<a href="{UPLOADS}/2024/03/photo.jpg"><img class="size-medium wp-image-10" '
        f'src="{UPLOADS}/2024/03/photo-300x200.jpg" alt="The quay" /></a>\n\nAfter.'
    )
    item = attachment(10, caption="Crowds.")
    meta = 'a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:8:"Ann Lens";}}'
    item = item.replace(
        "</item>",
        "<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{meta}]]></wp:meta_value></wp:postmeta></item>",
    )
    run(write(export(post(content=content), item, version=version)), "--media-dir", str(media))
    image = Image.objects.get()
    article = Article.objects.get()
    assert article.body == (
        f'<p>Before.</p>\n<figure data-image="{image.pk}"></figure>\n<p>After.</p>'
    )
    assert (image.credit, image.caption, image.alt_text) == ("Ann Lens", "Crowds.", "The quay")
    assert article.body_photos.get().image == image
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "example.com/wp-content" not in page.text


@pytest.mark.parametrize("version", VERSIONS)
def test_image_whose_file_is_missing_leaves_a_placeholder_and_is_reported(write, version, client):
    content = f'Text.\n\n<img src="{UPLOADS}/2024/03/photo.jpg" alt="Quay">\n\nMore.'
    path = write(export(post(content=content), attachment(10), version=version))
    out, _err = run(path)
    article = Article.objects.get()
    assert article.body == (
        "<p>Text.</p>\n<figure>\n<figcaption>Photo missing from the import: photo.jpg"
        "</figcaption>\n</figure>\n<p>More.</p>"
    )
    assert (
        "post 1 “Hello”: 1 photo not imported, a placeholder stands in: "
        f"{UPLOADS}/2024/03/photo.jpg"
    ) in out
    page = client.get(article.get_absolute_url())
    assert "Photo missing from the import" in page.text
    assert "example.com/wp-content" not in page.text


@pytest.mark.parametrize("version", VERSIONS)
def test_captioned_image_without_its_file_keeps_the_caption_beside_the_notice(write, version):
    content = (
        '[caption id="attachment_10" width="300"]'
        f'<img src="{UPLOADS}/2024/03/photo.jpg" alt="Quay" /> Crowds at the quay.[/caption]'
    )
    run(write(export(post(content=content), attachment(10), version=version)))
    assert Article.objects.get().body == (
        "<figure>\n<figcaption>Photo missing from the import: photo.jpg. Crowds at the quay."
        "</figcaption>\n</figure>"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_headings_start_at_h2_in_order(write, version):
    content = "<h3>One</h3>\n\nText.\n\n<h5>Two</h5>\n\n<h6>Three</h6>\n\n<h3>Four</h3>"
    run(write(export(post(content=content), version=version)))
    assert Article.objects.get().body == (
        "<h2>One</h2>\n<p>Text.</p>\n<h3>Two</h3>\n<h4>Three</h4>\n<h2>Four</h2>"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_link_without_href_loses_its_link_attributes(write, version, client):
    content = (
        '<a name="top" target="_blank" rel="nofollow">Top</a> and '
        '<a href="https://example.org/" target="_blank">a link</a>.'
    )
    run(write(export(post(content=content), version=version)))
    article = Article.objects.get()
    assert article.body == (
        '<p>Top and <a href="https://example.org/" rel="noopener noreferrer">a link</a>.</p>'
    )
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("version", VERSIONS)
def test_old_caption_list_becomes_the_photo_figure_with_its_caption(write, media, version):
    content = (
        '<dl id="attachment_10" class="wp-caption aligncenter" style="width: 310px">'
        f'<dt class="wp-caption-dt"><img class="wp-image-10" src="{UPLOADS}/2024/03/photo.jpg" '
        'alt="Quay" /></dt><dd class="wp-caption-dd">Crowds at the quay.</dd></dl>\n\nAfter.'
    )
    path = write(export(post(content=content), attachment(10), version=version))
    run(path, "--media-dir", str(media))
    image = Image.objects.get()
    assert Article.objects.get().body == (
        f'<figure data-image="{image.pk}"><figcaption>Crowds at the quay.</figcaption></figure>\n'
        "<p>After.</p>"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_old_caption_list_without_its_file_keeps_the_caption_beside_the_notice(write, version):
    content = (
        f'<dl class="wp-caption"><dt class="wp-caption-dt"><img src="{UPLOADS}/2024/03/photo.jpg"'
        ' alt="" /></dt><dd class="wp-caption-dd">Crowds.</dd></dl>'
    )
    run(write(export(post(content=content), attachment(10), version=version)))
    assert Article.objects.get().body == (
        "<figure>\n<figcaption>Photo missing from the import: photo.jpg. Crowds.</figcaption>\n"
        "</figure>"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_empty_caption_list_is_dropped_not_left_invalid(write, version, client):
    # The theme unit test's "Post Format: Image": a <dl> holding one empty <dt>, no <dd>.
    content = (
        '<dl id="attachment_612" class="wp-caption aligncenter" style="width:650px;">'
        '<dt class="wp-caption-dt"></dt></dl>Text.\n\n<dl><dt>Term</dt><dd>Meaning</dd></dl>'
    )
    run(write(export(post(content=content), version=version)))
    article = Article.objects.get()
    assert article.body == "<p>Text.</p>\n<dl>\n<dt>Term</dt>\n<dd>Meaning</dd>\n</dl>"
    assert "<dt></dt>" not in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize("version", VERSIONS)
def test_empty_table_headers_become_plain_cells(write, version, client):
    # The theme unit test's "Markup: HTML Tags and Formatting": a blank third column header.
    content = (
        "<table><thead><tr><th>Employee</th><th>Salary</th><th> </th></tr></thead>"
        "<tbody><tr><th>John Doe</th><td>$1</td><td>Enough.</td></tr></tbody></table>"
    )
    run(write(export(post(content=content), version=version)))
    article = Article.objects.get()
    assert "<th>Employee</th>" in article.body and "<th>John Doe</th>" in article.body
    assert "<th></th>" not in article.body and "<th> </th>" not in article.body
    assert article.body.count("<td") == 3
    assert "<th></th>" not in client.get(article.get_absolute_url()).text

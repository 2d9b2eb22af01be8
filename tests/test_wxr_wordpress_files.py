"""Each export of WordPress's own importer tests, imported as WordPress's tests expect.

The files and the PHPUnit tests stating what WordPress makes of them are in
``../shared/standards/wordpress/importer-tests`` (see SOURCES.md there); where
a concept does not exist in Newsroom (comments, menus, pages until they are
imported), the report counts what was left out. Skipped without the folder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Author, Image, Section, Status, Tag
from tests.conftest import jpeg_bytes
from tests.standards import require_standards
from tests.wxr_exports import run, run_failing

pytestmark = pytest.mark.django_db


@pytest.fixture
def wp_file():
    folder = require_standards() / "wordpress" / "importer-tests"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: WordPress's importer test exports are not shared here")
    return lambda name: folder / name


def story(headline: str) -> Article:
    return Article.objects.get(headline=headline)


def byline(article: Article) -> list[str]:
    return [a.name for a in article.authors.all()]


def tags(article: Article) -> list[str]:
    return sorted(t.name for t in article.tags.all())


def test_small_export(wp_file, client):
    out, _err = run(wp_file("small-export.xml"))
    # WordPress: 3 users, 5 published posts and 1 private one, 5 pages, 1 comment.
    assert sorted(Author.objects.values_list("name", flat=True)) == ["admin", "author", "editor"]
    assert Article.objects.count() == 6
    assert Article.objects.published().count() == 5
    assert story("Private Post").status == Status.DRAFT
    assert tags(story("Private Post")) == ["Tag1", "Tag2", "Tag3"]
    assert byline(story("Foo-child")) == ["editor"]
    assert byline(story("Hello world!")) == ["author"]
    assert byline(story("Many Categories")) == ["admin"]
    # 27 categories: the first is the section, the other 26 are tags.
    many = story("Many Categories")
    assert len(tags(many)) + 1 == 27
    # Foo and Foo under Bar are two categories: two sections.
    assert story("Top-level Foo").section.slug == "foo"
    assert (story("Foo-child").section.slug, story("Foo-child").section.name) == (
        "foo-bar",
        "Foo (Bar)",
    )
    assert "left out:            1 comment, 5 page" in out
    assert story("Hello world!").slug == "hello-world"
    assert client.get(story("Hello world!").get_absolute_url()).status_code == 200


def test_small_export_twice_changes_nothing(wp_file):
    run(wp_file("small-export.xml"))
    out, _err = run(wp_file("small-export.xml"))
    assert "Nothing changed" in out
    assert Author.objects.count() == 3 and Article.objects.count() == 6


def test_valid_wxr_1_0(wp_file):
    out, _err = run(wp_file("valid-wxr-1.0.xml"))
    # No author list: admin, the posts' creator, is the author.
    assert list(Author.objects.values_list("name", flat=True)) == ["admin"]
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Alpha post",
        "Child post",
        "Hello world!",
    ]
    assert all(byline(a) == ["admin"] for a in Article.objects.all())
    assert story("Hello world!").section.name == "Uncategorized"
    alpha = story("Alpha post")
    assert (alpha.section.slug, tags(alpha)) == ("alpha", ["news", "roar"])
    child = story("Child post")
    assert (child.section.slug, tags(child)) == ("child", ["chicken", "face"])
    assert "unknown author" not in out
    assert "left out:            1 comment, 3 page" in out


def test_valid_wxr_1_1(wp_file):
    out, _err = run(wp_file("valid-wxr-1.1.xml"))
    article = Article.objects.get()
    assert article.headline == "Hello world!"
    assert byline(article) == ["John Doe"]
    assert (article.section.slug, tags(article)) == ("alpha", ["Clippable"])
    assert "left out:            1 comment, 1 page" in out


def test_wxr_simple(wp_file):
    run(wp_file("wxr-simple.xml"))
    article = Article.objects.get()
    assert article.headline == '"The Road Not Taken" by Robert Frost'
    assert byline(article) == ["admin"]
    assert article.published_at == datetime(2024, 6, 5, 16, 4, 48, tzinfo=UTC)


def test_wxr_utf_8_challenges(wp_file):
    run(wp_file("wxr-utf-8-challenges.xml"))
    article = Article.objects.get()
    assert (
        article.headline
        == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    )
    assert "𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄" in article.body
    assert "السلام عليكم وﷲ" in article.body


def test_slashes_are_kept(wp_file):
    out, _err = run(wp_file("slashes.xml"))
    article = Article.objects.get()
    assert article.section.name == 'a \\"great\\" category'
    assert 'Slashes aren\\\'t \\"cool\\"' in article.body.replace("&quot;", '"')
    assert "1 comment" in out


@pytest.mark.parametrize(
    ("name", "title", "text"),
    [
        ("backslashes.xml", "Paths", "C:\\xampp\\htdocs"),
        ("blank-lines.xml", "Post with blanks", ""),
        ("missing-tags.xml", "No Author Post", "text"),
    ],
)
def test_posts_without_a_date_are_dated_at_import(wp_file, name, title, text):
    out, _err = run(wp_file(name))
    article = story(title)
    assert abs(article.published_at - timezone.now()) < timedelta(minutes=1)
    assert text in article.body
    assert "no date; dated at import" in out


def test_blank_lines_make_paragraphs(wp_file):
    run(wp_file("blank-lines.xml"))
    assert story("Post with blanks").body.count("<p>") >= 2


def test_crazy_cdata_escaped(wp_file):
    run(wp_file("crazy-cdata-escaped.xml"))
    # WordPress reads "Content with nested <![CDATA[ tags ]]> :)", whose middle a
    # browser takes for a comment and hides; the body keeps what readers saw.
    assert story("Hello world!").body == "<p>Content with nested  :)</p>"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        # Only WordPress's regex parser reads an unescaped "]]>"; its XML parsers refuse it.
        ("crazy-cdata.xml", "line 18: the XML is malformed or cut short"),
        ("malformed.xml", "line 36: unknown WXR version (“abc”)"),
        ("invalid-version-tag.xml", "line 36: unknown WXR version (“abc”)"),
    ],
)
def test_files_wordpress_refuses_are_refused_on_one_line(wp_file, name, problem):
    _out, _err, message = run_failing(wp_file(name))
    assert message.startswith(f"Refused: {problem}")
    assert "\n" not in message
    assert not Article.objects.exists()


def test_large_authors(wp_file):
    out, _err = run(wp_file("large-authors.xml"))
    assert Author.objects.count() == 300
    assert "authors:             300 created" in out


def test_term_formats_has_no_posts(wp_file):
    out, _err = run(wp_file("term-formats.xml"))
    assert not Article.objects.exists()
    assert not Section.objects.exists() and not Tag.objects.exists()  # no story uses them
    assert "Nothing changed" in out


@pytest.mark.parametrize(
    "name", ["wxr-flat-attachment-same-site.xml", "wxr-flat-attachment-different-site.xml"]
)
def test_flat_attachment_urls_are_rewritten_to_the_library_photo(wp_file, tmp_path, name, client):
    media = tmp_path / "uploads"
    (media / "2008/06").mkdir(parents=True)
    (media / "2008/06/canola2.jpg").write_bytes(jpeg_bytes())
    run(wp_file(name), "--media-dir", str(media))
    image = Image.objects.get()
    article = Article.objects.get()
    assert article.headline == "Post with Attachment"
    assert f'<figure data-image="{image.pk}"></figure>' in article.body
    assert "files.wordpress.com" not in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize(
    "name", ["wxr-flat-attachment-same-site.xml", "wxr-flat-attachment-different-site.xml"]
)
def test_flat_attachment_without_its_file_is_a_placeholder(wp_file, name):
    out, _err = run(wp_file(name))
    assert "Photo missing from the import: canola2.jpg" in Article.objects.get().body
    assert "1 photo not imported" in out


def test_a11y_unit_test_data(wp_file, client):
    out, _err = run(wp_file("a11y-unit-test-data.xml"))
    assert "items read:          154" in out
    assert "Accessibility Tester" in Author.objects.values_list("name", flat=True)
    markup = story("Markup: HTML Tags and Formatting")
    assert byline(markup) == ["Accessibility Tester"]
    assert markup.published_at == datetime(2013, 1, 12, 3, 22, 19, tzinfo=UTC)
    assert "nav_menu_item" in out
    response = client.get(markup.get_absolute_url())
    assert response.status_code == 200
    assert "<h1" not in markup.body

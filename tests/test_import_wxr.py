"""The ``import_wxr`` command: the real theme-test export, then one small export per rule."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from articles.importers import wxr as wxr_module
from articles.models import Article, Author, Image, Section, Status, Tag, WordPressOrigin
from tests.conftest import jpeg_bytes
from tests.wxr_exports import REAL_EXPORT, attachment, author, export, post

pytestmark = pytest.mark.django_db(transaction=False)


def run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_wxr", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_wxr", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)


# -- the real WordPress theme unit-test export ----------------------------------


@pytest.fixture
def real_import(db):
    return run(REAL_EXPORT)


def test_real_export_report_counts(real_import):
    out, _err = real_import
    assert "items read:          186" in out
    assert "articles:            58 created" in out
    assert "photos:              37 files missing" in out
    assert "authors:             2 created" in out
    assert "sections created:    5" in out
    assert "tags created:        123" in out
    assert "redirects:           115" in out
    assert "figures from [caption]: 7; embeds kept: 8" in out
    assert "shortcodes dropped:  1 audio, 12 gallery" in out
    # Without --media-dir no photo is in the library: the posts' images are placeholders.
    assert "not converted:       a <audio> element × 2, a <video> element × 7\n" in out
    assert "left out:            33 comment, 70 nav_menu_item, 21 page" in out
    assert "missing media:       37" in out
    assert "imported with notes: 10" in out  # the stories whose photos are placeholders
    assert "unknown author" not in out  # post 1730's “>themereviewteam” is matched


def test_real_export_database_counts(real_import):
    assert Article.objects.count() == 58
    assert Article.objects.published().count() == 55
    assert Author.objects.count() == 2
    assert Section.objects.count() == 5
    assert Tag.objects.count() == 123
    assert Image.objects.count() == 0  # no --media-dir: every file is listed as missing
    assert WordPressOrigin.objects.filter(kind="attachment", image=None).count() == 37


def test_real_export_second_run_is_a_no_op(real_import):
    before = list(Article.objects.order_by("pk").values_list("pk", "updated_at", "body"))
    out, _err = run(REAL_EXPORT)
    assert "articles:            58 unchanged" in out
    assert "photos:              37 unchanged" in out
    assert "authors:             2 unchanged" in out
    assert "sections created:    0" in out and "tags created:        0" in out
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at", "body")) == before


def test_real_export_caption_becomes_figure_with_caption(real_import):
    article = Article.objects.get(slug="post-format-image-caption")
    assert "<figure>" in article.body
    assert "<figcaption>" in article.body
    assert "lovely caption" in article.body.lower() or "caption" in article.body


def test_real_export_drafts_scheduled_and_protected_are_not_public(real_import, client):
    public = set(Article.objects.published().values_list("slug", flat=True))
    draft = WordPressOrigin.objects.get(kind="post", key="1164").article
    scheduled = Article.objects.get(slug="scheduled")
    protected = Article.objects.get(slug="template-password-protected")
    assert draft.status == Status.DRAFT and draft.slug not in public
    assert scheduled.status == Status.PUBLISHED and scheduled.slug not in public
    assert protected.status == Status.DRAFT and protected.slug not in public
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_real_export_old_permalink_redirects_under_the_mount_point(real_import, client):
    response = client.get("/2013/01/11/markup-html-tags-and-formatting/")
    assert response.status_code == 301
    assert response["Location"] == "/news/story/markup-html-tags-and-formatting/"
    assert client.get(response["Location"]).status_code == 200


def test_real_export_post_id_link_redirects(real_import, client):
    response = client.get("/?p=1178")
    assert response.status_code == 301
    assert response["Location"] == "/news/story/markup-html-tags-and-formatting/"


def test_real_export_draft_permalink_does_not_redirect(real_import, client):
    assert client.get("/?p=1164").status_code == 404


def test_real_export_post_date_gmt_is_the_publication_time(real_import):
    article = Article.objects.get(slug="markup-html-tags-and-formatting")
    assert article.published_at == datetime(2013, 1, 12, 3, 22, 19, tzinfo=UTC)


# -- one rule per small export -----------------------------------------------------


@pytest.mark.parametrize(
    ("version", "scheme"), [("1.1", "http"), ("1.2", "https"), ("1.2", "http")]
)
def test_wxr_versions_and_namespace_schemes(write, version, scheme):
    run(write(export(post(), version=version, scheme=scheme)))
    assert Article.objects.get().headline == "Hello"


def test_unknown_wxr_version_is_refused(write):
    _out, err, summary = run_failing(write(export(post(), version="9.9")))
    assert "unknown WXR version (“9.9”)" in err
    assert summary.startswith("Refused: line ") and "unknown WXR version" in summary
    assert not Article.objects.exists()


def test_truncated_export_keeps_complete_items_and_names_the_line(write):
    text = export(post(1, "One"), post(2, "Two"))
    cut = text[: text.index("<title>Two")]
    _out, err, _summary = run_failing(write(cut))
    assert list(Article.objects.values_list("headline", flat=True)) == ["One"]
    assert "Stopped reading at line" in err and "malformed or cut short" in err


def test_entity_declarations_are_refused(write):
    bomb = export(post(title="&b;")).replace(
        "<rss ",
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<rss ',
    )
    _out, err, _summary = run_failing(write(bomb))
    assert "declares a DTD" in err
    assert not Article.objects.exists()


def test_missing_author_is_reported_and_the_post_kept(write):
    out, _err = run(write(export(post(creator="ghost"))))
    assert "post 1 “Hello”: unknown author “ghost”; imported without a byline" in out
    assert not Article.objects.get().authors.exists()


def test_broken_date_skips_the_post_with_its_reason(write):
    path = write(export(post(1, "Bad", date_gmt="2024-13-45 99:00:00"), post(2, "Good")))
    _out, err, summary = run_failing(path)
    assert "post 1 “Bad”: broken date “2024-13-45 99:00:00”" in err
    assert "1 item skipped" in summary
    assert list(Article.objects.values_list("headline", flat=True)) == ["Good"]


def test_posts_left_out_by_status_are_counted_by_status(write):
    path = write(
        export(
            post(1, "Binned", status="trash"),
            post(2, "Binned too", status="trash"),
            post(3, "Never saved", status="auto-draft"),
            post(4, "No status", status=""),
            post(5, "Kept"),
        )
    )
    report = wxr_module.import_wxr(path)
    assert report.ignored_statuses == {"trash": 2, "auto-draft": 1, "": 1}
    assert sum(report.ignored.values()) == 0  # no "post (trash)" among the types left out
    Article.objects.all().delete()
    WordPressOrigin.objects.all().delete()
    out, _err = run(path)
    assert "    Left out 2 posts with status trash\n" in out
    assert "    Left out 1 post with status auto-draft\n" in out
    assert "    Left out 1 post without a status\n" in out
    assert list(Article.objects.values_list("headline", flat=True)) == ["Kept"]


def test_the_report_is_in_the_language_the_command_runs_in(write):
    broken = write(
        export(post(1, "Bad", date_gmt="2024-13-45 99:00:00"), post(2, "Binned", status="trash"))
    )
    with translation.override("de"):
        out, err = run(REAL_EXPORT)
        broken_out, broken_err, summary = run_failing(broken)
    assert out.startswith("WordPress-Importbericht:\n")
    assert "  gelesene Einträge:   186\n" in out
    assert "  Artikel:             58 angelegt\n" in out
    assert "  Fotos:               37 Dateien fehlen\n" in out
    assert "  Autoren:             2 angelegt\n" in out
    assert "Zeile 8183, post 568 “Post Format: Image (Linked)”: 1 Foto nicht importiert" in out
    assert "100% Artikel: 186 Einträge, 58 Artikel, 37 Fotos, 0 übersprungen" in err
    assert "created" not in out and "missing" not in out and "items" not in err
    assert "1 Beitrag mit dem Status trash ausgelassen" in broken_out
    assert "Zeile" in broken_err and "ungültiges Datum „2024-13-45 99:00:00“" in broken_err
    assert summary == "Import unvollständig: 1 Eintrag übersprungen."


@pytest.mark.parametrize("status", ["draft", "pending", "private"])
def test_unpublished_statuses_are_never_public(write, status):
    run(write(export(post(status=status))))
    article = Article.objects.get()
    assert article.status != Status.PUBLISHED
    assert not Article.objects.published().exists()


def test_pending_becomes_review_when_the_workflow_has_it(write):
    run(write(export(post(status="pending"))))
    assert Article.objects.get().status == getattr(Status, "REVIEW", Status.DRAFT)


def test_authors_keep_display_name_and_login(write):
    run(write(export(post(), authors=author("jdoe", "Jane Doe"))))
    origin = WordPressOrigin.objects.get(kind="author")
    assert origin.key == "jdoe" and origin.author.name == "Jane Doe"
    assert list(Article.objects.get().authors.all()) == [origin.author]


def test_first_category_is_the_section_others_and_post_tags_are_tags(write):
    categories = (("world", "World"), ("europe", "Europe"))
    run(write(export(post(categories=categories, tags=("floods", "Rain")))))
    article = Article.objects.get()
    assert article.section.slug == "world" and article.section.name == "World"
    assert sorted(t.name for t in article.tags.all()) == ["Europe", "Rain", "floods"]


def test_yoast_primary_category_wins(write):
    categories = (("world", "World"), ("europe", "Europe"))
    header = author() + (
        "<wp:category><wp:term_id>7</wp:term_id>"
        "<wp:category_nicename>europe</wp:category_nicename></wp:category>"
    )
    item = post(categories=categories, meta={"_yoast_wpseo_primary_category": "7"})
    run(write(export(item, authors=header)))
    assert Article.objects.get().section.slug == "europe"


def test_excerpt_is_the_dek_and_content_gets_paragraphs(write):
    run(write(export(post(excerpt="<p>The <b>short</b> version.</p>", content="One\nline\n\nTwo"))))
    article = Article.objects.get()
    assert article.dek == "The short version."
    assert article.body == "<p>One<br>\nline</p>\n<p>Two</p>"


def test_other_shortcodes_are_removed_and_counted(write):
    content = 'Before [gallery ids="1,2"] and [note]kept text[/note] and [sic].'
    out, _err = run(write(export(post(content=content))))
    assert Article.objects.get().body == "<p>Before  and kept text and [sic].</p>"
    assert "shortcodes dropped:  1 gallery, 1 note" in out


def test_embeds_and_bare_youtube_urls_stay_as_url_lines(write):
    content = (
        "Watch:\n[embed]https://www.youtube.com/watch?v=abc123[/embed]\n"
        "Also:\nhttps://youtu.be/xyz789\nEnd."
    )
    out, _err = run(write(export(post(content=content))))
    body = Article.objects.get().body
    assert "<p>https://www.youtube.com/watch?v=abc123</p>" in body
    assert "<p>https://youtu.be/xyz789</p>" in body
    assert "embeds kept: 2" in out


def test_attachments_become_photos_with_their_text(
    write, tmp_path, django_capture_on_commit_callbacks
):
    media = tmp_path / "uploads"
    (media / "2024/03").mkdir(parents=True)
    (media / "2024/03/photo.jpg").write_bytes(jpeg_bytes())
    item = attachment(10, caption="Crowds at the quay.", alt="People on a quay", title="Quay")
    with django_capture_on_commit_callbacks(execute=True):
        out, _err = run(write(export(item)), "--media-dir", str(media))
    image = Image.objects.get()
    origin = WordPressOrigin.objects.get(kind="attachment")
    assert (image.caption, image.alt_text) == ("Crowds at the quay.", "People on a quay")
    assert image.credit == "The Example Gazette"  # no credit in the file: the publication's
    assert (origin.title, origin.description) == ("Quay", "A longer description.")
    assert "photos:              1 created" in out
    # Its renditions are queued for the task worker, not made during the import.
    assert (image.renditions_status, image.renditions_ready) == ("pending", False)
    assert DBTaskResult.objects.get().args_kwargs["args"] == [image.pk]


def test_thumbnail_becomes_the_lead_photo_even_when_the_attachment_comes_later(write, tmp_path):
    media = tmp_path / "uploads"
    (media / "2024/03").mkdir(parents=True)
    (media / "2024/03/photo.jpg").write_bytes(jpeg_bytes())
    path = write(export(post(meta={"_thumbnail_id": "10"}), attachment(10)))
    run(path, "--media-dir", str(media))
    assert Article.objects.get().lead_image == Image.objects.get()


def test_caption_figure_uses_the_imported_photo_and_its_credit(write, tmp_path):
    media = tmp_path / "uploads"
    (media / "2024/03").mkdir(parents=True)
    (media / "2024/03/photo.jpg").write_bytes(jpeg_bytes())
    content = (
        '[caption id="attachment_10" align="alignnone" width="300"]'
        '<img src="https://example.com/wp-content/uploads/2024/03/photo.jpg" alt="Quay" />'
        " Crowds at the quay.[/caption]"
    )
    run(write(export(post(content=content), attachment(10))), "--media-dir", str(media))
    body = Article.objects.get().body
    image = Image.objects.get()
    assert body == (
        f'<figure data-image="{image.pk}"><figcaption>Crowds at the quay.</figcaption></figure>'
    )
    assert image.alt_text == "Quay"  # the post's <img alt>: the attachment had none
    assert Article.objects.get().body_photos.get().image == image


def test_what_could_not_be_converted_is_in_the_summary(write):
    content = (
        "First paragraph.\n\nSecond paragraph."
        '\n\n<img src="https://cdn.example.org/chart.png" alt="Chart">'
        '\n\n<iframe src="https://maps.example.net/embed"></iframe>'
        '\n\n<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    )
    out, _err = run(write(export(post(content=content))))
    assert (
        "not converted:       an iframe from maps.example.net, "
        "an image from cdn.example.org (not in the photo library)"
    ) in out
    body = Article.objects.get().body
    assert body.startswith("<p>First paragraph.</p>\n<p>Second paragraph.</p>")
    assert '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in body
    assert "example.org" not in body and "example.net" not in body


def test_missing_media_is_listed_and_never_fetched(write, tmp_path):
    out, _err = run(write(export(attachment(10))), "--media-dir", str(tmp_path))
    assert "https://example.com/wp-content/uploads/2024/03/photo.jpg" in out
    assert not Image.objects.exists()


def test_media_paths_cannot_leave_the_media_dir(write, tmp_path):
    media = tmp_path / "uploads"
    media.mkdir()
    (tmp_path / "secret.jpg").write_bytes(jpeg_bytes())
    run(write(export(attachment(10, path="../secret.jpg"))), "--media-dir", str(media))
    assert not Image.objects.exists()


def test_newer_export_updates_changed_posts_only(write):
    run(write(export(post(1, "One"), post(2, "Two"))))
    out, _err = run(write(export(post(1, "One, corrected"), post(2, "Two"), post(3, "Three"))))
    assert "articles:            1 created, 1 unchanged, 1 updated" in out
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "One, corrected",
        "Three",
        "Two",
    ]


def test_crash_half_way_loses_nothing_and_a_rerun_completes(write, monkeypatch):
    # What a crash keeps is every chunk committed before it: here a chunk is one item.
    monkeypatch.setattr(wxr_module, "CHUNK", 1)
    path = write(export(post(1, "One"), post(2, "Two")))
    real = wxr_module.WXRImporter._import_post

    def crash_on_second(self, data, line):
        if data["wp:post_id"] == "2":
            raise RuntimeError("power cut")
        return real(self, data, line)

    monkeypatch.setattr(wxr_module.WXRImporter, "_import_post", crash_on_second)
    with pytest.raises(RuntimeError):
        run(path)
    assert list(Article.objects.values_list("headline", flat=True)) == ["One"]
    monkeypatch.undo()
    out, _err = run(path)
    assert "articles:            1 created, 1 unchanged" in out


def test_dry_run_writes_nothing(write):
    out, _err = run(write(export(post())), "--dry-run")
    assert out.startswith("Dry run, nothing was saved.")
    assert "articles:            1 created" in out
    assert not Article.objects.exists() and not Author.objects.exists()


def test_since_skips_older_posts(write):
    path = write(export(post(1, "Old", date_gmt="2020-01-01 00:00:00"), post(2, "New")))
    out, _err = run(path, "--since", "2023-06-01")
    assert list(Article.objects.values_list("headline", flat=True)) == ["New"]
    assert "older than --since:  1" in out


def test_progress_is_plain_lines_off_a_terminal(write):
    _out, err = run(write(export(post())))
    assert "100% stories: 1 item, 1 story, 0 photos, 0 skipped" in err
    assert "\r" not in err


def test_progress_bar_on_a_terminal_shows_counts_and_eta():
    from django.core.management.base import OutputWrapper

    from articles.importers.wxr import Progress, Report
    from articles.management.commands.import_wxr import ProgressDisplay

    stream = StringIO()
    display = ProgressDisplay(OutputWrapper(stream), interactive=True)
    report = Report(items_read=3)
    display(Progress("stories", 100, 100, 3, report))
    assert stream.getvalue().startswith("\r[" + "#" * 30 + "] 100% stories: 3 items")
    assert "ETA 00:00:00" in stream.getvalue()


def test_admin_lists_photos_whose_file_is_missing(write, editor_client):
    run(write(export(attachment(10))))
    response = editor_client.get("/admin/articles/wordpressorigin/?file=missing")
    assert response.status_code == 200
    assert "https://example.com/wp-content/uploads/2024/03/photo.jpg" in response.text


def test_post_id_parameter_elsewhere_is_not_a_wordpress_link(write, client):
    run(write(export(post(2, "Two"))))
    assert client.get("/?p=2").status_code == 301
    assert client.get("/news/no-such-page/?p=2").status_code == 404


def test_blog_in_a_folder_answers_post_id_links_there(write, client):
    run(write(export(post(2, "Two"), blog="https://example.com/blog")))
    assert client.get("/blog/?p=2")["Location"] == "/news/story/post-2/"


def test_rerun_with_the_files_adds_the_photos_to_the_stories(write, tmp_path):
    path = write(export(post(meta={"_thumbnail_id": "10"}), attachment(10)))
    run(path)
    assert Article.objects.get().lead_image is None
    media = tmp_path / "uploads"
    (media / "2024/03").mkdir(parents=True)
    (media / "2024/03/photo.jpg").write_bytes(jpeg_bytes())
    out, _err = run(path, "--media-dir", str(media))
    assert Article.objects.get().lead_image == Image.objects.get()
    assert "articles:            1 updated" in out and "missing media:       0" in out


def test_item_with_a_non_numeric_id_is_imported_by_its_guid(write):
    item = post(1, "Odd").replace("<wp:post_id>1</wp:post_id>", "<wp:post_id>x</wp:post_id>")
    run(write(export(item, post(2, "Fine"))))
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["Fine", "Odd"]
    origin = WordPressOrigin.objects.get(article__headline="Odd")
    assert origin.key.startswith("guid:")

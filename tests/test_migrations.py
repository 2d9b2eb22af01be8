from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import store_body_as_sql


@pytest.mark.django_db
def test_no_migration_is_missing():
    out = StringIO()
    try:
        call_command("makemigrations", "articles", "--check", "--dry-run", stdout=out)
    except SystemExit:  # pragma: no cover - the assertion explains the failure
        pytest.fail(f"Model changes have no migration:\n{out.getvalue()}")


BEFORE = [("articles", "0009_article_updated_index")]
AFTER = [("articles", "0010_join_rows_publishing_copies")]


@pytest.mark.django_db(transaction=True)
def test_backfill_copies_each_storys_publishing_fields_onto_its_join_rows():
    from datetime import UTC, datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from articles.models import ArticleAuthor, TaggedArticle

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        section = old.get_model("articles", "Section").objects.create(name="S", slug="s")
        author = old.get_model("articles", "Author").objects.create(name="A", slug="a")
        tag = old.get_model("articles", "Tag").objects.create(name="T", slug="t", key="t")
        Article = old.get_model("articles", "Article")
        when = datetime(2024, 5, 6, 7, 8, tzinfo=UTC)
        stories = [
            Article.objects.create(headline="Draft", slug="draft", section=section),
            Article.objects.create(
                headline="Public",
                slug="public",
                section=section,
                status="published",
                published_at=when,
                expire_at=datetime(2030, 1, 1, tzinfo=UTC),
            ),
        ]
        for story in stories:
            old.get_model("articles", "TaggedArticle").objects.create(content_object=story, tag=tag)
            old.get_model("articles", "ArticleAuthor").objects.create(article=story, author=author)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        for model in (TaggedArticle, ArticleAuthor):
            rows = model.objects.order_by("pk")
            copied = list(rows.values_list("status", "published_at", "expire_at"))
            assert copied == [
                ("draft", None, None),
                ("published", when, datetime(2030, 1, 1, tzinfo=UTC)),
            ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("articles"))


@pytest.mark.django_db(transaction=True)
def test_library_images_in_stored_bodies_become_photo_figures(capsys):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from articles.models import Article, BodyPhoto

    before = [("articles", "0011_article_search_document")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        section = old.get_model("articles", "Section").objects.create(name="S", slug="s")
        photo = old.get_model("articles", "Image").objects.create(
            file="photos/2024/05/quay.jpg", credit="AP/Jo Smith"
        )
        OldArticle = old.get_model("articles", "Article")
        story = OldArticle.objects.create(headline="Old", slug="old", section=section)
        # As the importer stored a WordPress caption before this release.
        store_body_as_sql(
            story,
            '<p>Text</p><figure><img src="/media/photos/2024/05/quay.jpg" alt="Quay">'
            "<figcaption>The quay.</figcaption></figure>"
            '<p><img src="https://elsewhere.example/x.jpg"></p>',
        )
        executor = MigrationExecutor(connection)
        executor.migrate([("articles", "0012_body_photos_related_heading_link_photo")])
        assert Article.objects.get(pk=story.pk).body == (
            f'<p>Text</p>\n<figure data-image="{photo.pk}"><figcaption>The quay.</figcaption>'
            "</figure>"
        )
        assert list(BodyPhoto.objects.values_list("article_id", "image_id")) == [
            (story.pk, photo.pk)
        ]
        out = capsys.readouterr().out
        assert "Story" in out and "an image from elsewhere.example" in out
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("articles"))

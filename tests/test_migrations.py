import importlib
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
        # The column alone: the model of today has fields this schema does not have yet.
        assert Article.objects.values_list("body", flat=True).get(pk=story.pk) == (
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


# The newsroom's roles (migration 0015) and a host's own groups ----------------------------

ROLES_BEFORE = [("articles", "0014_old_addresses")]
ROLES_MIGRATION = "articles.migrations.0015_newsroom_roles"


def migrate_to(targets):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes("articles"))


def permissions_of(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def role_permissions(table):
    from django.contrib.auth.models import Permission

    roles = importlib.import_module(ROLES_MIGRATION)
    return Permission.objects.filter(
        content_type__app_label="articles", codename__in=roles.codenames(table)
    )


@pytest.fixture
def host_group():
    """Make a group of the host's own, holding a permission of the host's."""
    from django.contrib.auth.models import Group, Permission

    def make(name: str, *extra):
        group = Group.objects.create(name=name)
        group.permissions.add(Permission.objects.get(codename="view_user"), *extra)
        return group

    return make


@pytest.mark.django_db(transaction=True)
def test_a_hosts_editor_group_is_never_taken_over_or_deleted(host_group):
    from django.contrib.auth.models import Group

    from articles.models import Role

    migrate_to([("articles", "0004_editorial_workflow")])
    try:
        assert not Group.objects.exists()  # the app's groups went with the rollback
        editor, reporter = host_group("Editor"), host_group("Reporter")
        before = {group.name: permissions_of(group) for group in (editor, reporter)}
        migrate_to(None)
        for group in (editor, reporter):
            group.refresh_from_db()
            assert permissions_of(group) == before[group.name]
        roles = {role.kind: role.group for role in Role.objects.select_related("group")}
        assert roles["editor"].name == "Newsroom editors"
        assert roles["reporter"].name == "Newsroom reporters"
        assert ("articles", "publish_article") in permissions_of(roles["editor"])

        migrate_to([("articles", "0004_editorial_workflow")])
        assert set(Group.objects.values_list("name", flat=True)) == {"Editor", "Reporter"}
        for group in (editor, reporter):
            assert permissions_of(group) == before[group.name]
    finally:
        migrate_to(None)


@pytest.mark.django_db(transaction=True)
def test_upgrade_adopts_the_groups_0005_made_and_leaves_the_hosts(host_group, capsys):
    from django.contrib.auth.models import Group, User

    from articles.models import Role

    roles = importlib.import_module(ROLES_MIGRATION)
    migrate_to(ROLES_BEFORE)
    try:
        # As the former 0005 left them: its own "Editor", and a host's "Reporter" it added to.
        ours = Group.objects.create(name="Editor")
        ours.permissions.set(role_permissions(roles.EDITOR))
        member = User.objects.create_user("olga")
        member.groups.add(ours)
        hosts = host_group("Reporter", *role_permissions(roles.REPORTER))
        hosts_permissions = permissions_of(hosts)

        migrate_to(None)

        ours.refresh_from_db()
        assert ours.name == "Newsroom editors" and member.groups.get() == ours
        assert Role.objects.get(kind="editor").group == ours
        assert Role.objects.get(kind="editor").adopted_from == "Editor"
        hosts.refresh_from_db()
        assert hosts.name == "Reporter" and permissions_of(hosts) == hosts_permissions
        new_reporters = Role.objects.get(kind="reporter").group
        assert new_reporters.name == "Newsroom reporters" and new_reporters != hosts
        assert "'Reporter' is not the app's" in capsys.readouterr().out

        migrate_to(ROLES_BEFORE)
        ours.refresh_from_db()
        assert ours.name == "Editor" and member.groups.get() == ours
        assert set(Group.objects.values_list("name", flat=True)) == {"Editor", "Reporter"}
    finally:
        migrate_to(None)


@pytest.mark.django_db(transaction=True)
def test_a_taken_role_name_stops_the_migration_with_the_setting_to_change(host_group, settings):
    from django.contrib.auth.models import Group
    from django.core.exceptions import ImproperlyConfigured

    from articles.models import Role

    migrate_to(ROLES_BEFORE)
    try:
        hosts = host_group("Newsroom editors")
        with pytest.raises(ImproperlyConfigured, match="ARTICLES_EDITOR_GROUP"):
            migrate_to(None)
        settings.ARTICLES_EDITOR_GROUP = "Desk editors"
        migrate_to(None)
        assert Role.objects.get(kind="editor").group.name == "Desk editors"
        hosts.refresh_from_db()
        assert permissions_of(hosts) == {("auth", "view_user")}
        migrate_to(ROLES_BEFORE)
        assert list(Group.objects.values_list("name", flat=True)) == ["Newsroom editors"]
    finally:
        migrate_to(None)

"""The tag vocabulary: one tag per name, working addresses, renames, merges."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Tag, TaggedArticle, TagMerge, TagRedirect, get_or_create_tag

pytestmark = pytest.mark.django_db


def test_name_variants_are_one_tag(article_factory):
    article = article_factory(tags=["Putin", "putin", "Ｐｕｔｉｎ", "Pu\u200btin"])
    other = article_factory(tags=["PUTIN"])
    assert Tag.objects.count() == 1
    assert [t.name for t in article.tags.all()] == ["Putin"]
    assert list(other.tags.all()) == list(article.tags.all())


def test_database_refuses_a_second_tag_differing_only_in_case():
    Tag.objects.create(name="Москва")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="МОСКВА")


def test_clean_reports_a_case_only_duplicate():
    Tag.objects.create(name="Floods")
    with pytest.raises(ValidationError) as info:
        Tag(name="FLOODS").full_clean()
    assert info.value.error_dict["name"][0].code == "duplicate_tag"


def test_get_or_create_tag_returns_the_existing_tag():
    tag = get_or_create_tag("North Korea")
    assert get_or_create_tag(" north\u200b  korea ") == tag
    assert Tag.objects.count() == 1


def test_get_or_create_tag_refuses_an_empty_name():
    with pytest.raises(ValueError):
        get_or_create_tag(" \u200b ")


@pytest.mark.parametrize(("name", "prefix"), [("🌊🔥", "tag-"), ("Москва", "москва")])
def test_tags_without_ascii_letters_have_working_pages(client, article_factory, name, prefix):
    article_factory("Story under a hard tag", tags=[name])
    tag = Tag.objects.get(name=name)
    assert tag.slug.startswith(prefix)
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert "Story under a hard tag" in response.content.decode()


def test_rename_moves_the_slug_and_redirects_the_old_address(client, article_factory):
    article_factory(tags=["Kim Jong-un"])
    tag = Tag.objects.get()
    old_url = tag.get_absolute_url()
    tag.rename("Kim Jong Un (leader)")
    assert tag.slug == "kim-jong-un-leader"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == tag.get_absolute_url()


def test_rename_back_drops_the_redirect_that_would_shadow_the_tag(client, article_factory):
    tag = article_factory(tags=["Rain"]).tags.get()
    tag.rename("Showers")
    tag.rename("Rain")
    assert client.get("/news/tag/rain/").status_code == 200
    assert client.get("/news/tag/showers/")["Location"] == "/news/tag/rain/"


def test_unknown_tag_address_is_404(client):
    assert client.get("/news/tag/never-existed/").status_code == 404


def test_merge_tags_every_story_once_with_the_kept_tag(client, article_factory, editor):
    a = article_factory(tags=["Kim Jong Un", "Kim Jong-un"])
    b = article_factory(tags=["kim jong un 2"])
    c = article_factory(tags=["KJU", "Kim Jong Un"])
    kept = Tag.objects.get(name="Kim Jong Un")
    losers = list(Tag.objects.exclude(pk=kept.pk))
    record = Tag.objects.all().merge_into(kept, user=editor)
    for article in (a, b, c):
        assert list(
            TaggedArticle.objects.filter(content_object=article).values_list("tag", flat=True)
        ) == [kept.pk]
    assert list(Tag.objects.all()) == [kept]
    for loser in losers:
        response = client.get(f"/news/tag/{loser.slug}/")
        assert response.status_code == 301
        assert response["Location"] == kept.get_absolute_url()
    assert record.article_count == 3 and record.merged_by == editor
    assert sorted(record.merged_names) == sorted(t.name for t in losers)


def test_merge_repoints_older_redirects(client, article_factory):
    old, kept = Tag.objects.create(name="Showers"), article_factory(tags=["Rain"]).tags.get()
    old.rename("Drizzle")
    Tag.objects.filter(pk__in=[old.pk, kept.pk]).merge_into(kept)
    assert client.get("/news/tag/showers/")["Location"] == "/news/tag/rain/"
    assert TagRedirect.objects.filter(tag=kept).count() == 2
    assert TagMerge.objects.get().kept_name == "Rain"

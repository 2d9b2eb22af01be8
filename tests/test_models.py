from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, RelatedLink, Status, Tag


def test_published_excludes_drafts_and_future_stories(article_factory):
    public = article_factory()
    draft = article_factory(published=False)
    future = article_factory(published_at=timezone.now() + timedelta(hours=2))
    assert list(Article.objects.published()) == [public]
    assert list(Article.objects.drafts()) == [draft]
    assert list(Article.objects.scheduled()) == [future]


def test_published_orders_newest_first(article_factory):
    old = article_factory(hours_ago=10)
    new = article_factory(hours_ago=1)
    assert list(Article.objects.published()) == [new, old]


def test_scheduled_story_becomes_public_at_its_time(article_factory):
    at = timezone.now() + timedelta(hours=2)
    story = article_factory(published_at=at)
    assert story not in Article.objects.published()
    assert story in Article.objects.published(now=at + timedelta(seconds=1))


def test_publishing_without_time_sets_now(section_factory):
    article = Article(headline="Now", section=section_factory(), status=Status.PUBLISHED)
    article.full_clean()
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_published_without_time_is_refused_by_the_database(section_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            headline="x", slug="x", section=section_factory(), status=Status.PUBLISHED
        )


def test_slug_comes_from_headline_and_stays_unique(article_factory):
    first = article_factory("Storm hits the coast")
    second = article_factory("Storm hits the coast")
    assert first.slug == "storm-hits-the-coast"
    assert second.slug == "storm-hits-the-coast-2"


def test_emoji_only_headline_gets_a_working_slug(article_factory, client):
    article = article_factory("🔥🔥🔥")
    assert article.slug.startswith("story-")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_non_latin_headline_keeps_its_letters(article_factory):
    assert article_factory("Выборы в городе").slug == "выборы-в-городе"


def test_headline_over_limit_is_a_validation_error(section_factory):
    article = Article(headline="x" * 111, section=section_factory())
    with pytest.raises(ValidationError) as info:
        article.full_clean()
    assert "headline" in info.value.message_dict


def test_control_characters_and_lone_surrogates_are_cleaned(section_factory):
    article = Article(
        headline="Bad\x00 head\x1bline \ud800here", dek="d\x07ek", section=section_factory()
    )
    article.full_clean()
    article.save()
    article.refresh_from_db()
    assert article.headline == "Bad headline \ufffdhere"
    assert article.dek == "dek"


def test_body_is_sanitised_on_every_save(article_factory):
    article = article_factory()
    Article.objects.filter(pk=article.pk).update(body="<p>x</p>")
    article.body = '<p onclick="x()">Hi<script>alert(1)</script></p>'
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_sponsored_story_needs_a_sponsor(section_factory):
    article = Article(headline="Paid", section=section_factory(), kind="sponsored")
    with pytest.raises(ValidationError) as info:
        article.full_clean()
    assert "sponsor_name" in info.value.message_dict


def test_tags_round_trip_case_insensitively(article_factory):
    article = article_factory(tags=["Climate change", "Floods"])
    other = article_factory(tags=["climate change"])
    assert sorted(t.name for t in article.tags.all()) == ["Climate change", "Floods"]
    assert list(other.tags.all()) == [Tag.objects.get(name="Climate change")]


def test_emoji_tag_has_a_working_url(article_factory, client):
    article_factory(tags=["🌊"])
    tag = Tag.objects.get(name="🌊")
    assert tag.slug.startswith("tag-")
    assert client.get(tag.get_absolute_url()).status_code == 200


def test_cyrillic_tag_has_a_working_url(article_factory, client):
    article_factory(tags=["Москва"])
    tag = Tag.objects.get(name="Москва")
    assert tag.slug == "москва"
    assert client.get(tag.get_absolute_url()).status_code == 200


class TestRelatedLink:
    def test_needs_exactly_one_target(self, article_factory):
        article, other = article_factory(), article_factory()
        for link in (
            RelatedLink(article=article),
            RelatedLink(article=article, target=other, url="https://example.org/", title="x"),
        ):
            with pytest.raises(ValidationError) as info:
                link.full_clean()
            assert info.value.error_dict["__all__"][0].code == "one_target"

    def test_database_refuses_both_targets(self, article_factory):
        article, other = article_factory(), article_factory()
        with pytest.raises(IntegrityError), transaction.atomic():
            RelatedLink.objects.create(article=article, target=other, url="https://example.org/")

    def test_outside_link_needs_a_title(self, article_factory):
        link = RelatedLink(article=article_factory(), url="https://example.org/")
        with pytest.raises(ValidationError) as info:
            link.full_clean()
        assert "title" in info.value.message_dict

    def test_cannot_link_to_itself(self, article_factory):
        article = article_factory()
        with pytest.raises(ValidationError):
            RelatedLink(article=article, target=article).full_clean()


def test_every_public_model_has_a_string_and_url(article_factory, author_factory, image_factory):
    author = author_factory("Jane Doe")
    article = article_factory("A headline", tags=["Tag one"], authors=[author])
    image = image_factory(credit="AFP/Someone")
    assert str(article) == "A headline"
    assert str(author) == "Jane Doe"
    assert "AFP/Someone" in str(image)
    for obj in (article, author, article.section, Tag.objects.get()):
        assert obj.get_absolute_url().startswith("/news/")


def test_status_choices_follow_the_workflow():
    assert list(Status.values) == ["draft", "review", "published", "retracted"]

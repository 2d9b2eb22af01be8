"""Ranking of suggested related stories on a small crafted archive."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Tag, suggestions
from articles.models.suggestions import suggest_related, tag_weights

pytestmark = pytest.mark.django_db


def suggest(article, limit=4, exclude_ids=()):
    article = Article.objects.for_detail().get(pk=article.pk)
    return suggest_related(article, limit, exclude_ids)


def headlines(suggestions):
    return [s.article.headline for s in suggestions]


@pytest.fixture
def archive(article_factory, section_factory):
    """A subject sharing a rare tag with one story and a common tag with another."""
    elsewhere = section_factory()
    subject = article_factory("Subject", tags=["Rare", "Common"])
    for _ in range(8):
        article_factory(section=elsewhere, tags=["Common"], hours_ago=500)
    rare = article_factory("Shares the rare tag", section=elsewhere, tags=["Rare"], hours_ago=5)
    common = article_factory(
        "Shares the common tag", section=elsewhere, tags=["Common"], hours_ago=5
    )
    return subject, rare, common


def test_rare_shared_tag_beats_common_shared_tag(archive):
    subject, rare, common = archive
    ranked = headlines(suggest(subject))
    assert ranked.index(rare.headline) < ranked.index(common.headline)


def test_rarer_tags_weigh_more(archive):
    weights = tag_weights(Tag.objects.all())
    by_name = {Tag.objects.get(pk=pk).name: w for pk, (w, _n) in weights.items()}
    assert by_name["Rare"] > by_name["Common"] > 0


def test_never_suggests_drafts_scheduled_or_itself(article_factory):
    subject = article_factory("Subject", tags=["Rain"])
    article_factory("Draft", tags=["Rain"], published=False)
    article_factory("Scheduled", tags=["Rain"], published_at=timezone.now() + timedelta(hours=3))
    public = article_factory("Public", tags=["Rain"])
    assert headlines(suggest(subject)) == [public.headline]


def test_never_suggests_the_editors_own_links(article_factory):
    subject = article_factory("Subject", tags=["Rain"])
    linked = article_factory("Linked", tags=["Rain"])
    assert suggest(subject, exclude_ids=[linked.pk]) == []


def test_same_section_gets_a_bonus(article_factory, section_factory):
    subject = article_factory("Subject", tags=["Rain"])
    other = article_factory("Other section", section=section_factory(), tags=["Rain"], hours_ago=1)
    same = article_factory("Same section", section=subject.section, tags=["Rain"], hours_ago=2)
    assert headlines(suggest(subject)) == [same.headline, other.headline]


def test_older_stories_decay(article_factory, section_factory):
    elsewhere = section_factory()
    subject = article_factory("Subject", tags=["Rain", "Wind"])
    old = article_factory(
        "Old, two tags", section=elsewhere, tags=["Rain", "Wind"], hours_ago=24 * 60
    )
    new = article_factory("New, two tags", section=elsewhere, tags=["Rain", "Wind"], hours_ago=2)
    assert headlines(suggest(subject)) == [new.headline, old.headline]


def test_only_the_newest_candidates_are_ranked(monkeypatch, article_factory, section_factory):
    # Every tag counts as common, and only the two newest stories (one is the subject)
    # are searched for them.
    monkeypatch.setattr("articles.models.suggestions.SELECTIVE", 0)
    monkeypatch.setattr("articles.models.suggestions.RECENT", 2)
    elsewhere = section_factory()
    subject = article_factory("Subject", tags=["Rain", "Wind"])
    article_factory("Older, two tags", section=elsewhere, tags=["Rain", "Wind"], hours_ago=5)
    newest = article_factory("Newest, one tag", section=elsewhere, tags=["Rain"], hours_ago=1)
    assert [s.article.headline for s in suggest(subject) if s.shared_tags] == [newest.headline]


def test_reasons_name_the_shared_tags(article_factory):
    subject = article_factory("Subject", tags=["North Korea", "Russia", "Rain"])
    article_factory("Summit", section=subject.section, tags=["North Korea", "Russia"])
    (found,) = suggest(subject)
    reasons = found.reasons()
    assert "‘North Korea’" in reasons and "‘Russia’" in reasons
    assert "Rain" not in reasons and "same section" in reasons


def test_fills_with_the_sections_latest_when_nothing_shares_a_tag(article_factory):
    subject = article_factory("Subject", tags=["Lonely"])
    neighbour = article_factory("Neighbour", section=subject.section)
    article_factory("Elsewhere")
    assert headlines(suggest(subject)) == [neighbour.headline]


def test_common_tags_bring_only_their_newest_stories(article_factory, section_factory, monkeypatch):
    monkeypatch.setattr(suggestions, "SELECTIVE", 2)
    monkeypatch.setattr(suggestions, "RECENT", 3)  # the subject is one of them
    elsewhere = section_factory()
    subject = article_factory("Subject", tags=["Common", "Rare"])
    oldest = article_factory("Oldest", section=elsewhere, tags=["Common"], hours_ago=300)
    rare_old = article_factory("Rare, old", section=elsewhere, tags=["Rare"], hours_ago=400)
    newer = [
        article_factory(f"Newer {i}", section=elsewhere, tags=["Common"], hours_ago=i)
        for i in (1, 2)
    ]
    found = headlines(suggest(subject, limit=10))
    assert oldest.headline not in found
    assert {rare_old.headline, *(a.headline for a in newer)} <= set(found)


def test_a_rare_tag_finds_its_stories_at_any_age(article_factory, section_factory):
    subject = article_factory("Follow-up", tags=["Volcano X"])
    first = article_factory(
        "Two years ago", section=section_factory(), tags=["Volcano X"], hours_ago=24 * 730
    )
    assert headlines(suggest(subject)) == [first.headline]

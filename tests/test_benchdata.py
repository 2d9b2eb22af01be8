"""``manage.py seed_bench``: the benchmark's synthetic archive."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, Image, RelatedLink, Tag, TaggedArticle

seed_bench = pytest.importorskip(
    "newsroom.management.commands.seed_bench",
    reason="seed_bench belongs to the demo site (newsroom/), which is not part of the wheel",
)

pytestmark = pytest.mark.django_db


def seed(count: int, **options) -> str:
    out = StringIO()
    call_command(seed_bench.Command(), articles=count, stdout=out, **options)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    """Everything a reader sees of the archive, without database ids."""
    return [
        (
            story.slug,
            story.headline,
            story.section.slug,
            story.published_at,
            len(story.body),
            tuple(b.author.slug for b in story.bylines.all()),
            tuple(sorted(t.slug for t in story.tags.all())),
            tuple(
                link.target.slug if link.target else link.url for link in story.related_links.all()
            ),
            story.lead_image.credit,
        )
        for story in Article.objects.select_related("section", "lead_image")
        .prefetch_related("bylines__author", "tags", "related_links__target")
        .order_by("slug")
    ]


def test_seed_creates_the_requested_number_of_public_stories():
    seed(60, batch_size=25)
    assert Article.objects.count() == 60
    assert Article.objects.published().count() == 60
    assert Tag.objects.count() == 500


def test_every_story_has_bylines_tags_photo_and_related_links():
    seed(40, batch_size=15)
    stories = Article.objects.annotate(
        n_authors=Count("bylines", distinct=True),
        n_tags=Count("tagged_items", distinct=True),
        n_links=Count("related_links", distinct=True),
    )
    for story in stories:
        assert 1 <= story.n_authors <= 3
        assert 3 <= story.n_tags <= 6
        assert 3 <= story.n_links <= 5
        assert story.lead_image_id is not None
        assert 600 <= len(story.body.split()) <= 1100


def test_photos_carry_a_credit_and_share_a_few_files():
    seed(50)
    photos = Image.objects.all()
    assert all(photo.credit for photo in photos)
    assert len({photo.file.name for photo in photos}) <= 6


def test_related_links_point_at_other_public_stories_or_outside_pages():
    seed(30)
    for link in RelatedLink.objects.all():
        link.full_clean()


def test_tags_are_skewed_a_few_common_most_rare():
    seed(300)
    uses = Counter(TaggedArticle.objects.values_list("tag_id", flat=True))
    counts = sorted(uses.values(), reverse=True)
    assert counts[0] > 10 * counts[len(counts) // 2]


def test_same_seed_same_archive():
    seed(25, batch_size=10)
    first = fingerprint()
    Article.objects.all().delete()
    seed(25, batch_size=7)
    assert fingerprint() == first


def test_another_seed_another_archive():
    seed(10)
    first = fingerprint()
    Article.objects.all().delete()
    seed(10, seed=9)
    assert fingerprint() != first


def test_refuses_a_database_that_already_holds_stories(article_factory):
    article_factory()
    with pytest.raises(CommandError, match="already holds 1 articles"):
        seed(5)
    assert Article.objects.count() == 1


def test_new_stories_after_the_seed_get_fresh_ids(article_factory):
    seed(5)
    story = article_factory()
    assert story.pk == Article.objects.order_by("pk").values_list("pk", flat=True)[4] + 1

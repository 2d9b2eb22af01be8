"""A section, tag or author shows on the public site only while one of its stories does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Status, Tag
from tests.standards import NAMESPACES, parse_sitemap

pytestmark = pytest.mark.django_db

NOT_PUBLIC = {
    "draft": {"published": False},
    "review": {"published": False, "status": Status.REVIEW},
    "scheduled": {"hours_ago": -5},
    "expired": {"expire_at_hours_ago": 1},
    "retracted": {"published": False, "status": Status.RETRACTED, "retraction_reason": "Wrong."},
}


@pytest.fixture(params=sorted(NOT_PUBLIC))
def hidden_story(request, article_factory, section_factory, author_factory):
    """A story readers may not see, alone in its section, with its own tag and author."""
    fields = dict(NOT_PUBLIC[request.param])
    hours = fields.pop("expire_at_hours_ago", None)
    if hours is not None:
        fields["published_at"] = timezone.now() - timedelta(hours=3)
        fields["expire_at"] = timezone.now() - timedelta(hours=hours)
    return article_factory(
        "Secret merger",
        section=section_factory("Mergers Desk", slug="mergers-desk"),
        tags=["Acme Takeover"],
        authors=[author_factory("Deep Throat", slug="deep-throat")],
        **fields,
    )


def subject_urls():
    return [
        reverse(f"articles:{route}{suffix}", kwargs={"slug": slug})
        for route, slug in (
            ("section", "mergers-desk"),
            ("tag", "acme-takeover"),
            ("author", "deep-throat"),
        )
        for suffix in ("", "_rss", "_atom")
    ]


def test_subjects_of_hidden_stories_have_no_pages_or_feeds(client, article_factory, hidden_story):
    article_factory("A public story")
    for url in subject_urls():
        assert client.get(url).status_code == 404, url


def test_subjects_of_hidden_stories_are_not_in_the_navigation(
    client, article_factory, section_factory, hidden_story
):
    article_factory("A public story", section=section_factory("World"))
    html = client.get(reverse("articles:home")).content.decode()
    assert "World" in html
    assert "Mergers Desk" not in html and "mergers-desk" not in html


def test_subjects_of_hidden_stories_are_not_in_the_sitemaps(
    client, article_factory, author_factory, hidden_story
):
    article_factory("A public story", tags=["Weather"], authors=[author_factory("Ann")])
    for name in ("sections", "tags", "authors"):
        response = client.get(reverse("articles:sitemap_section", kwargs={"section": name}))
        document = parse_sitemap(response.content)
        found = " ".join(document.xpath("//s:loc/text()", namespaces=NAMESPACES))
        assert found.count("http") == 1
        assert "mergers-desk" not in found and "acme-takeover" not in found
        assert "deep-throat" not in found


def test_a_subject_shows_once_its_story_does(client, hidden_story):
    hidden_story.status = Status.PUBLISHED
    hidden_story.published_at = timezone.now() - timedelta(minutes=1)
    hidden_story.expire_at = None
    hidden_story.retraction_reason = ""
    hidden_story.save()
    for url in subject_urls():
        assert client.get(url).status_code == 200, url
    assert "Mergers Desk" in client.get(reverse("articles:home")).content.decode()


def test_a_merged_tag_does_not_redirect_to_a_hidden_tag(client, article_factory, hidden_story):
    hidden = Tag.objects.get(name="Acme Takeover")
    old_story = article_factory("Old story", tags=["Acme deal"])
    Tag.objects.filter(name__in=["Acme deal", "Acme Takeover"]).merge_into(hidden)
    assert client.get("/news/tag/acme-deal/").status_code == 301  # public while the old story is
    old_story.retract("Legal reasons.")
    response = client.get("/news/tag/acme-deal/")
    assert response.status_code == 404
    assert "acme-takeover" not in response.get("Location", "")


def test_a_merged_tag_redirects_to_a_public_tag(client, article_factory):
    kept = article_factory(tags=["Rain"]).tags.get()
    Tag.objects.create(name="Showers")
    Tag.objects.all().merge_into(kept)
    assert client.get("/news/tag/showers/")["Location"] == "/news/tag/rain/"

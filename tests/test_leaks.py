"""Never public before its time: one check over every public route the app registers.

The routes come from ``articles.urls`` itself, so a new public route with no entry in
``ROUTES`` below fails this test until someone says how to look for leaks on it.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from articles import urls as article_urls
from articles.models import Article, LiveUpdate, Status
from articles.sitemaps import SITEMAPS, month_start

pytestmark = pytest.mark.django_db

HIDDEN = {
    "scheduled": "Embargoed moonbase announcement",
    "draft": "Unfinished ferry timetable draft",
    "review": "Harbour dredging awaiting review",
    "retracted": "Withdrawn bridge collapse claim",
    "expired": "Lapsed parking amnesty notice",
}
#: A scheduled update of a public live story, due when the scheduled story is.
SCHEDULED_UPDATE = "Embargoed lighthouse bulletin"


def route_names(patterns, namespace="articles"):
    """Yield ``namespace:name`` for every pattern, following nested includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed public route {pattern.pattern} cannot be checked"
            yield f"{namespace}:{pattern.name}"


class Newsroom:
    """A section, author and tag shared by visible and hidden stories, cross-linked."""

    def __init__(
        self, article_factory, author_factory, section_factory, related_link_factory,
        placement_factory,
    ):  # fmt: skip
        now = timezone.now()
        self.section = section_factory("Metro")
        self.author = author_factory("Sam Shared")
        common = {"section": self.section, "tags": ["Harbour"], "authors": [self.author]}
        hidden_fields = {
            "scheduled": {"published_at": now + timedelta(hours=2)},
            "draft": {"published": False},
            "review": {"published": False, "status": Status.REVIEW},
            "retracted": {
                "published": False,
                "status": Status.RETRACTED,
                "published_at": now - timedelta(hours=3),
                "retraction_reason": "The claim was false.",
            },
            "expired": {
                "published_at": now - timedelta(days=2),
                "expire_at": now - timedelta(hours=1),
            },
        }
        self.hidden = {
            kind: article_factory(HIDDEN[kind], **common, **fields)
            for kind, fields in hidden_fields.items()
        }
        self.visible = [
            article_factory(f"Visible harbour story {i}", **common, hours_ago=5 + i)
            for i in range(2)
        ]
        for story in self.visible:
            for position, target in enumerate(self.hidden.values()):
                related_link_factory(story, target=target, position=position)
        # Curated on the home page's and the section's fronts: as lead, top stories and
        # in a package, with no window of their own (the story's publicness rules).
        for story in self.hidden.values():
            for front in ({}, {"section": self.section}):
                placement_factory(story, **front)
                placement_factory(story, package="Harbour watch", **front)
        # Every hidden story is also a translation of the first visible one, whose
        # "Read in" links and hreflang alternates must name none of them until their time.
        original = self.visible[0]
        Article.objects.filter(pk__in=[s.pk for s in self.hidden.values()]).update(
            translation_of=original, language="de"
        )
        self.publish_at = self.hidden["scheduled"].published_at
        # Every story is covered live: the public one has a public update and one due
        # with the embargo; each hidden story's update (public by its own time) names
        # the story, so it is caught wherever it shows.
        self.updates = []
        for story in stories(self):
            story.live_since = now - timedelta(hours=4)
            story.save()
            self.updates.append(
                LiveUpdate.objects.create(
                    article=story,
                    body=f"<p>Live: {story.headline}.</p>",
                    published_at=now - timedelta(hours=1),
                )
            )
        self.scheduled_update = LiveUpdate.objects.create(
            article=self.visible[0],
            title=SCHEDULED_UPDATE,
            body=f"<p>{SCHEDULED_UPDATE} text.</p>",
            published_at=self.publish_at,
        )
        self.updates.append(self.scheduled_update)


def subject_slug(world, subject):
    return {"section": world.section.slug, "tag": "harbour", "author": world.author.slug}[subject]


def stories(world):
    return [*world.visible, *world.hidden.values()]


#: How to look for leaks on each public route: a function from the newsroom to the URLs
#: to fetch. Hidden stories' own pages are fetched too; they must not show the story.
ROUTES = {
    "articles:home": lambda w: [reverse("articles:home")],
    "articles:article": lambda w: [s.get_absolute_url() for s in stories(w)],
    # Live stories: every update's own page, and each story's poll endpoint and feeds.
    "articles:article_update": lambda w: [update.get_absolute_url() for update in w.updates],
    **{
        f"articles:{name}": (
            lambda w, name=name: [
                reverse(f"articles:{name}", kwargs={"slug": s.slug}) for s in stories(w)
            ]
        )
        for name in ("article_live", "article_updates_rss", "article_updates_atom")
    },
    "articles:section": lambda w: [w.section.get_absolute_url()],
    "articles:tag": lambda w: [reverse("articles:tag", kwargs={"slug": "harbour"})],
    "articles:author": lambda w: [w.author.get_absolute_url()],
    "articles:feed_rss": lambda w: [reverse("articles:feed_rss")],
    "articles:feed_atom": lambda w: [reverse("articles:feed_atom")],
    **{
        f"articles:{subject}_{kind}": (
            lambda w, subject=subject, kind=kind: [
                reverse(f"articles:{subject}_{kind}", kwargs={"slug": subject_slug(w, subject)})
            ]
        )
        for subject in ("section", "tag", "author")
        for kind in ("rss", "atom")
    },
    "articles:sitemap": lambda w: [reverse("articles:sitemap")],
    "articles:sitemap_section": lambda w: [
        reverse("articles:sitemap_section", kwargs={"section": name}) for name in SITEMAPS
    ],
    # The month of every story that has a publication time, hidden ones included.
    "articles:sitemap_month": lambda w: [
        reverse("articles:sitemap_month", kwargs={"month": month})
        for month in sorted({month_start(s.published_at) for s in stories(w) if s.published_at})
    ],
    "articles:robots": lambda w: [reverse("articles:robots")],
    # The API's list, and its detail endpoint for every story.
    "articles:api_list": lambda w: [reverse("articles:api_list")],
    "articles:api_detail": lambda w: [
        reverse("articles:api_detail", kwargs={"slug": s.slug}) for s in stories(w)
    ],
    # One search per hidden story's distinctive word, and one shared by all stories.
    "articles:search": lambda w: [
        f"{reverse('articles:search')}?q={word}"
        for word in ("harbour", "moonbase", "ferry", "dredging", "withdrawn", "amnesty")
    ],
    # A preview link needs a signed token; a made-up one must show nothing.
    "articles:shared_preview": lambda w: [
        reverse("articles:shared_preview", kwargs={"slug": s.slug, "token": "forged:token"})
        for s in stories(w)
    ],
}


def leaks(client, world, kinds):
    """Return ``(url, kind)`` for every hidden story of ``kinds`` visible somewhere."""
    found = []
    for name in ROUTES:
        for url in ROUTES[name](world):
            response = client.get(url)
            assert response.status_code in (200, 403, 404, 410), (url, response.status_code)
            html = response.content.decode()
            for kind in kinds:
                story = world.hidden[kind]
                if story.headline in html or story.get_absolute_url() in html:
                    found.append((url, kind))
            update = world.scheduled_update
            if SCHEDULED_UPDATE in html or update.get_absolute_url() in html:
                found.append((url, "scheduled update"))
    return found


@pytest.mark.parametrize("page_cache_on", [False, True], ids=["uncached", "page cache"])
def test_no_public_route_shows_an_unpublished_story_until_its_time(
    request, page_cache_on, client, article_factory, author_factory, section_factory,
    related_link_factory, placement_factory,
):  # fmt: skip
    if page_cache_on:
        request.getfixturevalue("page_cache")
    registered = set(route_names(article_urls.urlpatterns))
    uncovered = registered - set(ROUTES)
    assert not uncovered, f"public routes with no leak check in tests/test_leaks.py: {uncovered}"
    assert not set(ROUTES) - registered, "ROUTES names a route that no longer exists"

    world = Newsroom(
        article_factory, author_factory, section_factory, related_link_factory, placement_factory
    )
    visible_url = world.visible[0].get_absolute_url()
    assert "Visible harbour story 1" in client.get(visible_url).content.decode()  # module works
    assert leaks(client, world, list(HIDDEN)) == []
    for story in world.hidden.values():
        assert client.get(story.get_absolute_url()).status_code == 404

    later = world.publish_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        found = leaks(client, world, list(HIDDEN))
        scheduled = world.hidden["scheduled"]
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        for front in (reverse("articles:home"), world.section.get_absolute_url()):
            html = client.get(front).content.decode()
            lead = html[html.index('class="lead-story"') : html.index("</section>")]
            assert scheduled.headline in lead, front  # its placement leads, now it is public
    assert {kind for _, kind in found} == {"scheduled", "scheduled update"}
    # The update, due with the embargo, shows on its story's live surfaces only.
    live = world.visible[0]
    assert {url for url, kind in found if kind == "scheduled update"} == {
        live.get_absolute_url(),
        world.scheduled_update.get_absolute_url(),
        *[reverse(f"articles:{name}", kwargs={"slug": live.slug}) for name in (
            "article_live", "article_updates_rss", "article_updates_atom", "api_detail"
        )],
    }  # fmt: skip
    shown_on = {url for url, kind in found if kind == "scheduled"}
    expected = {
        reverse("articles:home"),
        world.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "harbour"}),
        world.author.get_absolute_url(),
        scheduled.get_absolute_url(),
        *[story.get_absolute_url() for story in world.visible],  # in their related modules
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        *[
            reverse(f"articles:{subject}_{kind}", kwargs={"slug": subject_slug(world, subject)})
            for subject in ("section", "tag", "author")
            for kind in ("rss", "atom")
        ],
        reverse("articles:sitemap_section", kwargs={"section": "news"}),
        reverse("articles:sitemap_month", kwargs={"month": month_start(scheduled.published_at)}),
        f"{reverse('articles:search')}?q=moonbase",
        reverse("articles:api_list"),
        reverse("articles:api_detail", kwargs={"slug": scheduled.slug}),
    }
    assert expected <= shown_on, expected - shown_on

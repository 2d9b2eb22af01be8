"""Live stories through HTTP: posting in the admin, the reader's page, polling, feeds, API."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from articles import sitefacts
from articles.models import LiveUpdate, Revision
from tests.standards import assert_ninjs

pytestmark = pytest.mark.django_db

# The properties Google documents for a LiveBlogPosting (Search Central, "Live blog"
# structured data for Top stories): required on the posting and on each update, and
# the recommended ones we promise on every live story.
LIVE_REQUIRED = {"@type", "headline", "coverageStartTime", "coverageEndTime", "liveBlogUpdate"}
LIVE_RECOMMENDED = {"datePublished", "dateModified", "author", "publisher", "url", "description"}
UPDATE_REQUIRED = {"@type", "headline", "datePublished", "articleBody"}
UPDATE_RECOMMENDED = {"author", "url", "dateModified"}


@pytest.fixture
def live_story(article_factory):
    """A public story covered live since two hours ago."""
    now = timezone.now()
    return article_factory("Storm hits the coast", hours_ago=3, live_since=now - timedelta(hours=2))


@pytest.fixture
def update_factory(db):
    def make(article, body="<p>An update.</p>", minutes_ago: float = 5, authors=(), **fields):
        fields.setdefault("published_at", timezone.now() - timedelta(minutes=minutes_ago))
        update = LiveUpdate(article=article, body=body, **fields)
        update.full_clean()
        update.save()
        update.authors.set(authors)
        return update

    return make


def document(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def update_ids(response) -> list[str]:
    return document(response).xpath('//article[contains(@class, "live-update")]/@id')


def json_ld(response) -> dict[str, dict]:
    blocks = document(response).xpath('//script[@type="application/ld+json"]')
    return {data["@type"]: data for data in (json.loads(block.text) for block in blocks)}


def poll_url(story) -> str:
    return reverse("articles:article_live", kwargs={"slug": story.slug})


# Posting, through the admin ------------------------------------------------------------


def post_data(**fields) -> dict:
    data = {"live-body": "<p>The bridge is closed.</p>", "live-published_at_0": ""}
    data["live-published_at_1"] = ""
    data.update({f"live-{name}": value for name, value in fields.items()})
    return data


def test_an_editor_posts_an_update_from_the_story_page_in_one_step(
    editor_client, live_story, author_factory, editor
):
    change = reverse("admin:articles_article_change", args=[live_story.pk])
    page = editor_client.get(change)
    assert page.status_code == 200
    form = document(page).xpath('//form[.//input[@name="_post_update"]]')[0]
    assert form.get("action") == reverse("admin:articles_article_live_update", args=[live_story.pk])

    author = author_factory("Ada Live")
    response = editor_client.post(
        form.get("action"),
        post_data(title="Bridge closed", key_event="on", authors=[str(author.pk)]),
    )

    assert response.status_code == 302 and response["Location"].startswith(change)
    update = LiveUpdate.objects.get()
    assert (update.title, update.key_event, update.created_by) == ("Bridge closed", True, editor)
    assert list(update.authors.all()) == [author]
    revision = Revision.objects.filter(article=live_story).first()
    assert revision.comment == "Live update posted"
    assert revision.snapshot["live_updates"][0]["title"] == "Bridge closed"
    story_page = editor_client.get(live_story.get_absolute_url()).content.decode()
    assert "The bridge is closed." in story_page and "Ada Live" in story_page


def test_the_quick_form_refuses_bad_input_and_saves_nothing(editor_client, live_story):
    url = reverse("admin:articles_article_live_update", args=[live_story.pk])
    response = editor_client.post(
        url, post_data(key_event="on", embed_url="https://example.com/video")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Give a key event a short title." in text
    assert "Give a YouTube or Vimeo video address." in text
    assert not LiveUpdate.objects.exists()


def test_only_a_live_story_takes_updates(editor_client, article_factory):
    story = article_factory()
    url = reverse("admin:articles_article_live_update", args=[story.pk])
    assert editor_client.post(url, post_data()).status_code == 404
    page = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert b"_post_update" not in page.content


def test_pinning_an_update_unpins_the_other(editor_client, live_story, update_factory):
    first = update_factory(live_story, pinned=True)
    url = reverse("admin:articles_article_live_update", args=[live_story.pk])
    editor_client.post(url, post_data(pinned="on"))
    first.refresh_from_db()
    assert not first.pinned
    assert LiveUpdate.objects.filter(pinned=True).count() == 1


def test_a_correction_says_updated_and_is_a_revision(
    editor_client, live_story, update_factory, client
):
    update = update_factory(live_story, body="<p>Three ships sank.</p>")
    url = reverse("admin:articles_liveupdate_change", args=[update.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    from tests.conftest import change_form_data

    data = change_form_data(
        page, body="<p>Two ships sank.</p>", correction="An earlier version said three ships."
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update.refresh_from_db()
    assert update.edited_at is not None
    text = client.get(live_story.get_absolute_url()).content.decode()
    assert "Two ships sank." in text and "Three ships" not in text
    assert "An earlier version said three ships." in text and "Updated" in text
    revision = Revision.objects.filter(article=live_story).first()
    assert revision.comment == "Live update corrected"
    diff = editor_client.get(reverse("admin:articles_article_revision_diff", args=[live_story.pk]))
    assert diff.status_code == 200


# The reader's page ------------------------------------------------------------------


def test_newest_first_pinned_on_top_key_events_as_a_jump_list(client, live_story, update_factory):
    old = update_factory(live_story, minutes_ago=50, title="Warning issued", key_event=True)
    pinned = update_factory(live_story, minutes_ago=40, pinned=True, title="What we know")
    new = update_factory(live_story, minutes_ago=1)
    response = client.get(live_story.get_absolute_url())
    assert update_ids(response) == [pinned.anchor, new.anchor, old.anchor]
    jumps = document(response).xpath('//nav[contains(@class, "live-key-events")]//a/@href')
    assert jumps == [f"#{old.anchor}"]
    assert b'role="status" aria-live="polite"' in response.content


def test_all_updates_are_readable_without_javascript_a_page_at_a_time(
    client, live_story, update_factory, settings
):
    settings.ARTICLES_LIVE_PAGE_SIZE = 2
    updates = [update_factory(live_story, minutes_ago=10 - i) for i in range(5)]  # oldest first
    url = live_story.get_absolute_url()
    seen = []
    for number in (1, 2, 3):
        seen += update_ids(client.get(f"{url}?page={number}"))
    assert seen == [update.anchor for update in reversed(updates)]
    first = document(client.get(url))
    assert first.xpath('//section[@id="live-updates"]//a[@rel="next"]/@href') == [
        "?page=2#live-updates"
    ]
    assert client.get(f"{url}?page=9").status_code == 404


def test_a_key_event_on_another_page_links_to_its_permalink(
    client, live_story, update_factory, settings
):
    settings.ARTICLES_LIVE_PAGE_SIZE = 1
    event = update_factory(live_story, minutes_ago=30, key_event=True, title="Landfall")
    update_factory(live_story, minutes_ago=1)
    jumps = document(client.get(live_story.get_absolute_url())).xpath(
        '//nav[contains(@class, "live-key-events")]//a/@href'
    )
    assert jumps == [event.get_absolute_url()]


def test_each_update_has_a_permalink_page(client, live_story, update_factory):
    update = update_factory(live_story, title="Landfall", body="<p>The eye is ashore.</p>")
    url = update.get_absolute_url()
    assert url == f"{live_story.get_absolute_url()}updates/{update.pk}/"
    page = document(client.get(url))
    assert page.xpath("//h2/text()") == ["Landfall"]
    assert "The eye is ashore." in page.text_content()
    assert page.xpath('//link[@rel="canonical"]/@href') == [f"http://testserver{url}"]
    other = update_factory(live_story)
    other_url = reverse("articles:article_update", kwargs={"slug": "nope", "pk": other.pk})
    assert client.get(other_url).status_code == 404


def test_an_ended_story_says_so_and_stops_polling(client, live_story, update_factory):
    live_story.live_until = timezone.now() - timedelta(minutes=1)
    live_story.save()
    update_factory(live_story)
    response = client.get(live_story.get_absolute_url())
    assert "Live coverage ended" in response.content.decode()
    assert not document(response).xpath('//section[@id="live-updates"]/@data-poll-url')
    assert b"live.js" not in response.content
    assert client.get(poll_url(live_story)).json()["live"] is False


def test_the_live_page_costs_the_same_queries_for_3_or_30_updates(
    client, live_story, update_factory, author_factory, image_factory, article_factory
):
    def count(story) -> int:
        sitefacts.forget()  # the worst case: the site's facts read on this page
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(story.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    author, photo = author_factory(), image_factory(renditions=True)
    body = f'<figure data-image="{photo.pk}"></figure><p>With a photo.</p>'
    for i in range(3):
        update_factory(live_story, body=body, image=photo, authors=[author], key_event=i == 0,
                       title="Key" if i == 0 else "", minutes_ago=i + 1)  # fmt: skip
    other = article_factory(live_since=timezone.now() - timedelta(hours=1))
    for i in range(30):
        update_factory(other, body=body, image=photo, authors=[author, author_factory()],
                       key_event=i % 3 == 0, title="Key" if i % 3 == 0 else "",
                       pinned=i == 7, minutes_ago=i + 1)  # fmt: skip
    few, many = count(live_story), count(other)
    assert few == many
    assert many <= LIVE_PAGE_BUDGET, many


# The 7 of any story page (tests/test_query_budgets.py), then the story's next scheduled
# update (its pages' cache lifetime), the pinned update and key events with their
# authors (2), a page of updates (count, rows, authors: 3) and their body photos (1).
LIVE_PAGE_BUDGET = 15


# Polling: ETag, 304, the page cache and the clock -------------------------------------


def test_the_poll_endpoint_answers_304_until_an_update_is_posted(
    client, live_story, update_factory, page_cache, django_capture_on_commit_callbacks
):
    first = update_factory(live_story)
    url = poll_url(live_story)
    answer = client.get(url)
    assert answer["Content-Type"].startswith("application/json")
    assert [u["id"] for u in answer.json()["updates"]] == [first.pk]
    etag = answer["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert not ctx.captured_queries

    with django_capture_on_commit_callbacks(execute=True):
        second = update_factory(live_story, minutes_ago=0)
    fresh = client.get(url, headers={"if-none-match": etag})
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert [u["id"] for u in fresh.json()["updates"]] == [second.pk, first.pk]
    assert fresh.json()["updates"][0]["url"] == f"http://testserver{second.get_absolute_url()}"


def test_a_scheduled_update_stays_hidden_and_bounds_the_cache_lifetime(
    client, live_story, update_factory, page_cache
):
    due = timezone.now() + timedelta(seconds=120)
    scheduled = update_factory(
        live_story, body="<p>Embargoed lighthouse report.</p>", published_at=due
    )
    urls = [poll_url(live_story), live_story.get_absolute_url()]
    for url in urls:
        response = client.get(url)
        assert b"lighthouse" not in response.content and str(scheduled.pk) not in (
            response.json()["updates"] if url.endswith(".json") else []
        )
        max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age <= 120, url
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    with mock.patch("django.utils.timezone.now", return_value=due + timedelta(seconds=1)):
        assert scheduled.pk in [u["id"] for u in client.get(urls[0]).json()["updates"]]
        assert b"Embargoed lighthouse report." in client.get(urls[1]).content
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_a_deleted_update_disappears_everywhere(
    editor_client, client, live_story, update_factory, page_cache,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = Client()  # a reader, logged out (``editor_client`` logs the default one in)
    gone = update_factory(live_story, title="Mistaken report", body="<p>Wrongly posted.</p>")
    kept = update_factory(live_story, body="<p>Still here.</p>", minutes_ago=10)
    slug = live_story.slug
    urls = [
        live_story.get_absolute_url(),
        poll_url(live_story),
        reverse("articles:article_updates_rss", kwargs={"slug": slug}),
        reverse("articles:article_updates_atom", kwargs={"slug": slug}),
        reverse("articles:api_detail", kwargs={"slug": slug}),
    ]
    for url in urls:  # warm the page cache
        assert b"Wrongly posted." in client.get(url).content or url == poll_url(live_story)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert gone.pk in [u["id"] for u in client.get(poll_url(live_story)).json()["updates"]]

    delete = reverse("admin:articles_liveupdate_delete", args=[gone.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(delete, {"post": "yes"}).status_code == 302

    for url in urls:
        response = client.get(url)
        assert b"Wrongly posted." not in response.content, url
        assert b"Mistaken report" not in response.content, url
    assert [u["id"] for u in client.get(poll_url(live_story)).json()["updates"]] == [kept.pk]
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert Revision.objects.filter(article=live_story).first().comment == "Live update deleted"


# JSON-LD, feed, API ------------------------------------------------------------------


def test_live_blog_posting_has_the_properties_google_documents(
    client, live_story, update_factory, author_factory, image_factory
):
    live_story.live_until = timezone.now() + timedelta(hours=5)  # a planned end
    live_story.save()
    author = author_factory("Lee Live")
    update_factory(live_story, title="Landfall", authors=[author], image=image_factory())
    update_factory(live_story, body="<p>Rain <em>everywhere</em>.</p>", minutes_ago=20)
    update_factory(
        live_story, body="<p>Hidden.</p>", published_at=timezone.now() + timedelta(hours=1)
    )

    found = json_ld(client.get(live_story.get_absolute_url()))
    assert "NewsArticle" not in found
    posting = found["LiveBlogPosting"]
    assert set(posting) >= LIVE_REQUIRED | LIVE_RECOMMENDED, LIVE_REQUIRED - set(posting)
    assert (
        posting["coverageStartTime"]
        == timezone.localtime(live_story.live_since).replace(microsecond=0).isoformat()
    )
    updates = posting["liveBlogUpdate"]
    assert len(updates) == 2
    for entry in updates:
        assert set(entry) >= UPDATE_REQUIRED | UPDATE_RECOMMENDED
        assert entry["@type"] == "BlogPosting"
    assert updates[0]["headline"] == "Landfall"
    assert updates[0]["author"] == [
        {
            "@type": "Person",
            "name": "Lee Live",
            "url": f"http://testserver{author.get_absolute_url()}",
        }
    ]
    assert updates[0]["image"]
    assert updates[1]["articleBody"] == "Rain everywhere."
    assert "Hidden." not in json.dumps(posting)


def test_ongoing_coverage_invents_no_end_time(client, live_story, update_factory):
    update_factory(live_story)
    posting = json_ld(client.get(live_story.get_absolute_url()))["LiveBlogPosting"]
    assert "coverageEndTime" not in posting


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_updates_feed_lists_public_updates_newest_first(
    client, live_story, update_factory, kind
):
    update_factory(live_story, title="Older", minutes_ago=30)
    newer = update_factory(live_story, body="<p>Newer text.</p>", correction="Fixed a name.")
    update_factory(live_story, title="Scheduled", published_at=timezone.now() + timedelta(hours=1))
    response = client.get(
        reverse(f"articles:article_updates_{kind}", kwargs={"slug": live_story.slug})
    )
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    text = response.content.decode()
    if kind == "rss":
        titles = [item.findtext("title") for item in root.iter("item")]
        links = [item.findtext("link") for item in root.iter("item")]
    else:
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [
            entry.findtext("a:title", namespaces=ns) for entry in root.iterfind("a:entry", ns)
        ]
        links = [e.find("a:link", ns).get("href") for e in root.iterfind("a:entry", ns)]
    assert titles[1] == "Older" and len(titles) == 2
    assert links[0] == f"http://testserver{newer.get_absolute_url()}"
    assert "Newer text." in text and "Fixed a name." in text and "Scheduled" not in text


def test_a_story_not_covered_live_has_no_updates_feed(client, article_factory):
    story = article_factory()
    url = reverse("articles:article_updates_rss", kwargs={"slug": story.slug})
    assert client.get(url).status_code == 404
    assert client.get(poll_url(story)).status_code == 404


def test_updates_are_ninjs_associations_of_the_story(
    client, live_story, update_factory, author_factory
):
    author = author_factory("Noor Ninjs")
    update = update_factory(live_story, title="Landfall", authors=[author], correction="Typo.")
    update_factory(live_story, published_at=timezone.now() + timedelta(hours=1), title="Later")
    data = client.get(reverse("articles:api_detail", kwargs={"slug": live_story.slug})).json()
    assert_ninjs(data)
    updates = [a for a in data["associations"] if a.get("rel") == "liveupdate"]
    assert len(updates) == 1
    item = updates[0]
    assert item["uri"] == f"http://testserver{update.get_absolute_url()}"
    assert item["type"] == "text" and item["pubStatus"] == "usable"
    assert item["headlines"][0]["value"] == "Landfall"
    assert item["bodies"][0]["contentType"] == "text/html"
    assert item["by"] == "Noor Ninjs" and item["edNote"] == "Correction: Typo."


def test_editors_post_updates_and_reporters_not_to_public_stories(
    desk_editor_client, reporter_client, reporter, live_story, article_factory, author_factory
):
    url = reverse("admin:articles_article_live_update", args=[live_story.pk])
    assert desk_editor_client.post(url, post_data()).status_code == 302
    # A reporter edits only their own drafts: a public story's updates are the editors'.
    own = article_factory(
        live_since=timezone.now(), authors=[author_factory("Riley", user=reporter)]
    )
    for story in (live_story, own):
        url = reverse("admin:articles_article_live_update", args=[story.pk])
        assert reporter_client.post(url, post_data()).status_code == 404
    assert LiveUpdate.objects.count() == 1


def test_an_updates_photo_is_absolute_in_the_feed(
    client, live_story, update_factory, image_factory
):
    update_factory(live_story, image=image_factory(credit="Coast Pictures"))
    url = reverse("articles:article_updates_rss", kwargs={"slug": live_story.slug})
    root = ElementTree.fromstring(client.get(url).content)
    media = root.find(".//{http://search.yahoo.com/mrss/}content")
    assert media.get("url").startswith("http://testserver/")
    assert "Coast Pictures" in ElementTree.tostring(media, encoding="unicode")


def test_a_change_to_an_updates_photo_refreshes_the_story_page(
    client, live_story, update_factory, image_factory, page_cache,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    photo = image_factory(caption="Waves over the wall")
    update_factory(live_story, image=photo)
    url = live_story.get_absolute_url()
    assert b"Waves over the wall" in client.get(url).content
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        photo.caption = "Spray over the sea wall"
        photo.save()
    assert b"Spray over the sea wall" in client.get(url).content


def test_a_planned_end_of_coverage_bounds_the_cache_and_ends_on_time(
    client, live_story, page_cache
):
    end = timezone.now() + timedelta(seconds=90)
    live_story.live_until = end
    live_story.save()
    response = client.get(live_story.get_absolute_url())
    assert "Live coverage ended" not in response.content.decode()
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 90
    with mock.patch("django.utils.timezone.now", return_value=end + timedelta(seconds=1)):
        assert "Live coverage ended" in client.get(live_story.get_absolute_url()).content.decode()
        assert client.get(poll_url(live_story)).json()["live"] is False

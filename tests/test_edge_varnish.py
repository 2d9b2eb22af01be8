"""The Varnish edge: a real varnishd with the xkey vmod in front of a Django live server.

The test starts ``varnishd`` itself (a loopback port in 18800-18899, its own work
folder, no management port) with the production recipe's VCL, docs/newsroom.vcl, its
backend pointed at pytest-django's live server. The app sends ``xkey`` headers and purges
through ``VarnishXkeyPurger`` (the task runs inline, immediate backend). Each scenario
reads pages through Varnish before and after a change and checks, by the hit header the
VCL sets (``X-Cache``) and ``X-Varnish`` (two transaction ids on a hit), that exactly
the pages showing the change were refetched and an unrelated page is still a hit.
Skipped where varnishd or the xkey vmod is not installed (Debian: ``varnish``,
``varnish-modules``; ``.ci/run`` installs them).
"""

from __future__ import annotations

import glob
import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import edge
from articles.models import Article, LiveUpdate, Status, Tag
from articles.signals import pages_changed
from tests.test_leaks import HIDDEN, ROUTES, SCHEDULED_UPDATE, Newsroom

VCL = Path(__file__).resolve().parent.parent / "docs" / "newsroom.vcl"
VARNISHD = shutil.which("varnishd") or next(iter(glob.glob("/usr/sbin/varnishd")), None)
XKEY = glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
    "/usr/lib/varnish/vmods/libvmod_xkey.so"
)
PORTS = range(18800, 18900)
WAIT = 60  # seconds a poll waits for what must happen before the test gives up

pytestmark = [
    pytest.mark.skipif(
        not VCL.exists(), reason="needs docs/newsroom.vcl: the checkout, not an installed wheel"
    ),
    pytest.mark.skipif(
        VARNISHD is None, reason="needs varnishd (Debian package varnish; .ci/run installs it)"
    ),
    pytest.mark.skipif(
        not XKEY,
        reason="needs the xkey vmod (Debian package varnish-modules; .ci/run installs it)",
    ),
]


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def hit(self) -> bool:
        """Served from Varnish's cache: the VCL's header, and two ids in X-Varnish."""
        hit = self.headers["X-Cache"] == "hit"
        assert hit == (len(self.headers["X-Varnish"].split()) == 2), self.headers
        return hit

    @property
    def s_maxage(self) -> int:
        return int(re.search(r"s-maxage=(\d+)", self.headers["Cache-Control"]).group(1))


class Varnish:
    """A varnishd of the test's own, in the foreground, stopped by its pid."""

    def __init__(self, backend_url: str):
        backend = urlsplit(backend_url)
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        vcl = VCL.read_text().replace('"127.0.0.1"', f'"{backend.hostname}"', 1)
        (self.folder / "test.vcl").write_text(vcl.replace('"8000"', f'"{backend.port}"', 1))
        self.port = free_port()
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-j", "none", "-n", str(self.folder / "work"),
             "-a", f"127.0.0.1:{self.port}", "-f", str(self.folder / "test.vcl"),
             "-s", "malloc,32m", "-T", "none", "-p", "vsl_space=1m"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        for _ in range(WAIT * 10):  # a readiness poll (the VCL is compiled first)
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd did not start:\n{self.process.stdout.read()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("varnishd did not start listening")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(self, method: str, path: str, headers=None) -> Page:
        # http.client: straight to the loopback port, never through a *_proxy setting.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def purge_all(self) -> None:
        """Forget every page of the site (each carries the ``site`` key)."""
        assert self.request("PURGE", "/", {"xkey-purge": "site"}).status == 200

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=WAIT)
        self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


@pytest.fixture(scope="module")
def varnish(live_server):
    server = Varnish(live_server.url)
    yield server
    server.stop()


@pytest.fixture
def edge_site(varnish, live_server, transactional_db, settings):
    """The app behind Varnish as in production: xkey headers, purges, the page cache on."""
    settings.ARTICLES_SURROGATE_KEY_HEADER = "xkey"
    settings.ARTICLES_PURGER = "articles.edge.VarnishXkeyPurger"
    settings.ARTICLES_VARNISH_PURGE_URLS = [varnish.url]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ARTICLES_PAGE_CACHE = True
    cache.clear()
    varnish.purge_all()
    edge.connect()
    yield varnish
    pages_changed.disconnect(sender=Article, dispatch_uid=edge.DISPATCH_UID)
    cache.clear()


def warm(varnish, *paths) -> None:
    """Put ``paths`` in Varnish: each read twice, the second a hit."""
    for path in paths:
        assert varnish.get(path).status == 200, path
        assert varnish.get(path).hit, path


@pytest.fixture
def newsroom(edge_site, article_factory, section_factory):
    """Two sections; a tagged story in World, and in Sport one that shares nothing with it."""
    world, sport = section_factory("World"), section_factory("Sport")
    story = article_factory("Harbour reopens after storm", section=world, tags=["Harbour"])
    other = article_factory("Final score at the stadium", section=sport)
    tag = Tag.objects.get()
    return {
        "story": story,
        "other": other,
        "tag": tag,
        "home": reverse("articles:home"),
        "world": world.get_absolute_url(),
        "sport": sport.get_absolute_url(),
        "tag_page": tag.get_absolute_url(),
    }


def test_a_publication_refetches_the_pages_listing_it_only(edge_site, newsroom, article_factory):
    n = newsroom
    draft = article_factory(
        "Ferry timetable published",
        section=n["story"].section,
        tags=["Harbour"],
        published=False,
    )
    assert edge_site.get(draft.get_absolute_url()).status == 404
    listing = [n["home"], n["world"], n["tag_page"]]
    unrelated = [n["other"].get_absolute_url(), n["sport"]]
    warm(edge_site, *listing, *unrelated)

    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()

    for path in listing:
        page = edge_site.get(path)
        assert not page.hit and "Ferry timetable published" in page.text, path
    assert "Ferry timetable published" in edge_site.get(draft.get_absolute_url()).text
    for path in unrelated:
        assert edge_site.get(path).hit, path


def test_an_edit_refetches_the_pages_showing_the_story_only(edge_site, newsroom):
    n = newsroom
    story_page = n["story"].get_absolute_url()
    showing = [story_page, n["home"], n["world"], n["tag_page"]]
    unrelated = [n["other"].get_absolute_url(), n["sport"]]
    warm(edge_site, *showing, *unrelated)

    n["story"].headline = "Harbour reopens to shipping"
    n["story"].save()

    for path in showing:
        page = edge_site.get(path)
        assert not page.hit and "Harbour reopens to shipping" in page.text, path
    for path in unrelated:
        assert edge_site.get(path).hit, path


def test_a_retraction_leaves_the_edge(edge_site, newsroom, article_factory):
    n = newsroom
    # World keeps a public story, so it stays in every page's navigation (a section
    # leaving the menu would rightly refresh every page).
    article_factory("Tide tables for the week", section=n["story"].section)
    story_page = n["story"].get_absolute_url()
    showing = [n["home"], n["world"], n["tag_page"]]
    unrelated = [n["other"].get_absolute_url(), n["sport"]]
    warm(edge_site, story_page, *showing, *unrelated)

    n["story"].status, n["story"].retraction_reason = Status.RETRACTED, "The storm never came."
    n["story"].save()

    gone = edge_site.get(story_page)
    assert gone.status in (404, 410) and not gone.hit
    assert edge_site.get(story_page).status in (404, 410)  # and no copy is kept
    for path in showing:
        page = edge_site.get(path)
        assert not page.hit and "Harbour reopens after storm" not in page.text, path
    for path in unrelated:
        assert edge_site.get(path).hit, path


def test_a_tag_rename_refetches_the_pages_of_its_stories_only(edge_site, newsroom):
    n = newsroom
    story_page = n["story"].get_absolute_url()
    warm(edge_site, story_page, n["home"], n["other"].get_absolute_url(), n["sport"])

    n["tag"].name = "Seaport"
    n["tag"].save()

    page = edge_site.get(story_page)
    assert not page.hit and ">Seaport</a>" in page.text
    assert not edge_site.get(n["home"]).hit  # it lists the story
    for path in (n["other"].get_absolute_url(), n["sport"]):
        assert edge_site.get(path).hit, path


def wait_for(fetch, ready):
    """Fetch until ``ready(page)``; return that page (a poll, not a timed assertion)."""
    for _ in range(WAIT * 5):
        page = fetch()
        if ready(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"never happened within {WAIT}s; last answer:\n{page.text[:500]}")


def test_a_scheduled_story_appears_at_its_time_without_a_purge(
    edge_site, newsroom, article_factory
):
    n = newsroom
    due = timezone.now() + timedelta(seconds=5)
    scheduled = article_factory(
        "Embargoed regatta results", section=n["story"].section, published_at=due
    )
    asked = timezone.now()
    page = edge_site.get(n["home"])
    assert "Embargoed regatta results" not in page.text
    assert page.s_maxage <= (due - asked).total_seconds()  # the edge lets go by its time
    assert edge_site.get(scheduled.get_absolute_url()).status == 404

    time.sleep(max(0.0, (due - timezone.now()).total_seconds()))
    shown = wait_for(lambda: edge_site.get(n["home"]), lambda p: "Embargoed regatta" in p.text)
    assert not shown.hit
    assert edge_site.get(scheduled.get_absolute_url()).status == 200


def test_a_photo_whose_rights_end_leaves_the_edge_without_a_purge(
    edge_site, section_factory, article_factory, image_factory
):
    # Rights end at midnight, newsroom time: run the app's clock from a few seconds
    # before one (the live server shares this process, so it reads the same clock).
    real_now = timezone.now
    zone = timezone.get_default_timezone()
    today = timezone.localdate()
    midnight = datetime.combine(today + timedelta(days=1), clock_time(), tzinfo=zone)
    offset = midnight - timedelta(seconds=5) - real_now()
    with mock.patch("django.utils.timezone.now", lambda: real_now() + offset):
        photo = image_factory(caption="Lighthouse at dusk", rights_expire_on=midnight.date())
        story = article_factory("Lighthouse keeper retires", lead_image=photo)
        url = story.get_absolute_url()
        asked = timezone.now()
        page = edge_site.get(url)
        assert "Lighthouse at dusk" in page.text
        assert page.s_maxage <= (midnight - asked).total_seconds()

        time.sleep(max(0.0, (midnight - timezone.now()).total_seconds()))
        gone = wait_for(lambda: edge_site.get(url), lambda p: "Lighthouse at dusk" not in p.text)
        assert not gone.hit


def test_no_unpublished_story_reaches_the_edge_before_its_time(
    edge_site, article_factory, author_factory, section_factory, related_link_factory,
    placement_factory,
):  # fmt: skip
    world = Newsroom(
        article_factory, author_factory, section_factory, related_link_factory, placement_factory
    )
    asked = timezone.now()
    for name, urls in ROUTES.items():
        for url in urls(world):
            for _ in range(2):  # a miss, then whatever Varnish keeps
                page = edge_site.get(url)
                assert page.status in (200, 403, 404, 410), (url, page.status)
                for kind in HIDDEN:
                    story = world.hidden[kind]
                    assert story.headline not in page.text, (name, url, kind)
                    assert story.get_absolute_url() not in page.text, (name, url, kind)
                assert SCHEDULED_UPDATE not in page.text, (name, url)
                assert world.scheduled_update.get_absolute_url() not in page.text, (name, url)
                if page.status == 200 and "s-maxage" in page.headers.get("Cache-Control", ""):
                    # Nothing kept at the edge outlives the embargo.
                    assert page.s_maxage <= (world.publish_at - asked).total_seconds(), url
                else:
                    assert not page.hit, url  # errors and previews are never kept


def test_a_live_update_reaches_the_edge_and_a_deleted_one_leaves_it(edge_site, newsroom):
    n = newsroom
    story = n["story"]
    story.live_since = timezone.now() - timedelta(hours=1)
    story.save()
    page_url = story.get_absolute_url()
    poll = reverse("articles:article_live", kwargs={"slug": story.slug})
    unrelated = [n["home"], n["world"], n["other"].get_absolute_url()]
    warm(edge_site, page_url, poll, *unrelated)
    etag = edge_site.get(poll).headers["ETag"]
    assert edge_site.request("GET", poll, {"If-None-Match": etag}).status == 304

    update = LiveUpdate.objects.create(
        article=story, body="<p>Ferries suspended for the night.</p>"
    )

    answer = edge_site.request("GET", poll, {"If-None-Match": etag})
    assert answer.status == 200 and not answer.hit
    assert f'"id": {update.pk}' in answer.text or f'"id":{update.pk}' in answer.text
    page = edge_site.get(page_url)
    assert not page.hit and "Ferries suspended for the night." in page.text
    for path in unrelated:  # an update purges its story's own surfaces only
        assert edge_site.get(path).hit, path
    warm(edge_site, page_url, poll)

    update.delete()

    page = edge_site.get(page_url)
    assert not page.hit and "Ferries suspended" not in page.text
    answer = edge_site.get(poll)
    assert not answer.hit and str(update.pk) not in answer.text.split('"updates"')[1]


def test_editors_and_the_admin_pass_through(edge_site, newsroom, editor_client):
    for _ in range(2):
        assert not edge_site.get(reverse("admin:login")).hit
    editor = {"Cookie": f"sessionid={editor_client.cookies['sessionid'].value}"}
    warm(edge_site, newsroom["home"])
    for _ in range(2):  # an editor's request never gets, nor leaves, the readers' copy
        assert not edge_site.request("GET", newsroom["home"], editor).hit

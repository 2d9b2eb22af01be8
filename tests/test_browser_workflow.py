"""The workflow buttons, the Scheduled state and the change form's layout in a real browser."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from tests.browser import axe_violations, log_in_as, no_horizontal_overflow

pytestmark = pytest.mark.browser

PASSWORD = "desk-password-1"
#: Where the layout screenshots go (kept by CI as artefacts when set).
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")


@pytest.fixture
def editor_page(browser, live_server, django_user_model):
    """A logged-in editor who may publish (a superuser: the roles' groups do not survive
    the flush of transactional tests)."""
    django_user_model.objects.create_superuser("erin", "erin@example.org", PASSWORD)
    page = log_in_as(
        browser, live_server, "erin", PASSWORD, viewport={"width": 1280, "height": 900}
    )
    yield page
    page.context.close()


def url(live_server, name, *args):
    return live_server.url + reverse(name, args=args)


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
@pytest.mark.django_db(transaction=True)
def test_editor_schedules_a_story_and_sees_it_scheduled_everywhere(
    editor_page, live_server, article_factory
):
    page = editor_page
    draft = article_factory("Budget embargo", published=False)
    page.goto(url(live_server, "admin:articles_article_change", draft.pk))
    page.get_by_text("Schedule…").click()
    page.locator("#id_published_at_0").fill("2030-12-01")
    page.locator("#id_published_at_1").fill("21:21")
    assert "Europe/London" in page.locator(".desk-reveal-schedule").inner_text()
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_load_state()
    message = page.locator(".messagelist .success").inner_text()
    assert message == "Scheduled for 1 Dec 2030, 21:21 GMT."
    assert "Scheduled for 1 Dec 2030, 21:21 GMT" in page.locator(".desk-header-state").inner_text()
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.status, stored.published_at) == (
        Status.PUBLISHED,
        datetime(2030, 12, 1, 21, 21, tzinfo=UTC),
    )

    page.goto(url(live_server, "admin:articles_article_changelist"))
    row = page.locator("#result_list tr", has_text="Budget embargo")
    assert row.locator(".desk-badge").inner_text() == "Scheduled"
    page.get_by_role("link", name="Scheduled", exact=True).click()
    page.wait_for_load_state()
    assert "state=scheduled" in page.url
    assert page.locator("#result_list tbody tr").count() == 1

    page.goto(url(live_server, "admin:articles_article_preview", draft.pk))
    banner = page.locator(".preview-banner").inner_text()
    assert "Scheduled for 1 Dec 2030, 21:21 GMT" in banner


@override_settings(ARTICLES_TIME_ZONE="Europe/London")
@pytest.mark.django_db(transaction=True)
def test_editor_publishes_now_and_is_told_when_with_a_link(
    editor_page, live_server, article_factory
):
    page = editor_page
    draft = article_factory("Ready story", published=False, status=Status.REVIEW)
    page.goto(url(live_server, "admin:articles_article_change", draft.pk))
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_load_state()
    stored = Article.objects.get(pk=draft.pk)
    when = timezone.localtime(stored.published_at, timezone.get_fixed_timezone(0))
    message = page.locator(".messagelist .success")
    assert message.inner_text() == f"Published {when:%-d %b %Y, %H:%M} GMT — view on site."
    link = message.get_by_role("link", name="view on site")
    assert link.get_attribute("href") == stored.get_absolute_url()
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ready story"


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_change_form_fits_and_tools_never_cover_the_title(
    editor_page, live_server, article_factory, image_factory, width
):
    page = editor_page
    story = article_factory(
        "A long headline about the council's budget vote that runs on for a while to wrap",
        lead_image=image_factory(credit="REUTERS/Jonathan Ernst"),
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url(live_server, "admin:articles_article_change", story.pk))
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"change-form-{width}.png"), full_page=True)
    assert no_horizontal_overflow(page)
    tools = page.locator("#content-main > .object-tools").bounding_box()
    for title in ("#content > h1", "#content > h2"):
        assert not overlaps(tools, page.locator(title).bounding_box()), title
    side = page.locator(".desk-col-side").bounding_box()
    main = page.locator(".desk-col-main").bounding_box()
    if width == 1280:
        assert side["x"] >= main["x"] + main["width"]  # two columns, side by side
    else:
        assert side["y"] >= main["y"] + main["height"]  # one column
    assert page.locator(".desk-publish").is_visible()


@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_on_the_article_screens(
    editor_page, live_server, article_factory, image_factory, author_factory
):
    page = editor_page
    story = article_factory(
        "Checked story", lead_image=image_factory(credit="AP"), authors=[author_factory("Ann")]
    )
    article_factory("Scheduled one", published_at=timezone.now() + timedelta(days=1))
    article_factory("A draft", published=False)
    for name, args in [
        ("admin:articles_article_add", ()),
        ("admin:articles_article_change", (story.pk,)),
        ("admin:articles_article_changelist", ()),
    ]:
        page.goto(url(live_server, name, *args))
        if name != "admin:articles_article_changelist":
            page.locator("html[data-desk-named]").wait_for(state="attached")
        violations = axe_violations(page)
        assert violations == [], (name, violations)
    # The panels behind "Unpublish / retract…" too.
    page.goto(url(live_server, "admin:articles_article_change", story.pk))
    page.get_by_text("Unpublish / retract…").click()
    assert axe_violations(page, context=".desk-publish") == []

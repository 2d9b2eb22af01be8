"""The front's ordering screen in a real browser: drag, keyboard, save, and what readers see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Placement
from tests.browser import axe_violations, log_in_as, no_horizontal_overflow

pytestmark = pytest.mark.browser

PASSWORD = "desk-password-1"


@pytest.fixture
def editor_page(browser, live_server, django_user_model):
    django_user_model.objects.create_superuser("erin", "erin@example.org", PASSWORD)
    page = log_in_as(
        browser, live_server, "erin", PASSWORD, viewport={"width": 1280, "height": 900}
    )
    yield page
    page.context.close()


def headlines_in_order(page, selector: str) -> list[str]:
    return page.locator(selector).all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_editor_orders_the_home_slots_by_drag_and_by_keyboard(
    editor_page, browser, live_server, article_factory, image_factory, placement_factory
):
    placements = [
        placement_factory(article_factory(f"Slot story {name}", lead_image=image_factory()))
        for name in ("A", "B", "C")
    ]
    page = editor_page
    page.goto(
        live_server.url + reverse("admin:articles_front_order", args=[placements[0].front_id])
    )
    assert axe_violations(page) == []
    rows = page.locator("tr.front-order-row")
    assert rows.count() == 3

    # Drag C by its handle onto the top half of A: C, A, B.
    handle = rows.nth(2).locator(".front-order-handle")
    handle.drag_to(rows.nth(0), target_position={"x": 10, "y": 2})
    assert headlines_in_order(page, "tr.front-order-row strong") == [
        "Slot story C",
        "Slot story A",
        "Slot story B",
    ]

    # Then B up one with the keyboard: C, B, A.
    page.get_by_role("button", name="Move up: Slot story B").focus()
    page.keyboard.press("Enter")
    assert headlines_in_order(page, "tr.front-order-row strong") == [
        "Slot story C",
        "Slot story B",
        "Slot story A",
    ]
    assert "position 2 of 3" in page.locator("#front-order-status").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save order").click()
    page.locator(".messagelist .success").wait_for()
    assert [p.article.headline for p in Placement.objects.order_by("position")] == [
        "Slot story C",
        "Slot story B",
        "Slot story A",
    ]

    reader = browser.new_page()
    try:
        reader.goto(live_server.url + reverse("articles:home"))
        assert "Slot story C" in reader.locator(".lead-story").inner_text()
        tops = reader.locator(".top-stories .card-title").all_inner_texts()
        assert tops[:2] == ["Slot story B", "Slot story A"]
    finally:
        reader.close()


@pytest.mark.django_db(transaction=True)
def test_the_ordering_screen_fits_a_phone(
    browser, live_server, django_user_model, article_factory, image_factory, placement_factory
):
    django_user_model.objects.create_superuser("erin", "erin@example.org", PASSWORD)
    page = log_in_as(browser, live_server, "erin", PASSWORD, viewport={"width": 390, "height": 844})
    placement = placement_factory(
        article_factory(
            "A rather long headline for a phone's narrow screen", lead_image=image_factory()
        )
    )
    placement_factory(article_factory("Second slot"))
    page.goto(live_server.url + reverse("admin:articles_front_order", args=[placement.front_id]))
    assert page.locator("tr.front-order-row").count() == 2
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    page.context.close()

"""In a real browser: the Arabic edition reads right to left, accessible, nothing overflowing."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.urls import reverse

from articles.models import Correction
from tests.browser import axe_violations, no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arabic_article_page_is_right_to_left_and_accessible(
    browser, live_server, settings, article_factory, author_factory, image_factory
):
    settings.LANGUAGE_CODE = "ar"
    photo = image_factory("رويترز", caption="جسر المدينة بعد الفيضان.", alt_text="جسر فوق نهر.")
    original = article_factory(
        "الحواجز تصمد أمام فيضان النهر القياسي",
        dek="المهندسون يعزون النجاة إلى عقد من التحديثات.",
        body="<p>توافد السكان منذ الصباح الباكر إلى ضفة النهر.</p>"
        "<blockquote><p>«قيل لنا إن الأمر سيستغرق عشر سنوات».</p></blockquote>",
        language="ar",
        authors=[author_factory("ليلى حداد"), author_factory("سامي خوري")],
        tags=["فيضانات"],
        lead_image=photo,
        lead_image_alt_text="جسر فوق نهر.",
    )
    article_factory(
        "Flood barriers hold as river reaches record height",
        language="en",
        translation_of=original,
        section=original.section,
        tags=["فيضانات"],
    )
    Correction.objects.create(article=original, kind="correction", text="صُحح اسم الجسر.")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(live_server.url + original.get_absolute_url())
        # The test host has no stylesheet of its own: the app's, as a host would link it.
        page.add_style_tag(url=live_server.url + static("articles/articles.css"))
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        read_in = page.locator(".translations a")
        assert read_in.get_attribute("lang") == "en"
        assert read_in.inner_text() == "Read in English"
        # Right to left for real: the headline starts at the right edge of its box.
        box = page.locator("#story-headline").bounding_box()
        body = page.locator(".story-body p").first.bounding_box()
        assert abs((box["x"] + box["width"]) - (body["x"] + body["width"])) < 2
        # Logical properties: the quote's rule is on the start side, the right.
        quote = page.locator(".story-body blockquote")
        assert quote.evaluate("e => getComputedStyle(e).borderRightWidth") == "4px"
        assert quote.evaluate("e => getComputedStyle(e).borderLeftWidth") == "0px"
        assert no_horizontal_overflow(page)
        assert axe_violations(page) == []
        page.goto(live_server.url + reverse("articles:home"))
        page.add_style_tag(url=live_server.url + static("articles/articles.css"))
        assert axe_violations(page) == []
        assert no_horizontal_overflow(page)
    finally:
        page.close()

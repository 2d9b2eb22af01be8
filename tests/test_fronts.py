"""Curated fronts through HTTP: order, windows, top-up, publicness at any clock, caching."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Front, Package, Placement, Status
from tests.test_query_budgets import FRONT_PAGE_BUDGET, LIST_PAGE_BUDGET, count_queries

pytestmark = pytest.mark.django_db

HOME = "/news/"


def html_of(client, url=HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def order_of(html: str, *headlines: str) -> list[str]:
    """Return ``headlines`` in the order they appear in ``html`` (each must appear)."""
    for headline in headlines:
        assert headline in html, headline
    return sorted(headlines, key=html.index)


def lead_of(html: str) -> str:
    start = html.index('<section class="lead-story"')
    return html[start : html.index("</section>", start)]


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_home_route_is_the_front():
    assert reverse("articles:home") == HOME


def test_the_curated_order_leads_the_home_page(client, article_factory, placement_factory):
    newest = article_factory("Newest test story", hours_ago=0.1)
    picked = [article_factory(f"Picked story {i}", hours_ago=10 + i) for i in range(3)]
    for story in (picked[2], picked[0], picked[1]):
        placement_factory(story)
    html = html_of(client)
    assert "Picked story 2" in lead_of(html)
    assert "Newest test story" not in lead_of(html)
    assert order_of(html, "Picked story 2", "Picked story 0", "Picked story 1") == [
        "Picked story 2",
        "Picked story 0",
        "Picked story 1",
    ]
    # The newest story tops up the next empty top-story slot, once.
    assert html.count(newest.get_absolute_url()) == 1
    assert order_of(html, "Picked story 1", "Newest test story")[0] == "Picked story 1"


def test_without_a_front_the_newest_story_leads(client, article_factory):
    article_factory("Older story", hours_ago=5)
    article_factory("Newest story", hours_ago=1)
    assert "Newest story" in lead_of(html_of(client))


def test_a_placement_shows_its_own_headline_dek_and_photo(
    client, article_factory, image_factory, placement_factory
):
    story = article_factory("Plain headline", dek="Plain summary", lead_image=image_factory())
    photo = image_factory(alt_text="Crowd outside the parliament")
    placement_factory(story, headline="Sharper front headline", dek="Front summary", image=photo)
    lead = lead_of(html_of(client))
    assert "Sharper front headline" in lead and "Plain headline" not in lead
    assert "Front summary" in lead
    assert "Crowd outside the parliament" in lead
    # The story's own page keeps its own words.
    assert "Plain headline" in html_of(client, story.get_absolute_url())


def test_top_up_never_repeats_a_story_on_the_page(client, article_factory, placement_factory):
    stories = [article_factory(f"Story {i}", hours_ago=i + 1) for i in range(10)]
    placement_factory(stories[0])  # the newest, curated as lead
    placement_factory(stories[0])  # and placed twice by mistake
    placement_factory(stories[3], package="Ukraine war")
    placement_factory(stories[0], package="Ukraine war")
    html = html_of(client)
    for story in stories:
        assert html.count(f'href="{story.get_absolute_url()}"') == 1, story.headline
    assert '<h2 id="package-' in html and "Ukraine war" in html


def test_a_named_package_shows_its_stories_under_its_name(
    client, article_factory, placement_factory
):
    war = [article_factory(f"Front line story {i}") for i in range(2)]
    for story in war:
        placement_factory(story, package="Ukraine war")
    Package.objects.create(front=Front.objects.get(), name="Election 2026", position=1)
    html = html_of(client)
    start = html.index("Ukraine war")
    package = html[start : html.index("</section>", start)]
    assert "Front line story 0" in package and "Front line story 1" in package
    assert "Election 2026" not in html  # a package with nothing to show is left out


def test_an_expired_placement_leaves_and_its_slot_is_topped_up(
    client, article_factory, placement_factory
):
    now = timezone.now()
    article_factory("Newest story", hours_ago=1)
    curated = article_factory("Curated until noon", hours_ago=30)
    placement_factory(curated, ends_at=now + timedelta(hours=1))
    assert "Curated until noon" in lead_of(html_of(client))
    with at(now + timedelta(hours=2)):
        html = html_of(client)
    assert "Newest story" in lead_of(html)
    assert "Curated until noon" in html  # back in the latest stories, in its place by date


def test_a_placement_starts_at_its_time(client, article_factory, placement_factory):
    now = timezone.now()
    article_factory("Newest story", hours_ago=1)
    placement_factory(
        article_factory("Lead from six", hours_ago=30), starts_at=now + timedelta(hours=1)
    )
    assert "Newest story" in lead_of(html_of(client))
    with at(now + timedelta(hours=2)):
        assert "Lead from six" in lead_of(html_of(client))


def test_placement_times_bound_the_cache_lifetime(
    client, settings, article_factory, placement_factory
):
    settings.ARTICLES_CACHE_MAX_AGE = 3600
    now = timezone.now()
    placement_factory(article_factory(), starts_at=now + timedelta(minutes=10))
    response = client.get(HOME)
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 600


@pytest.mark.parametrize("hidden", ["draft", "retracted", "review"])
def test_a_placed_story_that_is_not_public_never_shows(
    client, article_factory, placement_factory, hidden
):
    fields = {
        "draft": {"published": False},
        "review": {"published": False, "status": Status.REVIEW},
        "retracted": {
            "published": False,
            "status": Status.RETRACTED,
            "published_at": timezone.now() - timedelta(hours=3),
            "retraction_reason": "Wrong.",
        },
    }[hidden]
    section = article_factory("Public story").section
    story = article_factory("Secret placed story", section=section, **fields)
    placement_factory(story)
    placement_factory(story, package="Secrets")
    placement_factory(story, section=section)
    now = timezone.now()
    for moment in (now, now + timedelta(days=1), now + timedelta(days=400)):
        with at(moment):
            assert "Secret placed story" not in html_of(client)
            assert "Secret placed story" not in html_of(client, section.get_absolute_url())


def test_a_scheduled_and_expiring_placement_shows_only_while_public(
    client, article_factory, placement_factory
):
    now = timezone.now()
    article_factory("Public story")
    story = article_factory(
        "Embargoed lead",
        published_at=now + timedelta(hours=2),
        expire_at=now + timedelta(hours=4),
    )
    placement_factory(story)  # no window of its own: the story's times rule
    with at(now):  # before publication
        assert "Embargoed lead" not in html_of(client)
    with at(now + timedelta(hours=3)):  # public
        assert "Embargoed lead" in lead_of(html_of(client))
    with at(now + timedelta(hours=5)):  # expired
        assert "Embargoed lead" not in html_of(client)


def test_a_section_front_leads_its_section_only(
    client, article_factory, section_factory, placement_factory
):
    sport = section_factory("Sport")
    article_factory("Newest sport story", section=sport, hours_ago=1)
    curated = article_factory("Cup final preview", section=sport, hours_ago=40)
    article_factory("Newest of all", hours_ago=0.5)
    placement_factory(curated, section=sport)
    assert "Cup final preview" in lead_of(html_of(client, sport.get_absolute_url()))
    home = html_of(client)
    assert "Newest of all" in lead_of(home)


def test_a_section_front_is_topped_up_from_its_section(
    client, article_factory, section_factory, placement_factory
):
    sport, politics = section_factory("Sport"), section_factory("Politics")
    article_factory("Sport story", section=sport, hours_ago=2)
    article_factory("Politics story", section=politics, hours_ago=1)
    html = html_of(client, sport.get_absolute_url())
    assert "Sport story" in lead_of(html)
    assert "Politics story" not in html


@pytest.mark.parametrize("page", ["home", "section"])
def test_a_front_costs_the_same_queries_for_one_or_many_placements(
    client, article_factory, image_factory, section_factory, placement_factory, page
):
    counts = []
    for size in (1, 8):
        section = section_factory()
        front = {"section": section} if page == "section" else {}
        Placement.objects.all().delete()
        article_factory(section=section)  # the rest of the page lists one story
        for i in range(size):
            story = article_factory(section=section, lead_image=image_factory())
            placement_factory(story, image=image_factory(), headline=f"Placed {i}", **front)
            placement_factory(
                article_factory(section=section, lead_image=image_factory()),
                package=f"Package {i}",
                **front,
            )
        url = section.get_absolute_url() if page == "section" else HOME
        html = html_of(client, url)
        assert "Placed 0" in html and f"Package {size - 1}" in html
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1] <= FRONT_PAGE_BUDGET[page]


def test_home_front_costs_one_query_more_than_a_plain_list(client, article_factory):
    article_factory()
    # The line-up is read even where nothing is placed: one query over the plain list's.
    assert count_queries(client, HOME) <= LIST_PAGE_BUDGET["home"] + 1


# The models' rules -------------------------------------------------------------------


def test_two_placements_cannot_share_a_position(article_factory, placement_factory):
    first = placement_factory(article_factory(), position=3)
    second = Placement(front=first.front, article=article_factory(), position=3)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.error_dict["__all__"][0].code == "position_taken"
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    # The same position in a package is another slot.
    placement_factory(article_factory(), package="Ukraine war", position=3)


def test_a_placement_starts_before_it_ends(article_factory):
    now = timezone.now()
    front = Front.objects.create()
    placement = Placement(front=front, article=article_factory(), starts_at=now, ends_at=now)
    with pytest.raises(ValidationError) as error:
        placement.full_clean()
    assert error.value.error_dict["__all__"][0].code == "window_backwards"


def test_a_placement_takes_a_package_of_its_own_front(
    article_factory, section_factory, placement_factory
):
    elsewhere = placement_factory(article_factory(), package="Ukraine war")
    front = Front.objects.create(section=section_factory())
    placement = Placement(front=front, package=elsewhere.package, article=article_factory())
    with pytest.raises(ValidationError) as error:
        placement.full_clean()
    assert error.value.error_dict["package"][0].code == "elsewhere"


def test_one_front_per_page(section_factory):
    Front.objects.create()
    section = section_factory()
    Front.objects.create(section=section)
    for duplicate in (Front(), Front(section=section)):
        with pytest.raises(ValidationError):
            duplicate.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()


def test_fronts_have_readable_names(section_factory, article_factory, placement_factory):
    home = Front.objects.create()
    sport = Front.objects.create(section=section_factory("Sport"))
    placed = placement_factory(article_factory("Cup final"), section=sport.section, package="Cup")
    assert (str(home), str(sport)) == ("Home page", "Sport")
    assert str(placed) == "Cup final (Sport)"
    assert str(placed.package) == "Cup (Sport)"
    assert home.get_absolute_url() == HOME
    assert sport.get_absolute_url() == sport.section.get_absolute_url()


# Caching: a change to a front reaches its page ------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks at its end, as if it were its own transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.usefixtures("page_cache")
def test_editing_a_placement_refreshes_the_cached_home(
    client, article_factory, placement_factory, committed
):
    placement = placement_factory(article_factory("Placed story"))
    assert "Placed story" in lead_of(html_of(client))
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    placement.headline = "Edited front headline"
    with committed():
        placement.save()
    response = client.get(HOME)
    assert response["X-Page-Cache"] == "miss"
    assert "Edited front headline" in response.content.decode()
    with committed():
        Placement.objects.get().delete()
    assert "Edited front headline" not in html_of(client)


@pytest.mark.usefixtures("page_cache")
def test_a_new_placement_refreshes_the_cached_section(
    client, article_factory, section_factory, placement_factory, committed
):
    sport = section_factory("Sport")
    article_factory("Newest sport story", section=sport, hours_ago=1)
    url = sport.get_absolute_url()
    html_of(client, url)
    with committed():
        placement_factory(article_factory("From elsewhere", hours_ago=50), section=sport)
    assert "From elsewhere" in lead_of(html_of(client, url))


@pytest.mark.usefixtures("page_cache")
def test_retracting_a_story_placed_on_another_sections_front_refreshes_that_front(
    client, article_factory, section_factory, placement_factory, editor, committed
):
    sport = section_factory("Sport")
    article_factory("Newest sport story", section=sport, hours_ago=1)
    story = article_factory("Guest story from politics", hours_ago=50)
    placement_factory(story, section=sport)
    url = sport.get_absolute_url()
    assert "Guest story from politics" in html_of(client, url)
    with committed():
        story.retract("Wrong.", by=editor)
    assert "Guest story from politics" not in html_of(client, url)


@pytest.mark.usefixtures("page_cache")
def test_changing_a_placements_photo_refreshes_the_front(
    client, article_factory, image_factory, placement_factory, committed
):
    photo = image_factory(alt_text="First alt text")
    placement_factory(article_factory(), image=photo)
    assert "First alt text" in html_of(client)
    photo.alt_text = "Second alt text"
    with committed():
        photo.save()
    assert "Second alt text" in html_of(client)


def test_a_front_change_names_its_page_for_the_edge_purge(
    article_factory, section_factory, placement_factory, committed
):
    from articles.signals import pages_changed

    sport = section_factory("Sport")
    story = article_factory()
    received = []

    def receiver(sender, paths, scopes, **kwargs):
        received.append((set(paths), set(scopes)))

    pages_changed.connect(receiver)
    try:
        with committed():
            placement_factory(story, section=sport)
        with committed():
            placement_factory(story)
    finally:
        pages_changed.disconnect(receiver)
    (section_paths, section_scopes), (home_paths, home_scopes) = received
    assert "lists" in home_scopes
    assert sport.get_absolute_url() in section_paths and "lists" not in section_scopes
    assert HOME in home_paths


def test_the_number_of_top_stories_is_a_setting(client, settings, article_factory):
    settings.ARTICLES_FRONT_TOP_STORIES = 2
    for i in range(6):
        article_factory(f"Story {i}", hours_ago=i + 1)
    html = html_of(client)
    tops = html[html.index('class="top-stories"') :]
    assert tops[: tops.index("</section>")].count('class="card-title"') == 2

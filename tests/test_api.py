"""The ninjs API: every answer valid IPTC ninjs 3.1, public stories only, cursor pages."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Image
from tests.conftest import widest
from tests.standards import assert_ninjs

pytestmark = pytest.mark.django_db

# stories (with whether they have notes), bylines, tags, the corrections of those that
# have some, next embargo or expiry (articles/http.py)
API_BUDGET = 5
HOSTILE = 'Quote " </script><script>alert(1)</script> & end'


def get_list(client, **params):
    response = client.get(reverse("articles:api_list"), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    documents = json.loads(response.content)
    for document in documents:
        assert_ninjs(document)
    return documents, response


def headlines(documents) -> list[str]:
    return [document["headlines"][0]["value"] for document in documents]


@pytest.fixture
def story(article_factory, author_factory, image_factory):
    image = image_factory(
        credit="AP/Kim Lee", copyright_notice="© 2026 AP", caption="Water on Main Street."
    )
    return article_factory(
        "Floods reach the city",
        dek="The river broke its banks.",
        tags=["Floods"],
        authors=[author_factory("Ann Reporter"), author_factory("Bo Writer")],
        lead_image=image,
    )


def test_detail_is_valid_ninjs_with_the_story(client, story):
    response = client.get(reverse("articles:api_detail", kwargs={"slug": story.slug}))
    document = json.loads(response.content)
    assert_ninjs(document)
    assert document["uri"] == f"http://testserver{story.get_absolute_url()}"
    assert document["type"] == "text"
    assert document["pubStatus"] == "usable"
    assert document["headlines"] == [
        {"role": "main", "contentType": "text/plain", "value": "Floods reach the city"}
    ]
    assert document["descriptions"][0]["value"] == "The river broke its banks."
    assert document["bodies"][0]["value"] == "<p>Body.</p>"
    assert document["by"] == "Ann Reporter and Bo Writer"
    assert document["copyrightNotice"].endswith("The Test Host Times")
    assert document["usageTerms"]
    assert {"name": "Floods", "rel": "about"}.items() <= document["subjects"][1].items()
    assert document["firstCreated"][-6:] in {"-05:00", "-04:00"}


def test_photo_is_an_association_with_credit_and_rights(client, story):
    response = client.get(reverse("articles:api_detail", kwargs={"slug": story.slug}))
    (photo,) = json.loads(response.content)["associations"]
    assert photo["type"] == "picture"
    assert photo["uri"] == f"http://testserver{widest(story.lead_image)}"
    assert photo["infoSources"] == [{"name": "AP/Kim Lee", "role": "credit"}]
    assert photo["copyrightNotice"] == "© 2026 AP"
    assert photo["descriptions"][0] == {
        "role": "caption",
        "contentType": "text/plain",
        "value": "Water on Main Street.",
    }
    original = photo["renditions"][0]
    assert (original["width"], original["height"]) == (64, 48)
    assert [r.get("aspectRatio") for r in photo["renditions"][1:]] == ["16:9", "4:3", "1:1"]


def test_photo_by_is_the_photographer_never_the_credit_line(client, story):
    url = reverse("articles:api_detail", kwargs={"slug": story.slug})
    (photo,) = json.loads(client.get(url).content)["associations"]
    assert "by" not in photo  # no creator recorded: the credit line is not a photographer
    story.lead_image.creator = "Kim Lee"
    story.lead_image.save()
    (photo,) = json.loads(client.get(url).content)["associations"]
    assert photo["by"] == "Kim Lee"
    assert photo["infoSources"] == [{"name": "AP/Kim Lee", "role": "credit"}]


def test_list_has_only_public_stories(client, article_factory):
    article_factory("Public")
    article_factory("Draft", published=False)
    article_factory("Scheduled", hours_ago=-2)
    documents, _ = get_list(client)
    assert headlines(documents) == ["Public"]


@pytest.mark.parametrize("slug", ["draft", "scheduled"])
def test_detail_of_a_hidden_story_is_404(client, article_factory, slug):
    article_factory(slug, slug=slug, published=False) if slug == "draft" else article_factory(
        slug, slug=slug, hours_ago=-2
    )
    response = client.get(reverse("articles:api_detail", kwargs={"slug": slug}))
    assert response.status_code == 404
    assert json.loads(response.content)["error"]


def test_filters_by_section_and_tag(client, article_factory, section_factory):
    section = section_factory(slug="metro")
    article_factory("Metro story", section=section)
    article_factory("Tagged story", tags=["Floods"])
    article_factory("Other story")
    assert headlines(get_list(client, section="metro")[0]) == ["Metro story"]
    assert headlines(get_list(client, tag="floods")[0]) == ["Tagged story"]


def test_since_lists_stories_published_or_changed_since(client, article_factory):
    article_factory("Old", hours_ago=48)
    article_factory("New", hours_ago=1)
    since = (timezone.now() - timezone.timedelta(hours=5)).isoformat()
    old = Article.objects.get(headline="Old")
    Article.objects.filter(pk=old.pk).update(updated_at=old.published_at)
    assert headlines(get_list(client, since=since)[0]) == ["New"]


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"cursor": "!!!"}, {"cursor": "eA"}])
def test_bad_parameters_get_a_400_with_a_message(client, db, params):
    response = client.get(reverse("articles:api_list"), params)
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_cursor_pages_walk_every_story_once(client, settings, article_factory):
    settings.ARTICLES_API_PAGE_SIZE = 2
    same_time = timezone.now() - timezone.timedelta(hours=1)
    for i in range(5):
        article_factory(f"Story {i}", published_at=same_time if i < 3 else None, hours_ago=i)
    seen, url, pages = [], reverse("articles:api_list"), 0
    while url:
        response = client.get(url)
        seen += headlines(json.loads(response.content))
        link = response.get("Link", "")
        url = link[1 : link.index(">")] if link else None
        pages += 1
    assert pages == 3
    assert sorted(seen) == [f"Story {i}" for i in range(5)]


def test_hostile_text_stays_valid_json_and_ninjs(client, article_factory, image_factory):
    image = image_factory(credit=HOSTILE, caption=HOSTILE)
    story = article_factory("Safe", dek=HOSTILE, lead_image=image)
    Article.objects.filter(pk=story.pk).update(headline="Bell\x07" + HOSTILE)
    Image.objects.filter(pk=image.pk).update(credit="\x00" + HOSTILE)
    documents, _ = get_list(client)
    assert documents[0]["headlines"][0]["value"] == "Bell" + HOSTILE
    assert documents[0]["associations"][0]["infoSources"][0]["name"] == HOSTILE


def test_list_is_cacheable_and_answers_304(client, story):
    url = reverse("articles:api_list")
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_list_query_budget_does_not_grow(client, article_factory, author_factory, image_factory):
    counts = []
    for size in (1, 6):
        for i in range(size):
            story = article_factory(
                tags=["budget", f"t {size} {i}"],
                authors=[author_factory(), author_factory()],
                lead_image=image_factory(),
            )
            Correction.objects.create(article=story, text=f"Corrected {size} {i}.")
        with CaptureQueriesContext(connection) as ctx:
            get_list(client, tag="budget")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= API_BUDGET

"""Story kinds, sponsorship and corrections, labelled on every surface a story appears on."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import Article, Correction, StoryKind
from tests.standards import NAMESPACES, assert_ninjs, parse_sitemap

pytestmark = pytest.mark.django_db

KIND_LABELS = {
    "opinion": "Opinion",
    "analysis": "Analysis",
    "fact-check": "Fact check",
}
JSON_LD_TYPES = {
    "news": "ReportageNewsArticle",
    "opinion": "OpinionNewsArticle",
    "analysis": "AnalysisNewsArticle",
    "fact-check": "NewsArticle",
    "sponsored": ["NewsArticle", "AdvertiserContentArticle"],
}
SPONSORED_BODY = (
    '<p>Try <a href="https://bakery.example/offer">our loaves</a>, read '
    '<a href="/news/section/food/">our food pages</a> or '
    '<a href="mailto:hello@bakery.example">write</a>.</p>'
)


@pytest.fixture
def sponsored(article_factory):
    return article_factory(
        "Bakery bets on a four-day week",
        kind=StoryKind.SPONSORED,
        sponsor_name="Hearth & Crumb",
        body=SPONSORED_BODY,
        tags=["Jobs"],
    )


def document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def labels(element) -> list[str]:
    return [
        label.text_content() for label in element.xpath('.//p[contains(@class, "story-label")]')
    ]


def card_of(page, story):
    return page.xpath(f'//article[.//a[@href="{story.get_absolute_url()}"]]')[0]


def article_ld(client, story) -> dict:
    page = document(client, story.get_absolute_url())
    blocks = [json.loads(b.text) for b in page.xpath('//script[@type="application/ld+json"]')]
    return next(block for block in blocks if block["@type"] != "BreadcrumbList")


def rss_entry(client, story):
    feed = feedparser.parse(client.get(reverse("articles:feed_rss")).content)
    return next(e for e in feed.entries if e.link.endswith(story.get_absolute_url()))


def atom_entry(client, story):
    feed = feedparser.parse(client.get(reverse("articles:feed_atom")).content)
    return next(e for e in feed.entries if e.link.endswith(story.get_absolute_url()))


def ninjs(client, story) -> dict:
    response = client.get(reverse("articles:api_detail", kwargs={"slug": story.slug}))
    assert response.status_code == 200
    assert_ninjs(response.json())
    return response.json()


# The kind of story -------------------------------------------------------------------


def test_a_story_is_news_unless_the_desk_says_otherwise(article_factory):
    story = article_factory()
    assert story.kind == StoryKind.NEWS and story.kind_label == "" and not story.sponsored


def test_the_database_refuses_an_unknown_kind(article_factory):
    story = article_factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(kind="rumour")


def test_the_database_refuses_a_sponsored_story_without_its_sponsor(article_factory):
    story = article_factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(kind=StoryKind.SPONSORED)


@pytest.mark.parametrize("kind", list(KIND_LABELS))
def test_each_kind_is_labelled_on_cards_the_lead_and_the_story_page(client, article_factory, kind):
    older = article_factory(kind=kind, hours_ago=3)
    lead = article_factory(kind=kind, hours_ago=1)
    home = document(client, reverse("articles:home"))
    assert labels(home.xpath('//section[@class="lead-story"]')[0]) == [KIND_LABELS[kind]]
    assert labels(card_of(home, older)) == [KIND_LABELS[kind]]
    # Alone in its section, the story leads the section's front.
    section = document(client, older.section.get_absolute_url())
    assert labels(section.xpath("//main")[0]) == [KIND_LABELS[kind]]
    page = document(client, lead.get_absolute_url())
    assert labels(page.xpath('//header[@class="story-header"]')[0]) == [KIND_LABELS[kind]]


def test_news_carries_no_label(client, article_factory):
    story = article_factory(hours_ago=2)
    article_factory()
    assert labels(document(client, reverse("articles:home"))) == []
    assert labels(document(client, story.get_absolute_url())) == []


@pytest.mark.parametrize("kind", list(JSON_LD_TYPES))
def test_json_ld_types_the_story_by_its_kind(client, article_factory, kind):
    fields = {"sponsor_name": "Acme"} if kind == "sponsored" else {}
    story = article_factory(kind=kind, **fields)
    data = article_ld(client, story)
    assert data["@type"] == JSON_LD_TYPES[kind]
    if kind == "news":
        assert "genre" not in data
    else:
        assert data["genre"] == KIND_LABELS.get(kind, "Sponsored")


def test_a_fact_check_is_a_news_article_labelled_fact_check(client, article_factory):
    story = article_factory(kind=StoryKind.FACT_CHECK)
    page = document(client, story.get_absolute_url())
    assert "Fact check" in labels(page)
    assert article_ld(client, story)["@type"] == "NewsArticle"


@pytest.mark.parametrize("kind", ["news", "opinion", "analysis", "fact-check"])
def test_search_results_carry_the_label(client, article_factory, kind):
    article_factory("Harbour wall repaired", kind=kind)
    page = document(client, reverse("articles:search") + "?q=harbour")
    result = page.xpath('//article[@class="search-result"]')[0]
    assert labels(result) == ([KIND_LABELS[kind]] if kind in KIND_LABELS else [])


@pytest.mark.parametrize("kind", list(KIND_LABELS))
def test_feeds_carry_the_kind_as_a_category_and_in_the_summary(client, article_factory, kind):
    story = article_factory(kind=kind, dek="The dek.", tags=["Harbour"])
    for entry in (rss_entry(client, story), atom_entry(client, story)):
        assert [tag.term for tag in entry.tags] == [KIND_LABELS[kind], "Harbour"]
        assert entry.summary == f"{KIND_LABELS[kind]}. The dek."


def test_a_news_item_in_the_feeds_has_only_its_tags_and_summary(client, article_factory):
    story = article_factory(dek="The dek.", tags=["Harbour"])
    entry = rss_entry(client, story)
    assert [tag.term for tag in entry.tags] == ["Harbour"]
    assert entry.summary == "The dek."


@pytest.mark.parametrize(
    "kind, genre",
    [
        ("news", {"name": "News", "literal": "news"}),
        (
            "opinion",
            {
                "name": "Opinion",
                "literal": "opinion",
                "uri": "http://cv.iptc.org/newscodes/genre/Opinion",
            },
        ),
        (
            "analysis",
            {
                "name": "Analysis",
                "literal": "analysis",
                "uri": "http://cv.iptc.org/newscodes/genre/Analysis",
            },
        ),
        ("fact-check", {"name": "Fact check", "literal": "fact-check"}),
    ],
)
def test_ninjs_carries_the_kind_as_its_genre(client, article_factory, kind, genre):
    story = article_factory(kind=kind)
    assert ninjs(client, story)["genres"] == [genre]
    listed = client.get(reverse("articles:api_list")).json()
    assert listed[0]["genres"] == [genre]


# Sponsored content ----------------------------------------------------------------------


def test_cards_name_the_sponsor(client, article_factory, sponsored):
    article_factory("A newer story")
    home = document(client, reverse("articles:home"))
    card = card_of(home, sponsored)
    assert "card-sponsored" in card.get("class")
    assert labels(card) == ["Sponsored · Paid for by Hearth & Crumb"]


def test_the_lead_story_names_the_sponsor(client, sponsored):
    home = document(client, reverse("articles:home"))
    lead = home.xpath('//section[@class="lead-story"]')[0]
    assert labels(lead) == ["Sponsored · Paid for by Hearth & Crumb"]


def test_the_story_page_names_the_sponsor(client, sponsored):
    page = document(client, sponsored.get_absolute_url())
    assert labels(page.xpath('//header[@class="story-header"]')[0]) == [
        "Sponsored · Paid for by Hearth & Crumb"
    ]


def test_search_results_name_the_sponsor(client, sponsored):
    page = document(client, reverse("articles:search") + "?q=bakery")
    result = page.xpath('//article[@class="search-result"]')[0]
    assert labels(result) == ["Sponsored · Paid for by Hearth & Crumb"]


def test_feeds_name_the_sponsor(client, sponsored):
    for entry in (rss_entry(client, sponsored), atom_entry(client, sponsored)):
        assert entry.summary.startswith("Sponsored · Paid for by Hearth & Crumb.")
        assert [tag.term for tag in entry.tags] == ["Sponsored", "Jobs"]


def test_ninjs_names_the_sponsor_for_readers_and_editors(client, sponsored):
    data = ninjs(client, sponsored)
    assert data["genres"] == [{"name": "Sponsored", "literal": "sponsored"}]
    assert data["infoSources"] == [{"name": "Hearth & Crumb", "role": "sponsor"}]
    assert {"role": "sponsorship", "contentType": "text/plain", "value": data["edNote"]} in data[
        "descriptions"
    ]
    assert "Hearth & Crumb" in data["edNote"]


def test_json_ld_names_the_sponsor(client, sponsored):
    assert article_ld(client, sponsored)["sponsor"] == {
        "@type": "Organization",
        "name": "Hearth & Crumb",
    }


def outbound(html_element) -> dict[str, str | None]:
    return {link.get("href"): link.get("rel") for link in html_element.xpath(".//a[@href]")}


def test_a_sponsored_storys_outbound_links_are_marked_sponsored(client, sponsored):
    body = document(client, sponsored.get_absolute_url()).xpath('//div[@class="story-body"]')[0]
    rels = outbound(body)
    assert rels["https://bakery.example/offer"].split() == ["sponsored", "noopener", "noreferrer"]
    assert "sponsored" not in rels["/news/section/food/"].split()
    assert "sponsored" not in rels["mailto:hello@bakery.example"].split()


def test_a_news_storys_outbound_links_are_not_marked_sponsored(client, article_factory):
    story = article_factory(body=SPONSORED_BODY)
    body = document(client, story.get_absolute_url()).xpath('//div[@class="story-body"]')[0]
    assert "sponsored" not in outbound(body)["https://bakery.example/offer"].split()


def test_a_sponsored_storys_outside_related_links_are_marked_sponsored(
    client, sponsored, related_link_factory
):
    related_link_factory(sponsored, url="https://bakery.example/menu", title="Our menu")
    page = document(client, sponsored.get_absolute_url())
    related = page.xpath('//aside[@class="related"]')[0]
    assert outbound(related)["https://bakery.example/menu"].split() == ["sponsored", "noopener"]


def test_the_api_body_marks_a_sponsored_storys_outbound_links(client, sponsored):
    body = lxml_html.fromstring(ninjs(client, sponsored)["bodies"][0]["value"])
    assert "sponsored" in outbound(body)["https://bakery.example/offer"].split()


def test_sponsored_stories_never_go_into_the_google_news_sitemap(
    client, article_factory, sponsored
):
    news = article_factory("Plain news")
    url = reverse("articles:sitemap_section", kwargs={"section": "news"})
    sitemap = parse_sitemap(client.get(url).content)
    titles = sitemap.xpath("//news:title/text()", namespaces=NAMESPACES)
    assert titles == [news.headline]
    # It is still in its month's sitemap, with every other public story.
    month = reverse("articles:sitemap_month", kwargs={"month": sponsored.published_at})
    assert sponsored.get_absolute_url() in client.get(month).content.decode()


def test_with_only_sponsored_news_the_news_sitemap_is_named_nowhere(client, sponsored):
    url = reverse("articles:sitemap_section", kwargs={"section": "news"})
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("articles:robots")).content.decode()
    assert url not in client.get(reverse("articles:sitemap")).content.decode()


# Corrections and clarifications ---------------------------------------------------------


@pytest.fixture
def corrected(article_factory):
    story = article_factory("Bridge reopens", dek="Traffic is back.")
    when = timezone.now() - timedelta(minutes=5)
    Correction.objects.create(
        article=story,
        kind="correction",
        text="The bridge is 40 m long, not 400 m.",
        created_at=when,
    )
    Correction.objects.create(
        article=story, kind="clarification", text="The toll applies to lorries.", created_at=when
    )
    Correction.objects.create(article=story, kind="update", text="Police left.", created_at=when)
    return story


def test_feeds_carry_the_corrections_as_a_visible_note(client, corrected):
    date = timezone.localtime(timezone.now() - timedelta(minutes=5)).strftime("%-d %B %Y")
    for entry in (rss_entry(client, corrected), atom_entry(client, corrected)):
        assert entry.summary == (
            f"Traffic is back. Correction, {date}: The bridge is 40 m long, not 400 m. "
            f"Clarification, {date}: The toll applies to lorries."
        )


def test_ninjs_carries_the_corrections_in_the_story_and_the_list(client, corrected):
    detail = ninjs(client, corrected)["descriptions"]
    listed = client.get(reverse("articles:api_list")).json()[0]["descriptions"]
    for descriptions in (detail, listed):
        roles = [entry["role"] for entry in descriptions]
        assert roles == ["summary", "correction", "clarification"]
        assert "The bridge is 40 m long, not 400 m." in descriptions[1]["value"]
        assert descriptions[1]["value"].startswith("Correction, ")


def test_json_ld_still_lists_the_corrections(client, corrected):
    texts = [note["text"] for note in article_ld(client, corrected)["correction"]]
    assert texts == ["The bridge is 40 m long, not 400 m.", "The toll applies to lorries."]


# The admin ------------------------------------------------------------------------------


def test_the_admin_filters_stories_by_kind(editor_client, article_factory):
    opinion = article_factory("A column", kind=StoryKind.OPINION)
    news = article_factory("A report")
    url = reverse("admin:articles_article_changelist")
    page = editor_client.get(url + "?kind__exact=opinion").content.decode()
    assert opinion.headline in page and news.headline not in page
    assert "?kind__exact=fact-check" in editor_client.get(url).content.decode()


def test_the_admin_change_form_offers_every_kind(editor_client, article_factory):
    story = article_factory()
    response = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    field = response.context["adminform"].form.fields["kind"]
    assert [value for value, _label in field.choices] == StoryKind.values

"""A language per story: stored, told to every surface, linked to its translations."""

from __future__ import annotations

import json

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html

from articles.models import Article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def json_ld(content: bytes) -> dict:
    document = lxml_html.fromstring(content)
    for script in document.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        for item in data if isinstance(data, list) else [data]:
            if item.get("@type") != "BreadcrumbList":
                return item
    raise AssertionError("no article in the JSON-LD")


def test_a_new_story_is_in_the_default_language(article_factory, settings):
    assert article_factory().language == "en"
    settings.ARTICLES_DEFAULT_LANGUAGE = "de"
    assert article_factory().language == "de"
    assert article_factory(language="").language == "de"  # a form left empty


def test_a_language_outside_languages_is_refused(article_factory):
    story = article_factory()
    story.language = "tlh"
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "language" in error.value.message_dict


def test_the_default_language_must_be_one_of_languages(settings):
    settings.ARTICLES_DEFAULT_LANGUAGE = "tlh"
    assert "articles.E034" in {message.id for message in run_checks()}
    settings.ARTICLES_DEFAULT_LANGUAGE = "de"
    assert "articles.E034" not in {message.id for message in run_checks()}


def test_the_story_language_reaches_json_ld_ninjs_feeds_and_sitemap(client, article_factory):
    story = article_factory("Neue Brücke eröffnet", language="de")
    page = client.get(story.get_absolute_url())
    assert json_ld(page.content)["inLanguage"] == "de"
    api = client.get(reverse("articles:api_detail", kwargs={"slug": story.slug})).json()
    assert api["language"] == "de"
    atom = etree.fromstring(client.get(reverse("articles:feed_atom")).content)
    assert atom.get(XML_LANG) == "en"  # the feed's own words are in the site's language
    assert atom.find(f"{ATOM}entry").get(XML_LANG) == "de"
    rss = etree.fromstring(client.get(reverse("articles:feed_rss")).content)
    assert rss.findtext("channel/language") == "en"
    assert rss.findtext("channel/item/{http://purl.org/dc/elements/1.1/}language") == "de"
    news = client.get(reverse("articles:sitemap_section", kwargs={"section": "news"}))
    assert b"<news:language>de</news:language>" in news.content


def test_a_story_in_another_language_says_so_on_its_article_and_card(client, article_factory):
    story = article_factory("الحواجز تصمد", language="ar")
    article_factory("Newer story", hours_ago=0.5)  # the Arabic one is a card, not the lead
    page = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    article = page.xpath("//article[contains(@class, 'story')]")[0]
    assert (article.get("lang"), article.get("dir")) == ("ar", "rtl")
    home = lxml_html.fromstring(client.get(reverse("articles:home")).content)
    card = home.xpath(f"//article[.//a[@href='{story.get_absolute_url()}']]")
    assert [(c.get("lang"), c.get("dir")) for c in card] == [("ar", "rtl")]


def test_translations_link_to_each_other_once_public(client, article_factory):
    original = article_factory("Bridge reopens")
    german = article_factory("Brücke wieder offen", language="de", translation_of=original)
    article_factory("Le pont rouvre", language="fr", translation_of=original)
    draft = article_factory(
        "Puente reabierto", language="es", translation_of=original, published=False
    )

    def versions(story):
        document = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in document.xpath('//link[@rel="alternate"][@hreflang]')
        }
        reads = [
            (a.get("lang"), a.text_content())
            for a in document.xpath("//ul[@class='translations']//a")
        ]
        return alternates, reads

    alternates, reads = versions(original)
    assert set(alternates) == {"en", "de", "fr"}
    assert alternates["de"] == f"http://testserver{german.get_absolute_url()}"
    assert reads == [("de", "Auf Deutsch lesen"), ("fr", "Lire en français")]
    alternates, reads = versions(german)
    assert set(alternates) == {"de", "en", "fr"}
    assert ("en", "Read in English") in reads
    assert draft.get_absolute_url() not in client.get(original.get_absolute_url()).content.decode()


def test_translation_rules(article_factory):
    original = article_factory("Bridge reopens")
    german = article_factory("Brücke wieder offen", language="de", translation_of=original)

    def problems(story, **fields):
        for name, value in fields.items():
            setattr(story, name, value)
        with pytest.raises(ValidationError) as error:
            story.full_clean()
        return {e.code for errors in error.value.error_dict.values() for e in errors}

    same = Article(headline="Bridge again", section=original.section, translation_of=original)
    assert problems(same) == {"translation_same_language"}
    french = Article(
        headline="Pont", section=original.section, language="fr", translation_of=german
    )
    assert problems(french) == {"translation_of_translation"}
    assert problems(original, translation_of=original) == {"translation_of_self"}
    other = article_factory("Other")
    assert problems(original, translation_of=other, language="es") == {"original_as_translation"}


def test_a_translation_changing_refreshes_the_other_versions(
    article_factory, django_capture_on_commit_callbacks
):
    """Their "Read in" links name it: their pages leave the page cache and the CDN."""
    from articles.signals import pages_changed

    original = article_factory("Bridge reopens")
    german = article_factory("Brücke wieder offen", language="de", translation_of=original)
    french = article_factory("Le pont rouvre", language="fr", translation_of=original)
    received = []

    def receiver(sender, paths, **kwargs):
        received.append(paths)

    pages_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            german.retract("Wrong bridge.")
    finally:
        pages_changed.disconnect(receiver)
    paths = set().union(*received)
    assert {original.get_absolute_url(), french.get_absolute_url()} <= paths


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="stemming per language needs PostgreSQL's text-search configurations; "
    "SQLite matches words as typed",
)
def test_search_stems_each_story_in_its_own_language(client, article_factory):
    article_factory("Neue Häuser am Hafen", language="de")
    article_factory("Häuser unverändert", language="en")  # English stemming keeps "häuser"
    response = client.get(reverse("articles:search"), {"q": "Haus"})
    titles = [
        t.strip()
        for t in lxml_html.fromstring(response.content).xpath(
            '//*[@class="search-result"]//h2//text()'
        )
    ]
    assert titles == ["Neue Häuser am Hafen"]
    assert connection.vendor == "postgresql"

"""Every string of the app in German, French, Spanish and Arabic (docs/translations.md).

The catalogues are checked against a fresh ``makemessages`` of the app, so a string
marked for translation but not translated fails here, with the missing msgids listed
per language. Pages are then rendered in each language and searched for English left.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from lxml import etree
from lxml import html as lxml_html

import articles
from articles.models import Correction

PACKAGE = Path(articles.__file__).parent
LANGUAGES = ["de", "fr", "es", "ar"]
# printf-style (%(name)s, %s, %d, %%) and str.format/JS-style ({name}) placeholders.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|\{\w*\}")

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("msgmerge") is None,
    reason="the gettext tools (msgfmt, msgmerge) are not installed: apt-get install gettext",
)


def catalogue(language: str, root: Path = PACKAGE) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def placeholder_problems(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
        forms = list(entry.msgstr_plural.values())
        # A form for exactly one or two (Arabic) may spell the number out; none may add one.
        found = set().union(*map(placeholders, forms))
        if found != expected or any(not placeholders(f) <= expected for f in forms):
            got = [sorted(placeholders(form)) for form in forms]
            return [f"{entry.msgid!r}: {sorted(expected)} but {got}"]
        return []
    if placeholders(entry.msgstr) != placeholders(entry.msgid):
        return [f"{entry.msgid!r}: {sorted(placeholders(entry.msgid))} but {entry.msgstr!r}"]
    return []


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run ``makemessages`` over a copy of the app: the catalogues as they should be now."""
    if shutil.which("msgmerge") is None:
        pytest.skip("the gettext tools are not installed: apt-get install gettext")
    copy = tmp_path_factory.mktemp("catalogues") / "articles"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command("makemessages", locale=LANGUAGES, no_obsolete=True, verbosity=0)
    return copy


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_app_is_translated(fresh_catalogues, language):
    fresh = catalogue(language, fresh_catalogues)
    missing = [entry.msgid for entry in fresh.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh.fuzzy_entries() if not entry.obsolete]
    assert not missing, (
        f"{len(missing)} string(s) have no {language} translation; run the commands of "
        "docs/translations.md and translate:\n" + "\n".join(missing)
    )
    assert not fuzzy, f"fuzzy {language} translations, check and unflag:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    problems = [
        p for entry in catalogue(language).translated_entries() for p in placeholder_problems(entry)
    ]
    assert not problems, f"{language}: placeholders differ:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_has_no_fuzzy_or_empty_entry(language):
    po = catalogue(language)
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == language
    assert [e.msgid for e in po if "fuzzy" in e.flags or not e.translated()] == []


def test_arabic_has_its_six_plural_forms():
    po = catalogue("ar")
    assert po.metadata["Plural-Forms"].startswith("nplurals=6;")
    plurals = [entry for entry in po if entry.msgid_plural]
    assert plurals and all(len(entry.msgstr_plural) == 6 for entry in plurals)


@needs_gettext
def test_compilemessages_succeeds(fresh_catalogues):
    for language in LANGUAGES:
        po = fresh_catalogues / "locale" / language / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            ["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    """The shipped .mo says what the .po says (``compilemessages`` after every edit)."""
    mo_path = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages (docs/translations.md)"

    def key(entry):
        return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")

    def value(entry):
        if entry.msgid_plural:
            return tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        return entry.msgstr

    source = {key(e): value(e) for e in catalogue(language).translated_entries()}
    compiled = {key(e): value(e) for e in polib.mofile(str(mo_path)) if e.msgid}
    assert compiled == source, "stale django.mo: run compilemessages (docs/translations.md)"


# --- No English left on the pages -------------------------------------------------


def english_patterns(language: str) -> list[re.Pattern]:
    """The app's English strings that the ``language`` catalogue translates differently."""
    patterns = []
    for entry in catalogue(language).translated_entries():
        translated = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            if english.casefold() == translated.casefold() or entry.msgctxt:
                continue
            pieces = PLACEHOLDER.split(english)
            if not any(re.search(r"[A-Za-z]{3}", piece) for piece in pieces):
                continue
            body = ".+?".join(re.escape(piece.casefold()) for piece in pieces)
            patterns.append(re.compile(body))
    return patterns


def texts_of_html(content: bytes, leave_out: str = "") -> list[str]:
    document = lxml_html.fromstring(content)
    for script in document.xpath("//script|//style|//template" + leave_out):
        script.drop_tree()
    texts = list(document.xpath("//body//text()"))
    texts += document.xpath(
        "//@title|//@aria-label|//@placeholder|//@alt|//input[@type='submit']/@value"
        "|//meta[@name='description']/@content|//head/title/text()"
    )
    return texts


def texts_of_xml(content: bytes) -> list[str]:
    return list(etree.fromstring(content).itertext())


def texts_of_json(data) -> list[str]:
    if isinstance(data, dict):
        return [t for value in data.values() for t in texts_of_json(value)]
    if isinstance(data, list):
        return [t for value in data for t in texts_of_json(value)]
    return [data] if isinstance(data, str) else []


def english_left(texts: list[str], patterns: list[re.Pattern]) -> list[str]:
    """Return the texts that are, whole, one of the app's English strings."""
    found = []
    for text in texts:
        normal = " ".join(text.split()).rstrip(":").strip().casefold()
        if normal and any(pattern.fullmatch(normal) for pattern in patterns):
            found.append(text.strip())
    return found


@pytest.fixture
def newsroom(article_factory, author_factory, section_factory, image_factory):
    """Stories whose own text is neither English nor any catalogue's (it must not count)."""
    section = section_factory("Qxz")
    authors = [author_factory("Ava Qxz"), author_factory("Bo Qxz")]
    photo = image_factory("QXZ/AGENCY", caption="Qxz qxz.", alt_text="Qxz qxz qxz.")
    older = article_factory("Qxz older", section=section, tags=["qxz"], hours_ago=3)
    story = article_factory(
        "Qxz qxz qxz",
        dek="Qxz qxz.",
        body="<p>Qxz qxz qxz.</p>",
        section=section,
        authors=authors,
        tags=["qxz"],
        lead_image=photo,
        lead_image_alt_text="Qxz.",
        kind="sponsored",
        sponsor_name="Qxz GmbH",
    )
    Correction.objects.create(article=story, kind="correction", text="Qxz qxz.")
    return {"story": story, "older": older, "section": section}


def public_pages(client, world) -> dict[str, list[str]]:
    story = world["story"]
    pages = {
        "article": texts_of_html(client.get(story.get_absolute_url()).content),
        "home": texts_of_html(client.get(reverse("articles:home")).content),
        "section": texts_of_html(client.get(world["section"].get_absolute_url()).content),
        "search": texts_of_html(client.get(reverse("articles:search"), {"q": "qxz"}).content),
        "rss": texts_of_xml(client.get(reverse("articles:feed_rss")).content),
        "atom": texts_of_xml(client.get(reverse("articles:feed_atom")).content),
    }
    api = client.get(reverse("articles:api_detail", kwargs={"slug": story.slug}))
    # ninjs' single-word values ("section", "credit") are its vocabulary, not prose.
    pages["api"] = [text for text in texts_of_json(json.loads(api.content)) if " " in text]
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_english_app_string_left(client, newsroom, language):
    patterns = english_patterns(language)
    with translation.override(language):
        pages = public_pages(client, newsroom)
    left = {name: english_left(texts, patterns) for name, texts in pages.items()}
    assert {name: found for name, found in left.items() if found} == {}


def test_the_english_check_finds_english(client, newsroom):
    """The check above can fail: the same pages in English are full of the app's strings."""
    patterns = english_patterns("de")
    with translation.override("en"):
        pages = public_pages(client, newsroom)
    for name in ("article", "home", "search", "rss"):
        assert english_left(pages[name], patterns), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_change_form_has_no_english_app_string_left(editor_client, newsroom, language):
    story = newsroom["story"]
    patterns = english_patterns(language)
    with translation.override(language):
        change = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
        listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert change.status_code == listing.status_code == 200
    left = english_left(texts_of_html(change.content), patterns)
    # Django's own search box has an untranslated alt text ("Search"): not the app's.
    left += english_left(texts_of_html(listing.content, "|//label[@for='searchbar']"), patterns)
    assert left == []
    with translation.override("en"):
        english = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert english_left(texts_of_html(english.content), patterns)  # the check can fail


# --- Direction, language of the page and of each story -------------------------------


def test_the_arabic_page_reads_right_to_left(client, newsroom):
    with translation.override("ar"):
        response = client.get(newsroom["story"].get_absolute_url())
    document = lxml_html.fromstring(response.content)
    assert document.get("lang") == "ar" and document.get("dir") == "rtl"
    # The story is in English, so it says so, and reads left to right inside the page.
    story = document.xpath("//article[contains(@class, 'story')]")[0]
    assert (story.get("lang"), story.get("dir")) == ("en", "ltr")


def test_a_page_in_the_story_language_does_not_repeat_it(client, newsroom):
    response = client.get(newsroom["story"].get_absolute_url())
    document = lxml_html.fromstring(response.content)
    assert (document.get("lang"), document.get("dir")) == ("en", "ltr")
    assert document.xpath("//article[contains(@class, 'story')]")[0].get("lang") is None


def test_dates_are_in_the_reader_language_and_the_newsroom_zone(client, newsroom, settings):
    settings.ARTICLES_TIME_ZONE = "Europe/Berlin"
    story = newsroom["story"]
    with translation.override("de"):
        html = client.get(story.get_absolute_url()).content.decode()
    local = timezone.localtime(story.published_at, ZoneInfo("Europe/Berlin"))
    with translation.override("de"):
        expected = format_date(local, "j. F Y, H:i T")
    assert expected in html

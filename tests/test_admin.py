import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Image, RelatedLink, Status, Tag
from tests.conftest import upload

pytestmark = pytest.mark.django_db


def formset(prefix, rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def article_data(section, bylines=(), links=(), **fields):
    data = {
        "headline": "Admin headline",
        "slug": "",
        "dek": "A dek",
        "body": "<p>Body text</p>",
        "section": str(section.pk),
        "tags": "Rain, climate change",
        "lead_image": "",
        "published_at_0": "",
        "published_at_1": "",
        "kind": "news",
        "sponsor_name": "",
    }
    data.update(fields)
    data.update(formset("bylines", bylines))
    data.update(formset("related_links", links))
    return data


ADD_URL = reverse("admin:articles_article_add")


@pytest.mark.parametrize("model", ["article", "image", "tag", "section", "author"])
def test_changelist_and_add_pages_render(editor_client, article_factory, image_factory, model):
    article_factory(tags=["One"], lead_image=image_factory())
    assert editor_client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:articles_{model}_add")).status_code == 200


def test_article_changelist_filters_and_searches(editor_client, article_factory):
    article_factory("Findable floods", tags=["Floods"])
    article_factory("Other story", published=False)
    url = reverse("admin:articles_article_changelist")
    assert b"Findable floods" in editor_client.get(url, {"q": "floods"}).content
    assert b"Other story" not in editor_client.get(url, {"q": "floods"}).content
    assert b"Other story" in editor_client.get(url, {"state": "draft"}).content
    assert b"Findable floods" not in editor_client.get(url, {"state": "draft"}).content
    tag = Tag.objects.get(name="Floods")
    filtered = editor_client.get(url, {"tags__id__exact": tag.pk}).content
    assert b"Findable floods" in filtered and b"Other story" not in filtered


def test_article_changelist_shows_bylines_in_order_without_a_query_per_story(
    editor_client, article_factory, author_factory
):
    url = reverse("admin:articles_article_changelist")
    counts = []
    for size in (1, 6):
        for i in range(size):
            first, second = author_factory(name=f"Zed {size} {i}"), author_factory(name="Amy")
            article_factory(f"Story {size} {i}", authors=[first, second])
        with CaptureQueriesContext(connection) as ctx:
            html = editor_client.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
    assert "Zed 6 5, Amy" in html  # byline order, not the names' order
    assert counts[0] == counts[1]


def test_change_page_shows_lead_photo_with_credit(editor_client, article_factory, image_factory):
    article = article_factory(lead_image=image_factory(credit="REUTERS/Jonathan Ernst"))
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert b"REUTERS/Jonathan Ernst" in html


def test_saving_an_article_with_bylines_tags_and_links(
    editor_client, section_factory, author_factory, article_factory
):
    section = section_factory()
    ann, bob = author_factory("Ann"), author_factory("Bob")
    target = article_factory("Target story")
    data = article_data(
        section,
        bylines=[{"author": bob.pk, "position": 0}, {"author": ann.pk, "position": 1}],
        links=[
            {"position": 0, "target": target.pk, "url": "", "title": ""},
            {"position": 1, "target": "", "url": "https://example.org/", "title": "Elsewhere"},
        ],
        _action="publish",
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(headline="Admin headline")
    assert article.slug == "admin-headline"
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None
    assert sorted(t.name for t in article.tags.all()) == ["Rain", "climate change"]
    assert article.byline_authors() == [bob, ann]
    assert [str(link) for link in article.related_links.all()] == ["Target story", "Elsewhere"]


def test_tags_round_trip_through_the_change_form(editor_client, article_factory):
    article = article_factory(tags=["Floods", "Climate change"])
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = editor_client.get(change).context["adminform"].form
    assert form["tags"].value() is not None
    assert "Floods" in str(form["tags"])


def test_duplicate_slug_is_a_form_error(editor_client, article_factory, section_factory):
    article_factory(slug="taken")
    response = editor_client.post(ADD_URL, article_data(section_factory(), slug="taken"))
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_headline_over_limit_is_a_form_error(editor_client, section_factory):
    response = editor_client.post(ADD_URL, article_data(section_factory(), headline="x" * 111))
    assert "headline" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_emoji_headline_gets_a_working_slug(editor_client, section_factory, client):
    response = editor_client.post(
        ADD_URL, article_data(section_factory(), headline="🎉🎉", _action="publish")
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.slug.startswith("story-")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_control_characters_are_named_in_a_form_error_not_swallowed(editor_client, section_factory):
    response = editor_client.post(
        ADD_URL, article_data(section_factory(), headline="Head\x07line\x1b", dek="a\x0bb")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "U+0007 at character 5" in str(errors["headline"])
    assert "a line break at character 2" in str(errors["dek"])
    assert not Article.objects.exists()


def test_null_character_is_a_form_error(editor_client, section_factory):
    response = editor_client.post(ADD_URL, article_data(section_factory(), headline="Head\x00line"))
    assert response.status_code == 200
    assert "headline" in response.context["adminform"].form.errors


def test_lone_surrogate_bytes_do_not_break_the_form(editor_client, section_factory):
    body = "&".join(
        f"{key}={value}"
        for key, value in article_data(section_factory()).items()
        if key != "headline"
    )
    response = editor_client.post(
        ADD_URL,
        data=body.encode() + b"&headline=Bad%ED%A0%80surrogate",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Article.objects.get().headline == "Bad\ufffd\ufffd\ufffdsurrogate"


@pytest.mark.parametrize(
    "link",
    [
        {"position": 0, "target": "", "url": "", "title": "Nothing"},
        {"position": 0, "target": "TARGET", "url": "https://example.org/", "title": "Both"},
    ],
)
def test_related_link_needs_exactly_one_target(
    editor_client, section_factory, article_factory, link
):
    target = article_factory()
    link = {k: (target.pk if v == "TARGET" else v) for k, v in link.items()}
    response = editor_client.post(ADD_URL, article_data(section_factory(), links=[link]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.errors
    assert any(errors)
    assert Article.objects.count() == 1  # only the target; nothing half-saved
    assert not RelatedLink.objects.exists()


def test_sponsored_without_sponsor_is_a_form_error(editor_client, section_factory):
    response = editor_client.post(ADD_URL, article_data(section_factory(), kind="sponsored"))
    assert "sponsor_name" in response.context["adminform"].form.errors


def test_publish_and_unpublish_actions(editor_client, article_factory, client):
    draft = article_factory("Waiting", published=False)
    url = reverse("admin:articles_article_changelist")
    editor_client.post(url, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert client.get(draft.get_absolute_url()).status_code == 200
    editor_client.post(
        url,
        {
            "action": "unpublish",
            "_selected_action": [draft.pk],
            "confirm": "yes",
            "reason": "Wrong",
        },
    )
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_image_upload_reads_dimensions(editor_client):
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": upload("shot.jpg"),
            "caption": "Cap",
            "credit": "AFP/Name",
            "alt_text": "Alt",
            "focal_x": 50,
            "focal_y": 50,
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (64, 48)


@pytest.mark.parametrize(
    "name, content",
    [
        ("notes.jpg", b"this is plain text, not a photo"),
        ("empty.jpg", b""),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_non_images_are_refused(editor_client, name, content):
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {"file": upload(name, content), "caption": "Cap", "credit": "AFP/Name"},
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


def test_image_needs_a_credit(editor_client):
    response = editor_client.post(
        reverse("admin:articles_image_add"), {"file": upload(), "credit": ""}
    )
    assert "credit" in response.context["adminform"].form.errors


def test_image_search_by_credit(editor_client, image_factory):
    image_factory(credit="REUTERS/Jonathan Ernst", caption="Senate vote")
    image_factory(credit="AP/Someone", caption="Beach")
    html = editor_client.get(reverse("admin:articles_image_changelist"), {"q": "reuters"}).content
    assert b"Senate vote" in html and b"Beach" not in html


def test_tag_admin_counts_articles(editor_client, article_factory):
    article_factory(tags=["Busy"])
    article_factory(tags=["Busy"])
    response = editor_client.get(reverse("admin:articles_tag_changelist"))
    row = next(r for r in response.context["cl"].result_list if r.name == "Busy")
    assert row.article_count == 2


def test_admin_requires_login(client):
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302

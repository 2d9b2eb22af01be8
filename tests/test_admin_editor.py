"""The article body's editor widget as the admin serves it (the browser test drives it)."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from django.urls import reverse

ATTRIBUTE = "data-django-prose-editor-configurable"


def editor_config(response) -> dict:
    html = response.content.decode()
    match = re.search(rf'<textarea[^>]*name="body"[^>]*{ATTRIBUTE}="([^"]*)"', html)
    assert match, "the body has no configurable prose editor"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_change_form_body_is_a_prose_editor(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    config = editor_config(response)
    extensions = config["extensions"]
    assert extensions["Heading"] == {"levels": [2, 3, 4]}
    assert extensions["OrderedList"] == {"enableListAttributes": False}
    for name in ("Bold", "Italic", "BulletList", "Blockquote", "History"):
        assert extensions[name] is True
    assert {"NewsLink", "NewsEmbed", "NewsPhoto", "NewsPaste", "NewsToolbar", "NewsCounter"} <= set(
        extensions
    )
    assert "Link" not in extensions  # NewsLink replaces it, with the address check


def test_editor_modules_are_static_files_of_the_app(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    modules = editor_config(response)["js_modules"]
    assert modules, "the editor loads no extension modules"
    for url in modules:
        assert url.startswith("/static/articles/admin/editor/")
        assert finders.find(url.removeprefix("/static/")), url
    # The modules share their helpers through the page's import map.
    importmap = re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1)
    common = json.loads(importmap)["imports"]["articles/editor/common"]
    assert finders.find(common.removeprefix("/static/"))
    assert "/static/articles/admin/photo-chooser.js" in html


def test_editor_is_given_the_photo_chooser_and_its_json(editor_client, image_factory):
    photo = image_factory()
    config = editor_config(editor_client.get(reverse("admin:articles_article_add")))
    options = config["extensions"]["NewsPhoto"]
    assert options["chooserUrl"] == reverse("admin:articles_image_chooser")
    photo_url = options["photoUrl"].replace("{id}", str(photo.pk))
    assert photo_url == reverse("admin:articles_image_chooser_photo", args=[photo.pk])
    assert editor_client.get(photo_url).json()["id"] == photo.pk

"""The app's pages work under a strict Content-Security-Policy, and without one.

No inline script, style or event handler in the app's templates and admin markup;
the change form gives its media (the editor's inline import map) the request's nonce
when the host sends a CSP (django-csp here), and no nonce when it does not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp.constants import NONCE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from js_asset import ImportMap, Media

from tests.markup import Markup

APP = Path(__file__).resolve().parent.parent / "articles"
POLICY = {
    "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE], "style-src": [SELF, NONCE]}
}
# An attribute written in a string of Python markup (format_html and friends).
PYTHON_INLINE = re.compile(r"""<[a-z][^>]*\s(style|on[a-z]+)=["']""")


def test_templates_have_no_inline_script_style_or_handler():
    found = []
    for template in sorted(APP.glob("templates/**/*.html")):
        markup = Markup(template.read_text())
        found += [f"{template.name}: {item}" for item in markup.inline]
        found += [f"{template.name}: <script>" for s in markup.scripts if "src" not in s]
        # Only empty placeholders (the change form's, for the editor) may be <style>s.
        found += [f"{template.name}: <style>" for s in markup.styles if s["text"].strip()]
    assert found == []


def test_python_markup_has_no_inline_style_or_handler():
    found = [
        f"{module.relative_to(APP)}: {match.group()}"
        for module in sorted(APP.glob("**/*.py"))
        if "migrations" not in module.parts
        for match in PYTHON_INLINE.finditer(module.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_change_form_without_a_policy_renders_no_nonce(admin_client, article_factory):
    story = article_factory()
    response = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    assert b"articles/admin/heartbeat.js" in response.content
    assert b"nonce=" not in response.content


@pytest.mark.django_db
def test_change_form_scripts_carry_the_nonce_of_the_hosts_policy(
    settings, admin_client, article_factory
):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "csp.middleware.CSPMiddleware"]
    settings.CONTENT_SECURITY_POLICY = POLICY
    story = article_factory()
    response = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = Markup(response.content.decode()).scripts
    inline = [script for script in scripts if "src" not in script]
    assert all(script.get("nonce") == nonce for script in inline), inline
    # The form's media (where the editor's import map is) all carry it.
    media = [script for script in scripts if "related-order.js" in script.get("src", "")]
    assert [script.get("nonce") for script in media] == [nonce]
    styles = Markup(response.content.decode()).styles
    assert [style.get("nonce") for style in styles] == [nonce]


MEDIA = Template("{% load articles_tags %}{% with_csp_nonce media as media %}{{ media }}")


def editor_media() -> Media:
    return Media(importmap=ImportMap({"editor": "/static/editor.js"}), js=["/static/a.js"])


def test_import_map_gets_the_nonce_the_policy_names(settings):
    settings.CONTENT_SECURITY_POLICY = POLICY
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    html = MEDIA.render(Context({"request": request, "media": editor_media()}))
    header = middleware.process_response(request, HttpResponse())["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", header).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert f'<script src="/static/a.js" nonce="{nonce}"></script>' in html


def test_import_map_without_a_policy_has_no_nonce():
    request = RequestFactory().get("/")
    html = MEDIA.render(Context({"request": request, "media": editor_media()}))
    assert '<script type="importmap">' in html
    assert "nonce" not in html

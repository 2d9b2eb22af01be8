"""The demo site's security headers and login throttling, under its own settings.

Each scenario of ``tests/site_probe.py`` runs in a subprocess with ``newsroom.settings``
(like tests/test_site.py, the only tests that use the demo site's settings), a fresh
SQLite file and media folder. The browser test opens the demo site under runserver.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import site_probe
from tests.browser import log_in_as
from tests.markup import Markup

ROOT = Path(__file__).resolve().parent.parent
PLAYERS = {"https://www.youtube-nocookie.com", "https://player.vimeo.com"}


# The demo's own settings, not the caller's; and no async-safety switch, which
# tests/browser.py sets in this process and check --deploy rightly refuses.
LEFT_OUT = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MEDIA_URL"}
LEFT_OUT |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def demo_env(tmp_path, **env) -> dict:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in LEFT_OUT and not k.startswith(("SECURE_", "AXES_"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        **env,
    )
    return environ


def production(**env) -> dict:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), **env}


def probe(tmp_path_factory, scenario: str, **env) -> dict:
    tmp_path = tmp_path_factory.mktemp(scenario)
    result = subprocess.run(
        [sys.executable, "-m", "tests.site_probe", scenario],
        cwd=ROOT,
        env=demo_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=600,  # migrations on a loaded 2-core machine
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def policy(response: dict) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    header = response["headers"]["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def origin(url: str) -> str:
    return re.match(r"^https?://[^/]+", url).group()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return probe(tmp_path_factory, "pages")


@pytest.fixture(scope="module")
def lockout(tmp_path_factory):
    return probe(tmp_path_factory, "lockout")


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=demo_env(tmp_path, **production(ALLOWED_HOSTS="news.example.org")),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("System check identified no issues"), result.stdout


def test_production_redirects_to_https_and_sends_hsts(tmp_path_factory):
    robots = probe(tmp_path_factory, "robots", **production(ALLOWED_HOSTS="127.0.0.1"))
    assert robots["http"]["status"] == 301
    assert robots["http"]["headers"]["Location"] == "https://127.0.0.1/robots.txt"
    assert robots["https"]["headers"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_public_story_allows_only_its_own_scripts_and_the_video_players(pages):
    csp = policy(pages["story"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'"]
    assert set(csp["frame-src"]) == {"'self'", *PLAYERS}
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in pages["story"]["headers"]["Content-Security-Policy"]


def test_public_story_has_no_inline_script_style_or_handler(pages):
    markup = Markup(pages["story"]["body"])
    inline = [s for s in markup.scripts if "src" not in s]
    assert inline, "the story page carries its JSON-LD"
    assert {s.get("type") for s in inline} == {"application/ld+json"}
    assert markup.inline == []


def test_public_story_frames_only_what_its_policy_allows(pages):
    frames = Markup(pages["story"]["body"]).frames
    assert frames, "the story's video is a player"
    assert {origin(src) for src in frames} <= set(policy(pages["story"])["frame-src"])


def test_admin_change_form_scripts_carry_the_nonce_of_its_policy(pages):
    change_form = pages["change_form"]
    script_src = policy(change_form)["script-src"]
    nonces = [source for source in script_src if source.startswith("'nonce-")]
    assert len(nonces) == 1, script_src
    nonce = nonces[0][len("'nonce-") : -1]
    assert f"'nonce-{nonce}'" in policy(change_form)["style-src"]
    markup = Markup(change_form["body"])
    assert markup.scripts
    for script in markup.scripts:
        if "src" not in script and script.get("type") != "application/ld+json":
            assert script.get("nonce") == nonce, script
    assert [(style.get("nonce"), style["text"]) for style in markup.styles] == [(nonce, "")]
    assert markup.inline == []


def test_admin_pages_send_referrer_permissions_and_framing_policies(pages):
    for name in ("login", "change_form"):
        headers = pages[name]["headers"]
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "microphone=()" in headers["Permissions-Policy"]
        assert policy(pages[name])["frame-ancestors"] == ["'self'"]


def test_public_page_lets_only_the_video_players_go_full_screen(pages):
    features = dict(
        part.strip().split("=", 1)
        for part in pages["story"]["headers"]["Permissions-Policy"].split(",")
    )
    for feature in ("fullscreen", "picture-in-picture", "encrypted-media"):
        allowed = features[feature].strip("()").split()
        assert set(allowed) == {"self", *(f'"{player}"' for player in PLAYERS)}
    assert features["geolocation"] == "()"


def test_media_responses_carry_nosniff_the_detected_type_and_no_powers(pages):
    # The original, for the desk through the admin; readers only ever get renditions.
    photo, rendition = pages["photo"], pages["rendition"]
    assert pages["served_original"]["status"] == 404
    assert photo["url"].endswith(".png"), "uploaded as red.jpg, decoded as PNG"
    assert photo["headers"]["Content-Type"] == "image/png"
    assert rendition["headers"]["Content-Type"] == "image/webp"
    for media in (photo, rendition):
        assert media["status"] == 200
        assert media["headers"]["X-Content-Type-Options"] == "nosniff"
        assert policy(media) == {"default-src": ["'none'"], "sandbox": []}


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(lockout):
    assert lockout["first_wrong"]["status"] == 200
    assert lockout["last_wrong"]["status"] == 429
    assert lockout["right"]["status"] == 429
    assert lockout["right"]["logged_in"] is False


def test_lockout_page_says_why_and_when_to_try_again(lockout):
    body = lockout["right"]["body"]
    assert "<h1>Logging in is paused</h1>" in body
    assert "The password was wrong 5 times in a row for this account" in body
    assert "You can try again in 30\xa0minutes." in body  # timeuntil's no-break space


def test_lockout_of_one_account_leaves_colleagues_alone(lockout):
    assert lockout["colleague"]["logged_in"] is True


def test_failure_limit_and_cool_off_come_from_the_environment(tmp_path_factory):
    result = probe(tmp_path_factory, "limit", AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="0")
    assert result["below_limit"]["logged_in"] is True
    assert result["at_limit"]["logged_in"] is False
    body = result["at_limit"]["body"]
    assert "The password was wrong 3 times in a row" in body
    assert "An administrator has to unlock the account" in body


def test_a_failure_limit_that_is_not_a_number_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=demo_env(tmp_path, AXES_FAILURE_LIMIT="five"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be a whole number of 1 or more, not 'five'." in result.stderr


VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
PLAYER = "<!doctype html><title>Stand-in player</title><p>Video</p>"


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def open_under_policy(page, console: list[str], server, path: str) -> None:
    """Go to ``path`` with the violation listener, console capture and no network."""

    def route(route):
        url = route.request.url
        if url.startswith(server.url):
            return route.continue_()
        if origin(url) in PLAYERS:
            return route.fulfill(status=200, content_type="text/html", body=PLAYER)
        return route.abort()

    page.context.route("**/*", route)
    page.add_init_script(VIOLATIONS)
    page.on("console", lambda message: console.append(message.text))
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")


def policy_messages(console: list[str]) -> list[str]:
    return [text for text in console if "Content Security Policy" in text]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo site under runserver (DEBUG on, so it serves static files and media)."""
    tmp_path = tmp_path_factory.mktemp("server")
    env = demo_env(tmp_path)
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.site_probe", "site"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):  # a readiness poll, not a timed assertion
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the demo site's runserver did not start")
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", **json.loads(seeded.stdout))
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.browser
def test_story_with_a_video_and_the_change_form_run_under_the_demo_policy(browser, demo_server):
    reader, console = browser.new_page(), []
    try:
        open_under_policy(reader, console, demo_server, demo_server.story)
        reader.locator(".video-embed iframe").scroll_into_view_if_needed()
        reader.frame_locator(".video-embed iframe").get_by_text("Video").wait_for()
        assert reader.locator("main img").first.evaluate("img => img.naturalWidth") > 0
        assert violations(reader) == []
        assert policy_messages(console) == []
    finally:
        reader.close()

    editor, console = log_in_as(browser, demo_server, "desk", site_probe.PASSWORD), []
    try:
        open_under_policy(editor, console, demo_server, demo_server.change_form)
        assert editor.get_by_label("Headline").input_value() == "A story with a video"
        assert violations(editor) == []
        assert policy_messages(console) == []
        # The listener does see a violation: a script added without the nonce is refused.
        editor.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = true'; document.body.append(s); }"
        )
        editor.wait_for_function("window.__violations.length > 0")
        assert editor.evaluate("window.ran === undefined")
    finally:
        editor.context.close()

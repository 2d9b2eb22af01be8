import pytest
from django.core.checks import run_checks
from django.test import modify_settings, override_settings


def ids():
    return {message.id for message in run_checks()}


def test_default_settings_pass_the_checks():
    assert not {i for i in ids() if i.startswith("articles.")}


@override_settings(ARTICLES_PAGE_SIZE=0)
def test_page_size_must_be_positive():
    assert "articles.E001" in ids()


@override_settings(ARTICLES_IMAGE_MAX_PIXELS="lots")
def test_image_limits_must_be_numbers():
    assert "articles.E002" in ids()


@override_settings(ARTICLES_SITEMAP_LIMIT=50_001)
def test_sitemap_limit_stays_within_the_protocol():
    assert "articles.E003" in ids()


@override_settings(ARTICLES_FEED_SIZE=0)
def test_feed_size_must_be_positive():
    assert "articles.E001" in ids()


@override_settings(ARTICLES_FRONT_TOP_STORIES=-1)
def test_front_top_stories_must_be_a_whole_number():
    assert "articles.E001" in ids()


@override_settings(ARTICLES_RELATED_HALF_LIFE_DAYS=0)
def test_related_half_life_must_be_positive():
    assert "articles.E005" in ids()


@modify_settings(INSTALLED_APPS={"remove": ["django_prose_editor"]})
def test_body_editor_app_must_be_installed():
    messages = [m for m in run_checks() if m.id == "articles.E020"]
    assert messages and '"django_prose_editor"' in messages[0].hint


@override_settings(ARTICLES_IMAGE_CHOOSER_PAGE_SIZE=0)
def test_the_chooser_page_size_must_be_positive():
    assert "articles.E001" in ids()


@override_settings(ARTICLES_IMAGE_STAGING_MAX_AGE=0)
def test_staged_uploads_must_live_a_while():
    assert "articles.E002" in ids()


@override_settings(ARTICLES_IMAGE_STAGING_TO="photos/")
def test_staged_uploads_need_a_folder_of_their_own():
    assert "articles.E010" in ids()


@override_settings(ARTICLES_RENDITION_ATTEMPTS=0)
def test_rendition_attempts_must_be_positive():
    assert "articles.E002" in ids()


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_renditions_made_in_the_request_are_a_warning_in_production():
    assert "articles.W002" in ids()
    with override_settings(DEBUG=True):
        assert "articles.W002" not in ids()


def without_request_processor(settings):
    engines = []
    for engine in settings.TEMPLATES:
        options = dict(engine.get("OPTIONS", {}))
        options["context_processors"] = [
            name
            for name in options.get("context_processors", [])
            if name != "django.template.context_processors.request"
        ]
        engines.append({**engine, "OPTIONS": options})
    return engines


def test_the_request_context_processor_is_required(settings):
    settings.TEMPLATES = without_request_processor(settings)
    assert "articles.E030" in ids()


@override_settings(USE_TZ=False)
def test_time_zone_support_is_required():
    errors = [message for message in run_checks() if message.id == "articles.E031"]
    assert errors and "USE_TZ" in errors[0].msg


@override_settings(MEDIA_URL="")
def test_photos_need_a_media_url_on_the_file_system():
    assert "articles.W030" in ids()


@override_settings(
    MEDIA_URL="",
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
)
def test_other_storages_serve_their_own_urls():
    assert "articles.W030" not in ids()


@override_settings(MEDIA_ROOT="")
def test_photos_need_a_media_root_on_the_file_system():
    assert "articles.W030" in ids()


def test_the_apps_templates_must_be_found(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "APP_DIRS": False, "DIRS": []}]
    assert "articles.E032" in ids()


@override_settings(ARTICLES_PREVIEW_LINK_MAX_AGE=10**12)
def test_time_spans_stay_inside_the_calendar():
    assert "articles.E033" in ids()


def edge_messages():
    return {m.id: m.msg for m in run_checks() if m.id.startswith("articles.") and "PURGE" in m.msg}


@override_settings(
    ARTICLES_PURGER="articles.edge.NoSuchPurger", ARTICLES_SURROGATE_KEY_HEADER="xkey"
)
def test_the_purger_must_import():
    assert "NoSuchPurger" in edge_messages()["articles.E040"]


@override_settings(
    ARTICLES_PURGER="articles.edge.app_settings", ARTICLES_SURROGATE_KEY_HEADER="xkey"
)
def test_the_purger_must_purge():
    assert "no purge(keys) method" in edge_messages()["articles.E040"]


@override_settings(
    ARTICLES_PURGER="articles.edge.VarnishXkeyPurger", ARTICLES_SURROGATE_KEY_HEADER="xkey"
)
def test_the_varnish_purger_needs_addresses():
    assert "lists none" in edge_messages()["articles.E041"]


@override_settings(
    ARTICLES_PURGER="articles.edge.VarnishXkeyPurger",
    ARTICLES_SURROGATE_KEY_HEADER="xkey",
    ARTICLES_VARNISH_PURGE_URLS=["http://127.0.0.1:6081/"],
)
def test_a_configured_edge_passes():
    assert edge_messages() == {}


@override_settings(ARTICLES_PURGER="articles.edge.LoggingPurger")
def test_purging_without_keys_on_pages_is_a_warning():
    assert "carry no keys" in edge_messages()["articles.W040"]


@override_settings(ARTICLES_VARNISH_PURGE_URLS=["varnish:6081"])
def test_purge_addresses_must_be_urls():
    assert "'varnish:6081'" in edge_messages()["articles.E042"]


@override_settings(ARTICLES_PURGE_TIMEOUT=0, ARTICLES_PURGE_REPEAT_AFTER=-1)
def test_purge_timings_must_be_sensible():
    assert "articles.E043" in edge_messages()
    assert sum(m.id == "articles.E043" for m in run_checks()) == 2


DEFAULT_IMAGE = {"url": "articles/logo.png", "width": 600, "height": 60, "alt": "Our masthead"}


@pytest.mark.parametrize(
    "value",
    [
        {"url": "articles/logo.png", "width": 600, "height": 60},  # no alt text
        {**DEFAULT_IMAGE, "width": 0},
        {**DEFAULT_IMAGE, "height": "60"},
        {**DEFAULT_IMAGE, "url": ""},
        {**DEFAULT_IMAGE, "alt": "  "},
        {**DEFAULT_IMAGE, "colour": "blue"},
        "articles/logo.png",
    ],
)
def test_the_default_image_needs_an_address_a_size_and_a_text(value):
    with override_settings(ARTICLES_DEFAULT_IMAGE=value):
        assert "articles.E050" in ids()


@pytest.mark.parametrize(
    "url", ["articles/logo.png", "https://cdn.example/share.png", "/static/share.png"]
)
def test_a_default_image_that_can_be_found_passes(url):
    with override_settings(ARTICLES_DEFAULT_IMAGE={**DEFAULT_IMAGE, "url": url}):
        assert not {i for i in ids() if i.startswith("articles.")}


@override_settings(ARTICLES_DEFAULT_IMAGE={**DEFAULT_IMAGE, "url": "articles/missing.png"})
def test_a_default_image_missing_from_the_static_files_is_a_warning():
    assert "articles.W050" in ids()

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

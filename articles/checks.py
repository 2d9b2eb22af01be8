"""System checks for the app's settings and the host's (ids ``articles.E0xx``, ``W0xx``)."""

import zoneinfo
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, Warning, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.exceptions import InvalidTaskBackendError

from .conf import app_settings
from .edge import VarnishXkeyPurger
from .languages import supported
from .presenters import is_static_path

TEN_YEARS_DAYS = 3653
TEN_YEARS_SECONDS = TEN_YEARS_DAYS * 24 * 3600


@register()
def check_settings(app_configs, **kwargs):
    errors = []
    for name, minimum in (
        ("PAGE_SIZE", 1),
        ("RELATED_COUNT", 0),
        ("FRONT_TOP_STORIES", 0),
        ("FEED_SIZE", 1),
        ("API_PAGE_SIZE", 1),
        ("LIVE_PAGE_SIZE", 1),
        ("LIVE_POLL_SECONDS", 1),
        ("SEARCH_LIMIT", 1),
        ("CACHE_MAX_AGE", 0),
        ("IMAGE_CHOOSER_PAGE_SIZE", 1),
        ("RENDITION_RETRY_DELAY", 0),
    ):
        value = getattr(app_settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            errors.append(
                Error(
                    _(
                        "ARTICLES_%(name)s must be a whole number of at least %(minimum)s; "
                        "it is %(value)r."
                    )
                    % {"name": name, "minimum": minimum, "value": value},
                    id="articles.E001",
                )
            )
    for name in (
        "IMAGE_MAX_UPLOAD_BYTES",
        "IMAGE_MAX_PIXELS",
        "EDIT_LEASE_SECONDS",
        "PREVIEW_LINK_MAX_AGE",
        "IMAGE_RIGHTS_WARNING_DAYS",
        "READING_WORDS_PER_MINUTE",
        "IMAGE_STAGING_MAX_AGE",
        "RENDITION_ATTEMPTS",
    ):
        value = getattr(app_settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                Error(
                    _("ARTICLES_%(name)s must be a positive whole number; it is %(value)r.")
                    % {"name": name, "value": value},
                    id="articles.E002",
                )
            )
    # Spans added to the current time: beyond the calendar (year 9999), that is a server error.
    for name, unit, most in (
        ("EDIT_LEASE_SECONDS", _("%(count)s seconds"), TEN_YEARS_SECONDS),
        ("PREVIEW_LINK_MAX_AGE", _("%(count)s seconds"), TEN_YEARS_SECONDS),
        ("IMAGE_STAGING_MAX_AGE", _("%(count)s seconds"), TEN_YEARS_SECONDS),
        ("IMAGE_RIGHTS_WARNING_DAYS", _("%(count)s days"), TEN_YEARS_DAYS),
    ):
        value = getattr(app_settings, name)
        if isinstance(value, int) and not isinstance(value, bool) and value > most:
            errors.append(
                Error(
                    _("ARTICLES_%(name)s must be at most ten years (%(most)s); it is %(value)r.")
                    % {
                        "name": name,
                        "most": unit % {"count": number_format(most, force_grouping=True)},
                        "value": value,
                    },
                    id="articles.E033",
                )
            )
    limit = app_settings.SITEMAP_LIMIT
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 50_000:
        errors.append(
            Error(
                _(
                    "ARTICLES_SITEMAP_LIMIT must be a whole number from 1 to 50,000, the "
                    "sitemaps protocol's maximum; it is %(value)r."
                )
                % {"value": limit},
                id="articles.E003",
            )
        )
    try:
        zoneinfo.ZoneInfo(app_settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        errors.append(
            Error(
                _(
                    "ARTICLES_TIME_ZONE must name a time zone such as 'Europe/London'; "
                    "it is %(value)r."
                )
                % {"value": app_settings.TIME_ZONE},
                id="articles.E004",
            )
        )
    half_life = app_settings.RELATED_HALF_LIFE_DAYS
    if not isinstance(half_life, int | float) or isinstance(half_life, bool) or half_life <= 0:
        errors.append(
            Error(
                _(
                    "ARTICLES_RELATED_HALF_LIFE_DAYS must be a positive number of days; "
                    "it is %(value)r."
                )
                % {"value": half_life},
                id="articles.E005",
            )
        )
    try:
        widths = app_settings.IMAGE_RENDITION_WIDTHS
    except TypeError:
        widths = None
    if not widths or not all(
        isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in widths
    ):
        errors.append(
            Error(
                _(
                    "ARTICLES_IMAGE_RENDITION_WIDTHS must be a non-empty list of widths between "
                    "16 and 8192 pixels; it is %(value)r."
                )
                % {"value": widths},
                id="articles.E006",
            )
        )
    staging = app_settings.IMAGE_STAGING_TO
    if (
        not isinstance(staging, str)
        or not staging.strip("/")
        or staging.strip("/")
        in {
            app_settings.IMAGE_UPLOAD_TO.strip("/"),
            app_settings.IMAGE_RENDITIONS_TO.strip("/"),
        }
    ):
        # Old staged files are deleted from this folder: it must hold nothing else.
        errors.append(
            Error(
                _(
                    "ARTICLES_IMAGE_STAGING_TO must name a folder of its own, apart from "
                    "ARTICLES_IMAGE_UPLOAD_TO and ARTICLES_IMAGE_RENDITIONS_TO; it is %(value)r."
                )
                % {"value": staging},
                id="articles.E010",
            )
        )
    errors += check_default_image()
    if supported(app_settings.DEFAULT_LANGUAGE) is None:
        errors.append(
            Error(
                _(
                    "ARTICLES_DEFAULT_LANGUAGE must be one of the languages of LANGUAGES; "
                    "it is %(value)r."
                )
                % {"value": app_settings.DEFAULT_LANGUAGE},
                id="articles.E034",
            )
        )
    errors += check_shared_cache()
    errors += check_task_backend()
    errors += check_edge()
    return errors


def check_edge():
    """The CDN purge: a purger that can be loaded, and the addresses it needs."""
    errors = []
    path = app_settings.PURGER
    if path:
        try:
            purger = import_string(path)
        except ImportError as error:
            purger = None
            errors.append(
                Error(
                    f"ARTICLES_PURGER must be the dotted path of a purger class; "
                    f"{path!r} cannot be imported ({error}).",
                    id="articles.E040",
                )
            )
        if purger is not None and not callable(getattr(purger, "purge", None)):
            errors.append(
                Error(
                    f"ARTICLES_PURGER names {path!r}, which has no purge(keys) method.",
                    id="articles.E040",
                )
            )
        varnish = isinstance(purger, type) and issubclass(purger, VarnishXkeyPurger)
        if varnish and not app_settings.VARNISH_PURGE_URLS:
            errors.append(
                Error(
                    f"ARTICLES_PURGER is {path!r}, which purges the Varnish servers listed in "
                    "ARTICLES_VARNISH_PURGE_URLS; that setting lists none.",
                    id="articles.E041",
                )
            )
        if not app_settings.SURROGATE_KEY_HEADER:
            errors.append(
                Warning(
                    "ARTICLES_PURGER is set but ARTICLES_SURROGATE_KEY_HEADER is not: pages "
                    "carry no keys, so purges by key drop nothing.",
                    id="articles.W040",
                )
            )
    for url in app_settings.VARNISH_PURGE_URLS:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
            errors.append(
                Error(
                    "ARTICLES_VARNISH_PURGE_URLS must list http:// or https:// addresses; "
                    f"{url!r} is not one.",
                    id="articles.E042",
                )
            )
    timeout = app_settings.PURGE_TIMEOUT
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        errors.append(
            Error(
                f"ARTICLES_PURGE_TIMEOUT must be a positive number of seconds; it is {timeout!r}.",
                id="articles.E043",
            )
        )
    repeat = app_settings.PURGE_REPEAT_AFTER
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 0:
        errors.append(
            Error(
                "ARTICLES_PURGE_REPEAT_AFTER must be a whole number of seconds, 0 for never; "
                f"it is {repeat!r}.",
                id="articles.E043",
            )
        )
    return errors


DEFAULT_IMAGE_KEYS = {"url", "width", "height", "alt"}


def check_default_image():
    """``ARTICLES_DEFAULT_IMAGE``: None, or an image's address, size and text."""
    image = app_settings.DEFAULT_IMAGE
    if image is None:
        return []
    shape = (
        isinstance(image, dict)
        and set(image) == DEFAULT_IMAGE_KEYS
        and isinstance(image["url"], str)
        and image["url"].strip()
        and all(
            isinstance(image[name], int) and not isinstance(image[name], bool) and image[name] > 0
            for name in ("width", "height")
        )
        and isinstance(image["alt"], str)
        and image["alt"].strip()
    )
    if not shape:
        return [
            Error(
                "ARTICLES_DEFAULT_IMAGE must be None or a dict with a static path or full URL "
                "('url'), a size in pixels ('width', 'height': positive whole numbers) and the "
                f"text describing the image ('alt'); it is {image!r}.",
                id="articles.E050",
            )
        ]
    if not is_static_path(image["url"]) or finders.find(image["url"]):
        return []
    return [
        Warning(
            f"ARTICLES_DEFAULT_IMAGE names the static file {image['url']!r}, which no static "
            "files finder finds: stories without a photo would share a missing image.",
            hint="Put the file in a static folder (STATICFILES_DIRS or an app's static/), or "
            "give a full URL.",
            id="articles.W050",
        )
    ]


def check_task_backend():
    """Outside development, photo renditions need a task backend with a worker."""
    if settings.DEBUG:
        return []
    try:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    except InvalidTaskBackendError:
        return []  # django-tasks' own check reports it
    if isinstance(backend, ImmediateBackend):
        effect = _("uploads make their renditions inside the request")
    elif isinstance(backend, DummyBackend):
        effect = _("photo renditions are never made")
    else:
        return []
    return [
        Warning(
            _("The default task backend is the %(backend)s: %(effect)s.")
            % {"backend": type(backend).__name__, "effect": effect},
            hint=_(
                "Use a backend with a worker in TASKS, such as django_tasks_db.DatabaseBackend "
                'with `manage.py db_worker` running (docs/embedding.md, "Background tasks").'
            ),
            id="articles.W002",
        )
    ]


REQUEST_PROCESSOR = "django.template.context_processors.request"


@register()
def check_host_settings(app_configs, **kwargs):
    """The host settings every public page relies on."""
    errors = []
    engines = [
        engine
        for engine in settings.TEMPLATES
        if engine.get("BACKEND") == "django.template.backends.django.DjangoTemplates"
    ]
    if not any(
        REQUEST_PROCESSOR in engine.get("OPTIONS", {}).get("context_processors", ())
        for engine in engines
    ):
        errors.append(
            Error(
                _(
                    "The app's public pages read the request in their templates (canonical "
                    "URLs, cached parts), but no DjangoTemplates engine in TEMPLATES has the "
                    "request context processor."
                ),
                hint=_("Add %(processor)r to TEMPLATES[...]['OPTIONS']['context_processors'].")
                % {"processor": REQUEST_PROCESSOR},
                id="articles.E030",
            )
        )
    try:
        get_template("articles/article_detail.html")
    except TemplateDoesNotExist:
        errors.append(
            Error(
                _(
                    "The app's templates cannot be found: no template engine loads templates "
                    "from installed apps."
                ),
                hint=_(
                    "Set 'APP_DIRS': True on the DjangoTemplates engine in TEMPLATES, or add "
                    "'django.template.loaders.app_directories.Loader' to its loaders."
                ),
                id="articles.E032",
            )
        )
    if not settings.USE_TZ:
        errors.append(
            Error(
                _(
                    "The app stores every time in UTC and shows it in ARTICLES_TIME_ZONE, which "
                    "needs time-zone-aware datetimes, but USE_TZ is False."
                ),
                hint=_("Set USE_TZ = True (Django's default)."),
                id="articles.E031",
            )
        )
    storage = settings.STORAGES.get("default", {}).get("BACKEND", "")
    # Django reads an empty MEDIA_URL (its default) as the script prefix, "/".
    if storage == "django.core.files.storage.FileSystemStorage" and (
        settings.MEDIA_URL.rstrip("/") == "" or not settings.MEDIA_ROOT
    ):
        errors.append(
            Warning(
                _(
                    "Photos are stored with FileSystemStorage, but MEDIA_URL or MEDIA_ROOT is "
                    "empty: uploads land in the working directory and every photo's address "
                    "404s."
                ),
                hint=_(
                    "Set MEDIA_ROOT to a folder the app may write to and MEDIA_URL to the "
                    "URL it is served from, such as '/media/' (docs/embedding.md)."
                ),
                id="articles.W030",
            )
        )
    return errors


# Cache back ends that keep entries inside one process.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def check_shared_cache():
    """The page cache needs one cache every app server shares."""
    if not app_settings.PAGE_CACHE:
        return []
    alias = app_settings.PAGE_CACHE_ALIAS
    backend = settings.CACHES.get(alias, {}).get("BACKEND")
    if backend is None:
        return [
            Error(
                _("ARTICLES_PAGE_CACHE_ALIAS names %(alias)r, which is not in CACHES.")
                % {"alias": alias},
                id="articles.E007",
            )
        ]
    if backend in PER_PROCESS_CACHES:
        return [
            Warning(
                _(
                    "The page cache is on with the %(backend)s back end (CACHES[%(alias)r]): "
                    "each process keeps its own entries, so a change made through one app "
                    "server is not seen by the others' caches."
                )
                % {"backend": backend.rsplit(".", 1)[-1], "alias": alias},
                hint=_(
                    "Use a cache all processes share, such as Redis "
                    "(django.core.cache.backends.redis.RedisCache), or turn the page cache off."
                ),
                id="articles.W001",
            )
        ]
    return []


@register()
def check_editor_installed(app_configs, **kwargs):
    """The article body's editor ships its scripts and styles in django-prose-editor's app."""
    if apps.is_installed("django_prose_editor"):
        return []
    return [
        Error(
            _(
                "The article body's editor needs django-prose-editor's static files, but "
                '"django_prose_editor" is not in INSTALLED_APPS.'
            ),
            hint=_(
                'Add "django_prose_editor" to INSTALLED_APPS (next to "articles"); '
                "see docs/embedding.md."
            ),
            id="articles.E020",
        )
    ]

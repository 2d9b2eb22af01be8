"""The newsroom's clock: the zone editors work in, and the one way times are shown to them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import pgettext

from .conf import app_settings


def newsroom_zone() -> ZoneInfo:
    """Return the zone editors work in (``ARTICLES_TIME_ZONE``)."""
    return ZoneInfo(app_settings.TIME_ZONE)


def desk_time(value: datetime | None) -> str:
    """Format ``value`` the one way the admin shows times: "1 Dec 2026, 21:21 GMT"."""
    if value is None:
        return ""
    # Translators may reorder the parts; the letters are Django's date format codes.
    return format_date(
        timezone.localtime(value, newsroom_zone()), pgettext("desk time", "j M Y, H:i T")
    )


def reader_time(value: datetime | None) -> str:
    """Format ``value`` the one way public pages show a time: "1 December 2026, 21:21 GMT".

    In the newsroom's zone and the reader's language; translators set the order.
    """
    if value is None:
        return ""
    return format_date(
        timezone.localtime(value, newsroom_zone()), pgettext("reader time", "j F Y, H:i T")
    )


def reader_date(value: datetime | None) -> str:
    """Format ``value``'s day the one way public lists show it: "1 Dec 2026"."""
    if value is None:
        return ""
    return format_date(timezone.localtime(value, newsroom_zone()), pgettext("reader date", "j M Y"))


def iso_time(value: datetime) -> str:
    """Format ``value`` for ``<time datetime>``: ISO 8601 in the reader's zone, whole seconds."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()

"""Factories for the suite: small, explicit, and built on the public models."""

from __future__ import annotations

import datetime
import io
import itertools
import signal
import struct
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleAuthor, Author, Image, RelatedLink, Section, Status
from articles.models.suggestions import refresh_suggestions
from tests.browser import browser  # noqa: F401  (the fixture, for every browser test)

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def page_cache_breaker_closed(monkeypatch):
    """Start every test with the page cache's circuit breaker closed (it is per process)."""
    from articles import pagecache

    monkeypatch.setattr(pagecache, "_open_until", 0.0)
    monkeypatch.setattr(pagecache, "_unsent", set())


@pytest.fixture
def page_cache(settings):
    """The anonymous page cache on, over an empty cache."""
    from django.core.cache import cache

    settings.ARTICLES_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_facts_forgotten():
    """Start every test without the navigation a rolled-back test left in the process."""
    from articles import sitefacts

    sitefacts.forget()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep every uploaded file in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg_bytes(width: int = 64, height: int = 48, colour=(200, 30, 30), fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, fmt)
    return buffer.getvalue()


def iptc_segment(records: dict[tuple[int, int], bytes]) -> bytes:
    """Return a JPEG APP13 segment carrying IPTC-IIM ``records`` as Photoshop writes it."""
    data = b"".join(
        b"\x1c" + bytes(key) + struct.pack(">H", len(value)) + value
        for key, value in records.items()
    )
    data += b"\x00" * (len(data) % 2)
    resource = b"8BIM" + struct.pack(">HHI", 0x0404, 0, len(data)) + data
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def xmp_packet(**properties: str) -> bytes:
    """Return an XMP packet with dc:description/creator/rights and photoshop:Credit/Source."""
    rdf = {
        "description": "<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>{}</rdf:li>"
        "</rdf:Alt></dc:description>",
        "creator": "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
        "rights": "<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>{}</rdf:li>"
        "</rdf:Alt></dc:rights>",
        "credit": "<photoshop:Credit>{}</photoshop:Credit>",
        "source": "<photoshop:Source>{}</photoshop:Source>",
        "date": "<photoshop:DateCreated>{}</photoshop:DateCreated>",
        "alt": "<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang='x-default'>{}"
        "</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>",
    }
    body = "".join(rdf[key].format(value) for key, value in properties.items())
    return (
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:Iptc4xmpCore='http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/' "
        f"xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'>{body}</rdf:Description>"
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def photo_bytes(
    width: int = 64,
    height: int = 48,
    *,
    iptc: dict[tuple[int, int], bytes] | None = None,
    xmp: bytes | None = None,
    orientation: int | None = None,
    gps: bool = False,
) -> bytes:
    """Return a JPEG with the embedded metadata asked for (IPTC, XMP, EXIF orientation, GPS)."""
    exif = PILImage.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0xA431] = "BODY-SERIAL-0042"  # camera serial number
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd.update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    picture = PILImage.new("RGB", (width, height), (30, 90, 160))
    picture.paste((240, 200, 20), (0, 0, width // 2, height // 2))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, **({"xmp": xmp} if xmp else {}))
    data = buffer.getvalue()
    if iptc:
        data = data[:2] + iptc_segment(iptc) + data[2:]
    return data


def upload(name: str = "photo.jpg", content: bytes | None = None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type)


@pytest.fixture
def run_tasks(transactional_db):
    """Run the queued tasks in this process through django-tasks-db's worker, then return.

    For tests about what the tasks do; tests/test_tasks.py runs a real worker process.
    The worker commits and reconnects as it goes, so the test's database is
    transactional (flushed afterwards), not one rolled-back transaction.
    """

    def run() -> None:
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        finally:
            for sig, handler in handlers.items():  # the worker installs its own
                signal.signal(sig, handler)

    return run


@pytest.fixture
def section_factory(db):
    def make(name: str | None = None, **fields) -> Section:
        n = next(_counter)
        name = name or f"Section {n}"
        fields.setdefault("slug", f"section-{n}")
        return Section.objects.create(name=name, **fields)

    return make


@pytest.fixture
def author_factory(db):
    def make(name: str | None = None, **fields) -> Author:
        n = next(_counter)
        name = name or f"Author {n}"
        fields.setdefault("slug", f"author-{n}")
        return Author.objects.create(name=name, **fields)

    return make


@pytest.fixture
def image_factory(db):
    def make(
        credit: str = "REUTERS/Jonathan Ernst",
        *,
        content: bytes | None = None,
        renditions: bool = True,
        **fields,
    ) -> Image:
        """Make a photo with its renditions, as the worker would; ``renditions=False``: pending."""
        n = next(_counter)
        fields.setdefault("caption", f"Caption {n}")
        fields.setdefault("alt_text", f"Alt text {n}")
        image = Image(credit=credit, **fields)
        image.file.save(f"photo-{n}.jpg", ContentFile(content or jpeg_bytes()), save=False)
        image.full_clean()
        image.save()
        if renditions:
            image.generate_renditions()
        return image

    return make


@pytest.fixture
def article_factory(db, section_factory):
    """Make a public article unless told otherwise; ``tags``/``authors`` are applied in order."""

    def make(
        headline: str | None = None,
        *,
        tags=(),
        authors=(),
        published: bool = True,
        hours_ago: float = 1,
        **fields,
    ) -> Article:
        n = next(_counter)
        fields.setdefault(
            "section", section_factory() if "section" not in fields else fields["section"]
        )
        if published:
            fields.setdefault("status", Status.PUBLISHED)
            fields.setdefault("published_at", timezone.now() - timedelta(hours=hours_ago))
        fields.setdefault("body", "<p>Body.</p>")
        article = Article(headline=headline or f"Story number {n}", **fields)
        article.full_clean()
        article.save()
        if tags:
            article.tags.set(list(tags))
        for position, author in enumerate(authors):
            ArticleAuthor.objects.create(article=article, author=author, position=position)
        # As the task worker would once the save commits (articles.tasks.schedule_suggestions).
        refresh_suggestions([article.pk])
        return article

    return make


@pytest.fixture
def related_link_factory(db):
    def make(article: Article, target: Article | None = None, **fields) -> RelatedLink:
        link = RelatedLink(article=article, target=target, **fields)
        link.full_clean()
        link.save()
        return link

    return make


@pytest.fixture
def placement_factory(db):
    """Place ``article`` on the home page's front (``section=``: that section's), in order.

    ``package="Ukraine war"`` puts it in that package of the front (made if missing).
    """
    from articles.models import Front, Package, Placement

    def make(article: Article, *, section=None, package: str | None = None, **fields):
        front, _ = Front.objects.get_or_create(section=section)
        if package is not None:
            package, _ = Package.objects.get_or_create(front=front, name=package)
        group = Placement.objects.filter(front=front, package=package)
        fields.setdefault("position", group.count())
        placement = Placement(front=front, package=package, article=article, **fields)
        placement.full_clean()
        placement.save()
        return placement

    return make


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief-123")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def staff_factory(db, django_user_model):
    """Make a staff account in one of the newsroom's roles (``"Reporter"`` or ``"Editor"``)."""

    def make(group: str, username: str | None = None, **fields) -> object:
        from articles.models import Role

        username = username or f"{group.lower()}{next(_counter)}"
        fields.setdefault("first_name", username.title())
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pw-staff-123", is_staff=True, **fields
        )
        user.groups.add(Role.objects.get(kind=group.lower()).group)
        return user

    return make


@pytest.fixture
def reporter(staff_factory):
    return staff_factory("Reporter", "riley", first_name="Riley", last_name="Reporter")


@pytest.fixture
def desk_editor(staff_factory):
    return staff_factory("Editor", "erin", first_name="Erin", last_name="Editor")


@pytest.fixture
def reporter_client(reporter):
    from django.test import Client

    client = Client()
    client.force_login(reporter)
    return client


@pytest.fixture
def desk_editor_client(desk_editor):
    from django.test import Client

    client = Client()
    client.force_login(desk_editor)
    return client


def change_form_data(response, **changes) -> dict:
    """Return what the admin page in ``response`` would POST unchanged, then ``changes``.

    Walks the main form and every inline formset, so a test can change one field and
    save the page the way a browser would.
    """
    from django import forms as django_forms

    data: dict = {}

    def add(form):
        for name, field in form.fields.items():
            bound = form[name]
            key, value = bound.html_name, bound.value()
            if isinstance(field.widget, django_forms.MultiWidget):
                if isinstance(value, list | tuple):  # a bound form: the typed strings
                    parts = value
                else:
                    parts = field.widget.decompress(value) if value else [None, None]
                for i, part in enumerate(parts):
                    # Like the admin's widgets: dates in ISO, times in whole seconds.
                    if isinstance(part, datetime.time):
                        part = part.strftime("%H:%M:%S")
                    data[f"{key}_{i}"] = (
                        part.isoformat() if hasattr(part, "isoformat") else part or ""
                    )
            elif isinstance(field, django_forms.BooleanField):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            else:
                formatted = field.widget.format_value(value)
                data[key] = formatted if formatted is not None else ""

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data.update(changes)
    return data


def store_body_as_sql(article: Article, body: str) -> None:
    """Write ``body`` as a story's stored body with SQL, as a release before this one might have.

    Even ``QuerySet.update()`` cleans the body (the field's ``get_prep_value``).
    """
    from django.db import connection

    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET body = %s WHERE id = %s", [body, article.pk])


def widest(image: Image) -> str:
    """Return the URL public surfaces give a whole photo: its widest stripped rendition."""
    return image.renditions("original", "jpeg")[-1].url


# WordPress exports -------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    """Write an export's text to a file of the test's own; return its path."""

    def make(text: str, name: str = "export.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.fixture
def media(tmp_path):
    """A ``--media-dir`` folder holding one upload, ``2024/03/photo.jpg``."""
    folder = tmp_path / "uploads"
    (folder / "2024/03").mkdir(parents=True)
    (folder / "2024/03/photo.jpg").write_bytes(jpeg_bytes())
    return folder

"""Import a WordPress export (WXR) into the newsroom: authors, photos, stories and old URLs.

The export is read as a stream, twice: the first pass brings in the authors
(from the channel header) and the attachments as library photos, the second
the posts, which can then point at any photo of the file, wherever it stands.
Memory stays flat whatever the size of the file: each ``<item>`` is dropped as
soon as it has been read.

Items are written in chunks (``CHUNK``), a transaction each and a savepoint per
item, and remembered in ``WordPressOrigin`` (site, kind, WordPress id and a
digest of the item), so a rerun skips what has not changed, a newer export
updates what has, and a run stopped half-way loses nothing: the next run picks
up where it stopped. A chunk's origins and slugs are read in a query each, its
bylines and tag links inserted together; suggestions and cached pages are
refreshed once per run (``run``), not per story.

The XML parser refuses anything a WordPress export never contains and an
attack would: a DTD (so no entity expansion bombs and no external entities),
network access, and text nodes over libxml2's 10 MB safety limit.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from lxml import etree

from .. import invalidation
from ..body import removals
from ..conf import app_settings
from ..models import (
    Article,
    ArticleAuthor,
    Author,
    Image,
    Section,
    Status,
    Tag,
    TaggedArticle,
    WordPressOrigin,
    get_or_create_tag,
)
from ..models.images import body_photo_library
from ..slugs import slug_for, unique_slug
from ..tasks import schedule_renditions, suggestions_deferred
from ..text import clean_line, clean_text, normalise_name, tag_key
from ..wpautop import wpautop
from . import images, labels, markup, shortcodes

BODY = Article._meta.get_field("body")
SUPPORTED_VERSIONS = frozenset({"1.0", "1.1", "1.2"})
# Items written per transaction: a query per chunk reads their origins and slugs
# (docs/decisions.md, "WordPress import speed").
CHUNK = 200

# WordPress statuses and the article state each becomes. Private, draft and
# pending posts are never public; "review" is used when the workflow has it.
_REVIEW = getattr(Status, "REVIEW", Status.DRAFT)
STATUS_MAP = {
    "publish": Status.PUBLISHED,
    "future": Status.PUBLISHED,  # published with a future time: scheduled, hidden until then
    "draft": Status.DRAFT,
    "pending": _REVIEW,
    "private": Status.DRAFT,
}
_ZERO_DATE = "0000-00-00 00:00:00"
_TAGS = re.compile(r"<[^>]*>")
_NOT_IN_LOGIN = re.compile(r"[^\w .@-]")
_WXR_NS = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/(excerpt/)?$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# A PHP-serialised "credit" entry of _wp_attachment_metadata's image_meta,
# which WordPress fills from the file's IPTC data on upload.
_PHP_CREDIT = re.compile(r's:6:"credit";s:\d+:"([^"]*)";')


class ExportError(Exception):
    """The export cannot be read further; what was read before stays imported."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass
class Problem:
    """One item the run skipped or imported with a caveat."""

    reason: str
    line: int | None = None
    item: str = ""
    skipped: bool = True

    def __str__(self) -> str:
        line = _("line %(line)s") % {"line": self.line} if self.line else ""
        where = ", ".join(p for p in (line, self.item) if p)
        return f"{where}: {self.reason}" if where else self.reason


@dataclass
class Report:
    """What one run did, counted."""

    dry_run: bool = False
    items_read: int = 0
    articles: Counter = field(default_factory=Counter)  # created / updated / unchanged / skipped
    photos: Counter = field(default_factory=Counter)
    authors: Counter = field(default_factory=Counter)
    sections_created: int = 0
    tags_created: int = 0
    redirects: int = 0
    figures: int = 0
    embeds: int = 0
    shortcodes_dropped: Counter = field(default_factory=Counter)
    # What saving the bodies removed that readers would have seen, by kind (body.removals).
    not_converted: Counter = field(default_factory=Counter)
    ignored: Counter = field(default_factory=Counter)  # items that are not stories, by type
    # Posts left out for their WordPress status (trash, auto-draft, ""), by status.
    ignored_statuses: Counter = field(default_factory=Counter)
    older_than_since: int = 0
    missing_media: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[Problem] = field(default_factory=list)  # stories updated, and what changed
    fatal: Problem | None = None

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.skipped]

    @property
    def nothing_changed(self) -> bool:
        """Return whether the run wrote nothing: every item read was unchanged or skipped."""
        counters = (self.articles, self.photos, self.authors)
        idle = ("unchanged", "skipped")
        busy = any(n for c in counters for what, n in c.items() if what not in idle)
        return not (busy or self.sections_created or self.tags_created)

    @property
    def ok(self) -> bool:
        """Return whether every item was read and none was skipped."""
        return self.fatal is None and not self.skipped


@dataclass
class Progress:
    """Where a run stands, for a progress display."""

    phase: str
    bytes_read: int
    bytes_total: int
    items: int
    report: Report


class _CountingReader:
    """A file wrapper that counts the bytes the parser has read, for the progress display."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data


def _qname(tag: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 - a deliberate cache
    """Return ``wp:post_id`` for ``{https://wordpress.org/export/1.2/}post_id``, whatever scheme."""
    try:
        return cache[tag]
    except KeyError:
        pass
    name = tag
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        match = _WXR_NS.match(uri)
        prefix = ("excerpt" if match.group(2) else "wp") if match else _NAMESPACES.get(uri, uri)
        name = f"{prefix}:{local}"
    cache[tag] = name
    return name


def _children(elem) -> dict[str, Any]:
    """Return an element's children as a flat dict of text; repeated ones collected in lists."""
    data: dict[str, Any] = {"categories": [], "postmeta": {}, "comments": 0}
    for child in elem:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        name = _qname(child.tag)
        if name == "category":
            data["categories"].append(
                (child.get("domain", ""), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:postmeta":
            meta = {_qname(c.tag): c.text or "" for c in child if isinstance(c.tag, str)}
            data["postmeta"][meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            data["comments"] += 1
        else:
            data[name] = child.text or ""
    return data


def read_export(source: IO[bytes]) -> Iterator[tuple[str, dict[str, Any], int]]:
    """Yield ``(kind, data, line)`` for the channel, each author, category and item, streaming.

    ``kind`` is "channel" (once, before the first item), "wp:author",
    "wp:category", or "item". Raises ExportError for a malformed file, a DTD,
    or an unknown WXR version.
    """
    parser = etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    channel: dict[str, Any] = {}
    depth = 0
    channel_sent = False
    try:
        for event, elem in parser:
            if event == "start":
                depth += 1
                if depth == 1:
                    if elem.getroottree().docinfo.internalDTD is not None:
                        raise ExportError(
                            _(
                                "the file declares a DTD, which WordPress exports never do; "
                                "refused, as it could expand entities or read other files"
                            ),
                            elem.sourceline,
                        )
                    if elem.tag != "rss":
                        raise ExportError(
                            _("not a WordPress export: the root is <%(tag)s>") % {"tag": elem.tag},
                            1,
                        )
                continue
            depth -= 1
            if depth != 2:  # only the channel's own children matter
                continue
            name = _qname(elem.tag)
            line = elem.sourceline or 0
            if len(elem) == 0 and name not in ("item", "wp:category", "wp:tag", "wp:term"):
                channel[name] = elem.text or ""
            else:
                if not channel_sent:
                    _check_version(channel, line)
                    channel_sent = True
                    yield "channel", channel, line
                if name in ("item", "wp:author", "wp:wp_author", "wp:category"):
                    # Some exports (the accessibility test site's) spell it wp:wp_author.
                    yield name.replace("wp:wp_", "wp:"), _children(elem), line
            # Free what has been read: the element, and the siblings before it.
            elem.clear()
            parent = elem.getparent()
            while elem.getprevious() is not None and parent is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        # The parser's own detail stays in libxml2's English: it names the XML's terms.
        reason = _("the XML is malformed or cut short (%(detail)s)") % {"detail": exc.msg}
        raise ExportError(reason, line) from exc
    if not channel_sent:
        _check_version(channel, None)
        yield "channel", channel, 0


def _check_version(channel: dict[str, Any], line: int | None) -> None:
    version = channel.get("wp:wxr_version", "").strip()
    if version not in SUPPORTED_VERSIONS:
        if version:
            reason = _(
                "unknown WXR version (“%(version)s”); this importer reads WXR 1.0 to 1.2"
            ) % {"version": version}
        else:
            reason = _("no WXR version given; this importer reads WXR 1.0 to 1.2")
        raise ExportError(reason, line)


def site_key(url: str) -> str:
    """Return a site's address without scheme or trailing slash: http and https are one site."""
    parts = urlsplit((url or "").strip())
    return (parts.netloc.lower() + parts.path.rstrip("/"))[:200]


def parse_wp_date(value: str) -> datetime | None:
    """Return WordPress's ``YYYY-MM-DD HH:MM:SS`` (GMT) as an aware UTC datetime; None if unset."""
    value = (value or "").strip()
    if not value or value == _ZERO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ValidationError(
            _("broken date “%(value)s”"), code="broken_date", params={"value": value}
        ) from exc


def wp_login(value: str) -> str:
    """Return a login as WordPress's ``sanitize_user()`` keeps it: exports hold stray ``>``."""
    return _NOT_IN_LOGIN.sub("", clean_line(value))


def plain_text(value: str) -> str:
    """Return HTML or shortcode-laden text as a single clean line."""
    return clean_line(html.unescape(_TAGS.sub(" ", value or "")))


def shorten(text: str, limit: int) -> str:
    """Return ``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return (cut or text[: limit - 1]) + "…"


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _saved(obj, known: tuple[str, ...] = (), *, looked_up: bool = False):
    """Validate ``obj`` completely, then save it: importers go through the models' rules.

    ``known`` names foreign keys to rows this run has just written or read;
    validating them would only ask the database again whether those rows exist
    (its foreign keys still check), at a query each, several times per post.
    ``looked_up``: the run has itself looked up the row's unique keys (origins and
    slugs, a query per chunk), so the query each unique and check constraint costs
    to validate is skipped; ``clean()`` states the check constraints, and the
    database enforces them all.
    """
    obj.full_clean(
        exclude=known or None, validate_unique=not looked_up, validate_constraints=not looked_up
    )
    obj.save()
    return obj


def embedded_photo_metadata(path: Path) -> dict[str, str]:
    """Return the credit and rights embedded in a photo file (IPTC/XMP), where they can be read.

    HOOK (issue 4, photo desk): when ``articles.imaging.read_photo_metadata``
    exists, its result is used; its keys are those of ``Image`` (credit,
    copyright_notice, source, caption, alt_text).
    """
    try:
        from ..imaging import read_photo_metadata  # type: ignore[attr-defined]
    except ImportError:
        return {}
    with path.open("rb") as fh:
        found = read_photo_metadata(fh) or {}
    if not isinstance(found, dict):
        found = {k: getattr(found, k, "") for k in ("credit", "copyright_notice", "source")}
    return {k: v for k, v in found.items() if isinstance(v, str) and v}


class WXRImporter:
    """One run of the import. Call ``run()``; it returns the Report."""

    def __init__(
        self,
        path: str | Path,
        *,
        media_dir: str | Path | None = None,
        dry_run: bool = False,
        since: datetime | None = None,
        progress: Callable[[Progress], None] | None = None,
    ):
        self.path = Path(path)
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.since = since
        self.progress = progress
        self.report = Report(dry_run=dry_run)
        self.site = ""
        self.site_title = ""
        self.authors: dict[str, int] = {}  # login -> Author pk
        self.term_nicenames: dict[str, str] = {}  # category term_id -> nicename
        # The header's categories: nicename -> (name, parent's nicename), and how
        # many categories bear each (casefolded) name.
        self.categories: dict[str, tuple[str, str]] = {}
        self.category_names: Counter = Counter()
        self.author_list = False  # whether the file has a wp:author list (WXR 1.0 has none)
        self.photos: dict[int, shortcodes.FigurePhoto] = {}  # attachment id -> imported photo
        self.attachments = images.Attachments()  # for the posts' inline images
        # post id -> the origins of its attachments, whose pages redirect to its story
        self.attachment_parents: dict[int, list[WordPressOrigin]] = {}
        # Sections and tags already in the database, by slug or key: filled only
        # after the item that read or made them has committed.
        self._known: dict[tuple[str, str], int] = {}
        self._pending: dict[tuple[str, str], int] = {}
        # The current chunk's origins by (kind, key), and the slugs it looked up.
        self._origins: dict[tuple[str, str], WordPressOrigin] = {}
        self._looked_up_slugs: set[str] = set()
        self._taken_slugs: set[str] = set()
        # Bylines and tag links of the chunk's stories, inserted together (``_flush_rows``).
        self._new_rows: list[ArticleAuthor | TaggedArticle] = []
        self._chunk_rows: list[ArticleAuthor | TaggedArticle] = []
        self._size = max(self.path.stat().st_size, 1)
        self.pages_section = clean_line(app_settings.WXR_PAGES_SECTION)[:80]
        self.story_types = {"post", "page"} if self.pages_section else {"post"}

    # -- the run ---------------------------------------------------------------

    def run(self) -> Report:
        """Import the file, and roll everything back at the end if this is a dry run.

        The stories' suggestions are ranked by one task at the end, and cached pages
        refreshed once, not after every story.
        """
        with transaction.atomic() if self.dry_run else nullcontext():
            with invalidation.deferred(), suggestions_deferred():
                self._passes()
            if self.dry_run:
                transaction.set_rollback(True)
        return self.report

    def _passes(self) -> None:
        try:
            self._pass("photos", self._on_header_or_attachment)
        except ExportError as exc:
            self.report.fatal = Problem(exc.reason, exc.line)
            if not self.site:  # nothing could be read: no point in a second pass
                return
        try:
            self._pass("stories", self._on_post)
        except ExportError as exc:
            self.report.fatal = self.report.fatal or Problem(exc.reason, exc.line)

    def _pass(self, phase: str, handle: Callable[[str, dict, int], None]) -> None:
        offset = 0 if phase == "photos" else self._size
        with self.path.open("rb") as raw:
            reader = _CountingReader(raw)
            chunk: list[tuple[str, dict, int]] = []
            try:
                for n, (kind, data, line) in enumerate(read_export(reader), 1):
                    if kind == "channel":
                        self.site = self.site or site_key(
                            data.get("wp:base_blog_url") or data.get("link", "")
                        )
                        self.site = self.site or "unknown-site"
                        self.attachments.site = self.site
                        self.site_title = clean_line(data.get("title", ""))[:200]
                        continue
                    chunk.append((kind, data, line))
                    if len(chunk) == CHUNK:
                        self._chunk(chunk, phase, handle)
                        chunk = []
                        self._tick(phase, offset + reader.count, n)
            except ExportError:
                self._chunk(chunk, phase, handle)  # what was read before the error is imported
                raise
            self._chunk(chunk, phase, handle)
            self._tick(phase, offset + reader.count, 0)

    def _chunk(self, chunk: list[tuple[str, dict, int]], phase: str, handle) -> None:
        """Handle a chunk of items in one transaction, each item in a savepoint of its own.

        The origins of the chunk's attachments (photos pass) or stories (stories pass)
        are read in one query, and the slugs its new stories want in another.
        """
        types = {"attachment"} if phase == "photos" else self.story_types
        kind = WordPressOrigin.Kind.ATTACHMENT if phase == "photos" else WordPressOrigin.Kind.POST
        items = [d for k, d, _l in chunk if k == "item" and d.get("wp:post_type") in types]
        keys = [_item_key(data) for data in items]
        self._origins = {(kind, k): WordPressOrigin(site=self.site, kind=kind, key=k) for k in keys}
        found = WordPressOrigin.objects.filter(site=self.site, kind=kind, key__in=keys)
        for origin in found.select_related("image", "article").order_by():
            self._origins[kind, origin.key] = origin
        self._looked_up_slugs = set()
        if phase == "stories":
            new = (d for d, k in zip(items, keys, strict=True) if not self._origins[kind, k].pk)
            self._looked_up_slugs = {self._slug_wanted(data) for data in new}
        taken = Article.objects.filter(slug__in=self._looked_up_slugs).order_by()
        self._taken_slugs = set(taken.values_list("slug", flat=True))
        with transaction.atomic():
            for item_kind, data, line in chunk:
                handle(item_kind, data, line)
            self._flush_rows()
        self._origins = {}

    def _flush_rows(self) -> None:
        """Insert the bylines and tag links of the chunk's stories: a query per table."""
        for model in (ArticleAuthor, TaggedArticle):
            model.objects.bulk_create([row for row in self._chunk_rows if type(row) is model])
        self._chunk_rows = []

    def _tick(self, phase: str, done: int, items: int) -> None:
        if self.progress:
            self.progress(Progress(phase, done, 2 * self._size, items, self.report))

    def _problem(self, reason: str, line: int, item: str, *, skipped: bool = True) -> None:
        self.report.problems.append(Problem(reason, line, item, skipped))

    # -- pass 1: authors, categories, attachments ------------------------------

    def _on_header_or_attachment(self, kind: str, data: dict, line: int) -> None:
        if kind == "wp:author":
            self.author_list = True
            self._author(data, line)
        elif kind == "wp:category":
            nicename = unquote(data.get("wp:category_nicename", ""))
            if data.get("wp:term_id"):
                self.term_nicenames[data["wp:term_id"].strip()] = nicename
            name = plain_text(data.get("wp:cat_name", "")) or nicename
            self.categories[nicename] = (name, unquote(data.get("wp:category_parent", "")))
            self.category_names[name.casefold()] += 1
        elif kind == "item":
            self.report.items_read += 1
            self.report.ignored["comment"] += data["comments"]
            creator = wp_login(data.get("dc:creator", ""))
            if not self.author_list and creator and creator.lower() not in self.authors:
                # No author list: WordPress makes the authors from the posts' creators.
                self._author({"wp:author_login": creator}, line)
            if data.get("wp:post_type") == "attachment":
                self._guard(self._import_attachment, data, line, "photos")
            elif data.get("wp:post_type") not in self.story_types:
                self.report.ignored[data.get("wp:post_type") or "unknown"] += 1

    def _author(self, data: dict, line: int) -> None:
        try:
            self._import_author(data, line)
        except ValidationError as exc:
            self.report.authors["skipped"] += 1
            who = _("author %(login)s") % {"login": data.get("wp:author_login", "")}
            self._problem(_reason(exc), line, who)

    def _guard(self, work: Callable[[dict, int], None], data: dict, line: int, counter: str):
        label = _item_label(data)
        self._pending, self._new_rows = {}, []
        try:
            with transaction.atomic():
                work(data, line)
        except ValidationError as exc:
            getattr(self.report, counter)["skipped"] += 1
            self._problem(_reason(exc), line, label)
            self._origins = {}  # some may hold rows rolled back: the chunk's next items ask
        else:
            self._known.update(self._pending)
            self._chunk_rows.extend(self._new_rows)

    def _import_author(self, data: dict, line: int) -> None:
        login = wp_login(data.get("wp:author_login", ""))
        if not login:
            self._problem(_("an author without a login"), line, "", skipped=True)
            return
        name = clean_line(data.get("wp:author_display_name", "")) or clean_line(
            f"{data.get('wp:author_first_name', '')} {data.get('wp:author_last_name', '')}"
        )
        name = shorten(name or login, 120)
        digest = _digest(name)
        with transaction.atomic():
            origin = self._origin(WordPressOrigin.Kind.AUTHOR, login)
            if origin.pk and origin.author_id:
                author = origin.author
                if origin.digest == digest:
                    self.report.authors["unchanged"] += 1
                    self.authors[login.lower()] = author.pk
                    return
                else:
                    author.name = name
                    _saved(author)
                    self.report.authors["updated"] += 1
            else:
                slug = unique_slug(Author, login if name == login else name, "author", 120)
                author = _saved(Author(name=name, slug=slug))
                self.report.authors["created"] += 1
            origin.author, origin.digest, origin.title = author, digest, login[:300]
            _saved(origin)
        self.authors[login.lower()] = author.pk

    def _import_attachment(self, data: dict, line: int) -> None:
        wp_id = _int(data.get("wp:post_id"))
        url = (data.get("wp:attachment_url") or data.get("guid") or "").strip()
        relative = data["postmeta"].get("_wp_attached_file") or _under_uploads(url)
        found = self._find_media(relative)
        caption = plain_text(data.get("excerpt:encoded", ""))[:1000]
        alt = shorten(plain_text(data["postmeta"].get("_wp_attachment_image_alt", "")), 300)
        title = plain_text(data.get("title", ""))[:300]
        description = clean_text(data.get("content:encoded", "")).strip()
        credit = _php_credit(data["postmeta"].get("_wp_attachment_metadata", ""))
        digest = _digest(url, caption, alt, title, description, credit, str(found or ""))
        origin = self._origin(WordPressOrigin.Kind.ATTACHMENT, _item_key(data))
        page = _old_path(data.get("link", ""))  # the attachment's page: 301 to its story
        parent = _int(data.get("wp:post_parent"))
        if parent:
            self.attachment_parents.setdefault(parent, []).append(origin)
        if origin.pk and origin.digest == digest and origin.old_path == page:
            self.report.photos["unchanged"] += 1
            if origin.image_id is None:
                self.report.missing_media.append(url)
            self._remember_photo(wp_id, url, origin)
            return
        if found is None or self.dry_run:
            if found is None:
                self.report.missing_media.append(url)
                self.report.photos["missing file"] += 1
            else:
                self.report.photos["created" if not origin.image_id else "updated"] += 1
        else:
            embedded = embedded_photo_metadata(found)
            image = origin.image or Image()
            created = image.pk is None
            image.caption = caption or embedded.get("caption", "")
            image.alt_text = alt or embedded.get("alt_text", "")
            image.credit = shorten(embedded.get("credit") or credit or self.site_title, 200)
            image.copyright_notice = shorten(embedded.get("copyright_notice", ""), 200)
            image.source = shorten(f"WordPress: {url}", 200)
            with found.open("rb") as fh:
                if created:
                    image.file = File(fh, name=found.name)
                _saved(image)
            schedule_renditions(image)  # by the task worker, once the import commits
            origin.image = image
            self.report.photos["created" if created else "updated"] += 1
        origin.guid = data.get("guid", "")[:500]
        origin.old_path = page
        origin.source_url = url[:1000]
        origin.title, origin.description, origin.digest = title, description, digest
        _saved(origin)
        self._remember_photo(wp_id, url, origin)

    def _remember_photo(self, wp_id: int | None, url: str, origin: WordPressOrigin) -> None:
        self.attachments.add(wp_id, url, origin.image_id)
        if wp_id is not None and origin.image_id is not None:
            self.photos[wp_id] = shortcodes.FigurePhoto(origin.image_id)

    def _find_media(self, relative: str) -> Path | None:
        """Return the file at ``relative`` under --media-dir, never outside it; None if absent."""
        if not self.media_dir or not relative:
            return None
        candidate = (self.media_dir / unquote(relative).lstrip("/")).resolve()
        if not candidate.is_relative_to(self.media_dir) or not candidate.is_file():
            return None
        return candidate

    # -- pass 2: posts -----------------------------------------------------------

    def _on_post(self, kind: str, data: dict, line: int) -> None:
        if kind != "item" or data.get("wp:post_type") not in self.story_types:
            return
        status = (data.get("wp:status") or "").strip()
        if status not in STATUS_MAP:  # trash, auto-draft: not stories
            self.report.ignored_statuses[status] += 1
            return
        if self.since is not None:
            try:
                stamp = parse_wp_date(
                    data.get("wp:post_modified_gmt") or data.get("wp:post_date_gmt", "")
                )
            except ValidationError:
                stamp = None
            if stamp is not None and stamp < self.since:
                self.report.older_than_since += 1
                return
        self._guard(self._import_post, data, line, "articles")

    def _import_post(self, data: dict, line: int) -> None:
        key = _item_key(data)
        label = _item_label(data)
        origin = self._origin(WordPressOrigin.Kind.POST, key)
        wp_status = data["wp:status"].strip()
        status = STATUS_MAP[wp_status]
        if data.get("wp:post_password"):
            status = Status.DRAFT  # a password-protected post is not for every reader
        published_at = parse_wp_date(data.get("wp:post_date_gmt", ""))
        if status == Status.PUBLISHED and published_at is None:
            published_at = parse_wp_date(data.get("wp:post_date", ""))
            if published_at is not None:
                self._problem(
                    _("no GMT date; the local date was taken as UTC"), line, label, skipped=False
                )
        if status == Status.PUBLISHED and published_at is None:
            # WordPress dates a post without a date at import; a rerun keeps that date.
            kept = origin.article.published_at if origin.pk else None
            published_at = kept or timezone.now().replace(microsecond=0)
            if not kept:
                self._problem(_("no date; dated at import"), line, label, skipped=False)
        if status != Status.PUBLISHED:
            published_at = None

        login = wp_login(data.get("dc:creator", "")).lower()
        author_pk = self.authors.get(login)
        if author_pk is None:
            if login:
                why = _("unknown author “%(login)s”; imported without a byline") % {"login": login}
            else:
                why = _("no author; imported without a byline")
            self._problem(why, line, label, skipped=False)

        section_name, section_slug, tag_names = self._terms(data)
        if data.get("wp:post_type") == "page":  # pages: a section of their own
            section_name, section_slug = self.pages_section, ""
        thumbnail = _int(data["postmeta"].get("_thumbnail_id"))
        lead_photo = self.photos.get(thumbnail) if thumbnail else None
        lead = lead_photo.pk if lead_photo else None
        converted = shortcodes.convert(data.get("content:encoded", ""), self.photos.get)
        placed = images.place(markup.caption_lists_to_figures(converted.html), self.attachments)
        body = markup.unwrap_anchors_without_href(markup.shift_headings(placed.html))
        body = wpautop(markup.empty_headers_to_cells(body))
        if placed.missing:
            count = len(placed.missing)
            note = ngettext(
                "%(count)s photo not imported, a placeholder stands in: %(names)s",
                "%(count)s photos not imported, placeholders stand in: %(names)s",
                count,
            ) % {"count": count, "names": ", ".join(placed.missing)}
            self._problem(note, line, label, skipped=False)
        headline = plain_text(data.get("title", "")) or shorten(plain_text(body), 80)
        # Stored text stays English, whatever the command's language: it is part of
        # the digest, and a translated one would update every story on a rerun.
        untitled = f"Untitled WordPress post {data.get('wp:post_id', '')}".strip()
        headline = shorten(headline or untitled, 110)
        dek = shorten(plain_text(data.get("excerpt:encoded", "")), 300)
        used_photos = sorted(
            {p.pk for i in converted.attachment_ids if (p := self.photos.get(i))}
            | set(placed.photos)
        )
        old_slug = unquote(data["postmeta"].get("_wp_old_slug", "")).strip().strip("/")
        digest = _digest(
            headline,
            dek,
            body,
            status,
            published_at,
            author_pk,
            section_slug,
            tag_names,
            lead,
            used_photos,
            *([old_slug] if old_slug else []),  # only then: older digests stay valid
        )

        self.report.figures += converted.figures
        self.report.embeds += converted.embeds
        self.report.shortcodes_dropped.update(converted.dropped)
        for item in removals(body, body_photo_library):
            if item.visible:
                self.report.not_converted[item.kind] += item.count
        self.report.redirects += 1 + bool(_old_path(data.get("link", "")))
        if origin.pk and origin.digest == digest:
            self.report.articles["unchanged"] += 1
            return

        article = origin.article if origin.pk else Article()
        created = article.pk is None
        if created:
            name = unquote(data.get("wp:post_name", "")) or headline
            article.slug = self._free_story_slug(name)
        section_id = self._section(section_name, section_slug)
        wanted = {
            "headline": headline,
            "dek": dek,
            # In its stored form, to compare; saving does not normalise it again.
            "body": BODY.normalise(body),
            "status": status,
            "published_at": published_at,
            "section_id": section_id,
            "lead_image_id": lead,
        }
        changed = [name for name, value in wanted.items() if getattr(article, name) != value]
        for name, value in wanted.items():
            setattr(article, name, value)
        if lead and status == Status.PUBLISHED and not article.lead_image_alt_text:
            # A published story's lead photo needs alt text (Article.clean). WordPress
            # featured images often have none: the attachment's caption or title
            # stands in on this story, and the photo admin shows it for review.
            alt, caption, title = (
                Image.objects.filter(pk=lead)
                .values_list("alt_text", "caption", "wordpress_origins__title")
                .first()
            )
            if not alt:
                article.lead_image_alt_text = shorten(caption or title or headline, 300)
        if status == Status.PUBLISHED and used_photos:
            alts = placed.alt_texts | converted.alt_texts
            self._describe_body_photos(used_photos, alts, headline)
        _saved(article, known=("section", "lead_image"), looked_up=True)
        if self._set_byline(article, author_pk, created):
            changed.append("byline")
        if self._set_tags(article, tag_names, created):
            changed.append("tags")
        origin.article = article
        origin.guid = data.get("guid", "")[:500]
        origin.title = headline
        origin.old_path = _old_path(data.get("link", ""))
        origin.digest = digest
        _saved(origin, known=("article",), looked_up=True)
        self._redirect_old_addresses(key, origin, old_slug, _int(data.get("wp:post_id")))
        self.report.articles["created" if created else "updated"] += 1
        if not created:
            if changed:
                what = ", ".join(str(labels.STORY_PARTS[name]) for name in changed)
                change = _("updated (%(changes)s)") % {"changes": what}
            else:
                change = _("updated (only its WordPress source)")
            self.report.changes.append(Problem(change, line, label, False))

    def _slug_wanted(self, data: dict) -> str:
        """Return the slug a new story of this item is likely to want, to look up with its chunk."""
        name = unquote(data.get("wp:post_name", "")) or plain_text(data.get("title", ""))
        return slug_for(name, "story", 120)

    def _free_story_slug(self, text: str) -> str:
        """Return a free slug for a new story: the chunk's lookup answers, else the database."""
        slug = slug_for(text, "story", 120)
        if slug not in self._looked_up_slugs or slug in self._taken_slugs:
            slug = _free_slug(Article, text, "story", 120)
        self._taken_slugs.add(slug)
        return slug

    def _redirect_old_addresses(
        self, key: str, origin: WordPressOrigin, old_slug: str, wp_id: int | None
    ) -> None:
        """Point the post's ``_wp_old_slug`` address and its attachments' pages at its story."""
        if old_slug and origin.old_path:
            head, _sep, _last = origin.old_path.rstrip("/").rpartition("/")
            path = f"{head}/{old_slug}" + ("/" if origin.old_path.endswith("/") else "")
            old_key = f"{key}/old-slug/{old_slug}"[:200]
            kind = WordPressOrigin.Kind.POST
            if not WordPressOrigin.objects.filter(site=self.site, kind=kind, key=old_key).exists():
                row = WordPressOrigin(site=self.site, kind=kind, key=old_key, old_path=path[:1000])
                row.article, row.title = origin.article, origin.title
                _saved(row, known=("article",))
        pages = [o.pk for o in self.attachment_parents.get(wp_id, []) if o.pk] if wp_id else []
        if pages:
            WordPressOrigin.objects.filter(pk__in=pages).exclude(
                article_id=origin.article_id
            ).update(article_id=origin.article_id)

    def _describe_body_photos(self, pks: list[int], alts: dict[int, str], headline: str) -> None:
        # A published story's body photos need alt text (Article.clean), and a body
        # photo has no per-story alt text. WordPress often keeps it only in the post's
        # <img alt>; else the caption or title stands in, for review in the photo admin.
        missing = Image.objects.filter(pk__in=pks, alt_text="").values_list(
            "pk", "caption", "wordpress_origins__title"
        )
        for pk, caption, title in missing:
            alt = shorten(alts.get(pk) or caption or title or headline, 300)
            Image.objects.filter(pk=pk).update(alt_text=alt)

    def _terms(self, data: dict) -> tuple[str, str, list[str]]:
        """Return the primary section's name and slug, and the tag names, of a post."""
        # Exports before WXR 1.1 repeat each term without a domain, and call tags "tag".
        categories = [
            (unquote(n), plain_text(t)) for d, n, t in data["categories"] if d == "category"
        ] or [(unquote(n), plain_text(t)) for d, n, t in data["categories"] if not d]
        tags = [plain_text(t) for d, _n, t in data["categories"] if d in ("post_tag", "tag")]
        primary_id = data["postmeta"].get("_yoast_wpseo_primary_category", "").strip()
        primary = self.term_nicenames.get(primary_id)
        categories.sort(key=lambda c: c[0] != primary)  # Yoast's primary first, if any
        section_slug, section_name = categories[0] if categories else ("uncategorized", "")
        section_name = section_name or "Uncategorized"  # stored: English, as WordPress's own
        names = [name for _slug, name in categories[1:]] + tags
        seen: set[str] = set()
        unique = []
        for name in names:
            name = normalise_name(name)[:100]
            if name and name.casefold() not in seen and name.casefold() != section_name.casefold():
                seen.add(name.casefold())
                unique.append(name)
        return section_name[:80], section_slug, unique

    def _section(self, name: str, nicename: str) -> int:
        """Return the pk of the section for a category, making it when it is new."""
        slug = slug_for(nicename or name, fallback="section", max_length=80)
        known = self._known.get(("section", slug))
        if known:
            return known
        shared_name = self.category_names[name.casefold()] > 1
        section = Section.objects.filter(slug=slug).first()
        if section is None and not shared_name:
            section = Section.objects.filter(name__iexact=name).first()
        if section is None:
            section = _saved(
                Section(
                    name=self._free_section_name(name, nicename),
                    slug=unique_slug(Section, slug, "section", 80),
                )
            )
            self.report.sections_created += 1
        self._pending["section", slug] = section.pk
        return section.pk

    def _free_section_name(self, name: str, nicename: str) -> str:
        """Return a free section name for a category: names are unique, categories' are not.

        When several categories of the export share a name, a child category's
        section is "Name (Parent)" whatever order the posts come in; any other
        clash takes the slug, then a number.
        """
        parent = self.categories.get(self.categories.get(nicename, ("", ""))[1], ("", ""))[0]
        shared = self.category_names[name.casefold()] > 1
        qualified = [f"{name[:60]} ({q})"[:80] for q in (parent, nicename, *range(2, 1000)) if q]
        for candidate in qualified if shared and parent else [name, *qualified]:
            if not Section.objects.filter(name__iexact=candidate).exists():
                return candidate
        raise ValidationError(
            _("no free section name for “%(name)s”"), code="section_name", params={"name": name}
        )

    def _set_byline(self, article: Article, author_pk: int | None, created: bool) -> bool:
        """Give the story this byline; return whether an existing story's byline changed."""
        wanted = [author_pk] if author_pk else []
        if not created:
            self._flush_rows()  # the story may be in this chunk twice
            if list(article.bylines.values_list("author_id", flat=True)) == wanted:
                return False
            article.bylines.all().delete()
        for position, pk in enumerate(wanted):
            self._new_rows.append(ArticleAuthor(article=article, author_id=pk, position=position))
        return not created

    def _set_tags(self, article: Article, names: list[str], created: bool) -> bool:
        """Give the story these tags; return whether an existing story's tags changed."""
        wanted = {self._tag(name) for name in names}
        current: set[int] = set()
        if not created:
            self._flush_rows()
            current = set(article.tagged_items.values_list("tag_id", flat=True))
            article.tagged_items.exclude(tag_id__in=wanted).delete()
        for tag_id in sorted(wanted - current):
            self._new_rows.append(TaggedArticle(content_object=article, tag_id=tag_id))
        return not created and wanted != current

    def _tag(self, name: str) -> int:
        """Return the pk of the tag for ``name``, made by the tag desk's rules when it is new."""
        key = tag_key(name)
        known = self._known.get(("tag", key))
        if known:
            return known
        tag = Tag.objects.filter(key=key).first()
        if tag is None:
            tag = get_or_create_tag(name)
            self.report.tags_created += 1
        self._pending["tag", key] = tag.pk
        return tag.pk

    def _origin(self, kind: str, key: str) -> WordPressOrigin:
        """Return the item's origin: read with its chunk's (``_chunk``), else asked for now."""
        if (kind, key) in self._origins:
            return self._origins[kind, key]
        found = (
            WordPressOrigin.objects.filter(site=self.site, kind=kind, key=key)
            .select_related("image", "article", "author")
            .first()
        )
        return found or WordPressOrigin(site=self.site, kind=kind, key=key)


def _free_slug(model, text: str, fallback: str, max_length: int) -> str:
    """Return ``slug_for(text)`` when no row has it, else ``unique_slug()``'s next free one.

    The exact lookup uses the slug's index; ``unique_slug``'s prefix search
    cannot on SQLite, which made each post cost a scan of all the stories.
    """
    slug = slug_for(text, fallback, max_length)
    if not model._default_manager.filter(slug=slug).exists():
        return slug
    return unique_slug(model, text, fallback, max_length)


def _item_label(data: dict) -> str:
    title = plain_text(data.get("title", ""))
    # WordPress's post type names the item, untranslated, as WordPress shows it.
    kind = data.get("wp:post_type") or pgettext("WordPress import: an item of no type", "item")
    ident = data.get("wp:post_id") or "?"
    return f"{kind} {ident}" + (f" “{shorten(title, 60)}”" if title else "")


def _reason(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _item_key(data: dict) -> str:
    """Return the key an item is remembered by: its ``wp:post_id``, else a hash of what names it.

    WordPress itself needs no id; without one, the guid (else the link, else
    the title and date) stays the same from one export to the next.
    """
    wp_id = _int(data.get("wp:post_id"))
    if wp_id is not None:
        return str(wp_id)
    names = [data.get("guid", ""), data.get("link", "")]
    name = next((n.strip() for n in names if n.strip()), "")
    name = name or f"{data.get('title', '')}\n{data.get('wp:post_date', '')}"
    return "guid:" + hashlib.sha256(name.encode()).hexdigest()[:40]


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _under_uploads(url: str) -> str:
    """Return the part of an attachment's address after ``/uploads/``."""
    path = urlsplit(url).path
    _before, found, after = path.partition("/uploads/")
    return after if found else ""


def _old_path(link: str) -> str:
    """Return a permalink's path, or "" for ``?p=ID`` links (those redirect by id)."""
    parts = urlsplit((link or "").strip())
    path = unquote(parts.path)
    return "" if path in ("", "/") else path[:1000]


def _php_credit(serialized: str) -> str:
    found = _PHP_CREDIT.search(serialized or "")
    return clean_line(found.group(1)) if found else ""


def import_wxr(path: str | Path, **options) -> Report:
    """Import the WordPress export at ``path``; see ``WXRImporter`` for the options."""
    return WXRImporter(path, **options).run()

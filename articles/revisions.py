"""Revisions: full snapshots of an article, readable diffs between two, and restore.

A small model of our own (``Revision``, a JSON snapshot per save) rather than
django-reversion or django-simple-history; docs/decisions.md says why.
"""

from __future__ import annotations

import difflib
import html
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import (
    Article,
    ArticleAuthor,
    AuditAction,
    AuditEvent,
    Author,
    Image,
    RelatedLink,
    Revision,
    Section,
    StoryKind,
    Tag,
    TagRedirect,
)
from .slugs import slug_for
from .text import tag_key
from .times import desk_time

#: The article's own fields kept in a snapshot; foreign keys as ids.
FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "section_id",
    "lead_image_id",
    "kind",
    "sponsor_name",
    "status",
    "published_at",
    "expire_at",
    "retraction_reason",
    "live_since",
    "live_until",
]
#: What a restore brings back: the content. The workflow state (status, embargo, expiry)
#: stays as it is, so restoring an old draft never republishes or unpublishes a story.
RESTORED_FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "section_id",
    "lead_image_id",
    "kind",
    "sponsor_name",
]


def _json(value):
    return DjangoJSONEncoder().default(value) if hasattr(value, "isoformat") else value


def snapshot(article: Article) -> dict:
    """Return everything about ``article`` as plain JSON: fields, tags, bylines, links, notes."""
    data = {name: _json(getattr(article, name)) for name in FIELDS}
    data["tags"] = sorted(tag.name for tag in article.tags.all())
    data["bylines"] = [
        {"author": b.author_id, "name": b.author.name, "position": b.position}
        for b in article.bylines.select_related("author").order_by("position", "pk")
    ]
    data["related_links"] = [
        {
            "target": link.target_id,
            "target_headline": link.target.headline if link.target else "",
            "url": link.url,
            "title": link.title,
            "position": link.position,
        }
        for link in article.related_links.select_related("target").order_by("position", "pk")
    ]
    data["corrections"] = [
        {"kind": c.kind, "text": c.text, "created_at": _json(c.created_at)}
        for c in article.corrections.order_by("created_at", "pk")
    ]
    # A live story's updates, so a correction to one is a revision of the story (and a
    # restore, which brings back content only, never brings a deleted update back).
    data["live_updates"] = [
        {
            "id": u.pk,
            "title": u.title,
            "body": u.body,
            "image_id": u.image_id,
            "embed_url": u.embed_url,
            "authors": [author.name for author in u.authors.all()],
            "published_at": _json(u.published_at),
            "pinned": u.pinned,
            "key_event": u.key_event,
            "correction": u.correction,
        }
        for u in article.live_updates.prefetch_related("authors").order_by("published_at", "pk")
    ]
    return data


def record(article: Article, user=None, comment: str = "") -> Revision:
    """Store a revision of ``article`` as it is in the database now."""
    article = Article.objects.get(pk=article.pk)
    return Revision.objects.create(
        article=article,
        version=article.version,
        created_by=user if user is not None and user.is_authenticated else None,
        comment=comment[:200],
        snapshot=snapshot(article),
    )


@transaction.atomic
def restore(revision: Revision, user=None) -> Revision:
    """Bring back ``revision``'s content, tags, bylines and related links exactly.

    Records a new revision and an audit row; nothing is lost, since the state before
    the restore is itself a revision.
    """
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    if not article.revisions.filter(version=article.version).exists():
        record(article, user, comment=_("Before restoring version %s") % revision.version)
    apply_snapshot(article, revision.snapshot)
    AuditEvent.log(article, AuditAction.RESTORE, by=user, detail=_("version %s") % revision.version)
    return record(article, user, comment=_("Restored version %s") % revision.version)


def merged_since(names: list[str]) -> dict[str, Tag]:
    """Map each of ``names`` whose tag was merged away since to the tag it was merged into."""
    existing = set(Tag.objects.filter(key__in=map(tag_key, names)).values_list("key", flat=True))
    missing = {slug_for(name, "tag"): name for name in names if tag_key(name) not in existing}
    redirects = TagRedirect.objects.filter(old_slug__in=missing).select_related("tag")
    return {missing[redirect.old_slug]: redirect.tag for redirect in redirects}


def unavailable(data: dict) -> list[str]:
    """Say, for the editor, which parts of a snapshot were deleted since and cannot come back."""
    notes = []
    if data["lead_image_id"] and not Image.objects.filter(pk=data["lead_image_id"]).exists():
        notes.append(
            _(
                "Its lead photo has been deleted from the library since; the story keeps "
                "its current lead photo."
            )
        )
    if not Section.objects.filter(pk=data["section_id"]).exists():
        notes.append(
            _("Its section has been deleted since; the story stays in its current section.")
        )
    known = set(
        Author.objects.filter(pk__in=[b["author"] for b in data["bylines"]]).values_list(
            "pk", flat=True
        )
    )
    gone = [b["name"] for b in data["bylines"] if b["author"] not in known]
    if gone:
        notes.append(_("Authors deleted since were left off the byline: %s.") % ", ".join(gone))
    targets = [link["target"] for link in data["related_links"] if link["target"]]
    live = set(Article.objects.filter(pk__in=targets).values_list("pk", flat=True))
    gone = [
        link["target_headline"]
        for link in data["related_links"]
        if link["target"] and link["target"] not in live
    ]
    if gone:
        notes.append(_("Related stories deleted since were left out: %s.") % "; ".join(gone))
    merged = merged_since(data["tags"])
    if merged:
        pairs = [f"{name} → {tag.name}" for name, tag in sorted(merged.items())]
        notes.append(_("Tags merged since were replaced by the tag kept: %s.") % "; ".join(pairs))
    return notes


def snapshot_value(data: dict, name: str):
    """Return field ``name`` of a snapshot, reading snapshots made before a field changed.

    Snapshots from before story kinds (migration 0018) hold ``sponsored`` (a yes/no)
    instead of ``kind``.
    """
    if name == "kind" and "kind" not in data:
        return StoryKind.SPONSORED if data.get("sponsored") else StoryKind.NEWS
    return data[name]


def apply_snapshot(article: Article, data: dict) -> None:
    """Write a snapshot's content, tags, bylines and related links onto ``article``.

    What was deleted since (see ``unavailable``) is left as it is now.
    """
    current_section, current_photo = article.section_id, article.lead_image_id
    for name in RESTORED_FIELDS:
        setattr(article, name, snapshot_value(data, name))
    if Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists():
        article.slug = Article.objects.values_list("slug", flat=True).get(pk=article.pk)
    if article.lead_image_id and not Image.objects.filter(pk=article.lead_image_id).exists():
        article.lead_image_id = current_photo
    if not Section.objects.filter(pk=article.section_id).exists():
        article.section_id = current_section
    article.save()
    # A tag merged away since is not made again: the story gets the tag it went into.
    merged = merged_since(data["tags"])
    article.tags.set([merged.get(name, name) for name in data["tags"]])
    article.bylines.all().delete()
    known_authors = set(
        Author.objects.filter(pk__in=[b["author"] for b in data["bylines"]]).values_list(
            "pk", flat=True
        )
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author_id=b["author"], position=b["position"])
        for b in data["bylines"]
        if b["author"] in known_authors
    )
    article.related_links.all().delete()
    live_targets = set(
        Article.objects.filter(
            pk__in=[link["target"] for link in data["related_links"] if link["target"]]
        ).values_list("pk", flat=True)
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=article,
            target_id=link["target"],
            url=link["url"],
            title=link["title"],
            position=link["position"],
        )
        for link in data["related_links"]
        if link["target"] is None or link["target"] in live_targets
    )


# Readable diffs -------------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|figure|ul|ol)>|<br\s*/?>", re.I)


def body_text(body: str) -> str:
    """Turn the stored HTML body into plain text, one paragraph a line."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", body or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old: str, new: str) -> SafeString:
    """Mark words removed (``<del>``) and added (``<ins>``) between two texts."""
    a, b = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(parts))  # every part above is escaped by format_html


def _lines(data: dict, key: str) -> str:
    if key == "tags":
        return ", ".join(data.get("tags", []))
    if key == "bylines":
        return ", ".join(b["name"] for b in data.get("bylines", []))
    if key == "related_links":
        return "; ".join(
            link["target_headline"] or f"{link['title']} <{link['url']}>"
            for link in data.get("related_links", [])
        )
    if key == "kind":
        value = snapshot_value(data, "kind")
        return str(StoryKind(value).label) if value in StoryKind.values else str(value)
    if key == "corrections":
        return "\n".join(f"{c['kind']}: {c['text']}" for c in data.get("corrections", []))
    if key == "live_updates":
        return "\n".join(_update_line(update) for update in data.get("live_updates", []))
    value = data.get(key)
    if key in ("published_at", "expire_at") and value:
        return desk_time(parse_datetime(value))
    return "" if value is None else str(value)


def _update_line(update: dict) -> str:
    marks = [_("pinned")] * update["pinned"] + [_("key event")] * update["key_event"]
    when = desk_time(parse_datetime(update["published_at"]))
    head = " · ".join([when, *marks, update["title"]] if update["title"] else [when, *marks])
    text = " ".join(body_text(update["body"]).splitlines())
    note = f" ({_('correction')}: {update['correction']})" if update["correction"] else ""
    return f"{head}: {text}{note}"


#: What the diff page compares, in order, with editor-facing labels.
DIFF_KEYS = [
    ("headline", "Headline"),
    ("dek", "Dek"),
    ("body", "Body"),
    ("tags", "Tags"),
    ("bylines", "Authors"),
    ("related_links", "Related links"),
    ("corrections", "Corrections and updates"),
    ("live_updates", "Live updates"),
    ("slug", "Slug"),
    ("section_id", "Section"),
    ("lead_image_id", "Lead photo"),
    ("status", "Status"),
    ("published_at", "Publication time"),
    ("expire_at", "Expiry time"),
    ("retraction_reason", "Reason for retraction"),
    ("kind", "Kind of story"),
    ("sponsor_name", "Sponsor"),
]


def diff(old: dict, new: dict) -> list[dict]:
    """Return the changed parts between two snapshots, each with a readable word diff."""
    changes = []
    for key, label in DIFF_KEYS:
        before, after = _lines(old, key), _lines(new, key)
        if key == "body":
            before, after = body_text(old.get("body", "")), body_text(new.get("body", ""))
        if before != after:
            changes.append({"key": key, "label": _(label), "diff": word_diff(before, after)})
    return changes


def changed_labels(old: dict, new: dict) -> list[str]:
    """Return the labels of the parts that differ between two snapshots."""
    return [str(change["label"]) for change in diff(old, new)]

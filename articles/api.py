"""A read-only JSON API that serves public stories as IPTC ninjs 3.1 documents.

``api/ninjs/`` lists stories newest first as a JSON array of ninjs documents,
filterable by ``section``, ``tag`` (slugs) and ``since`` (ISO 8601: stories
published or changed since then), with cursor pagination announced in an
RFC 8288 ``Link: <...>; rel="next"`` header. ``api/ninjs/<slug>/`` serves one.
Everything is read through ``presenters.article_facts`` from
``Article.objects.published()``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views import View

from . import live, pagination, rendering
from .conf import app_settings
from .fields import in_calendar
from .links import slug_path
from .models import Article, ArticleRedirect, StoryKind
from .presenters import (
    ArticleFacts,
    LiveFacts,
    Photo,
    UpdateFacts,
    absolute,
    article_facts,
    live_facts,
    origin_for,
)

NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
# IPTC's genre NewsCodes for the kinds that have one; the others go by name only.
GENRE_CODES = {
    "opinion": "http://cv.iptc.org/newscodes/genre/Opinion",
    "analysis": "http://cv.iptc.org/newscodes/genre/Analysis",
}
CONTENT_TYPE = "application/json; charset=utf-8"


def photo_document(photo: Photo) -> dict:
    """Return the lead photo as a ninjs ``picture`` association with its credit and rights."""
    document = {
        "name": "featureimage",
        "rel": "lead",
        "uri": photo.url,
        "type": "picture",
        "representationType": "full",
        "infoSources": [{"name": photo.credit, "role": "credit"}],
        "renditions": [
            {
                "name": "original",
                "href": photo.url,
                "contentType": photo.content_type,
                "width": photo.width,
                "height": photo.height,
            },
            *[
                {
                    "name": f"crop{crop.ratio.replace(':', 'x')}",
                    "href": crop.url,
                    "contentType": photo.content_type,
                    "width": crop.width,
                    "height": crop.height,
                    "aspectRatio": crop.ratio,
                }
                for crop in photo.crops
            ],
        ],
    }
    descriptions = [
        {"role": role, "contentType": "text/plain", "value": value}
        for role, value in (("caption", photo.caption), ("alt", photo.alt_text))
        if value
    ]
    if descriptions:
        document["descriptions"] = descriptions
    if photo.creator:
        # The photographer only: the credit line travels in infoSources.
        document["by"] = photo.creator
    if photo.copyright_notice:
        document["copyrightNotice"] = photo.copyright_notice
    if photo.license_url:
        document["rightsInfo"] = {"linkedRights": photo.license_url}
    return document


def genre(facts: ArticleFacts) -> dict:
    """Return the story's kind as a ninjs genre: its label, its value, IPTC's code if any."""
    entry = {"name": facts.kind_label or str(StoryKind(facts.kind).label), "literal": facts.kind}
    if facts.kind in GENRE_CODES:
        entry["uri"] = GENRE_CODES[facts.kind]
    return entry


def update_document(update: UpdateFacts, photos: dict | None = None) -> dict:
    """Return one update of a live story as a ninjs ``associations`` member (a text item)."""
    body = rendering.syndicated_body(update.body_html, update.url, photos)
    document = {
        "name": f"update-{update.pk}",
        "rel": "liveupdate",
        "uri": update.url,
        "type": "text",
        "representationType": "full",
        "firstCreated": update.published.isoformat(),
        "versionCreated": update.modified.isoformat(),
        "pubStatus": "usable",
        "headlines": [{"role": "main", "contentType": "text/plain", "value": update.headline}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "wordCount": len(strip_tags(body).split()),
                "value": body,
            }
        ],
        "altIds": [{"role": "id", "value": str(update.pk)}],
    }
    if update.authors:
        document["by"] = ", ".join(author.name for author in update.authors)
    if update.correction:
        document["edNote"] = _("Correction: %(note)s") % {"note": update.correction}
    return document


def ninjs_document(
    facts: ArticleFacts, photos: dict | None = None, live: LiveFacts | None = None
) -> dict:
    """Return one story as an IPTC ninjs 3.1 document.

    ``photos`` are the body photos of a page of stories (``rendering.load_photos``);
    a live story's public updates (``live``) follow the lead photo in ``associations``,
    newest first, each a text item of its own.
    """
    body = rendering.syndicated_body(facts.body_html, facts.url, photos, facts.sponsored)
    document = {
        "uri": facts.url,
        "standard": {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA},
        "type": "text",
        "representationType": "full",
        "firstCreated": facts.published.isoformat(),
        "versionCreated": facts.modified.isoformat(),
        "pubStatus": "usable",
        "language": facts.language,
        "headlines": [{"role": "main", "contentType": "text/plain", "value": facts.headline}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "wordCount": len(strip_tags(body).split()),
                "value": body,
            }
        ],
        "copyrightHolder": facts.publisher.name,
        "copyrightNotice": f"© {facts.published.year} {facts.publisher.name}",
        "usageTerms": app_settings.API_USAGE_TERMS,
        "altIds": [{"role": "id", "value": str(facts.pk)}],
        "subjects": [
            {"name": facts.section.name, "uri": facts.section.url, "rel": "section"},
            *[{"name": tag.name, "uri": tag.url, "rel": "about"} for tag in facts.tags],
        ],
        "renditions": [{"name": "web", "href": facts.url, "contentType": "text/html"}],
    }
    descriptions = [{"role": "summary", "contentType": "text/plain", "value": facts.description}]
    if facts.sponsor:
        sponsorship = _("Sponsored content, paid for by %(sponsor)s.") % {"sponsor": facts.sponsor}
        # For the partner's editors, and for readers: the label must travel with the story.
        document["edNote"] = sponsorship
        descriptions.append(
            {"role": "sponsorship", "contentType": "text/plain", "value": sponsorship}
        )
        document["infoSources"] = [{"name": facts.sponsor, "role": "sponsor"}]
    descriptions += [
        {"role": note.kind, "contentType": "text/plain", "value": note.line}
        for note in facts.corrections
    ]
    descriptions = [entry for entry in descriptions if entry["value"]]
    if descriptions:
        document["descriptions"] = descriptions
    document["genres"] = [genre(facts)]
    if facts.byline:
        document["by"] = facts.byline
    associations = [photo_document(facts.photo)] if facts.photo else []
    if live is not None:
        update_photos = rendering.load_photos(update.body_html for update in live.updates)
        associations += [update_document(update, update_photos) for update in live.updates]
    if associations:
        document["associations"] = associations
    return document


def encode_cursor(article: Article) -> str:
    return pagination.encode_cursor(article.published_at, article.pk)


decode_cursor = pagination.decode_cursor


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data,
        status=status,
        safe=False,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


class BadRequest(Exception):
    pass


class NinjsListView(View):
    """Public stories as ninjs, newest first, a page at a time."""

    def get_queryset(self):
        """Return the public stories the API lists (``load_details()`` adds the rest)."""
        return Article.objects.published().for_detail()

    def filter_queryset(self, queryset):
        params = self.request.GET
        if params.get("section"):
            queryset = queryset.filter(section__slug=params["section"])
        if params.get("tag"):
            queryset = queryset.filter(tagged_items__tag__slug=params["tag"])
        if params.get("since"):
            try:
                since = parse_datetime(params["since"])
            except ValueError:
                since = None
            if since is None:
                raise BadRequest(_("“since” must be an ISO 8601 date and time."))
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
            if not in_calendar(since):
                raise BadRequest(_("“since” must be a time between the years 1 and 9999 in UTC."))
            queryset = queryset.filter(Q(published_at__gte=since) | Q(updated_at__gte=since))
        if params.get("cursor"):
            try:
                when, pk = decode_cursor(params["cursor"])
            except ValueError:
                raise BadRequest(_("The cursor is not valid; start again without it.")) from None
            # ``published_at <= when`` alone is what lets the index start at the cursor:
            # with only the OR, PostgreSQL walks every newer story to get there.
            queryset = queryset.filter(
                Q(published_at__lte=when) & (Q(published_at__lt=when) | Q(pk__lt=pk))
            )
        return queryset

    def get(self, request, *args, **kwargs):
        try:
            queryset = self.filter_queryset(self.get_queryset())
        except BadRequest as error:
            return json_response({"error": str(error)}, status=400)
        size = app_settings.API_PAGE_SIZE
        stories = list(queryset.order_by("-published_at", "-pk")[: size + 1])
        Article.objects.load_details(stories[:size])
        origin = origin_for(request)
        photos = rendering.load_photos(story.body for story in stories[:size])
        response = json_response(
            [ninjs_document(article_facts(story, origin), photos) for story in stories[:size]]
        )
        if len(stories) > size:
            params = request.GET.copy()
            params["cursor"] = encode_cursor(stories[size - 1])
            url = absolute(origin, f"{request.path}?{urlencode(sorted(params.items()))}")
            response["Link"] = f'<{url}>; rel="next"'
        return response


class NinjsDetailView(View):
    """One public story as ninjs."""

    def get_queryset(self):
        return Article.objects.published().for_detail()

    def get(self, request, slug: str, *args, **kwargs):
        try:
            story = get_object_or_404(self.get_queryset(), slug=slug)
        except Http404:
            moved = ArticleRedirect.objects.target_of(slug)
            if moved is not None:
                url = slug_path("articles:api_detail", moved.slug)
                return HttpResponsePermanentRedirect(url)
            return json_response({"error": _("No public story at this address.")}, status=404)
        Article.objects.load_details([story])
        origin = origin_for(request)
        coverage = None
        if story.is_live:
            live.note_next_update(request, story)
            updates = list(live.public_updates(story).for_page()[: app_settings.LIVE_PAGE_SIZE])
            live.attach_article(updates, story)
            coverage = live_facts(story, updates, origin)
        return json_response(ninjs_document(article_facts(story, origin), live=coverage))

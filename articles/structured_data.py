"""schema.org JSON-LD for article pages, built from ``presenters.ArticleFacts``.

``NewsArticle`` carries the properties Google's article guidelines require or
recommend; ``BreadcrumbList`` the path home → section → story. ``script_tag``
escapes the JSON so that no text (``</script>``, quotes, control characters)
can leave the ``<script>`` element.
"""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from .presenters import ArticleFacts, LiveFacts, Photo, UpdateFacts

# Characters that could end the script element or start an HTML comment inside it,
# and the two line separators some JavaScript parsers treat as newlines.
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_tag(data: dict) -> SafeString:
    """Return ``data`` as a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def image_objects(photo: Photo) -> list[dict]:
    """Return the photo's crops as ``ImageObject``s carrying its credit and rights."""
    rights = {"creditText": photo.credit}
    if photo.creator:
        rights["creator"] = {"@type": "Person", "name": photo.creator}
    if photo.copyright_notice:
        rights["copyrightNotice"] = photo.copyright_notice
    if photo.license_url:
        rights["license"] = photo.license_url
    objects = []
    for crop in photo.crops:
        image = {
            "@type": "ImageObject",
            "url": crop.url,
            "contentUrl": crop.url,
            "width": crop.width,
            "height": crop.height,
            **rights,
        }
        if photo.caption:
            image["caption"] = photo.caption
        objects.append(image)
    return objects


# schema.org's NewsArticle subtypes for the kinds a reader must tell apart. A fact
# check stays a NewsArticle (its page carries the visible "Fact check" label); paid
# content is an AdvertiserContentArticle that is still read as a news article.
ARTICLE_TYPES = {
    "news": "ReportageNewsArticle",
    "opinion": "OpinionNewsArticle",
    "analysis": "AnalysisNewsArticle",
    "sponsored": ["NewsArticle", "AdvertiserContentArticle"],
    "fact-check": "NewsArticle",
}


def default_image_object(photo: Photo) -> dict:
    """Return the site's default image (a story without a photo) as an ``ImageObject``."""
    return {
        "@type": "ImageObject",
        "url": photo.url,
        "contentUrl": photo.url,
        "width": photo.width,
        "height": photo.height,
    }


def news_article(facts: ArticleFacts) -> dict:
    """Return the ``NewsArticle`` (or the subtype of its kind) for one story."""
    publisher = {
        "@type": "NewsMediaOrganization",
        "name": facts.publisher.name,
        "url": facts.publisher.url,
        "logo": {"@type": "ImageObject", "url": facts.publisher.logo_url},
    }
    authors = [{"@type": "Person", "name": a.name, "url": a.url} for a in facts.authors]
    data = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES.get(facts.kind, "NewsArticle"),
        "@id": f"{facts.url}#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.url},
        "url": facts.url,
        "headline": facts.headline,
        "description": facts.description,
        "datePublished": facts.published.isoformat(),
        "dateModified": facts.modified.isoformat(),
        # A story without a byline is the publisher's own.
        "author": authors
        or [{"@type": "Organization", "name": publisher["name"], "url": publisher["url"]}],
        "publisher": publisher,
        "articleSection": facts.section.name,
        "inLanguage": facts.language,
        "isAccessibleForFree": True,
    }
    if facts.tags:
        data["keywords"] = [tag.name for tag in facts.tags]
    if facts.photo:
        data["image"] = image_objects(facts.photo)
    elif facts.share_image:
        data["image"] = [default_image_object(facts.share_image)]
    if facts.kind_label:
        data["genre"] = facts.kind_label
    if facts.corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": note.text,
                "datePublished": note.date.isoformat(),
            }
            for note in facts.corrections
        ]
    if facts.sponsor:
        data["sponsor"] = {"@type": "Organization", "name": facts.sponsor}
    return data


def breadcrumbs(facts: ArticleFacts) -> dict:
    """Return the ``BreadcrumbList`` home → section → story."""
    trail = [
        (facts.publisher.name, facts.publisher.url),
        (facts.section.name, facts.section.url),
        (facts.headline, facts.url),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def blog_posting(
    update: UpdateFacts, fallback_author: list[dict], fallback_image: list[dict] | None = None
) -> dict:
    """Return one update as the ``BlogPosting`` of a ``liveBlogUpdate``.

    An update without a byline or a photo of its own has its story's.
    """
    authors = [{"@type": "Person", "name": a.name, "url": a.url} for a in update.authors]
    data = {
        "@type": "BlogPosting",
        "@id": f"{update.url}#update",
        "url": update.url,
        "headline": update.headline[:110],
        "datePublished": update.published.isoformat(),
        "dateModified": update.modified.isoformat(),
        "articleBody": update.text,
        "author": authors or fallback_author,
    }
    if update.photo:
        data["image"] = [update.photo.url]
    elif fallback_image:
        data["image"] = fallback_image
    return data


def update_posting(facts: ArticleFacts, update: UpdateFacts) -> dict:
    """Return an update's own page's ``BlogPosting``, part of its story's ``LiveBlogPosting``."""
    story = news_article(facts)
    data = {
        "@context": "https://schema.org",
        **blog_posting(update, story["author"], story.get("image")),
    }
    data["mainEntityOfPage"] = {"@type": "WebPage", "@id": update.url}
    data["publisher"] = story["publisher"]
    data["description"] = update.text[:300] or story["description"]
    data["isPartOf"] = {"@id": story["@id"]}  # the story page's LiveBlogPosting
    return data


def live_blog_posting(facts: ArticleFacts, live: LiveFacts) -> dict:
    """Return a live story's ``LiveBlogPosting``: its ``NewsArticle`` properties, the
    coverage times and the updates on the page as ``liveBlogUpdate`` entries.

    ``coverageEndTime`` only once an end is set (planned or past): none is invented.
    """
    data = {**news_article(facts), "@type": "LiveBlogPosting"}
    data["coverageStartTime"] = live.start.isoformat()
    if live.end is not None:
        data["coverageEndTime"] = live.end.isoformat()
    data["liveBlogUpdate"] = [
        blog_posting(update, data["author"], data.get("image")) for update in live.updates
    ]
    modified = max([facts.modified, *(update.modified for update in live.updates)])
    data["dateModified"] = modified.isoformat()
    return data

"""The names of the WordPress import report's counters, translated where the report is shown.

Lazy, so they take the language the command runs in. Each carries a message
context naming what it counts: "created" agrees with stories in one language and
with photos or authors in another, and a translator sees which.
"""

from django.utils.translation import npgettext_lazy, pgettext_lazy

# The report's rows, in the order the command writes them.
ITEMS_READ = pgettext_lazy("WordPress import report: a row's heading", "items read")
ARTICLES = pgettext_lazy("WordPress import report: a row's heading", "articles")
PHOTOS = pgettext_lazy("WordPress import report: a row's heading", "photos")
AUTHORS = pgettext_lazy("WordPress import report: a row's heading", "authors")
SECTIONS_CREATED = pgettext_lazy("WordPress import report: a row's heading", "sections created")
TAGS_CREATED = pgettext_lazy("WordPress import report: a row's heading", "tags created")
REDIRECTS = pgettext_lazy("WordPress import report: a row's heading", "redirects")
SHORTCODES_DROPPED = pgettext_lazy("WordPress import report: a row's heading", "shortcodes dropped")
NOT_CONVERTED = pgettext_lazy("WordPress import report: a row's heading", "not converted")
LEFT_OUT = pgettext_lazy("WordPress import report: a row's heading", "left out")
OLDER_THAN_SINCE = pgettext_lazy("WordPress import report: a row's heading", "older than --since")
MISSING_MEDIA = pgettext_lazy("WordPress import report: a row's heading", "missing media")
WITH_NOTES = pgettext_lazy("WordPress import report: a row's heading", "imported with notes")
CHANGED = pgettext_lazy("WordPress import report: a row's heading", "changed")

# What became of the items of each kind (Report.articles, .photos, .authors), by
# the Report's key; rendered with ``% {"count": n}``, which also picks the plural.
ARTICLE_OUTCOMES = {
    "created": npgettext_lazy(
        "WordPress import: stories", "%(count)s created", "%(count)s created", "count"
    ),
    "updated": npgettext_lazy(
        "WordPress import: stories", "%(count)s updated", "%(count)s updated", "count"
    ),
    "unchanged": npgettext_lazy(
        "WordPress import: stories", "%(count)s unchanged", "%(count)s unchanged", "count"
    ),
    "skipped": npgettext_lazy(
        "WordPress import: stories", "%(count)s skipped", "%(count)s skipped", "count"
    ),
}
PHOTO_OUTCOMES = {
    "created": npgettext_lazy(
        "WordPress import: photos", "%(count)s created", "%(count)s created", "count"
    ),
    "updated": npgettext_lazy(
        "WordPress import: photos", "%(count)s updated", "%(count)s updated", "count"
    ),
    "unchanged": npgettext_lazy(
        "WordPress import: photos", "%(count)s unchanged", "%(count)s unchanged", "count"
    ),
    "skipped": npgettext_lazy(
        "WordPress import: photos", "%(count)s skipped", "%(count)s skipped", "count"
    ),
    "missing file": npgettext_lazy(
        "WordPress import: photos", "%(count)s file missing", "%(count)s files missing", "count"
    ),
}
AUTHOR_OUTCOMES = {
    "created": npgettext_lazy(
        "WordPress import: authors", "%(count)s created", "%(count)s created", "count"
    ),
    "updated": npgettext_lazy(
        "WordPress import: authors", "%(count)s updated", "%(count)s updated", "count"
    ),
    "unchanged": npgettext_lazy(
        "WordPress import: authors", "%(count)s unchanged", "%(count)s unchanged", "count"
    ),
    "skipped": npgettext_lazy(
        "WordPress import: authors", "%(count)s skipped", "%(count)s skipped", "count"
    ),
}

# The two passes over the file, as the progress line names them (Progress.phase).
PHASES = {
    "photos": pgettext_lazy("WordPress import: the pass under way", "photos"),
    "stories": pgettext_lazy("WordPress import: the pass under way", "stories"),
}

# What an update changed in a story, by the importer's name for it.
STORY_PARTS = {
    "headline": pgettext_lazy("WordPress import: a changed part of a story", "headline"),
    "dek": pgettext_lazy("WordPress import: a changed part of a story", "dek"),
    "body": pgettext_lazy("WordPress import: a changed part of a story", "body"),
    "status": pgettext_lazy("WordPress import: a changed part of a story", "status"),
    "published_at": pgettext_lazy("WordPress import: a changed part of a story", "published at"),
    "section_id": pgettext_lazy("WordPress import: a changed part of a story", "section"),
    "lead_image_id": pgettext_lazy("WordPress import: a changed part of a story", "lead photo"),
    "byline": pgettext_lazy("WordPress import: a changed part of a story", "byline"),
    "tags": pgettext_lazy("WordPress import: a changed part of a story", "tags"),
}

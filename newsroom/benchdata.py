"""A deterministic synthetic archive for benchmarks (``manage.py seed_bench``).

The same ``count`` and ``seed`` always give the same stories, bylines, tags,
photos and related links, so two runs of the benchmark measure the same site.
Rows go in with ``bulk_create`` in batches, one transaction per batch: a
million stories load into PostgreSQL in minutes. Photo rows share a handful of
small files, written once to the default storage.
"""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage

from articles.invalidation import everything_changed
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Image,
    RelatedLink,
    Section,
    Status,
    StoryKind,
    Tag,
    TaggedArticle,
)
from articles.text import tag_key

VOCABULARY_SIZE = 500
SECTION_NAMES = (
    "World", "Politics", "Business", "Technology", "Science", "Health",
    "Climate", "Culture", "Sport", "Opinion", "Education", "Travel",
)  # fmt: skip
AUTHOR_COUNT = 400
PHOTO_FILES = 6
ARTICLES_PER_PHOTO = 5
PARAGRAPH_POOL = 400
# The newest story is dated at the start of the day of the run (so recency-based
# features see a live archive); older ones follow every 7 minutes (a million span
# ~13 years).
SPACING = timedelta(minutes=7)

_SYLLABLES = (
    "ka", "lo", "mi", "ren", "sa", "tor", "vi", "del", "nor", "pa", "qui", "bel",
    "ste", "mar", "con", "fi", "gra", "hul", "jo", "tan", "ver", "wen", "xo", "zu",
)  # fmt: skip


ARTICLE_COLUMNS = [
    "id", "headline", "slug", "dek", "body", "section", "lead_image", "kind",
    "sponsor_name", "status", "published_at", "created_at", "updated_at",
]  # fmt: skip
IMAGE_COLUMNS = [
    "id", "file", "width", "height", "caption", "credit", "copyright_notice", "source",
    "alt_text", "uploaded_at",
]  # fmt: skip


class ArchiveNotEmpty(Exception):
    """Raised when the database already holds stories: the seed only fills an empty one."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Return ``size`` distinct invented words; their order is their popularity rank."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_weights(size: int, exponent: float = 1.1) -> list[float]:
    """Cumulative Zipf weights: rank 1 is very common, most ranks are rare."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, size + 1)))


def pick_distinct(rng: random.Random, population, cum_weights, k: int) -> list:
    picked: list = []
    while len(picked) < k:
        (item,) = rng.choices(population, cum_weights=cum_weights)
        if item not in picked:
            picked.append(item)
    return picked


def photo_bytes(index: int) -> bytes:
    buffer = io.BytesIO()
    colour = ((37 * index) % 256, (91 * index) % 256, (151 * index) % 256)
    PILImage.new("RGB", (640, 360), colour).save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


class ArchiveBuilder:
    """Builds the archive row by row from one seeded random generator."""

    def __init__(self, count: int, seed: int, batch_size: int, progress: Callable | None):
        self.count = count
        self.seed = seed
        self.newest = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.progress = progress or (lambda done, total: None)
        self.words = vocabulary(self.rng, VOCABULARY_SIZE + 2000)
        self.tag_words = self.words[:VOCABULARY_SIZE]
        self.text_words = self.words[VOCABULARY_SIZE:]
        self.tag_weights = zipf_weights(VOCABULARY_SIZE)
        self.paragraphs = [self._paragraph() for _ in range(PARAGRAPH_POOL)]

    def _sentence(self, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        words = rng.choices(self.text_words, k=rng.randint(8, 16))
        return " ".join(words).capitalize() + "."

    def _paragraph(self) -> str:
        return " ".join(self._sentence() for _ in range(8))  # ~100 words

    def build(self) -> SeedReport:
        if Article.objects.exists():
            raise ArchiveNotEmpty(
                f"The database already holds {Article.objects.count()} articles; "
                "seed_bench only fills an empty archive."
            )
        report = SeedReport()
        with transaction.atomic():
            # Sections, authors and tags already there (from an earlier seed) are reused.
            sections = self._ensure(
                Section,
                [
                    Section(name=name, slug=slugify(name), description=f"Stories on {name}.")
                    for name in SECTION_NAMES
                ],
            )
            author_words = self.words[VOCABULARY_SIZE : VOCABULARY_SIZE + AUTHOR_COUNT]
            authors = self._ensure(
                Author,
                [
                    Author(
                        name=f"{word.capitalize()} {self.words[-1 - i].capitalize()}",
                        slug=f"{word}-{i}",
                        bio=self._sentence(),
                    )
                    for i, word in enumerate(author_words)
                ],
            )
            tags = self._ensure(
                Tag, [Tag(name=word, key=tag_key(word), slug=word) for word in self.tag_words]
            )
        files = self._photo_files()
        report.created.update(sections=len(sections), authors=len(authors), tags=len(tags))
        author_weights = zipf_weights(len(authors), exponent=0.8)
        self.writers = {
            "photos": TableWriter(Image, IMAGE_COLUMNS),
            "articles": TableWriter(Article, ARTICLE_COLUMNS),
            # Join rows carry their story's publishing fields (models/copies.py); every
            # generated story is published and never expires.
            "bylines": TableWriter(
                ArticleAuthor, ["id", "article", "author", "position", "status", "published_at"]
            ),
            "tagged": TableWriter(
                TaggedArticle, ["id", "content_object", "tag", "status", "published_at"]
            ),
            "links": TableWriter(
                RelatedLink, ["id", "article", "position", "target", "url", "title"]
            ),
        }
        done = 0
        for start in range(0, self.count, self.batch_size):
            size = min(self.batch_size, self.count - start)
            with transaction.atomic():
                self._batch(start, size, sections, authors, author_weights, tags, files, report)
            done += size
            self.progress(done, self.count)
        for writer in self.writers.values():
            writer.finish()
        everything_changed()  # raw inserts send no signal
        self._analyze()
        return report

    def _analyze(self) -> None:
        """Refresh the planner's statistics and the visibility map (index-only scans).

        SQLite plans joins without statistics until ``ANALYZE`` has run: a tag or
        author page would then walk every public story, newest first, to find a rare
        tag's dozen.
        """
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            return
        if connection.vendor != "postgresql":
            return
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for writer in self.writers.values():
                cursor.execute(
                    f"{command} {connection.ops.quote_name(writer.model._meta.db_table)}"
                )

    @staticmethod
    def _ensure(model, objects: list) -> list:
        """Create the objects missing by slug; return all of them, in order, from the database."""
        model.objects.bulk_create(objects, ignore_conflicts=True)
        found = model.objects.in_bulk([obj.slug for obj in objects], field_name="slug")
        return [found[obj.slug] for obj in objects]

    def _photo_files(self) -> list[str]:
        names = []
        for index in range(PHOTO_FILES):
            name = f"bench/photo-{index}.jpg"
            if not default_storage.exists(name):
                name = default_storage.save(name, ContentFile(photo_bytes(index)))
            names.append(name)
        return names

    def _story_rng(self, kind: int, n: int) -> random.Random:
        # One generator per story (and per photo): the archive does not depend on batch size.
        return random.Random((self.seed << 34) | (kind << 32) | n)

    def _batch(self, start, size, sections, authors, author_weights, tags, files, report):
        writers = self.writers
        photo_rows, articles, bylines, tagged, links = [], [], [], [], []
        for n in range(start, start + size):
            if n % ARTICLES_PER_PHOTO == 0:
                rng = self._story_rng(1, n)
                agency = rng.choice(("REUTERS", "AP", "AFP", "Staff"))
                photo_rows.append(
                    (
                        writers["photos"].first_pk + n // ARTICLES_PER_PHOTO,
                        files[(n // ARTICLES_PER_PHOTO) % len(files)],
                        640,
                        360,
                        self._sentence(rng),
                        f"{agency}/{rng.choice(authors).name}",
                        "© 2026 Bench Agency",
                        "Bench agency feed",
                        self._sentence(rng),
                        self.newest,
                    )
                )
            rng = self._story_rng(0, n)
            pk = writers["articles"].first_pk + n
            headline_words = rng.choices(self.text_words, k=rng.randint(6, 10))
            while len(" ".join(headline_words)) > 110:
                headline_words.pop()
            slug = f"{slugify(' '.join(headline_words[:5]))}-{n}"
            published_at = self.newest - SPACING * n
            articles.append(
                (
                    pk,
                    " ".join(headline_words).capitalize(),
                    slug,
                    self._sentence(rng),
                    "".join(f"<p>{p}</p>" for p in rng.sample(self.paragraphs, 8)),
                    sections[rng.randrange(len(sections))].pk,
                    writers["photos"].first_pk + n // ARTICLES_PER_PHOTO,
                    StoryKind.NEWS,
                    "",
                    Status.PUBLISHED,
                    published_at,
                    published_at,
                    published_at,
                )
            )
            for tag in pick_distinct(rng, tags, self.tag_weights, rng.randint(3, 6)):
                tagged.append(
                    (writers["tagged"].next_pk(), pk, tag.pk, Status.PUBLISHED, published_at)
                )
            chosen = pick_distinct(rng, authors, author_weights, rng.randint(1, 3))
            for position, author in enumerate(chosen):
                bylines.append(
                    (
                        writers["bylines"].next_pk(),
                        pk,
                        author.pk,
                        position,
                        Status.PUBLISHED,
                        published_at,
                    )
                )
            # Links go to stories already in the archive: up to 5 of the 2,000 before this one.
            earlier = range(max(0, n - 2000), n)
            targets = sorted(rng.sample(earlier, min(len(earlier), rng.randint(3, 5))))
            for position, target in enumerate(targets):
                target_pk = writers["articles"].first_pk + target
                links.append((writers["links"].next_pk(), pk, position, target_pk, "", ""))
            for position in range(len(targets), 3):
                url = f"https://example.org/background/{slug}/{position}"
                title = self._sentence(rng)[:200]
                links.append((writers["links"].next_pk(), pk, position, None, url, title))
        for kind, rows in (
            ("photos", photo_rows),
            ("articles", articles),
            ("bylines", bylines),
            ("tagged", tagged),
            ("links", links),
        ):
            writers[kind].insert(rows)
            report.created[kind] = report.created.get(kind, 0) + len(rows)


class TableWriter:
    """Insert plain row tuples into one model's table, fast.

    The ORM's ``bulk_create`` spends most of its time preparing values field by
    field; at a million stories that is most of the load. Rows here are tuples
    in ``names`` order (the generator makes only clean values: bodies are
    plain paragraphs, so skipping the sanitiser is safe), any other column gets
    its field's default, and PostgreSQL receives them through ``COPY``.
    """

    def __init__(self, model, names: list[str]):
        self.model = model
        meta = model._meta
        fields = [meta.get_field(name) for name in names]
        rest = [f for f in meta.concrete_fields if f.attname not in names and f.name not in names]
        self.columns = [f.column for f in fields + rest]
        self.tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.datetime_positions = [
            i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"
        ]
        last = model.objects.aggregate(last=Max("pk"))["last"] or 0
        self.first_pk = last + 1
        self._pks = itertools.count(self.first_pk)

    def next_pk(self) -> int:
        return next(self._pks)

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + self.tail)
                return
            adapt = connection.ops.adapt_datetimefield_value
            positions = self.datetime_positions
            prepared = []
            for row in rows:
                values = list(row)
                for i in positions:
                    values[i] = adapt(values[i])
                prepared.append(tuple(values) + self.tail)
            marks = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)

    def finish(self) -> None:
        """Move the table's id sequence past the rows inserted with explicit ids."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


def seed_archive(
    count: int, *, seed: int = 8, batch_size: int = 5000, progress: Callable | None = None
) -> SeedReport:
    """Fill an empty database with ``count`` published stories and what they link to.

    Raises ``ArchiveNotEmpty`` if any article exists. ``progress(done, total)``
    is called after each batch.
    """
    return ArchiveBuilder(count, seed, batch_size, progress).build()

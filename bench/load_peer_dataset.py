#!/usr/bin/env python3
"""Load a bench dataset (bench/data/N/articles.jsonl) into the project's models, in a fresh,
migrated DB.  usage (cwd = site/, DJANGO_SETTINGS_MODULE=nrbench.settings, BENCH_STATE set):
    python ../load_dataset.py DATA/N/articles.jsonl

What goes where (the project's models, not raw SQL):
- Section, Author (name, slug, bio), Tag (name, slug, key = the project's tag_key(name)).
- Photos: the project keeps caption and credit on the photo (``Image``), with no per-story
  credit override, while the dataset gives every story its own caption and credit for one
  of 50 shared files. So every story gets its own ``Image`` row (its caption, credit, alt
  text), all rows of one file sharing that file. The 50 distinct files go through the
  project's upload checks once each (``Image.full_clean()`` -> ``read_file()``: decode,
  size, SHA-256, IPTC/XMP); the per-story rows copy those facts.
- Articles: status "published" with the dataset's ``published_at`` (all in the past; no
  expiry), which is what ``ArticleQuerySet.published_q()`` shows. Each story goes through
  ``full_clean()`` (field cleaning, HTML sanitiser, the lead-photo alt/credit rule) without the
  per-row uniqueness/constraint queries (the DB enforces both); rows are inserted with
  ``bulk_create`` (``SanitizedHTMLField.pre_save`` runs there too). No audit rows or
  revisions: an import, like the Wagtail loader's ``add_child`` without revisions.
- Bylines (``ArticleAuthor``, in dataset order as ``position``) and tags (``TaggedArticle``)
  with the join models' own ``bulk_create``, which copies each story's publishing fields
  onto the join rows (models/copies.py).
- Related links (``RelatedLink``) in dataset order: internal ones target the story, external
  ones carry url + title.
- Renditions: the project's ``Image.generate_renditions()`` for one row per distinct file;
  rows of the same file share the renditions folder (its key is derived from the file's
  hash and focal point), so the others get the same ``renditions_key``.
- "More from" suggestions: ``manage.py refresh_suggestions`` (``refresh_suggestions()``, the
  function the task worker runs after an editor saves a story or its tags), once every story
  and link is in: bulk_create sends no signals. The ranking is the same as a page used to run.
- Finally ``invalidation.everything_changed()`` (as the project's seed_bench does after
  bulk writes) and ANALYZE.


This file is the project's copy of peer-bench's own loader (targets/newsroom/load_dataset.py),
adapted for stored suggestions; setup.sh uses it when the checkout has it.
"""

import datetime as dt
import json
import os
import sys
import time

sys.path.insert(0, os.getcwd())
import django

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

try:  # the page-cache machinery may move or go (issue fast-and-simple); nothing is cached yet
    from articles.invalidation import everything_changed
except ImportError:

    def everything_changed():
        pass


from articles.models import (  # noqa: E402
    Article,
    ArticleAuthor,
    Author,
    Image,
    RelatedLink,
    Section,
    Status,
    Tag,
    TaggedArticle,
)
from articles.text import tag_key  # noqa: E402

BATCH = 1000


def parse_ts(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def main(jsonl):
    t0 = time.time()
    data_dir = os.path.dirname(os.path.dirname(os.path.abspath(jsonl)))
    with open(jsonl) as lines:
        rows = [json.loads(line) for line in lines]
    assert not Article.objects.exists(), "fresh DB expected"

    # --- sections, authors, tags -------------------------------------------------------
    authors, sections, tags = {}, {}, {}
    for r in rows:
        for a in r["authors"]:
            authors.setdefault(a["slug"], a)
        sections.setdefault(r["section"]["slug"], r["section"])
        for t in r["tags"]:
            tags.setdefault(t["slug"], t)
    with transaction.atomic():
        objs = [Section(name=s["name"], slug=s["slug"]) for s in sections.values()]
        for o in objs:
            o.full_clean(validate_unique=False)
        Section.objects.bulk_create(objs)
        objs = [Author(name=a["name"], slug=a["slug"], bio=a["bio"]) for a in authors.values()]
        for o in objs:
            o.full_clean(validate_unique=False)
        Author.objects.bulk_create(objs)
        Tag.objects.bulk_create(
            [Tag(name=t["name"], slug=t["slug"], key=tag_key(t["name"])) for t in tags.values()]
        )
    section_by = {s.slug: s for s in Section.objects.all()}
    author_by = {a.slug: a for a in Author.objects.all()}
    tag_by = {t.slug: t for t in Tag.objects.all()}
    print(
        f"sections/authors/tags: {len(section_by)}/{len(author_by)}/{len(tag_by)} "
        f"{time.time() - t0:.1f}s",
        flush=True,
    )

    # --- the 50 distinct photo files, through the project's upload checks ----------------
    with open(os.path.join(data_dir, "images", "images.json")) as f:
        meta = json.load(f)
    masters = {}
    with transaction.atomic():
        for m in meta:
            with open(os.path.join(data_dir, m["file"]), "rb") as f:
                img = Image(
                    file=File(f, name=os.path.basename(m["file"])),
                    credit=m["credit"],
                    alt_text=m["alt"],
                )
                img.full_clean()  # read_file(): verify, size, hash, embedded metadata
                img.save()
            masters[m["file"]] = img
    print(f"photo files: {len(masters)} {time.time() - t0:.1f}s", flush=True)

    # --- per-story photo rows (own caption/credit/alt; the file's facts copied) ----------
    copied = ("file", "width", "height", "format", "file_size", "content_hash", "metadata")
    photo_of = {}
    for start in range(0, len(rows), BATCH):
        batch = []
        for r in rows[start : start + BATCH]:
            li = r["lead_image"]
            m = masters[li["path"]]
            img = Image(
                caption=li["caption"],
                credit=li["credit"],
                alt_text=li["alt"],
                source="bench dataset",
                **{k: getattr(m, k) for k in copied},
            )
            img.clean_fields(exclude=["file"])
            batch.append(img)
        with transaction.atomic():
            Image.objects.bulk_create(batch)
        for r, img in zip(rows[start : start + BATCH], batch, strict=True):
            photo_of[r["slug"]] = img
    print(f"photo rows: {len(photo_of)} {time.time() - t0:.1f}s", flush=True)

    # --- stories, in publication order, with bylines and tags -----------------------------
    article_by = {}
    ordered = sorted(rows, key=lambda r: r["published_at"])
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        arts = []
        for r in chunk:
            a = Article(
                headline=r["headline"],
                slug=r["slug"],
                dek=r["dek"],
                body=r["body_html"],
                section=section_by[r["section"]["slug"]],
                lead_image=photo_of[r["slug"]],
                status=Status.PUBLISHED,
                published_at=parse_ts(r["published_at"]),
            )
            a.full_clean(validate_unique=False, validate_constraints=False)
            arts.append(a)
        with transaction.atomic():
            Article.objects.bulk_create(arts)
            for a in arts:  # the in-memory state is what was written: join rows copy it
                a.stored_publishing = (a.status, a.published_at, a.expire_at)
            ArticleAuthor.objects.bulk_create(
                [
                    ArticleAuthor(article=a, author=author_by[au["slug"]], position=k)
                    for r, a in zip(chunk, arts, strict=True)
                    for k, au in enumerate(r["authors"])
                ]
            )
            TaggedArticle.objects.bulk_create(
                [
                    TaggedArticle(content_object=a, tag=tag_by[t["slug"]])
                    for r, a in zip(chunk, arts, strict=True)
                    for t in r["tags"]
                ]
            )
        for r, a in zip(chunk, arts, strict=True):
            article_by[r["slug"]] = a
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        if (start + BATCH) % 5000 == 0:
            print(f"  {start + len(chunk)} stories {time.time() - t0:.1f}s", flush=True)
    print(f"stories: {len(article_by)} {time.time() - t0:.1f}s", flush=True)

    # --- related links, in order -----------------------------------------------------------
    links = []
    for r in rows:
        a = article_by[r["slug"]]
        for k, rel in enumerate(r["related"]):
            if rel["kind"] == "article":
                link = RelatedLink(article=a, position=k, target=article_by[rel["slug"]])
            else:
                link = RelatedLink(article=a, position=k, url=rel["url"], title=rel["title"])
            link.clean()
            links.append(link)
    with transaction.atomic():
        RelatedLink.objects.bulk_create(links, batch_size=2000)
    print(f"related links: {len(links)} {time.time() - t0:.1f}s", flush=True)

    # --- renditions: once per distinct file, shared by that file's rows --------------------
    t1 = time.time()
    files = 0
    reused = 0
    for m in masters.values():
        key = m.expected_renditions_key()
        storage = m.file.storage
        if all(storage.exists(f"{key}/{spec.filename}") for spec in m.rendition_specs()):
            # Already made by an earlier load of the same file with the same settings (setup.sh
            # keeps them in bench/data/newsroom-renditions): the output would be identical.
            Image.objects.filter(pk=m.pk).update(renditions_key=key)
            m.renditions_key = key
            reused += 1
        else:
            files += m.generate_renditions()
        Image.objects.filter(content_hash=m.content_hash).update(renditions_key=m.renditions_key)
    print(
        f"renditions: {files} files made, {reused} of {len(masters)} photos reused, "
        f"{time.time() - t1:.1f}s",
        flush=True,
    )

    # --- "More from" suggestions, as the task worker stores them after each save ------------
    t1 = time.time()
    call_command("refresh_suggestions", verbosity=0)
    print(f"suggestions: {time.time() - t1:.1f}s", flush=True)

    everything_changed()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"loaded {len(rows)} stories in {time.time() - t0:.1f}s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

"""``manage.py import_wxr``: bring a WordPress export in; the work is in importers/wxr.py."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from ...importers.wxr import Progress, Report, WXRImporter

SHOWN_PROBLEMS = 50


def parse_since(value: str) -> datetime:
    """Return ``--since`` as an aware datetime; a bare date means midnight UTC."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since: “{value}” is not a date (YYYY-MM-DD[ HH:MM]).")
        moment = datetime(day.year, day.month, day.day)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ProgressDisplay:
    """A bar with counts and an ETA on a terminal; a plain line every few seconds otherwise."""

    def __init__(self, stream, interactive: bool, every: float = 5.0):
        self.stream = stream
        self.interactive = interactive
        self.every = 0.2 if interactive else every
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, state: Progress) -> None:
        now = time.monotonic()
        done = state.bytes_read >= state.bytes_total
        if now - self.last < self.every and not done:
            return
        self.last = now
        share = min(state.bytes_read / state.bytes_total, 1.0)
        elapsed = now - self.started
        eta = elapsed / share - elapsed if share > 0 else 0
        r = state.report
        counts = (
            f"{r.items_read} items, {sum(r.articles.values())} stories, "
            f"{sum(r.photos.values())} photos, {len(r.skipped)} skipped"
        )
        eta_text = time.strftime("%H:%M:%S", time.gmtime(eta))
        if self.interactive:
            bar = "#" * int(share * 30)
            self.stream.write(
                f"\r[{bar:<30}] {share:4.0%} {state.phase}: {counts}, ETA {eta_text} ", ending=""
            )
            if done and state.phase == "stories":
                self.stream.write("")
            self.stream.flush()
        else:
            self.stream.write(f"{share:.0%} {state.phase}: {counts}, ETA {eta_text}")


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): authors, photos, stories, tags and old URLs. "
        "A rerun changes only what changed in the export."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file exported from WordPress")
        parser.add_argument(
            "--media-dir",
            help="a copy of wp-content/uploads; files are found by their path under uploads/",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read and report, but write nothing"
        )
        parser.add_argument(
            "--since", type=parse_since, help="only posts changed (or dated) on or after DATE"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress display")

    def handle(self, *args, export, media_dir, dry_run, since, no_progress, **options):
        try:
            importer = WXRImporter(export, media_dir=media_dir, dry_run=dry_run, since=since)
        except OSError as exc:
            raise CommandError(f"Cannot read {export}: {exc.strerror or exc}.") from exc
        if not no_progress and options.get("verbosity", 1) > 0:
            importer.progress = ProgressDisplay(self.stderr, self.stderr.isatty())
        report = importer.run()
        self.write_report(report, verbose=options.get("verbosity", 1) > 1)
        if not report.ok:
            raise CommandError(self.summary(report))

    def write_report(self, r: Report, verbose: bool) -> None:
        def counts(counter) -> str:
            return ", ".join(f"{n} {what}" for what, n in sorted(counter.items()) if n) or "none"

        out = self.stdout.write
        out(("Dry run, nothing was saved. " if r.dry_run else "") + "WordPress import report:")
        out(f"  items read:          {r.items_read}")
        out(f"  articles:            {counts(r.articles)}")
        out(f"  photos:              {counts(r.photos)}")
        out(f"  authors:             {counts(r.authors)}")
        out(f"  sections created:    {r.sections_created}")
        out(f"  tags created:        {r.tags_created}")
        out(f"  redirects:           {r.redirects}")
        out(f"  figures from [caption]: {r.figures}; embeds kept: {r.embeds}")
        out(f"  shortcodes dropped:  {counts(r.shortcodes_dropped)}")
        out(f"  not converted:       {counts(r.not_converted)}")
        out(f"  left out:            {counts(r.ignored)}")
        if any(r.ignored.values()):
            out("    (Newsroom has no comments, menus or other post types; trash stays out)")
        if r.older_than_since:
            out(f"  older than --since:  {r.older_than_since}")
        out(f"  missing media:       {len(r.missing_media)}")
        for url in r.missing_media if verbose else r.missing_media[:10]:
            out(f"    {url}")
        if len(r.missing_media) > 10 and not verbose:
            out(f"    ... and {len(r.missing_media) - 10} more (-v 2 lists them all)")
        notes = [p for p in r.problems if not p.skipped]
        if notes:
            out(f"  imported with notes: {len(notes)}")
            for problem in notes if verbose else notes[:SHOWN_PROBLEMS]:
                out(f"    {problem}")
            if len(notes) > SHOWN_PROBLEMS and not verbose:
                out(f"    ... and {len(notes) - SHOWN_PROBLEMS} more (-v 2 lists them all)")
        if r.changes:
            out(f"  changed:             {len(r.changes)}")
            for change in r.changes:
                out(f"    {change}")
        if r.nothing_changed and r.fatal is None:
            out("Nothing changed: every item is as the last run left it.")
        for problem in r.skipped:
            self.stderr.write(f"Skipped {problem}")
        if r.fatal:
            self.stderr.write(f"Stopped reading at {r.fatal}")

    @staticmethod
    def summary(r: Report) -> str:
        if r.fatal and not r.items_read and not r.authors:
            return f"Refused: {r.fatal}."
        parts = []
        if r.skipped:
            parts.append(f"{len(r.skipped)} item(s) skipped")
        if r.fatal:
            parts.append(f"the export could not be read to the end ({r.fatal})")
        return "Import incomplete: " + "; ".join(parts) + "."

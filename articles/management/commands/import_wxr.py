"""``manage.py import_wxr``: bring a WordPress export in; the work is in importers/wxr.py."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from ...importers import labels
from ...importers.wxr import Progress, Report, WXRImporter

SHOWN_PROBLEMS = 50


def parse_since(value: str) -> datetime:
    """Return ``--since`` as an aware datetime; a bare date means midnight UTC."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(
                _("--since: “%(value)s” is not a date (YYYY-MM-DD[ HH:MM]).") % {"value": value}
            )
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
        line = _("%(share)s %(phase)s: %(counts)s, ETA %(eta)s") % {
            "share": f"{share:4.0%}" if self.interactive else f"{share:.0%}",
            "phase": labels.PHASES[state.phase],
            "counts": progress_counts(state.report),
            "eta": time.strftime("%H:%M:%S", time.gmtime(eta)),
        }
        if self.interactive:
            bar = "#" * int(share * 30)
            self.stream.write(f"\r[{bar:<30}] {line} ", ending="")
            if done and state.phase == "stories":
                self.stream.write("")
            self.stream.flush()
        else:
            self.stream.write(line)


def progress_counts(r: Report) -> str:
    """Return the progress line's counts: items read, stories and photos so far, skipped."""
    stories, photos, skipped = sum(r.articles.values()), sum(r.photos.values()), len(r.skipped)
    counts = [
        ngettext("%(count)s item", "%(count)s items", r.items_read) % {"count": r.items_read},
        ngettext("%(count)s story", "%(count)s stories", stories) % {"count": stories},
        ngettext("%(count)s photo", "%(count)s photos", photos) % {"count": photos},
        ngettext("%(count)s skipped", "%(count)s skipped", skipped) % {"count": skipped},
    ]
    # The joiner stays ", " in every language, as in the report's lists.
    return ", ".join(counts)


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a WordPress export (WXR 1.0-1.2): authors, photos, stories, tags and old URLs. "
        "A rerun changes only what changed in the export."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help=gettext_lazy("the WXR file exported from WordPress"))
        parser.add_argument(
            "--media-dir",
            help=gettext_lazy(
                "a copy of wp-content/uploads; files are found by their path under uploads/"
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("read and report, but write nothing"),
        )
        parser.add_argument(
            "--since",
            type=parse_since,
            help=gettext_lazy("only posts changed (or dated) on or after DATE"),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=gettext_lazy("no progress display")
        )

    def handle(self, *args, export, media_dir, dry_run, since, no_progress, **options):
        try:
            importer = WXRImporter(export, media_dir=media_dir, dry_run=dry_run, since=since)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s.")
                % {"file": export, "error": exc.strerror or exc}
            ) from exc
        if not no_progress and options.get("verbosity", 1) > 0:
            importer.progress = ProgressDisplay(self.stderr, self.stderr.isatty())
        report = importer.run()
        self.write_report(report, verbose=options.get("verbosity", 1) > 1)
        if not report.ok:
            raise CommandError(self.summary(report))

    def write_report(self, r: Report, verbose: bool) -> None:
        def counts(counter) -> str:
            # WordPress's names (shortcodes, post types) counted as they are.
            return ", ".join(f"{n} {what}" for what, n in sorted(counter.items()) if n) or _("none")

        def outcomes(counter, names: dict) -> str:
            shown = [names[what] % {"count": n} for what, n in sorted(counter.items()) if n]
            return ", ".join(shown) or _("none")

        def tally(counter) -> str:
            # The kinds are body.removals' phrases for one ("an iframe from ..."),
            # already in the run's language; a count follows when there are more.
            often = pgettext(
                "WordPress import: content not converted, how often", "%(what)s × %(count)s"
            )
            shown = [
                what if n == 1 else often % {"what": what, "count": n}
                for what, n in sorted(counter.items())
                if n
            ]
            return ", ".join(shown) or _("none")

        out = self.stdout.write

        def row(label, value) -> None:
            out(f"  {str(label) + ':':<20} {value}")

        out(
            (_("Dry run, nothing was saved.") + " " if r.dry_run else "")
            + _("WordPress import report:")
        )
        row(labels.ITEMS_READ, r.items_read)
        row(labels.ARTICLES, outcomes(r.articles, labels.ARTICLE_OUTCOMES))
        row(labels.PHOTOS, outcomes(r.photos, labels.PHOTO_OUTCOMES))
        row(labels.AUTHORS, outcomes(r.authors, labels.AUTHOR_OUTCOMES))
        row(labels.SECTIONS_CREATED, r.sections_created)
        row(labels.TAGS_CREATED, r.tags_created)
        row(labels.REDIRECTS, r.redirects)
        out(
            "  "
            + _("figures from [caption]: %(figures)s; embeds kept: %(embeds)s")
            % {"figures": r.figures, "embeds": r.embeds}
        )
        row(labels.SHORTCODES_DROPPED, counts(r.shortcodes_dropped))
        row(labels.NOT_CONVERTED, tally(r.not_converted))
        row(labels.LEFT_OUT, counts(r.ignored))
        for status, n in sorted(r.ignored_statuses.items()):
            if status:
                text = ngettext(
                    "Left out %(count)s post with status %(status)s",
                    "Left out %(count)s posts with status %(status)s",
                    n,
                )
            else:
                text = ngettext(
                    "Left out %(count)s post without a status",
                    "Left out %(count)s posts without a status",
                    n,
                )
            # The status is WordPress's own word (trash, auto-draft), as its screens show it.
            out("    " + text % {"count": n, "status": status})
        if any(r.ignored.values()) or r.ignored_statuses:
            out(
                "    " + _("(Newsroom has no comments, menus or other post types; trash stays out)")
            )
        if r.older_than_since:
            row(labels.OLDER_THAN_SINCE, r.older_than_since)
        row(labels.MISSING_MEDIA, len(r.missing_media))
        for url in r.missing_media if verbose else r.missing_media[:10]:
            out(f"    {url}")
        if len(r.missing_media) > 10 and not verbose:
            out(
                "    "
                + _("... and %(count)s more (-v 2 lists them all)")
                % {"count": len(r.missing_media) - 10}
            )
        notes = [p for p in r.problems if not p.skipped]
        if notes:
            row(labels.WITH_NOTES, len(notes))
            for problem in notes if verbose else notes[:SHOWN_PROBLEMS]:
                out(f"    {problem}")
            if len(notes) > SHOWN_PROBLEMS and not verbose:
                out(
                    "    "
                    + _("... and %(count)s more (-v 2 lists them all)")
                    % {"count": len(notes) - SHOWN_PROBLEMS}
                )
        if r.changes:
            row(labels.CHANGED, len(r.changes))
            for change in r.changes:
                out(f"    {change}")
        if r.nothing_changed and r.fatal is None:
            out(_("Nothing changed: every item is as the last run left it."))
        for problem in r.skipped:
            self.stderr.write(_("Skipped %(problem)s") % {"problem": problem})
        if r.fatal:
            self.stderr.write(_("Stopped reading at %(place)s") % {"place": r.fatal})

    @staticmethod
    def summary(r: Report) -> str:
        if r.fatal and not r.items_read and not r.authors:
            return _("Refused: %(reason)s.") % {"reason": r.fatal}
        parts = []
        if r.skipped:
            count = len(r.skipped)
            parts.append(
                ngettext("%(count)s item skipped", "%(count)s items skipped", count)
                % {"count": count}
            )
        if r.fatal:
            parts.append(
                _("the export could not be read to the end (%(place)s)") % {"place": r.fatal}
            )
        return _("Import incomplete: %(parts)s.") % {"parts": "; ".join(parts)}

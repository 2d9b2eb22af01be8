from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import imaging
from ...models import Image, RenditionsStatus
from ...tasks import failure_reason, schedule_renditions


class Command(BaseCommand):
    help = gettext_lazy(
        "Make the missing or out-of-date renditions of every photo (or of the given ids), "
        "here and now, showing a progress bar; or, with --enqueue, queue them for the task "
        "worker. Page views never make renditions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help=gettext_lazy("Only these photos (by id).")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("Remake renditions that already exist."),
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=gettext_lazy(
                "Queue the work for the task worker instead, including photos a stopped "
                "worker left half done; run it whenever workers start."
            ),
        )

    def handle(self, *args, ids, force, enqueue, verbosity, **options):
        photos = Image.objects.order_by("pk")
        if ids:
            photos = photos.filter(pk__in=ids)
        if enqueue:
            if not (ids or force):
                # Failed photos wait for an editor's "Retry" (or their id here).
                photos = photos.exclude(renditions_status=RenditionsStatus.FAILED)
            self.enqueue(photos, force)
            return
        total = photos.count()
        made = files = failed = 0
        interactive = self.stdout.isatty()
        for done, image in enumerate(photos.iterator(chunk_size=100), start=1):
            try:
                if not image.content_hash:
                    # Photos uploaded before the library recorded hashes and sizes.
                    image.read_file()
                    image.save()
                written = image.generate_renditions(force=force)
            except (*imaging.RENDITION_ERRORS, ValidationError) as exc:
                failed += 1
                image.record_renditions_failure(failure_reason(exc), attempts=1, final=True)
                self.stderr.write(
                    "\n"
                    + _("Photo %(id)s (%(file)s): %(error)s")
                    % {"id": image.pk, "file": image.file.name, "error": exc}
                )
                written = 0
            made += bool(written)
            files += written
            if verbosity:
                self.stdout.write(self.progress(done, total), ending="\r" if interactive else "\n")
        if verbosity and interactive:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Renditions made for %(made)s of %(total)s photos (%(files)s files); "
                    "%(current)s already up to date, %(failed)s failed."
                )
                % {
                    "made": made,
                    "total": total,
                    "files": files,
                    "current": total - made - failed,
                    "failed": failed,
                }
            )
        )

    def enqueue(self, photos, force: bool) -> None:
        queued = sum(schedule_renditions(image, force=force) for image in photos.iterator())
        self.stdout.write(
            self.style.SUCCESS(_("Renditions queued for %(count)s photos.") % {"count": queued})
        )

    @staticmethod
    def progress(done: int, total: int, width: int = 30) -> str:
        filled = width * done // total if total else width
        return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"

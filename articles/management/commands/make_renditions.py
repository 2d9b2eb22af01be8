from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from ...models import Image


class Command(BaseCommand):
    help = (
        "Make the missing or out-of-date renditions of every photo (or of the given ids), "
        "showing a progress bar. Page views never make renditions; this and saving a "
        "photo in the admin do."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these photos (by id).")
        parser.add_argument(
            "--force", action="store_true", help="Remake renditions that already exist."
        )

    def handle(self, *args, ids, force, verbosity, **options):
        photos = Image.objects.order_by("pk")
        if ids:
            photos = photos.filter(pk__in=ids)
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
            except (OSError, ValidationError) as exc:
                failed += 1
                self.stderr.write(f"\nPhoto {image.pk} ({image.file.name}): {exc}")
                written = 0
            made += bool(written)
            files += written
            if verbosity:
                self.stdout.write(self.progress(done, total), ending="\r" if interactive else "\n")
        if verbosity and interactive:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Renditions made for {made} of {total} photos ({files} files); "
                f"{total - made - failed} already up to date, {failed} failed."
            )
        )

    @staticmethod
    def progress(done: int, total: int, width: int = 30) -> str:
        filled = width * done // total if total else width
        return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"

from django.core.management.base import BaseCommand, CommandError

from ...benchdata import ArchiveNotEmpty, seed_archive


class Command(BaseCommand):
    help = (
        "Fill an empty database with a deterministic synthetic archive for benchmarks "
        "(see bench/README.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000, help="stories to create")
        parser.add_argument("--seed", type=int, default=8, help="same seed, same archive")
        parser.add_argument("--batch-size", type=int, default=5000, help="stories per transaction")

    def handle(self, *args, articles, seed, batch_size, **options):
        if articles < 1 or batch_size < 1:
            raise CommandError("--articles and --batch-size must be positive.")

        def progress(done, total):
            if options["verbosity"] > 1 or done == total or done % 100_000 < batch_size:
                self.stdout.write(f"{done:,} / {total:,} stories")

        try:
            report = seed_archive(articles, seed=seed, batch_size=batch_size, progress=progress)
        except ArchiveNotEmpty as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{n:,} {kind}" for kind, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"Created {summary}."))

from django.core.management.base import BaseCommand

from articles.conf import app_settings

from ...demo import load_demo

DEMO_PASSWORD = "newsroom-demo"


class Command(BaseCommand):
    help = "Create invented demo stories, photos and a demo editor; a second run adds nothing."

    def handle(self, *args, **options):
        report = load_demo(app_settings.SITE_NAME, DEMO_PASSWORD)
        if report.created:
            summary = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
            self.stdout.write(self.style.SUCCESS(f"Demo content created: {summary}."))
        else:
            self.stdout.write("Demo content already present; nothing changed.")
        self.stdout.write(f"Demo editor login: username “editor”, password “{DEMO_PASSWORD}”.")
        self.stdout.write(
            f"Demo reporter login (no publishing): username “reporter”, password “{DEMO_PASSWORD}”."
        )

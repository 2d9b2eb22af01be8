from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import Article
from ...models.suggestions import refresh_suggestions

BATCH = 200


class Command(BaseCommand):
    help = gettext_lazy(
        'Rank and store the "More from" suggestions of every story (or of the given ids), '
        "newest first. Run it once after upgrading to stored suggestions, or after a bulk "
        "import that bypassed the models' signals; the task worker keeps them current after."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help=gettext_lazy("Only these stories (by id).")
        )

    def handle(self, *args, ids, verbosity, **options):
        stories = Article.objects.order_by("-published_at", "-pk").values_list("pk", flat=True)
        if ids:
            stories = stories.filter(pk__in=ids)
        pks = list(stories)
        now = timezone.now()
        for start in range(0, len(pks), BATCH):
            # Every story is ranked here, so none needs its neighbours ranked again.
            refresh_suggestions(pks[start : start + BATCH], neighbours=False, now=now)
            if verbosity > 1:
                self.stdout.write(f"{min(start + BATCH, len(pks))} / {len(pks)}")
        if verbosity:
            self.stdout.write(
                _("Ranked the suggestions of %(count)s stories.") % {"count": len(pks)}
            )

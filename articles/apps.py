from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    label = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            edge,
            invalidation,
            signals,
            sitefacts,
            tasks,
        )
        from .models import Article, Section

        edge.connect()  # committed changes purge the CDN, when ARTICLES_PURGER is set
        # Stored "More from" suggestions are ranked again when what they depend on changes.
        tasks.connect_signals()

        # Committed changes to public content refresh the pages showing it.
        uid = "articles-invalidation"
        for model in invalidation.WATCHED:
            for signal in (pre_save, pre_delete, post_save, post_delete):
                signal.connect(invalidation.object_changed, sender=model, dispatch_uid=uid)
        for through in invalidation.RELATIONS:
            m2m_changed.connect(invalidation.relation_changed, sender=through, dispatch_uid=uid)
        signals.photos_changed.connect(invalidation.images_changed, dispatch_uid=uid)
        signals.suggestions_changed.connect(invalidation.suggestions_changed, dispatch_uid=uid)

        # The navigation's sections and the next scheduled change, kept per process.
        for model in (Article, Section):
            for signal in (post_save, post_delete):
                signal.connect(sitefacts.forget, sender=model, dispatch_uid="articles-sitefacts")

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
            invalidation,
            tasks,
        )

        # Stored "More from" suggestions are ranked again when what they depend on changes.
        tasks.connect_signals()

        # Committed changes to public content refresh the pages showing it.
        uid = "articles-invalidation"
        for model in invalidation.WATCHED:
            pre_save.connect(invalidation.object_changing, sender=model, dispatch_uid=uid)
            pre_delete.connect(invalidation.object_changing, sender=model, dispatch_uid=uid)
            post_save.connect(invalidation.object_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(invalidation.object_changed, sender=model, dispatch_uid=uid)
        for through in invalidation.RELATIONS:
            m2m_changed.connect(invalidation.relation_changed, sender=through, dispatch_uid=uid)

"""The groups this app made for its roles: the only groups it may ever change or delete."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    EDITOR = "editor", _("Editor")


class Role(models.Model):
    """One of the newsroom's roles and the group that carries its permissions.

    A row here is the app's mark on a group: a host's own groups have none, so
    migrations (and their rollbacks) leave them alone. The workflow's rules read
    permissions, not groups (``models/publishing.py``); these groups are a starting point.
    """

    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices, unique=True)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="newsroom_role", verbose_name=_("group")
    )
    adopted_from = models.CharField(
        _("former name"),
        max_length=150,
        blank=True,
        help_text=_(
            "The group's name before the app renamed it (an install from before the roles "
            "had names of their own); empty when the app created the group."
        ),
    )

    class Meta:
        verbose_name = _("newsroom role")
        verbose_name_plural = _("newsroom roles")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.group.name}"

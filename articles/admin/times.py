"""Times on the editors' screens: every column and read-only field shows them by ``desk_time``.

Django's admin formats a datetime with the host's ``DATETIME_FORMAT`` in the active zone,
unlabelled; the desk shows one format in the newsroom's zone, labelled, on every screen.
"""

from django.contrib import admin

from ..times import desk_time


def time_column(field: str, description):
    """Return a ``ModelAdmin`` display method showing the datetime ``field`` by ``desk_time``.

    Use it under a name of its own (a model field's name would win over it), for example
    ``uploaded = time_column("uploaded_at", _("uploaded at"))``, then list ``"uploaded"`` in
    ``list_display`` or ``readonly_fields``.
    """

    @admin.display(description=description, ordering=field)
    def show(modeladmin, obj):
        # None lets the admin print its own "empty" mark.
        return desk_time(getattr(obj, field)) or None

    return show

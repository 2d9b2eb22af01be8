"""Admin lists by date: a date hierarchy's year the time zones cannot convert is a bad lookup."""

from __future__ import annotations

from django.http import HttpResponseRedirect

from ..fields import EARLIEST, LATEST


class CalendarHierarchyMixin:
    """Redirect a date hierarchy year outside 2 to 9998 to ``?e=1``, as for other bad lookups.

    Django builds the year's bounds in the current zone: year 1 east of UTC and
    9999 (whose end is year 10000) fail while converting, as a server error.
    """

    def changelist_view(self, request, extra_context=None):
        year = request.GET.get(f"{self.date_hierarchy}__year", "") if self.date_hierarchy else ""
        if year.strip().isdigit() and not EARLIEST.year < int(year) < LATEST.year:
            # "?e=1" is what the change list redirects to for lookups it cannot use.
            return HttpResponseRedirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)

"""Pagination for archives of any size: no count, and deep pages fetched by key.

Django's ``Paginator`` counts the whole list on every request and fetches a
page with ``OFFSET`` over the full rows (joins included). At a million stories
the count alone costs more than the page. ``OlderStoriesPaginator`` instead:

* never counts: a page asks for one row more than it shows, to know whether
  an "Older stories" link is needed; a page past the end is a 404;
* reads the page's ids first (an index-only scan, however deep the page), then
  the rows for those ids with their joins: two queries, like count + page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator


class OlderStoriesPage(Page):
    """A page that knows whether older stories follow without knowing how many."""

    def __init__(self, object_list, number: int, paginator, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.paginator.validate_number(self.number - 1)

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class OlderStoriesPaginator(Paginator):
    """Pages of an ordered queryset, without ``count``; see the module docstring."""

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number) -> OlderStoriesPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(
            self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1]
        )
        if not ids and number > 1:
            raise EmptyPage("That page contains no results")
        has_next = len(ids) > self.per_page
        ids = ids[: self.per_page]
        found = {obj.pk: obj for obj in self.object_list.filter(pk__in=ids)} if ids else {}
        rows = [found[pk] for pk in ids if pk in found]
        return OlderStoriesPage(rows, number, self, has_next)

    def get_page(self, number) -> OlderStoriesPage:
        try:
            return self.page(number)
        except InvalidPage:
            return self.page(1)

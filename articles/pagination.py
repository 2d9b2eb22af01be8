"""Pagination for archives of any size: no count, and deep pages fetched by key.

Django's ``Paginator`` counts the whole list on every request and fetches a
page with ``OFFSET`` over the full rows (joins included). At a million stories
the count alone costs more than the page. ``OlderStoriesPaginator`` instead:

* never counts: a page asks for one row more than it shows, to know whether
  an "Older stories" link is needed; a page past the end is a 404;
* reads the page's ids first (an index-only scan, however deep the page), then
  the rows for those ids with their joins: two queries, like count + page. The
  rows are read only when the page's stories are first used (``PageStories``):
  a page whose cards all come from the shared cache (``fragments.cards``) never
  reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator


class PageStories(Sequence):
    """A page's stories: known at once by id, read in one query when first used.

    ``refs`` are the stories' ids in page order; ``queryset`` reads the
    rows (the paginated queryset, so the publishing rules apply again). A story
    that left the public site between the two queries is left out. A slice shares
    its page's single read.
    """

    def __init__(self, refs: list[int], queryset, page: PageStories | None = None):
        self.refs = refs
        self.queryset = queryset
        self._page = page
        self._found: dict | None = None

    def rows(self, pks=None) -> dict:
        """Return the rows of ``pks`` (default: all of these stories), keyed by pk."""
        if pks is not None and self._loaded() is None:
            return self.queryset.in_bulk(list(pks)) if pks else {}
        found = self._load()
        wanted = self.refs if pks is None else pks
        return {pk: found[pk] for pk in wanted if pk in found}

    def _loaded(self) -> dict | None:
        return self._page._loaded() if self._page is not None else self._found

    def _load(self) -> dict:
        if self._page is not None:
            return self._page._load()
        if self._found is None:
            self._found = self.queryset.in_bulk(self.refs)
        return self._found

    def _all(self) -> list:
        return list(self.rows().values())

    def __len__(self) -> int:
        return len(self._all()) if self._loaded() is not None else len(self.refs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return PageStories(self.refs[index], self.queryset, self._page or self)
        return self._all()[index]

    def __iter__(self):
        return iter(self._all())

    def __bool__(self) -> bool:
        return bool(self.refs)


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
        refs = list(
            self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1]
        )
        if not refs and number > 1:
            raise EmptyPage("That page contains no results")
        has_next = len(refs) > self.per_page
        rows = PageStories(refs[: self.per_page], self.object_list)
        return OlderStoriesPage(rows, number, self, has_next)

    def get_page(self, number) -> OlderStoriesPage:
        try:
            return self.page(number)
        except InvalidPage:
            return self.page(1)


class CappedPaginator(Paginator):
    """Django's paginator over a result list cut at ``limit`` rows (search results).

    ``count_matches`` is called once and counts the matches up to ``limit + 1``,
    so ``capped`` can say "more than ``limit``" without counting them all; the
    pages cover the ``limit`` rows the list holds.
    """

    def __init__(self, object_list, per_page, *, limit: int, count_matches, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self._count_matches = count_matches

    @cached_property
    def matches(self) -> int:
        """Return how many stories matched, counting at most ``limit + 1``."""
        return self._count_matches()

    @cached_property
    def count(self) -> int:
        return min(self.matches, self.limit)

    @property
    def capped(self) -> bool:
        """Return whether more than ``limit`` stories matched."""
        return self.matches > self.limit

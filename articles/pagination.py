"""Pagination for archives of any size: no count, and deep pages fetched by key.

Django's ``Paginator`` counts the whole list on every request and fetches a
page with ``OFFSET`` over the full rows (joins included). At a million stories
the count alone costs more than the page. ``OlderStoriesPaginator`` instead:

* never counts: a page asks for one row more than it shows, to know whether
  an "Older stories" link is needed; a page past the end is a 404;
* links from page to page by key: "Older stories" carries the place of the page's
  last story (``?page=N&before=<cursor>``), "Newer stories" that of its first
  (``after=``), so a page reached by its links costs what page 1 costs, however
  deep; a bare ``?page=N`` (typed, or an old link) still works, by offset;
* reads the page's ids first (an index-only scan, however deep the page), then
  the rows for those ids with their joins: two queries, like count + page. The
  rows are read only when the page's stories are first used (``PageStories``):
  a page whose cards all come from the shared cache (``fragments.cards``) never
  reads them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q


def encode_cursor(published_at: datetime, pk: int) -> str:
    """Return an opaque token for a story's place in newest-first order."""
    raw = f"{published_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The largest value a database's 64-bit integer (a primary key, an OFFSET) holds.
BIGINT_MAX = 2**63 - 1


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return the (publication time, pk) of a cursor; ValueError if it is not ours.

    A forged cursor may hold any time and number: the time must stay a time in
    UTC (``0001-01-01T00:00+14:00`` is before year 1 there) and the number a key.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError("naive time")
        when = when.astimezone(UTC)
        pk = int(pk)
        if not 0 < pk <= BIGINT_MAX:
            raise ValueError("not a key")
        return when, pk
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
        raise ValueError("bad cursor") from error


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

    def __init__(
        self, object_list, number: int, paginator, has_next: bool, has_previous=None, keys=()
    ):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next
        self._has_previous = number > 1 if has_previous is None else has_previous
        self._keys = keys  # (published_at, pk) of the first and the last story

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self._has_previous

    @property
    def next_query(self) -> str:
        """The query string of the "Older stories" link: the next page, by key."""
        if not self._has_next:
            return ""
        return urlencode({"page": self.number + 1, "before": encode_cursor(*self._keys[-1])})

    @property
    def previous_query(self) -> str:
        """The query string of the "Newer stories" link: page 1 plainly, others by key."""
        if not self._has_previous:
            return ""
        if self.number <= 2:
            return urlencode({"page": 1})
        return urlencode({"page": self.number - 1, "after": encode_cursor(*self._keys[0])})

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.paginator.validate_number(max(self.number - 1, 1))

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
        if (number - 1) * self.per_page > BIGINT_MAX:
            # No database can skip that many rows: no such page, rather than an overflow.
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number, before: str | None = None, after: str | None = None):
        """Return page ``number``; with a cursor (``before`` or ``after``), found by key."""
        number = self.validate_number(number)
        time_field, id_field = (name.lstrip("-") for name in self.object_list.query.order_by[:2])
        stories = self.object_list
        if before and after:
            raise InvalidPage("Give one cursor, not two")
        newer = bool(after)
        if before or after:
            try:
                when, pk = decode_cursor(before or after)
            except ValueError as error:
                raise InvalidPage("That cursor is not valid") from error
            if newer:
                # Stories just newer than the cursor, oldest first, then turned round.
                stories = stories.filter(
                    Q(**{f"{time_field}__gte": when})
                    & (Q(**{f"{time_field}__gt": when}) | Q(**{f"{id_field}__gt": pk}))
                ).reverse()
            else:
                # ``time <= when`` on its own lets the index start at the cursor.
                stories = stories.filter(
                    Q(**{f"{time_field}__lte": when})
                    & (Q(**{f"{time_field}__lt": when}) | Q(**{f"{id_field}__lt": pk}))
                )
            window = slice(0, self.per_page + 1)
        else:
            bottom = (number - 1) * self.per_page
            window = slice(bottom, bottom + self.per_page + 1)
        keys = list(stories.values_list(time_field, "pk")[window])
        more = len(keys) > self.per_page
        keys = keys[: self.per_page]
        if newer:
            keys.reverse()
        if not keys and (number > 1 or before or after):
            raise EmptyPage("That page contains no results")
        rows = PageStories([pk for _when, pk in keys], self.object_list)
        if newer:
            return OlderStoriesPage(rows, number, self, True, has_previous=more, keys=keys)
        return OlderStoriesPage(rows, number, self, more, keys=keys)

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

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
* reads page 1 and every page found by key in one query, rows and joins
  together (the index starts at the cursor); a page found by offset reads its
  ids first (an index-only scan, however deep the page), then the rows for
  those ids with their joins.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Q


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
        if window.start == 0:
            rows = self._rows(stories, time_field, window)
            more = len(rows) > self.per_page
        else:
            rows, more = self._rows_by_offset(stories, time_field, window)
        rows = rows[: self.per_page]
        if newer:
            rows.reverse()
        if not rows and (number > 1 or before or after):
            raise EmptyPage("That page contains no results")
        keys = [(when, story.pk) for when, story in rows]
        rows = [story for _when, story in rows]
        if newer:
            return OlderStoriesPage(rows, number, self, True, has_previous=more, keys=keys)
        return OlderStoriesPage(rows, number, self, more, keys=keys)

    @staticmethod
    def _rows(stories, time_field: str, window: slice) -> list:
        """Return ``[(time, story)]`` of the window in one query (the key read with the rows)."""
        if "__" not in time_field:
            return [(getattr(story, time_field), story) for story in stories[window]]
        # The order's time is a join row's (a tag's or author's copy): read the same join.
        keyed = stories.annotate(page_time=F(time_field))[window]
        return [(story.page_time, story) for story in keyed]

    def _rows_by_offset(self, stories, time_field: str, window: slice) -> tuple[list, bool]:
        """Return ``[(time, story)]`` of the window, the ids read by offset first, and
        whether more follow.

        A story that left the public site between the two queries is left out.
        """
        keys = list(stories.values_list(time_field, "pk")[window])
        more, keys = len(keys) > self.per_page, keys[: self.per_page]
        found = self.object_list.in_bulk([pk for _when, pk in keys])
        return [(when, found[pk]) for when, pk in keys if pk in found], more

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

"""The admin's search box, bounded: a pasted essay must not become thousands of LIKE terms."""

from django.contrib import messages
from django.utils.translation import gettext as _

# Django's admin ANDs one OR-group of LIKE lookups per word: 10 words already narrow any
# newsroom's archive, and thousands took 12 seconds on a large one.
MAX_SEARCH_TERMS = 10


class BoundedSearchMixin:
    """Search the first ``MAX_SEARCH_TERMS`` words of the query and say so when cut."""

    def get_search_results(self, request, queryset, search_term):
        words = search_term.split()
        if len(words) > MAX_SEARCH_TERMS:
            search_term = " ".join(words[:MAX_SEARCH_TERMS])
            messages.info(
                request,
                _("Searched for the first %(n)d words only: “%(words)s”.")
                % {"n": MAX_SEARCH_TERMS, "words": search_term},
            )
        return super().get_search_results(request, queryset, search_term)

"""Every public page runs a fixed number of queries, whatever is on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import sitefacts

pytestmark = pytest.mark.django_db

# story (with whether it has notes), bylines, tags, editor links, stored suggestions
# (ranked when the story changed, not on the page: models/suggestions.py), next embargo
# or expiry (the cache lifetime, articles/http.py). Was 9 while the page ranked (weights,
# candidates, ranking), 7 while every story's corrections were read.
ARTICLE_PAGE_BUDGET = 6
# ... plus the section's latest stories when too few share a tag
ARTICLE_PAGE_FILL_BUDGET = 7
# The page (its rows and joins in one query: articles/pagination.py), next embargo or
# expiry, and the subject on a section, tag or author page (a section's from the
# navigation's sections, sitefacts.py: none once they are kept). Was 4 with the page's
# ids read first.
LIST_PAGE_BUDGET = {"home": 2, "section": 3, "tag": 3, "author": 3}
# ... plus the front's placements (with their packages, stories and photos) on the
# home and section pages: tests/test_fronts.py.
FRONT_PAGE_BUDGET = {page: LIST_PAGE_BUDGET[page] + 1 for page in ("home", "section")}


def count_queries(client, url) -> int:
    """Count the queries of a GET of ``url`` with the site's facts to read, the worst case."""
    sitefacts.forget()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def make_story(article_factory, author_factory, image_factory, related_link_factory, section, size):
    authors = [author_factory() for _ in range(size)]
    story = article_factory(
        section=section,
        tags=[f"tag {section.pk} {i}" for i in range(size)],
        authors=authors,
        lead_image=image_factory(renditions=True),
    )
    for i in range(size):
        target = article_factory(
            section=section, lead_image=image_factory(renditions=True), tags=[f"tag {section.pk} 0"]
        )
        related_link_factory(story, target=target, position=i)
    return story, authors


def test_article_page_budget_does_not_grow(
    client, article_factory, author_factory, image_factory, related_link_factory, section_factory
):
    small, _ = make_story(
        article_factory, author_factory, image_factory, related_link_factory, section_factory(), 1
    )
    big, _ = make_story(
        article_factory, author_factory, image_factory, related_link_factory, section_factory(), 6
    )
    small_count = count_queries(client, small.get_absolute_url())
    big_count = count_queries(client, big.get_absolute_url())
    assert big_count <= small_count <= ARTICLE_PAGE_FILL_BUDGET


@pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
def test_list_page_budget_does_not_grow(
    client, article_factory, author_factory, image_factory, section_factory, page
):
    def url_for(section, author):
        return {
            "home": reverse("articles:home"),
            "section": section.get_absolute_url(),
            "tag": reverse("articles:tag", kwargs={"slug": f"common-{section.pk}"}),
            "author": author.get_absolute_url(),
        }[page]

    counts = []
    for size in (1, 8):
        section, author = section_factory(), author_factory()
        for i in range(size):
            article_factory(
                section=section,
                tags=[f"common {section.pk}", f"other {i}"],
                authors=[author, author_factory()],
                lead_image=image_factory(renditions=True),
            )
        counts.append(count_queries(client, url_for(section, author)))
    assert counts[0] == counts[1]
    assert counts[1] <= FRONT_PAGE_BUDGET.get(page, LIST_PAGE_BUDGET[page])


def test_article_page_budget_is_flat_in_tags_and_authors(client, article_factory, author_factory):
    counts = []
    for size in (1, 7):
        story = article_factory(
            tags=[f"t{size}-{i}" for i in range(size)],
            authors=[author_factory() for _ in range(size)],
        )
        for _ in range(4):
            article_factory(section=story.section, tags=[f"t{size}-0"])
        counts.append(count_queries(client, story.get_absolute_url()))
    assert counts[0] == counts[1] == ARTICLE_PAGE_BUDGET


def test_a_story_with_notes_reads_them_in_one_more_query(client, article_factory):
    from articles.models import Correction, CorrectionKind

    story = article_factory(tags=["Noted"])
    for _ in range(4):  # "More from" filled by stories sharing its tag
        article_factory(section=story.section, tags=["Noted"])
    assert count_queries(client, story.get_absolute_url()) == ARTICLE_PAGE_BUDGET
    for kind in (CorrectionKind.CORRECTION, CorrectionKind.UPDATE, CorrectionKind.CORRECTION):
        Correction.objects.create(article=story, kind=kind, text=f"A {kind} note.")
    assert count_queries(client, story.get_absolute_url()) == ARTICLE_PAGE_BUDGET + 1
    notes = client.get(story.get_absolute_url()).context["article"].notes
    assert [note.kind for note in notes] == ["correction", "update", "correction"]


def test_article_page_budget_is_flat_in_archive_size(client, article_factory, section_factory):
    counts = []
    for archive in (4, 40):
        story = article_factory(tags=[f"a{archive}-rare", f"a{archive}-common"])
        for i in range(archive):
            tags = [f"a{archive}-common"] + ([f"a{archive}-rare"] if i % 3 == 0 else [])
            article_factory(section=section_factory(), tags=tags)
        counts.append(count_queries(client, story.get_absolute_url()))
    assert counts[0] == counts[1] == ARTICLE_PAGE_BUDGET


def test_article_page_filling_from_the_section_stays_in_budget(client, article_factory):
    story = article_factory(tags=["Lonely"])
    for _ in range(3):
        article_factory(section=story.section)
    response = client.get(story.get_absolute_url())
    assert len(response.context["related"]) == 3
    assert count_queries(client, story.get_absolute_url()) == ARTICLE_PAGE_FILL_BUDGET


def test_old_tag_address_redirects_in_two_queries(client, article_factory):
    tag = article_factory(tags=["Showers"]).tags.get()
    tag.rename("Rain")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/news/tag/showers/")
    assert response.status_code == 301
    assert len(ctx.captured_queries) <= 2  # the missing tag, the redirect with its tag


def test_article_page_budget_is_flat_in_body_photos(client, article_factory, image_factory):
    counts = []
    for size in (0, 1, 5):
        photos = [image_factory(renditions=True) for _ in range(size)]
        body = "".join(
            f'<p>P{i}</p><figure data-image="{p.pk}"></figure>' for i, p in enumerate(photos)
        )
        story = article_factory(body=body)
        for _ in range(4):
            article_factory(section=story.section)
        response = client.get(story.get_absolute_url())
        assert response.content.count(b'<figure class="photo">') == size
        counts.append(count_queries(client, story.get_absolute_url()))
    # One query for every body photo of the page, none without any.
    assert counts[0] + 1 == counts[1] == counts[2]

"""The app's models, one module per subject; import them from here."""

from .articles import Article, ArticleAuthor, ArticleQuerySet, Status
from .images import Image
from .related import RelatedLink
from .tags import Tag, TaggedArticle, TagMerge, TagRedirect, get_or_create_tag
from .taxonomy import Author, Section
from .wordpress import WordPressOrigin

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleQuerySet",
    "Author",
    "Image",
    "RelatedLink",
    "Section",
    "Status",
    "Tag",
    "TagMerge",
    "TagRedirect",
    "TaggedArticle",
    "WordPressOrigin",
    "get_or_create_tag",
]

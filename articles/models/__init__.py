"""The app's models, one module per subject; import them from here."""

from .articles import Article, ArticleAuthor, ArticleQuerySet, BodyPhoto, Status, StoryKind
from .audit import AuditAction, AuditEvent
from .corrections import Correction, CorrectionKind
from .fronts import Front, Lineup, Package, Placement, Teaser, lineup
from .images import Image, ImageQuerySet, LicenceKind, PlacedPhoto, RenditionsStatus
from .live import LiveUpdate, LiveUpdateQuerySet
from .previews import PreviewLink
from .redirects import ArticleRedirect, AuthorRedirect, SectionRedirect
from .related import RelatedLink
from .revisions import EditLease, Revision
from .roles import Role, RoleKind
from .tags import Tag, TaggedArticle, TagMerge, TagRedirect, get_or_create_tag
from .taxonomy import Author, Section
from .wordpress import WordPressOrigin

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleQuerySet",
    "ArticleRedirect",
    "AuditAction",
    "AuditEvent",
    "Author",
    "AuthorRedirect",
    "BodyPhoto",
    "Correction",
    "CorrectionKind",
    "EditLease",
    "Front",
    "Image",
    "ImageQuerySet",
    "LicenceKind",
    "Lineup",
    "LiveUpdate",
    "LiveUpdateQuerySet",
    "Package",
    "PlacedPhoto",
    "Placement",
    "PreviewLink",
    "RelatedLink",
    "RenditionsStatus",
    "Revision",
    "Role",
    "RoleKind",
    "Section",
    "SectionRedirect",
    "Status",
    "StoryKind",
    "Tag",
    "TagMerge",
    "TagRedirect",
    "TaggedArticle",
    "Teaser",
    "WordPressOrigin",
    "get_or_create_tag",
    "lineup",
]

"""The app's models, one module per subject; import them from here."""

from .articles import Article, ArticleAuthor, ArticleQuerySet, BodyPhoto, Status
from .audit import AuditAction, AuditEvent
from .corrections import Correction, CorrectionKind
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
    "Image",
    "ImageQuerySet",
    "LicenceKind",
    "LiveUpdate",
    "LiveUpdateQuerySet",
    "PlacedPhoto",
    "PreviewLink",
    "RelatedLink",
    "RenditionsStatus",
    "Revision",
    "Role",
    "RoleKind",
    "Section",
    "SectionRedirect",
    "Status",
    "Tag",
    "TagMerge",
    "TagRedirect",
    "TaggedArticle",
    "WordPressOrigin",
    "get_or_create_tag",
]

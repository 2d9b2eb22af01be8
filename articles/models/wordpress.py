"""What the WordPress importer remembers about each item it brought in.

One row per WordPress post, attachment or author of one WordPress site. The
row makes a rerun idempotent (matched on site, kind and WordPress id, with a
digest of what the item looked like), keeps the old permalink so it can answer
with a 301, and keeps an attachment's original address when its file was not
found, so the report can list it and a later run with the files can add it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .articles import Article, ArticleQuerySet
from .images import Image
from .taxonomy import Author


class WordPressOriginQuerySet(models.QuerySet):
    def redirect_for(self, path: str, post_id: str = "") -> Article | None:
        """Return the public article an old WordPress path or ``?p=ID`` link now lives at.

        ``?p=ID`` counts only on the old blog's own root (``/`` or ``/blog/``),
        so other pages' ``?p=`` parameters (a sitemap's page number) are left alone.
        """
        paths = {path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/"}
        # A post's permalink or old slug, or an attachment's page (its story, once imported).
        kinds = [WordPressOrigin.Kind.POST, WordPressOrigin.Kind.ATTACHMENT]
        match = Q(old_path__in=paths - {""}, kind__in=kinds)
        if post_id.isdigit():
            match |= Q(key=post_id, kind=WordPressOrigin.Kind.POST)
        candidates = (
            self.filter(match)
            .filter(ArticleQuerySet.published_q(prefix="article__"))
            .select_related("article")
            .order_by("pk")
        )
        for origin in candidates[:10]:
            if origin.old_path in paths or origin.blog_root() == (path.rstrip("/") or "/"):
                return origin.article
        return None


class WordPressOrigin(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("post")
        ATTACHMENT = "attachment", _("attachment")
        AUTHOR = "author", _("author")

    site = models.CharField(
        _("WordPress site"),
        max_length=200,
        help_text=_("The exported blog's address without its scheme, e.g. “example.com/blog”."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(
        _("WordPress id"),
        max_length=200,
        help_text=_("The post or attachment id, or the author's login."),
    )
    guid = models.CharField(_("GUID"), max_length=500, blank=True)
    digest = models.CharField(
        _("digest"),
        max_length=64,
        blank=True,
        help_text=_("A hash of the item as last imported; an unchanged item is not written again."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wordpress_origins",
    )
    image = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wordpress_origins",
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wordpress_origins",
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("An attachment's description; the photo library has no field for it yet."),
    )
    source_url = models.URLField(
        _("original address"),
        max_length=1000,
        blank=True,
        help_text=_("Where the attachment's file lived on the WordPress site."),
    )
    old_path = models.CharField(
        _("old path"),
        max_length=1000,
        blank=True,
        db_index=True,
        help_text=_("The post's permalink path on the WordPress site; requests for it redirect."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = WordPressOriginQuerySet.as_manager()

    class Meta:
        verbose_name = _("WordPress origin")
        verbose_name_plural = _("WordPress origins")
        ordering = ["site", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "key"], name="articles_wordpressorigin_unique"
            ),
            models.CheckConstraint(
                condition=~Q(kind="post") | Q(article__isnull=False),
                name="articles_wordpressorigin_post_has_article",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.kind} {self.key}"

    def blog_root(self) -> str:
        """Return the old blog's root path: "/" for example.com, "/blog" for example.com/blog."""
        return "/" + self.site.partition("/")[2].strip("/") if "/" in self.site else "/"

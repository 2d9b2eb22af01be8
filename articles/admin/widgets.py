"""The article body's editor: django-prose-editor with the newsroom's nodes and labels.

The editor only shapes what editors type; ``Article.body`` is still cleaned by
``articles.sanitize`` on every write, so the server stays the authority.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django_prose_editor.config import expand_extensions, js_from_extensions
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import ImportMap, Media

from ..conf import app_settings

# Loaded by the "configurable" preset with dynamic import(); each exports Tiptap extensions.
MODULES = [
    "articles/admin/editor/embed.js",
    "articles/admin/editor/photo.js",
    "articles/admin/editor/link.js",
    "articles/admin/editor/paste.js",
    "articles/admin/editor/toolbar.js",
]

# The toolbar: block types, lists, quote / video / photo, bold and italic, link, undo.
MENU_GROUPS = [
    {"group": "blockType -lists"},
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},
    {"group": "marks"},
    {"group": "link"},
    {"group": "history"},
]

# A photo id that cannot collide with the rest of the reversed path.
_PHOTO_ID = 2147483647


class ArticleBodyWidget(AdminProseEditorWidget):
    """A django-prose-editor (configurable preset) for the article body."""

    def __init__(self, attrs=None):
        super().__init__(attrs, preset="configurable")

    @property
    def media(self):
        return super().media + Media(
            css={"all": ["articles/admin/editor/editor.css"]},
            # Desk's chooser dialog (Contract B): window.NewsroomPhotoChooser.
            js=["articles/admin/photo-chooser.js"],
            importmap=ImportMap({"articles/editor/common": "articles/admin/editor/common.js"}),
        )

    def get_config(self):
        """Return the editor's extensions and their options, translated for this request."""
        extensions = self.extensions()
        return {
            "extensions": expand_extensions(extensions),
            "js_modules": [*js_from_extensions(extensions), *(static(path) for path in MODULES)],
        }

    def extensions(self) -> dict:
        """Return the editor's extensions and their options."""
        photo_url = reverse("admin:articles_image_chooser_photo", args=[_PHOTO_ID])
        return {
            "Heading": {"levels": [2, 3, 4]},
            "Bold": True,
            "Italic": True,
            "BulletList": True,
            # Numbered lists only count 1, 2, 3: the body keeps no list style.
            "OrderedList": {"enableListAttributes": False},
            "ListItem": True,
            "Blockquote": True,
            "HardBreak": True,
            "History": True,
            "Menu": {"groups": MENU_GROUPS},
            "NewsLink": {
                "labels": self.address_labels(
                    title=_("Link"),
                    address=_("Web, email or phone address"),
                    help=_(
                        "For example https://example.org/page, mailto:desk@example.org "
                        "or tel:+15551234567."
                    ),
                    invalid=_(
                        "This address can’t be linked. Links must start with https:// or http:// "
                        "(a web page), mailto: (an email address) or tel: (a phone number)."
                    ),
                )
            },
            "NewsEmbed": {
                "labels": self.address_labels(
                    button=_("Embed video"),
                    title=_("Embed a video"),
                    address=_("Video address (YouTube or Vimeo)"),
                    help=_(
                        "Paste the address of the video’s page, for example "
                        "https://www.youtube.com/watch?v=… or https://vimeo.com/…"
                    ),
                    invalid=_(
                        "This isn’t a YouTube or Vimeo video address. Use the address of the "
                        "video’s page, such as https://www.youtube.com/watch?v=…, "
                        "https://youtu.be/… or https://vimeo.com/123456."
                    ),
                    card=_("%(provider)s video"),
                    note=_("The player appears on the published page."),
                )
            },
            "NewsPhoto": {
                # NewsroomPhotoChooser.open() adds the popup layout's ?_popup=1.
                "chooserUrl": reverse("admin:articles_image_chooser"),
                "photoUrl": photo_url.replace(str(_PHOTO_ID), "{id}"),
                "labels": {
                    "button": _("Insert photo"),
                    "caption": _("Caption on this story (optional)"),
                    "captionHelp": _("Leave empty to use the library caption shown above."),
                    "credit": _("Credit: %(credit)s"),
                    "loading": _("Loading the photo…"),
                    "missing": _(
                        "Photo %(id)s is not in the library (or you may not see it); it will "
                        "not appear on the page."
                    ),
                },
            },
            "NewsPaste": {
                "labels": {
                    "intro": _("Some of what you pasted was left out:"),
                    "script": _("scripts (%(count)s)"),
                    "style": _("style sheets (%(count)s)"),
                    "frame": _(
                        "embedded frames from sites other than YouTube and Vimeo (%(count)s)"
                    ),
                    "image": _(
                        "images from outside the photo library (%(count)s; use Insert photo)"
                    ),
                    "media": _("other media such as audio, video or graphics (%(count)s)"),
                    "table": _("table layout (%(count)s; the text is kept)"),
                    "link": _(
                        "links to addresses other than web, email or phone "
                        "(%(count)s; the text is kept)"
                    ),
                    "dismiss": _("Dismiss"),
                }
            },
            "NewsToolbar": {
                "label": _("Formatting"),
                "buttons": {
                    "paragraph": _("Paragraph"),
                    "heading2": _("Heading 2"),
                    "heading3": _("Heading 3"),
                    "heading4": _("Heading 4"),
                    "bulletList": _("Bulleted list"),
                    "orderedList": _("Numbered list"),
                    "blockquote": _("Block quote"),
                    "newsEmbed": _("Embed video"),
                    "newsPhoto": _("Insert photo"),
                    "bold": _("Bold"),
                    "italic": _("Italic"),
                    "link": _("Link (Ctrl+K)"),
                    "unlink": _("Remove link"),
                    "history:undo": _("Undo"),
                    "history:redo": _("Redo"),
                },
            },
            "NewsSubmit": True,
            "NewsCounter": {
                "wordsPerMinute": app_settings.READING_WORDS_PER_MINUTE,
                "label": _("Words: %(words)s · Reading time: about %(minutes)s min"),
            },
        }

    @staticmethod
    def address_labels(**labels) -> dict:
        """Return the labels of an address dialog (link, video) with its two buttons."""
        return {"submit": _("OK"), "cancel": _("Cancel"), **labels}

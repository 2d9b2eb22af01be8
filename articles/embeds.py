"""Video embeds built at render time from a YouTube or Vimeo URL on its own line.

The stored body keeps only the URL (the sanitiser removes every iframe). When
the page is rendered, a paragraph holding nothing but a recognised URL becomes
a privacy-respecting player: youtube-nocookie.com or Vimeo with ``dnt=1``, a
``title`` for screen readers, and lazy loading. The video id is checked
against a strict pattern and nothing is fetched.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_HOSTS |= {"www.youtube-nocookie.com", "music.youtube.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}

# A paragraph holding only a URL, bare or as the text of a link (the sanitiser's output).
_URL_PARAGRAPH = re.compile(
    r"<p>\s*(?:<a\b[^>]*>\s*)?(?P<url>https?://[^\s<>\"]+)\s*(?:</a>\s*)?</p>", re.IGNORECASE
)


@dataclass(frozen=True)
class VideoEmbed:
    provider: str
    video_id: str

    @property
    def src(self) -> str:
        if self.provider == "YouTube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        return f"https://player.vimeo.com/video/{self.video_id}?dnt=1"

    @property
    def title(self) -> str:
        return _("Video on %(provider)s") % {"provider": self.provider}


def _youtube_id(parts) -> str:
    host = parts.hostname or ""
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "youtu.be":
        return segments[0] if segments else ""
    if host not in _YOUTUBE_HOSTS:
        return ""
    if parts.path == "/watch":
        return (parse_qs(parts.query).get("v") or [""])[0]
    if len(segments) == 2 and segments[0] in {"embed", "shorts", "live", "v"}:
        return segments[1]
    return ""


def _vimeo_id(parts) -> str:
    if (parts.hostname or "") not in _VIMEO_HOSTS:
        return ""
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.hostname == "player.vimeo.com":
        return segments[1] if len(segments) == 2 and segments[0] == "video" else ""
    return segments[0] if len(segments) == 1 else ""


def video_embed(url: str) -> VideoEmbed | None:
    """Return the embed for a YouTube or Vimeo video URL, or None for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    youtube = _youtube_id(parts)
    if _YOUTUBE_ID.match(youtube):
        return VideoEmbed("YouTube", youtube)
    vimeo = _vimeo_id(parts)
    if _VIMEO_ID.match(vimeo):
        return VideoEmbed("Vimeo", vimeo)
    return None


def render_embed(embed: VideoEmbed) -> SafeString:
    return format_html(
        '<div class="video-embed"><iframe src="{}" title="{}" loading="lazy" '
        'allow="encrypted-media; picture-in-picture; fullscreen" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe></div>',
        embed.src,
        embed.title,
    )


def embed_videos(body: str) -> SafeString:
    """Return the sanitised ``body`` with its video-URL paragraphs turned into players."""

    def replace(match: re.Match) -> str:
        embed = video_embed(html.unescape(match.group("url")))
        return render_embed(embed) if embed else match.group(0)

    # The body was sanitised when saved; only the players added here are new markup.
    return mark_safe(_URL_PARAGRAPH.sub(replace, body or ""))

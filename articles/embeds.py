"""Video embeds: YouTube and Vimeo URLs recognised, and the player readers get.

The stored body keeps only the video's URL (``<figure data-embed="URL">``, see
``body.py``; the sanitiser removes every iframe). When the page is rendered it
becomes a privacy-respecting player: youtube-nocookie.com or Vimeo with
``dnt=1``, a ``title`` for screen readers and lazy loading, followed
by a plain link for readers whose player cannot load. The video id is checked
against a strict pattern and nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_HOSTS |= {"www.youtube-nocookie.com", "music.youtube.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


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
    def url(self) -> str:
        """The video's canonical page, as the stored body keeps it."""
        if self.provider == "YouTube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"

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
    """Return the player and, below it, a plain link to the video."""
    # No ``allowfullscreen``: ``fullscreen`` in ``allow`` says it. No ``sandbox``: the
    # players need both scripts and their own origin, a pair the Nu HTML checker
    # counts as an error (the frames are cross-origin, so the browser keeps them
    # apart from the page anyway); see docs/decisions.md.
    return format_html(
        '<div class="video-embed"><iframe src="{}" title="{}" loading="lazy" '
        'allow="encrypted-media; picture-in-picture; fullscreen" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe></div>'
        '<p class="video-link">{} <a href="{}">{}</a></p>',
        embed.src,
        embed.title,
        _("Watch on %(provider)s:") % {"provider": embed.provider},
        embed.url,
        embed.url,
    )

"""Small WordPress exports written per test, one rule at a time."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REAL_EXPORT = (
    Path(__file__).resolve().parents[1].parent
    / "shared/standards/wordpress/themeunittestdata.wordpress.xml"
)
if not REAL_EXPORT.exists():  # a worktree under /work/wt/<name>/
    REAL_EXPORT = Path("/work/shared/standards/wordpress/themeunittestdata.wordpress.xml")


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login="jdoe", name="Jane Doe") -> str:
    return (
        f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>"
    )


def post(
    post_id=1,
    title="Hello",
    content="First paragraph.\n\nSecond paragraph.",
    excerpt="",
    status="publish",
    date_gmt="2024-03-01 09:30:00",
    creator="jdoe",
    name=None,
    categories=(("news", "News"),),
    tags=(),
    meta=None,
    post_type="post",
    password="",
    link=None,
    extra="",
    tag_domain="post_tag",
) -> str:
    name = f"post-{post_id}" if name is None else name
    link = link or f"https://example.com/2024/03/01/{name}/"
    guid = f"https://example.com/?p={post_id}" if post_id is not None else link
    post_id_line = f"<wp:post_id>{post_id}</wp:post_id>" if post_id is not None else ""
    dates = (
        f"<wp:post_date>{date_gmt}</wp:post_date>\n<wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>"
        if date_gmt is not None
        else ""
    )
    terms = "".join(
        f'<category domain="category" nicename="{n}">{cdata(t)}</category>' for n, t in categories
    ) + "".join(
        f'<category domain="{tag_domain}" nicename="{t}">{cdata(t)}</category>' for t in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    return f"""<item>
<title>{title}</title>
<link>{link}</link>
<dc:creator>{cdata(creator)}</dc:creator>
<guid isPermaLink="false">{guid}</guid>
<content:encoded>{cdata(content)}</content:encoded>
<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
{post_id_line}
{dates}
<wp:post_name>{cdata(name)}</wp:post_name>
<wp:status>{cdata(status)}</wp:status>
<wp:post_type>{cdata(post_type)}</wp:post_type>
<wp:post_password>{cdata(password)}</wp:post_password>
{terms}{metas}{extra}
</item>"""


def category(nicename: str, name: str, parent: str = "", term_id: int | None = None) -> str:
    """Return a channel's ``wp:category`` entry."""
    term = f"<wp:term_id>{term_id}</wp:term_id>" if term_id else ""
    return (
        f"<wp:category>{term}<wp:category_nicename>{nicename}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
    )


def attachment(post_id=10, path="2024/03/photo.jpg", caption="", alt="", title="A photo"):
    return post(
        post_id=post_id,
        title=title,
        content="A longer description.",
        excerpt=caption,
        status="inherit",
        post_type="attachment",
        categories=(),
        meta={"_wp_attached_file": path, "_wp_attachment_image_alt": alt},
        extra=f"<wp:attachment_url>https://example.com/wp-content/uploads/{path}</wp:attachment_url>",
    )


def export(*items: str, version="1.2", scheme="https", authors=None, blog="https://example.com"):
    ns = f"{scheme}://wordpress.org/export/{version}/"
    version_line = f"<wp:wxr_version>{version}</wp:wxr_version>" if version else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel>
<title>The Example Gazette</title>
<link>{blog}</link>
{version_line}
<wp:base_site_url>{blog}</wp:base_site_url>
<wp:base_blog_url>{blog}</wp:base_blog_url>
{author() if authors is None else authors}
{"".join(items)}
</channel>
</rss>
"""


VERSIONS = ("1.0", "1.1", "1.2")


def run(path, *args) -> tuple[str, str]:
    """Run ``import_wxr`` on ``path``; return what it wrote to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_wxr", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args) -> tuple[str, str, str]:
    """Run ``import_wxr`` expecting a CommandError; return stdout, stderr and its message."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_wxr", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)

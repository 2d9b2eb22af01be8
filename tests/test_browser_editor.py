"""Issue 12 end to end: an editor writes a story in the body editor, publishes it, and
readers see it. Playwright drives Debian's chromium; nothing leaves the machine."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.embeds import video_embed
from articles.models import Article, Status
from articles.sanitize import URL_SCHEMES
from tests.browser import axe_violations, log_in_as, no_horizontal_overflow

pytestmark = pytest.mark.browser

# Count the editor's mouse presses in every frame of the tab (the chooser is an iframe).
# Pointer presses, not click events: select2 picks its option on mouseup and removes it,
# so that click never fires, and keyboard activation fires clicks without a press.
COUNT_CLICKS = """
document.addEventListener("pointerdown", (event) => {
  if (!event.isTrusted) return
  const clicks = Number(sessionStorage.getItem("newsroom-clicks") || 0) + 1
  sessionStorage.setItem("newsroom-clicks", String(clicks))
}, true)
"""

# What the browser does when an editor pastes: a paste event carrying a DataTransfer.
PASTE = """([text, html]) => {
  const data = new DataTransfer()
  data.setData("text/plain", text)
  if (html) data.setData("text/html", html)
  document.querySelector(".ProseMirror").dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}))
}"""

YOUTUBE_URL = "https://youtu.be/dQw4w9WgXcQ?si=shared"
YOUTUBE_IFRAME = (
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/aqz-KE-bpKQ?si=x1"'
    ' title="YouTube video player" frameborder="0" allow="accelerometer; autoplay;'
    ' clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share"'
    ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
)
FIRST = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
SECOND = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


def embed(url: str) -> str:
    return f'<figure data-embed="{url}"><a href="{url}">{url}</a></figure>'


def change_form(live_server, article=None) -> str:
    if article is None:
        return live_server.url + reverse("admin:articles_article_add")
    return live_server.url + reverse("admin:articles_article_change", args=[article.pk])


# The editor's own state, not the page's: Tiptap hangs the editor on its element.
CARET_AT_LINE_END = (
    "(s => s.empty && s.$head.parentOffset === s.$head.parent.content.size)"
    "(document.querySelector('.ProseMirror').editor.state.selection)"
)


def open_editor(page, url):
    page.goto(url)
    page.locator(".prose-menubar[role=toolbar]").wait_for()
    # The admin's own scripts (select2, the desk's labels) run after the load event;
    # typing before they are done can lose keys to them on a slow machine.
    page.wait_for_function("document.documentElement.dataset.deskNamed === '1'")
    return page.locator(".ProseMirror")


def move_caret(page, key):
    """Press End or Control+End and wait until the editor has taken in the move.

    The browser moves the caret; the editor learns of it from a later selectionchange
    event, and a key that overtakes it (a busy machine) acts on the old selection.
    """
    page.keyboard.press(key)
    page.wait_for_function(CARET_AT_LINE_END)


def select_back(page, text):
    """Select the just-typed ``text`` with Shift+ArrowLeft, one key at a time.

    Each press waits for the editor's selection to grow by one: a press that overtakes
    the editor's handling of the typing or of the last press is otherwise lost.
    """
    selection = "document.querySelector('.ProseMirror').editor.state.selection"
    page.wait_for_function(
        f"(s => s.empty && s.$head.parent.textContent.endsWith({text!r})"
        f" && s.$head.parentOffset === s.$head.parent.content.size)({selection})"
    )
    for length in range(1, len(text) + 1):
        page.keyboard.press("Shift+ArrowLeft")
        page.wait_for_function(f"(s => s.to - s.from === {length})({selection})")


def paste(page, text, html=""):
    page.evaluate(PASTE, [text, html])


@pytest.mark.django_db(transaction=True)
def test_editor_writes_and_publishes_a_story_with_videos_and_a_photo(
    browser, live_server, editor, section_factory, image_factory
):
    section_factory("Climate")
    photo = image_factory(
        "Ana Lima / Newsroom", caption="Flood water in the square", renditions=True
    )
    page = log_in_as(browser, live_server, "chief", "pw-chief-123")
    page.context.add_init_script(COUNT_CLICKS)
    body = open_editor(page, change_form(live_server))

    page.get_by_label("Headline").click()
    page.keyboard.type("Rivers rise across the valley")
    body.click()
    page.keyboard.type("The river rose two metres overnight.")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the agency's full report")
    select_back(page, "full report")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    toolbar.get_by_role("button", name="Link").click()
    dialog = page.get_by_role("dialog", name="Link")
    dialog.get_by_label("Web, email or phone address").fill("javascript:alert(1)")
    dialog.get_by_role("button", name="OK").click()
    assert "Links must start with https://" in dialog.inner_text()
    dialog.get_by_label("Web, email or phone address").fill("https://example.org/report")
    page.keyboard.press("Enter")
    # The dialog closes and hands the focus back to the text; a key before that is lost.
    expect(dialog).to_be_hidden()
    page.wait_for_function("document.activeElement?.classList.contains('ProseMirror')")
    move_caret(page, "End")
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Heading 2").click()
    page.keyboard.type("What comes next")
    page.keyboard.press("Enter")

    paste(page, YOUTUBE_URL)
    page.locator(".news-card--embed").first.wait_for()
    paste(page, YOUTUBE_IFRAME)
    assert page.locator(".news-card--embed").count() == 2
    assert "YouTube video" in page.locator(".news-card--embed").nth(1).inner_text()

    toolbar.get_by_role("button", name="Insert photo").click()
    chooser = page.frame_locator("dialog.newsroom-photo-dialog iframe")
    chooser.get_by_role("button", name="Flood water in the square").click()
    card = page.locator(".news-card--photo")
    card.locator("img[src]").wait_for()
    assert "Ana Lima / Newsroom" in card.inner_text()
    card.get_by_label("Caption on this story (optional)").fill("The square at dawn")

    # Fourteen words of text, two video addresses, four words of caption.
    counter = page.locator(".news-counter")
    expect(counter).to_have_text("Words: 20 · Reading time: about 1 min")
    assert axe_violations(page) == []

    page.get_by_label("Section").locator("..").locator(".select2-selection").click()
    page.get_by_role("option", name="Climate").click()
    with page.expect_request(lambda request: request.method == "POST") as posted:
        page.get_by_role("button", name="Publish now").click()
    page.wait_for_load_state()
    sent = parse_qs(posted.value.post_data)["body"][0]
    clicks = int(page.evaluate("sessionStorage.getItem('newsroom-clicks')"))

    story = Article.objects.get(headline="Rivers rise across the valley")
    assert story.status == Status.PUBLISHED
    assert story.word_count == 20
    # What the editor sends is Contract A's form; the server then sanitises it.
    assert sent == (
        "<p>The river rose two metres overnight.</p>"
        '<p>Read the agency\'s <a href="https://example.org/report">full report</a>.</p>'
        "<h2>What comes next</h2>"
        f"{embed(FIRST)}{embed(SECOND)}"
        f'<figure data-image="{photo.pk}"><figcaption>The square at dawn</figcaption></figure>'
    )
    # The server keeps it as it came (Contract A), one block a line.
    assert story.body.replace("\n", "") == sent.replace(
        ">full report<", ' rel="noopener noreferrer">full report<'
    )

    page.goto(live_server.url + story.get_absolute_url())
    story_body = page.locator(".story-body")
    paragraphs = story_body.locator(":scope > p:not(.video-link)")
    assert paragraphs.all_inner_texts() == [
        "The river rose two metres overnight.",
        "Read the agency's full report.",
    ]
    assert story_body.get_by_role("heading", name="What comes next", level=2).count() == 1
    link = story_body.get_by_role("link", name="full report")
    assert link.get_attribute("href") == "https://example.org/report"
    players = story_body.locator("iframe[title='Video on YouTube']")
    assert [players.nth(i).get_attribute("src") for i in range(players.count())] == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
    ]
    assert story_body.get_by_role("link", name=FIRST).count() == 1
    figure = story_body.locator("figure.photo")
    assert figure.locator(".caption").inner_text() == "The square at dawn"
    assert figure.locator(".credit").inner_text() == "Photo: Ana Lima / Newsroom"
    photo.refresh_from_db()
    renditions = photo.renditions()
    assert renditions, "the photo has no renditions"
    assert renditions[0].url in figure.locator("img").get_attribute("srcset")
    print(f"\nclicks to write and publish the story: {clicks}")
    assert clicks <= 12


@pytest.mark.django_db(transaction=True)
def test_paste_names_what_was_left_out_and_keeps_plain_text_paragraphs(
    browser, live_server, editor, article_factory
):
    story = article_factory("Pasted story", body="<p>Start.</p>")
    page = log_in_as(browser, live_server, "chief", "pw-chief-123")
    body = open_editor(page, change_form(live_server, story))
    body.click()
    move_caret(page, "Control+End")
    page.keyboard.press("Enter")
    # Paste only once the editor has taken the keys: a new, empty paragraph after the text.
    expect(body.locator("p")).to_have_count(2)
    expect(body.locator("p").first).to_have_text("Start.")
    paste(
        page,
        "Copied text",
        '<p>Copied <img src="https://elsewhere.example/a.jpg" alt=""> text</p>'
        "<script>alert(1)</script><style>p{color:red}</style>"
        '<iframe src="https://maps.example/embed"></iframe>'
        '<p><a href="javascript:alert(1)">a trick</a></p>',
    )
    notice = page.get_by_role("status").filter(has_text="left out")
    assert notice.inner_text() == (
        "Some of what you pasted was left out: scripts (1), style sheets (1), "
        "embedded frames from sites other than YouTube and Vimeo (1), "
        "images from outside the photo library (1; use Insert photo), "
        "links to addresses other than web, email or phone (1; the text is kept)."
    )
    page.get_by_role("button", name="Dismiss").click()
    assert notice.count() == 0
    page.keyboard.press("Enter")
    paste(
        page,
        "First line\nstill the first paragraph\n\n\nSecond paragraph\n\nhttps://vimeo.com/76979871",
    )
    assert page.locator("#id_body").input_value() == (
        "<p>Start.</p><p>Copied text</p><p>a trick</p>"
        "<p>First line<br>still the first paragraph</p><p>Second paragraph</p>"
        f"{embed('https://vimeo.com/76979871')}<p></p>"
    )
    # A web page's player and a paragraph holding only a video link become videos too.
    paste(
        page,
        "Watch",
        "<p>Watch:</p>"
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>'
        '<p><a href="https://vimeo.com/1084537">https://vimeo.com/1084537</a></p>',
    )
    assert notice.count() == 0
    assert (
        page.locator("#id_body")
        .input_value()
        .endswith(f"<p>Watch:</p>{embed(FIRST)}{embed('https://vimeo.com/1084537')}")
    )


@pytest.mark.django_db(transaction=True)
def test_toolbar_works_from_the_keyboard_and_fits_a_phone(
    browser, live_server, editor, article_factory
):
    story = article_factory("Keyboard story", body="<p>Typed by keyboard.</p>")
    page = log_in_as(
        browser, live_server, "chief", "pw-chief-123", viewport={"width": 390, "height": 844}
    )
    body = open_editor(page, change_form(live_server, story))
    assert no_horizontal_overflow(page)
    box = page.locator(".prose-editor").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390

    body.focus()
    page.keyboard.press("Control+a")
    page.wait_for_function("!document.querySelector('.ProseMirror').editor.state.selection.empty")
    page.keyboard.press("Alt+F10")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Heading 2"
    # One tab stop: the arrow keys move along the bar.
    assert toolbar.locator("button[tabindex='0']").count() == 1
    # Headings 3 and 4, paragraph, two lists, quote, video, photo, then bold.
    for _ in range(9):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Bold"
    page.keyboard.press("Enter")
    assert toolbar.get_by_role("button", name="Bold").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    # Escape hands the focus back to the text; keys pressed before that lands are lost.
    page.wait_for_function("document.activeElement?.classList.contains('ProseMirror')")
    # Past the history's grouping delay (500 ms), so the typing is a step of its own.
    page.wait_for_timeout(700)
    move_caret(page, "End")
    page.keyboard.press("Enter")
    # Type only once the editor has opened the second paragraph.
    expect(body.locator("p")).to_have_count(2)
    page.keyboard.type("Next")
    expect(page.locator("#id_body")).to_have_value(
        "<p><strong>Typed by keyboard.</strong></p><p><strong>Next</strong></p>"
    )
    page.keyboard.press("Control+z")
    assert page.locator("#id_body").input_value() == "<p><strong>Typed by keyboard.</strong></p>"
    page.keyboard.press("Control+z")
    assert page.locator("#id_body").input_value() == "<p>Typed by keyboard.</p>"
    assert page.locator(".news-counter").inner_text() == ("Words: 3 · Reading time: about 1 min")
    assert axe_violations(page, context=".field-body") == []


@pytest.mark.django_db(transaction=True)
def test_embed_video_button_checks_the_address(browser, live_server, editor, article_factory):
    story = article_factory("Video story", body="<p>Watch this.</p>")
    page = log_in_as(browser, live_server, "chief", "pw-chief-123")
    body = open_editor(page, change_form(live_server, story))
    body.click()
    move_caret(page, "Control+End")
    page.get_by_role("button", name="Embed video").click()
    dialog = page.get_by_role("dialog", name="Embed a video")
    address = dialog.get_by_label("Video address (YouTube or Vimeo)")
    address.fill("https://www.dailymotion.com/video/x8abc")
    address.press("Enter")
    assert "This isn’t a YouTube or Vimeo video address" in dialog.inner_text()
    assert address.get_attribute("aria-invalid") == "true"
    address.fill("https://player.vimeo.com/video/76979871?h=abc")
    address.press("Enter")
    assert dialog.count() == 0
    card = page.locator(".news-card--embed")
    assert "Vimeo video" in card.inner_text()
    assert "https://vimeo.com/76979871" in card.inner_text()


VIDEO_ADDRESSES = [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?si=abc",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?start=3",
    "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    "https://www.youtube.com/live/dQw4w9WgXcQ",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://player.vimeo.com/video/76979871?h=abc&dnt=1",
    " https://VIMEO.com/76979871 ",
    # Not videos we embed:
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/channel/UC123",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ",
    "ftp://vimeo.com/76979871",
    "https://vimeo.com/channels/staffpicks/76979871",
    "https://player.vimeo.com/76979871",
    "https://www.dailymotion.com/video/x8abc",
    "not a url",
]


def canonical(address: str) -> str | None:
    video = video_embed(address)
    if video is None:
        return None
    if video.provider == "YouTube":
        return f"https://www.youtube.com/watch?v={video.video_id}"
    return f"https://vimeo.com/{video.video_id}"


LINK_ADDRESSES = {
    "https://example.org/page?q=1": "https://example.org/page?q=1",
    "http://example.org": "http://example.org",
    "www.example.org/page": "https://www.example.org/page",
    "desk@example.org": "mailto:desk@example.org",
    "mailto:desk@example.org": "mailto:desk@example.org",
    "tel:+15551234567": "tel:+15551234567",
    "javascript:alert(1)": None,
    "data:text/html,<b>hi</b>": None,
    "ftp://example.org/file": None,
    "/news/story/relative/": None,
    "https://": None,
    "": None,
}


@pytest.mark.django_db(transaction=True)
def test_editor_address_rules_match_the_server(browser, live_server, editor):

    page = log_in_as(browser, live_server, "chief", "pw-chief-123")
    open_editor(page, change_form(live_server))
    in_browser = page.evaluate(
        """async (addresses) => {
          const { videoFor } = await import("articles/editor/common")
          return addresses.map((address) => videoFor(address)?.url ?? null)
        }""",
        VIDEO_ADDRESSES,
    )
    assert in_browser == [canonical(address) for address in VIDEO_ADDRESSES]
    assert in_browser.count(None) == 9
    links = page.evaluate(
        """async (addresses) => {
          const { linkHref } = await import("articles/editor/common")
          return addresses.map(linkHref)
        }""",
        list(LINK_ADDRESSES),
    )
    assert links == list(LINK_ADDRESSES.values())
    # Every scheme the editor links to survives the sanitiser.
    assert {href.split(":")[0] for href in links if href} <= URL_SCHEMES


@pytest.mark.django_db(transaction=True)
def test_photos_already_in_the_body_show_as_cards(
    browser, live_server, editor, article_factory, image_factory
):
    photo = image_factory("Ana Lima / Newsroom", caption="Library caption", renditions=True)
    story = article_factory(
        "Photo story",
        body=f'<p>Before.</p><figure data-image="{photo.pk}">'
        "<figcaption>Caption on this story</figcaption></figure><p>After.</p>",
    )
    page = log_in_as(browser, live_server, "chief", "pw-chief-123")
    open_editor(page, change_form(live_server, story))
    card = page.locator(".news-card--photo")
    card.locator("img[src]").wait_for()
    assert card.locator("img").get_attribute("alt") == photo.alt_text
    assert "Library caption" in card.inner_text()
    assert "Credit: Ana Lima / Newsroom" in card.inner_text()
    caption = card.get_by_label("Caption on this story (optional)")
    assert caption.input_value() == "Caption on this story"
    caption.fill("")
    assert page.locator("#id_body").input_value() == (
        f'<p>Before.</p><figure data-image="{photo.pk}"></figure><p>After.</p>'
    )
    assert axe_violations(page, context=".field-body") == []

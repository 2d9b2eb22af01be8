// NewsPaste: what an editor pastes is never lost silently. Video addresses and embed
// codes become embeds, plain text splits into paragraphs at blank lines, and a notice
// names whatever the body cannot hold (scripts, styles, other sites' frames, images).
import { Extension, Plugin } from "django-prose-editor/editor"
import {
  insertBlock,
  interpolate,
  isLinkable,
  videoFor,
  videoInEmbedCode,
} from "articles/editor/common"

const escape = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c])

/** Count what the body's schema will drop from pasted HTML, by kind. */
function leftOut(html) {
  // An inert document: nothing in it runs or loads.
  const doc = new DOMParser().parseFromString(html, "text/html")
  const counts = {}
  const count = (kind, elements) => {
    if (elements.length) counts[kind] = (counts[kind] || 0) + elements.length
  }
  const all = (selector) => [...doc.querySelectorAll(selector)]
  count("script", all("script"))
  count("style", all("style, link[rel~=stylesheet]"))
  count("frame", all("iframe, frame").filter((f) => !videoFor(f.getAttribute("src"))))
  count("image", all("img"))
  count("media", all("video, audio, object, embed, canvas, svg"))
  count("table", all("table"))
  const unlinkable = (a) => !isLinkable(a.getAttribute("href"))
  count("link", all("a[href]").filter(unlinkable))
  return counts
}

/** Turn plain text into paragraphs: blank lines separate them, single newlines break lines. */
function paragraphsOf(text) {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const video = videoInEmbedCode(block) || videoFor(block)
      if (video) return `<figure data-embed="${escape(video.url)}"></figure>`
      return `<p>${block.split("\n").map(escape).join("<br>")}</p>`
    })
    .join("")
}

function show(editor, message) {
  const notice = editor.options.element.querySelector(".news-paste-notice")
  notice.querySelector("p").textContent = message
  notice.querySelector("button").hidden = !message
  notice.classList.toggle("news-paste-notice--shown", !!message)
}

export const NewsPaste = Extension.create({
  name: "newsPaste",
  // Before the link extension's paste handling, so a video address becomes an embed.
  priority: 1000,

  addOptions() {
    return { labels: {} }
  },

  onCreate({ editor }) {
    const notice = document.createElement("div")
    notice.className = "news-paste-notice"
    notice.innerHTML = '<p role="status"></p><button type="button" class="button" hidden></button>'
    const dismiss = notice.querySelector("button")
    dismiss.textContent = this.options.labels.dismiss
    dismiss.addEventListener("click", () => {
      show(editor, "")
      editor.view.focus()
    })
    editor.options.element.append(notice)
  },

  addProseMirrorPlugins() {
    const { editor } = this
    const { labels } = this.options
    return [
      new Plugin({
        props: {
          handlePaste(_view, event) {
            const data = event.clipboardData
            if (!data) return false
            const text = data.getData("text/plain")
            const html = data.getData("text/html")
            const video = videoInEmbedCode(text) || videoFor(text.trim())
            if (video) {
              show(editor, "")
              return editor.commands.insertVideo(video.url)
            }
            if (html || !/\n[ \t]*\n/.test(text)) return false
            show(editor, "")
            return insertBlock(editor.chain(), paragraphsOf(text)).run()
          },
          transformPastedHTML(html) {
            const counts = leftOut(html)
            const items = Object.entries(counts).map(([kind, count]) =>
              interpolate(labels[kind], { count }),
            )
            show(editor, items.length ? `${labels.intro} ${items.join(", ")}.` : "")
            return html
          },
        },
      }),
    ]
  },
})

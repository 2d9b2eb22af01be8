// NewsEmbed: a YouTube or Vimeo video in the body, stored as Contract A's
// <figure data-embed="URL"><a href="URL">URL</a></figure>.
import { Node } from "django-prose-editor/editor"
import { askAddress, insertBlock, interpolate, videoFor } from "articles/editor/common"

const onlyVideoLink = (paragraph) => {
  // Old stories hold a paragraph with nothing but the address, bare or linked.
  const children = [...paragraph.childNodes].filter(
    (child) => child.nodeType !== 3 || child.textContent.trim(),
  )
  if (children.length !== 1) return null
  const [child] = children
  if (child.nodeType === 1 && child.nodeName !== "A") return null
  return videoFor(child.textContent)
}

export const NewsEmbed = Node.create({
  name: "newsEmbed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { labels: {} }
  },

  addAttributes() {
    return { url: { default: null, rendered: false } }
  },

  parseHTML() {
    const attrs = (video) => (video ? { url: video.url } : false)
    return [
      { tag: "figure[data-embed]", getAttrs: (dom) => attrs(videoFor(dom.dataset.embed)) },
      { tag: "iframe[src]", getAttrs: (dom) => attrs(videoFor(dom.getAttribute("src"))) },
      { tag: "p", priority: 60, getAttrs: (dom) => attrs(onlyVideoLink(dom)) },
    ]
  },

  renderHTML({ node }) {
    const { url } = node.attrs
    return ["figure", { "data-embed": url }, ["a", { href: url }, url]]
  },

  addNodeView() {
    const { labels } = this.options
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = "news-card news-card--embed"
      dom.contentEditable = "false"
      dom.innerHTML = `<span class="material-icons" aria-hidden="true">smart_display</span>
        <figcaption><strong></strong> <a target="_blank" rel="noopener"></a>
        <span class="news-card__note"></span></figcaption>`
      const render = ({ attrs }) => {
        const video = videoFor(attrs.url)
        dom.querySelector("strong").textContent = interpolate(labels.card, {
          provider: video ? video.provider : "",
        })
        const link = dom.querySelector("a")
        link.href = attrs.url
        link.textContent = attrs.url
        dom.querySelector(".news-card__note").textContent = labels.note
      }
      render(node)
      return {
        dom,
        update(updated) {
          if (updated.type !== node.type) return false
          render(updated)
          return true
        },
      }
    }
  },

  addCommands() {
    return {
      insertVideo:
        (url) =>
        ({ chain }) => {
          const video = videoFor(url)
          return !!video && insertBlock(chain(), { type: this.name, attrs: { url: video.url } }).run()
        },
      askVideo:
        () =>
        ({ editor }) => {
          askAddress(editor, {
            labels: this.options.labels,
            check: (value) => videoFor(value)?.url ?? null,
          }).then((url) => url && editor.chain().focus().insertVideo(url).run())
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "newsEmbed",
      groups: "nodes",
      button: buttons.material("smart_display", this.options.labels.button),
      command: (editor) => editor.commands.askVideo(),
      active: (editor) => editor.isActive(this.name),
    })
  },
})

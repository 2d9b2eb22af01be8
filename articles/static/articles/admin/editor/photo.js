// NewsPhoto: a library photo in the body, stored as Contract A's
// <figure data-image="ID"><figcaption>optional caption on this story</figcaption></figure>.
// The editor shows a card drawn from the chooser's JSON; no <img> is ever stored.
import { Node } from "django-prose-editor/editor"
import { insertBlock, interpolate } from "articles/editor/common"

const photos = new Map()

function loadPhoto(urlTemplate, id) {
  if (!photos.has(id)) {
    const url = urlTemplate.replace("{id}", encodeURIComponent(id))
    photos.set(
      id,
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
        (response) => (response.ok ? response.json() : null),
        () => null,
      ),
    )
  }
  return photos.get(id)
}

let cards = 0

export const NewsPhoto = Node.create({
  name: "newsPhoto",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { chooserUrl: "", photoUrl: "", labels: {} }
  },

  addAttributes() {
    return {
      id: { default: null, rendered: false },
      caption: { default: "", rendered: false },
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-image]",
        getAttrs: (dom) => {
          const id = dom.dataset.image
          if (!/^[1-9][0-9]*$/.test(id)) return false
          const caption = dom.querySelector("figcaption")?.textContent.trim() || ""
          return { id, caption }
        },
      },
    ]
  },

  renderHTML({ node }) {
    const { id, caption } = node.attrs
    const figure = ["figure", { "data-image": String(id) }]
    return caption ? [...figure, ["figcaption", caption]] : figure
  },

  addNodeView() {
    const { labels, photoUrl } = this.options
    return ({ node, getPos, editor }) => {
      const id = `news-photo-${++cards}`
      const dom = document.createElement("figure")
      dom.className = "news-card news-card--photo"
      dom.contentEditable = "false"
      dom.innerHTML = `<img alt="" hidden>
        <div class="news-card__text">
          <p class="news-card__status"></p>
          <p class="news-card__caption"></p>
          <p class="news-card__credit"></p>
          <label for="${id}"></label>
          <input id="${id}" type="text" aria-describedby="${id}-help">
          <p class="help" id="${id}-help"></p>
        </div>`
      const [status, libraryCaption, credit] = dom.querySelectorAll("p")
      const image = dom.querySelector("img")
      const input = dom.querySelector("input")
      dom.querySelector("label").textContent = labels.caption
      dom.querySelector(".help").textContent = labels.captionHelp
      input.disabled = !editor.isEditable
      input.addEventListener("input", () => {
        const pos = getPos()
        if (typeof pos !== "number") return
        const current = editor.state.doc.nodeAt(pos)
        editor.view.dispatch(
          editor.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, caption: input.value }),
        )
      })

      let shown = null
      const render = ({ attrs }) => {
        if (input.value !== attrs.caption) input.value = attrs.caption
        if (shown === attrs.id) return
        shown = attrs.id
        status.textContent = labels.loading
        loadPhoto(photoUrl, attrs.id).then((photo) => {
          if (shown !== attrs.id) return
          status.textContent = photo ? "" : interpolate(labels.missing, { id: attrs.id })
          status.hidden = !!photo
          image.hidden = !photo
          if (!photo) return
          image.src = photo.thumbnail_url
          image.alt = photo.alt_text || ""
          libraryCaption.textContent = photo.caption
          credit.textContent = photo.credit ? interpolate(labels.credit, photo) : ""
        })
      }
      render(node)
      return {
        dom,
        update(updated) {
          if (updated.type !== node.type) return false
          render(updated)
          return true
        },
        // The caption field takes its own keys and clicks; the card redraws itself.
        stopEvent: (event) => event.target === input,
        ignoreMutation: () => true,
      }
    }
  },

  addCommands() {
    return {
      insertPhoto:
        (photo) =>
        ({ chain }) => {
          const id = String(photo.id)
          if (photo.thumbnail_url) photos.set(id, Promise.resolve(photo))
          return insertBlock(chain(), { type: this.name, attrs: { id, caption: "" } }).run()
        },
      choosePhoto:
        () =>
        ({ editor }) => {
          window.NewsroomPhotoChooser.open(this.options.chooserUrl).then(
            (photo) => photo && editor.chain().focus().insertPhoto(photo).run(),
          )
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "newsPhoto",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", this.options.labels.button),
      command: (editor) => editor.commands.choosePhoto(),
      enabled: () => !!window.NewsroomPhotoChooser,
      active: (editor) => editor.isActive(this.name),
    })
  },
})

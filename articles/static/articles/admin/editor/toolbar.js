// NewsToolbar: the menu bar as an ARIA toolbar (one tab stop, arrow keys between buttons,
// Alt+F10 from the text, Escape back), with the newsroom's translated button labels.
// NewsCounter: the live word count and reading time under the editor.
// NewsSubmit: the body is sent without the empty paragraphs left at its end.
import { Extension } from "django-prose-editor/editor"
import { interpolate } from "articles/editor/common"

// Buttons that switch something on and off, so they say whether they are pressed.
const TOGGLES = new Set([
  "bold", "italic", "heading2", "heading3", "heading4", "paragraph",
  "bulletList", "orderedList", "blockquote", "link",
])

const visible = (bar) =>
  [...bar.querySelectorAll("button[data-name]")].filter((b) => !b.classList.contains("hidden"))

export const NewsToolbar = Extension.create({
  name: "newsToolbar",
  // After the menu extension, which builds the bar when the editor is created.
  priority: 50,

  addOptions() {
    return { label: "", buttons: {} }
  },

  onCreate({ editor }) {
    const bar = editor.view.dom.parentElement.querySelector(".prose-menubar")
    if (!bar) return
    bar.setAttribute("role", "toolbar")
    bar.setAttribute("aria-label", this.options.label)
    for (const button of bar.querySelectorAll("button[data-name]")) {
      const label = this.options.buttons[button.dataset.name]
      if (label) {
        button.setAttribute("aria-label", label)
        button.title = label
      }
      button.tabIndex = -1
    }
    let current = visible(bar)[0]
    const sync = () => {
      for (const button of bar.querySelectorAll("button[data-name]")) {
        button.setAttribute("aria-disabled", String(button.classList.contains("disabled")))
        if (TOGGLES.has(button.dataset.name)) {
          button.setAttribute("aria-pressed", String(button.classList.contains("active")))
        }
      }
      const buttons = visible(bar)
      if (!buttons.includes(current)) current = buttons[0]
      for (const button of buttons) button.tabIndex = button === current ? 0 : -1
    }
    bar.addEventListener("focusin", (event) => {
      if (event.target.dataset?.name) {
        current = event.target
        sync()
      }
    })
    bar.addEventListener("keydown", (event) => {
      const buttons = visible(bar)
      const index = buttons.indexOf(document.activeElement)
      const next = {
        ArrowRight: index + 1,
        ArrowLeft: index - 1,
        Home: 0,
        End: buttons.length - 1,
      }[event.key]
      if (event.key === "Escape") {
        event.preventDefault()
        editor.view.focus()
      } else if (next !== undefined && index !== -1) {
        event.preventDefault()
        buttons[(next + buttons.length) % buttons.length].focus()
      }
    })
    editor.on("transaction", sync)
    sync()
  },

  addKeyboardShortcuts() {
    return {
      "Alt-F10": ({ editor }) => {
        const bar = editor.view.dom.parentElement.querySelector(".prose-menubar")
        bar?.querySelector('button[tabindex="0"]')?.focus()
        return true
      },
    }
  },
})

// Count words as Article.word_count does: what readers see, split at white space
// (a video shows its address, a photo its caption on this story).
function wordsIn(doc) {
  const parts = []
  doc.descendants((node) => {
    if (node.isText) parts.push(node.text)
    else if (node.type.name === "newsEmbed") parts.push(` ${node.attrs.url} `)
    else if (node.type.name === "newsPhoto") parts.push(` ${node.attrs.caption} `)
    else if (node.isBlock || node.type.name === "hardBreak") parts.push(" ")
  })
  return parts.join("").split(/\s+/).filter(Boolean).length
}

export const NewsCounter = Extension.create({
  name: "newsCounter",

  addOptions() {
    return { wordsPerMinute: 200, label: "" }
  },

  onCreate({ editor }) {
    const textarea = editor.options.element.querySelector("textarea")
    const output = document.createElement("p")
    output.className = "help news-counter"
    output.id = `${textarea.id}-count`
    editor.options.element.append(output)
    // Name the editable area after the field's label, and point it at the count.
    const fieldLabel = document.querySelector(`label[for="${textarea.id}"]`)
    const dom = editor.view.dom
    dom.setAttribute("role", "textbox")
    dom.setAttribute("aria-multiline", "true")
    if (fieldLabel) dom.setAttribute("aria-label", fieldLabel.textContent.replace(/:$/, "").trim())
    dom.setAttribute("aria-describedby", output.id)
    const { label, wordsPerMinute } = this.options
    this.storage.render = () => {
      const words = wordsIn(editor.state.doc)
      const minutes = words ? Math.ceil(words / wordsPerMinute) : 0
      output.textContent = interpolate(label, { words, minutes })
    }
    this.storage.render()
  },

  onUpdate() {
    this.storage.render()
  },

  addStorage() {
    return { render: () => {} }
  },
})

export const NewsSubmit = Extension.create({
  name: "newsSubmit",

  onCreate({ editor }) {
    const textarea = editor.options.element.querySelector("textarea")
    // An empty paragraph stays after a video or photo inserted last, for typing on.
    textarea.form?.addEventListener("submit", () => {
      textarea.value = textarea.value.replace(/(?:<p><\/p>)+$/, "")
    })
  },
})

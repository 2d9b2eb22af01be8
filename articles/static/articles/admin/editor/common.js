// Helpers shared by the body editor's extensions (imported as "articles/editor/common").

// The video addresses articles/embeds.py recognises; keep the two in step.
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/
const VIMEO_ID = /^[0-9]{1,12}$/
const YOUTUBE_HOSTS = new Set([
  "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
  "youtube-nocookie.com", "www.youtube-nocookie.com",
])
const VIMEO_HOSTS = new Set(["vimeo.com", "www.vimeo.com", "player.vimeo.com"])

const segmentsOf = (url) => url.pathname.split("/").filter(Boolean)

function youtubeId(url) {
  const segments = segmentsOf(url)
  if (url.hostname === "youtu.be") return segments[0] || ""
  if (!YOUTUBE_HOSTS.has(url.hostname)) return ""
  if (url.pathname === "/watch") return url.searchParams.get("v") || ""
  if (segments.length === 2 && ["embed", "shorts", "live", "v"].includes(segments[0])) {
    return segments[1]
  }
  return ""
}

function vimeoId(url) {
  if (!VIMEO_HOSTS.has(url.hostname)) return ""
  const segments = segmentsOf(url)
  if (url.hostname === "player.vimeo.com") {
    return segments.length === 2 && segments[0] === "video" ? segments[1] : ""
  }
  return segments.length === 1 ? segments[0] : ""
}

/** Return {provider, url} with the canonical address of a YouTube or Vimeo video, or null. */
export function videoFor(address) {
  let url
  try {
    url = new URL(String(address || "").trim())
  } catch {
    return null
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null
  const youtube = youtubeId(url)
  if (YOUTUBE_ID.test(youtube)) {
    return { provider: "YouTube", url: `https://www.youtube.com/watch?v=${youtube}` }
  }
  const vimeo = vimeoId(url)
  if (VIMEO_ID.test(vimeo)) return { provider: "Vimeo", url: `https://vimeo.com/${vimeo}` }
  return null
}

/** Return the video of a provider's <iframe> embed code (given as text), or null. */
export function videoInEmbedCode(text) {
  const match = /^\s*<iframe\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*<\/iframe>\s*$/i.exec(text)
  return match ? videoFor(match[1].replaceAll("&amp;", "&")) : null
}

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"])

/** Return the link address to store for what an editor typed, or null when it isn't allowed. */
export function linkHref(value) {
  let text = String(value || "").trim()
  // "www.example.org/page" is a web address without its scheme, "desk@example.org" an email.
  if (/^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(text)) text = `https://${text}`
  else if (/^[^\s@:/]+@[\w-]+(\.[\w-]+)+$/.test(text)) text = `mailto:${text}`
  let url
  try {
    url = new URL(text)
  } catch {
    return null
  }
  if (!LINK_PROTOCOLS.has(url.protocol)) return null
  if (url.protocol.startsWith("http") ? !url.hostname : !url.pathname) return null
  return text
}

/** Tell whether a stored link address (an href as it is) may stay a link. */
export const isLinkable = (href) => linkHref(href) === String(href).trim()

/** Fill Django-style "%(name)s" placeholders in a translated string. */
export function interpolate(text, values) {
  return String(text).replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""))
}

let dialogs = 0

/**
 * Ask for an address in a modal dialog; resolve with what ``check`` returns, or null on cancel.
 *
 * ``check(value)`` returns the value to use, or null to show ``labels.invalid`` and ask again.
 */
export function askAddress(editor, { labels, value = "", check }) {
  return new Promise((resolve) => {
    const id = `news-address-${++dialogs}`
    const dialog = document.createElement("dialog")
    dialog.className = "prose-editor-dialog news-address-dialog"
    dialog.setAttribute("aria-labelledby", `${id}-title`)
    dialog.innerHTML = `
      <form method="dialog">
        <h2 class="prose-editor-dialog-title" id="${id}-title"></h2>
        <div class="prose-editor-dialog-field">
          <label for="${id}-input"></label>
          <input id="${id}-input" name="address" type="text" inputmode="url"
                 autocomplete="url" spellcheck="false" aria-describedby="${id}-help ${id}-error">
          <p class="help" id="${id}-help"></p>
          <p class="errornote news-address-error" id="${id}-error" hidden></p>
        </div>
        <div class="prose-editor-dialog-buttons">
          <button type="submit" value="ok"></button>
          <button type="button" value="cancel"></button>
        </div>
      </form>`
    dialog.querySelector("h2").textContent = labels.title
    dialog.querySelector("label").textContent = labels.address
    dialog.querySelector(".help").textContent = labels.help || ""
    const input = dialog.querySelector("input")
    const error = dialog.querySelector(".news-address-error")
    const [ok, cancel] = dialog.querySelectorAll("button")
    ok.textContent = labels.submit
    cancel.textContent = labels.cancel
    input.value = value
    let result = null
    ok.addEventListener("click", (event) => {
      event.preventDefault()
      result = check(input.value)
      if (result === null) {
        error.textContent = labels.invalid
        error.hidden = false
        input.setAttribute("aria-invalid", "true")
        input.focus()
        return
      }
      dialog.close()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      editor.commands.focus()
      resolve(result)
    })
    editor.view.dom.closest(".prose-editor").append(dialog)
    dialog.showModal()
    input.focus()
  })
}

/** Insert block content; when it ends in a video or photo, put the cursor in a paragraph after it. */
export const insertBlock = (chain, content) =>
  chain.insertContent(content).command(({ tr, commands }) => {
    // insertContent selects a node it ends with; typing would replace it.
    if (!tr.selection.node) return true
    const pos = tr.selection.to
    if (!tr.doc.resolve(pos).nodeAfter?.isTextblock) {
      tr.insert(pos, tr.doc.type.schema.nodes.paragraph.create())
    }
    return commands.setTextSelection(pos + 1)
  })

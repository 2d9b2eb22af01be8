// NewsLink: django-prose-editor's Link, asking for the address in our dialog and keeping
// only web, email and phone addresses (the schemes articles/sanitize.py allows).
import { Link } from "django-prose-editor/editor"
import { askAddress, isLinkable, linkHref } from "articles/editor/common"

export const NewsLink = Link.extend({
  addOptions() {
    return {
      ...this.parent?.(),
      enableTarget: false,
      isAllowedUri: isLinkable,
      labels: {},
    }
  },

  // Text typed after a link is not part of it.
  inclusive() {
    return false
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive(this.name)) return false
          askAddress(editor, {
            labels: this.options.labels,
            value: editor.getAttributes(this.name).href || "",
            check: linkHref,
          }).then((href) => {
            if (href) editor.chain().focus().extendMarkRange(this.name).setLink({ href }).run()
          })
          return true
        },
    }
  },
})

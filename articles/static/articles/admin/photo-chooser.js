/* The photo chooser in a dialog (Contract B).
 *
 * window.NewsroomPhotoChooser.open(url) opens the chooser page (url; ?_popup=1 is added)
 * in an <iframe> inside a modal <dialog> and returns a Promise that resolves with the
 * chosen PHOTO ({id, thumbnail_url, caption, credit, alt_text, width, height,
 * admin_url}) or null when the editor cancels (Cancel, Escape). The modal dialog
 * makes the rest of the page inert, so focus stays inside; it goes back to where it
 * was when the dialog closes. Plain script, no build step.
 */
(function () {
  "use strict";
  if (window.NewsroomPhotoChooser) {
    return;
  }
  const t = window.gettext || function (text) { return text; };
  let current = null;

  function open(url) {
    if (current) {
      return current.promise;
    }
    const opener = document.activeElement;
    const dialog = document.createElement("dialog");
    dialog.className = "newsroom-photo-dialog";
    dialog.setAttribute("aria-label", t("Choose a photo"));
    const frame = document.createElement("iframe");
    frame.title = t("Photo library");
    const address = new URL(url, window.location.href);
    address.searchParams.set("_popup", "1"); // the chooser's dialog layout
    frame.src = address.href;
    dialog.appendChild(frame);
    document.body.appendChild(dialog);

    let settle;
    const promise = new Promise(function (resolve) { settle = resolve; });
    current = { promise: promise };

    function finish(photo) {
      window.removeEventListener("message", onMessage);
      current = null;
      if (dialog.open) {
        dialog.close();
      }
      dialog.remove();
      if (opener && typeof opener.focus === "function") {
        opener.focus();
      }
      settle(photo);
    }

    function onMessage(event) {
      if (event.origin !== window.location.origin || event.source !== frame.contentWindow) {
        return;
      }
      const data = event.data || {};
      if (data.type === "newsroom:photo-chosen" && data.photo) {
        finish(data.photo);
      } else if (data.type === "newsroom:photo-chooser-closed") {
        finish(null);
      }
    }

    window.addEventListener("message", onMessage);
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      finish(null);
    });
    frame.addEventListener("load", function () {
      // Escape inside the frame does not reach the dialog: listen there too.
      try {
        frame.contentDocument.addEventListener("keydown", function (event) {
          if (event.key === "Escape") {
            finish(null);
          }
        });
      } catch (error) {
        // A page of another origin: the dialog's own Escape still works.
      }
      frame.focus();
    });
    dialog.showModal();
    return promise;
  }

  window.NewsroomPhotoChooser = { open: open };
})();

/* Inside the photo chooser page: pick a photo (tell the opener), cancel, upload by
 * drag and drop. In the photo admin (no opener) the photos are plain links. */
(function () {
  "use strict";
  const opener = window.parent !== window ? window.parent : null;

  function tell(message) {
    if (opener) {
      opener.postMessage(message, window.location.origin);
    }
  }

  function setUpDropZone(zone) {
    const input = zone.querySelector("input[type=file]");
    const form = zone.closest("form");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        form.requestSubmit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const chosen = document.querySelector("[data-chosen-photo]");
    if (chosen) {
      tell({ type: "newsroom:photo-chosen", photo: JSON.parse(chosen.dataset.chosenPhoto) });
      return;
    }
    document.addEventListener("click", function (event) {
      const choice = event.target.closest("button.photo-choice[data-photo]");
      if (choice) {
        tell({ type: "newsroom:photo-chosen", photo: JSON.parse(choice.dataset.photo) });
      } else if (event.target.closest("[data-chooser-cancel]")) {
        tell({ type: "newsroom:photo-chooser-closed" });
      }
    });
    document.querySelectorAll("[data-drop-zone]").forEach(setUpDropZone);
    if (opener) {
      // In the dialog, start where the editor's next keystroke belongs.
      const upload = document.querySelector("[data-focus-upload]");
      const target = document.getElementById(upload ? "photo-files" : "photo-q");
      if (target) {
        target.focus();
      }
    }
  });
})();

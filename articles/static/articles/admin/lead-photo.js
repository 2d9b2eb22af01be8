/* The lead-photo field: a card with Choose photo, Upload new and Remove, built on the
 * number input that works without JavaScript. Uses NewsroomPhotoChooser. */
(function () {
  "use strict";
  const t = window.gettext || function (text) { return text; };

  function drawCard(card, photo) {
    card.replaceChildren();
    if (!photo) {
      const empty = document.createElement("span");
      empty.className = "photo-card-empty";
      empty.textContent = t("No photo chosen.");
      card.appendChild(empty);
      return;
    }
    const img = document.createElement("img");
    img.className = "photo-card-thumb";
    img.src = photo.thumbnail_url;
    img.alt = "";
    const text = document.createElement("span");
    text.className = "photo-card-text";
    const caption = document.createElement("span");
    caption.className = "photo-card-caption";
    caption.textContent = photo.caption || t("(no caption)");
    const credit = document.createElement("span");
    credit.className = "photo-card-credit";
    credit.textContent = photo.credit;
    text.append(caption, credit);
    card.append(img, text);
  }

  function setUp(widget) {
    const input = widget.querySelector(".photo-chooser-fallback input");
    const card = widget.querySelector("[data-photo-card]");
    const actions = widget.querySelector(".photo-chooser-actions");
    const remove = actions.querySelector("[data-action=remove]");
    const url = widget.dataset.chooserUrl;
    widget.querySelector(".photo-chooser-fallback").hidden = true;
    actions.hidden = false;

    function choose(photo) {
      if (!photo) {
        return;
      }
      input.value = photo.id;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      drawCard(card, photo);
      remove.hidden = false;
    }

    actions.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-action]");
      if (!button) {
        return;
      }
      if (button.dataset.action === "choose") {
        window.NewsroomPhotoChooser.open(url).then(choose);
      } else if (button.dataset.action === "upload") {
        const upload = new URL(url, window.location.href);
        upload.searchParams.set("upload", "1");
        window.NewsroomPhotoChooser.open(upload.href).then(choose);
      } else if (button.dataset.action === "remove") {
        input.value = "";
        input.dispatchEvent(new Event("change", { bubbles: true }));
        drawCard(card, null);
        remove.hidden = true;
        actions.querySelector("[data-action=choose]").focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".photo-chooser-widget").forEach(setUp);
  });
})();

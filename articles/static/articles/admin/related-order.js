/* Reorder the related-links inline by dragging rows or with Move up / Move down buttons.
 *
 * Each change rewrites the rows' "position" fields in their on-screen order, so the
 * saved order is what the editor sees. Without this script the fields still work.
 * The controls come from the page's <template id="related_links-order-controls">
 * (translated there); a page for someone who may not change the links has none, and
 * rows without a position input (read-only ones) get none either.
 */
(function () {
  "use strict";
  var PREFIX = "related_links";

  function group() { return document.getElementById(PREFIX + "-group"); }

  function rows() {
    var g = group();
    if (!g) return [];
    return Array.prototype.filter.call(g.querySelectorAll("tr.form-row"), function (row) {
      return !row.classList.contains("empty-form");
    });
  }

  function controls() { return document.getElementById(PREFIX + "-order-controls"); }

  function announce(position, count) {
    var live = document.getElementById(PREFIX + "-order-status");
    var text = controls().dataset.moved;
    if (live) live.textContent = text.replace("%(position)s", position).replace("%(count)s", count);
  }

  function inUse(row) {
    // Number only rows holding a link: an untouched extra row must stay unchanged,
    // or the formset would validate it as a new, empty link.
    var id = row.querySelector("input[name$='-id']");
    var target = row.querySelector("[name$='-target']");
    var url = row.querySelector("input[name$='-url']");
    return Boolean((id && id.value) || (target && target.value) || (url && url.value));
  }

  function renumber() {
    rows().filter(inUse).forEach(function (row, index) {
      var field = row.querySelector("input[name$='-position']");
      if (field) field.value = index;
    });
  }

  function move(row, delta) {
    var list = rows(), index = list.indexOf(row), other = list[index + delta];
    if (!other) return;
    if (delta < 0) other.parentNode.insertBefore(row, other);
    else other.parentNode.insertBefore(other, row);
    renumber();
    announce(rows().indexOf(row) + 1, list.length);
  }

  var dragged = null;

  function enhance(row) {
    if (row.dataset.orderable || row.classList.contains("empty-form")) return;
    var cell = row.querySelector("td.field-position");
    if (!cell || !cell.querySelector("input[name$='-position']")) return;
    row.dataset.orderable = "1";
    var parts = controls().content.cloneNode(true);
    // Only the handle starts a drag, so text in the row's inputs stays selectable.
    var handle = parts.querySelector(".related-handle");
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    handle.addEventListener("mouseup", function () { row.draggable = false; });
    Array.prototype.forEach.call(parts.querySelectorAll(".related-move"), function (b) {
      b.addEventListener("click", function () {
        move(row, Number(b.dataset.delta));
        b.focus();
      });
    });
    cell.insertBefore(handle, cell.firstChild);
    cell.appendChild(parts);
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
      row.draggable = false;
      dragged = null;
      renumber();
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
  }

  function init() {
    var g = group();
    if (!g || !controls()) return;
    var live = document.createElement("p");
    live.id = PREFIX + "-order-status";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    g.appendChild(live);
    rows().forEach(enhance);
    // A link typed into a new row takes its place at the end of the order.
    // (select2 announces its choice through jQuery, which native listeners miss.)
    var onChange = function (event) {
      if (!/-position$/.test(event.target.name || "")) renumber();
    };
    if (window.django && window.django.jQuery) window.django.jQuery(g).on("change", onChange);
    else g.addEventListener("change", onChange);
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === PREFIX) {
        enhance(event.target);
        renumber();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

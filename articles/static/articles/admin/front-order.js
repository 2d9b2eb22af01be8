/* Reorder a front's placements by dragging rows or with Move up / Move down buttons.
 *
 * Each group (the line-up, each package) is one <tbody data-order-group>; rows move
 * within it, and each move rewrites the group's position fields in on-screen order,
 * so the saved order is what the editor sees. Without this script the position fields
 * are a plain form. The controls come from <template id="front-order-controls">.
 */
(function () {
  "use strict";

  function controls() { return document.getElementById("front-order-controls"); }

  function rowsOf(group) {
    return Array.prototype.slice.call(group.querySelectorAll("tr.front-order-row"));
  }

  function renumber(group) {
    rowsOf(group).forEach(function (row, index) {
      row.querySelector("input[name$='-position']").value = index;
    });
  }

  function announce(row) {
    var group = row.parentNode, list = rowsOf(group);
    var text = controls().dataset.moved
      .replace("%(position)s", list.indexOf(row) + 1)
      .replace("%(count)s", list.length);
    document.getElementById("front-order-status").textContent = text;
  }

  function move(row, delta) {
    var list = rowsOf(row.parentNode), other = list[list.indexOf(row) + delta];
    if (!other) return;
    if (delta < 0) row.parentNode.insertBefore(row, other);
    else row.parentNode.insertBefore(other, row);
    renumber(row.parentNode);
    announce(row);
  }

  var dragged = null;

  function enhance(row) {
    var cell = row.querySelector("td.front-order-position");
    var parts = controls().content.cloneNode(true);
    var handle = parts.querySelector(".front-order-handle");
    var headline = row.dataset.headline;
    // Only the handle starts a drag, so the position field stays usable.
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    handle.addEventListener("mouseup", function () { row.draggable = false; });
    Array.prototype.forEach.call(parts.querySelectorAll(".front-order-move"), function (button) {
      button.setAttribute("aria-label", button.textContent + ": " + headline);
      button.addEventListener("click", function () {
        move(row, Number(button.dataset.delta));
        button.focus();
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
      if (dragged) {
        renumber(dragged.parentNode);
        announce(dragged);
      }
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      // Within the row's own group only: a package's stories stay in the package.
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("drop", function (event) { event.preventDefault(); });
  }

  function init() {
    if (!controls()) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-order-group]"), function (group) {
      rowsOf(group).forEach(enhance);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* Tell the server every few seconds that this change form is still open, and show
 * who else has the same story open (the "others-editing" list above the form).
 *
 * A static file rather than an inline script, so the page works under a
 * Content-Security-Policy without 'unsafe-inline'. The translated label comes
 * from the list's data-others-label attribute.
 */
(function () {
  "use strict";
  var box = document.getElementById("others-editing");
  if (!box || !window.fetch) return;
  var token = document.querySelector("[name=csrfmiddlewaretoken]");
  function beat() {
    fetch(box.dataset.heartbeatUrl, {method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": token ? token.value : ""}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        box.textContent = "";
        if (data.others.length) {
          var list = document.createElement("ul");
          var item = document.createElement("li");
          list.className = "messagelist";
          item.className = "warning";
          item.textContent = box.dataset.othersLabel + " " + data.others.join(", ");
          list.appendChild(item);
          box.appendChild(list);
        }
      });
  }
  setInterval(beat, parseInt(box.dataset.heartbeatMs, 10) || 30000);
})();

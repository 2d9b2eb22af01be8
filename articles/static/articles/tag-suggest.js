/* Suggest existing tags while an editor types in a comma-separated tag input.
 *
 * Progressive enhancement of <input data-tag-suggest-url="...">: the URL answers
 * {"results": ["name", ...]} for ?q=<the name being typed>. The input becomes an
 * ARIA combobox; arrows move through the list, Enter or Tab takes a name, Escape closes.
 */
(function () {
  "use strict";

  function currentFragment(value) {
    var quoted = false, start = 0;
    for (var i = 0; i < value.length; i++) {
      if (value[i] === '"') quoted = !quoted;
      else if (value[i] === "," && !quoted) start = i + 1;
    }
    return { start: start, text: value.slice(start).replace(/^\s+/, "").replace(/"/g, "") };
  }

  function enhance(input, n) {
    var list = document.createElement("ul");
    var listId = "tag-suggest-" + n;
    var timer = null, active = -1, names = [];
    list.id = listId;
    list.className = "tag-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Existing tags");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var fragment = currentFragment(input.value);
      var before = input.value.slice(0, fragment.start);
      var written = name.indexOf(",") >= 0 ? '"' + name + '"' : name;
      input.value = (before ? before.replace(/\s*$/, " ") : "") + written + ", ";
      close();
      input.focus();
    }

    function show(results) {
      names = results;
      list.textContent = "";
      results.forEach(function (name, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(name);
        });
        list.appendChild(item);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(-1);
      } else {
        close();
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = currentFragment(input.value).text;
      if (text.length < 2) return close();
      timer = setTimeout(function () {
        var url = input.dataset.tagSuggestUrl + "?q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { show(data.results || []); })
          .catch(close);
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % names.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? names.length - 1 : active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(names[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-tag-suggest-url]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i], i);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Accessible names Django's admin leaves out on the article form: the inputs of tabular
// inlines (labelled only by their column's header) and the autocomplete (select2) boxes,
// which have no name while empty. Runs after the admin's own scripts, and for added rows.
"use strict";
(function () {
    const gettext = window.gettext || function (text) { return text; };

    function headerText(th) {
        const copy = th.cloneNode(true);
        copy.querySelectorAll("img").forEach(function (img) { img.remove(); });
        return copy.textContent.trim();
    }

    function nameInlineFields(root) {
        root.querySelectorAll(".tabular table").forEach(function (table) {
            table.querySelectorAll("thead th").forEach(function (th) {
                // The first column holds a saved row's name and its hidden ids.
                if (th.classList.contains("original") && !th.textContent.trim()) {
                    const hidden = document.createElement("span");
                    hidden.className = "visually-hidden";
                    hidden.textContent = gettext("Saved item");
                    th.appendChild(hidden);
                }
            });
            table.querySelectorAll("tbody td[class*='field-']").forEach(function (cell) {
                const name = Array.from(cell.classList).find(function (c) {
                    return c.startsWith("field-");
                }).slice(6);
                const th = table.querySelector("thead th.column-" + name);
                if (!th) { return; }
                label(cell, headerText(th));
            });
            table.querySelectorAll("tbody td.delete").forEach(function (cell) {
                label(cell, gettext("Delete"));
            });
        });
    }

    function label(cell, text) {
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(
            function (field) {
                if (!field.labels.length && !field.hasAttribute("aria-label")) {
                    field.setAttribute("aria-label", text);
                }
            }
        );
    }

    function nameAutocompletes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            const box = select.parentElement.querySelector(".select2-selection[role=combobox]");
            if (!box || box.hasAttribute("aria-label")) { return; }
            const text = select.labels.length ? select.labels[0].textContent
                : select.getAttribute("aria-label");
            if (!text) { return; }
            const label = text.replace(/:\s*$/, "").trim();
            // select2 names the box by its current text, which is empty until a choice
            // is made: name it by the field's label; its text stays its value.
            box.removeAttribute("aria-labelledby");
            box.setAttribute("aria-label", label);
            tidy(box, label);
            // It draws the choices anew on each change: tidy what it draws.
            new MutationObserver(function () { tidy(box, label); }).observe(
                box, {childList: true, subtree: true}
            );
        });
    }

    function tidy(box, label) {
        box.querySelectorAll(".select2-selection__rendered, .select2-search__field").forEach(
            function (part) {
                if (part.getAttribute("aria-label") !== label) {
                    part.setAttribute("aria-label", label);
                }
            }
        );
        // A multiple choice's "Remove all" button goes inside its list of choices, where
        // only list items belong: put it just before the list (select2 listens on the box).
        const list = box.querySelector("ul.select2-selection__rendered");
        const clear = list && list.querySelector(":scope > .select2-selection__clear");
        if (clear) { box.insertBefore(clear, list); }
    }

    function nameAll(root) {
        nameInlineFields(root);
        nameAutocompletes(root);
    }

    // The admin starts select2 when the document is ready (jQuery runs its ready
    // callbacks from a timer) and on formset:added: run after it, from a later timer.
    window.addEventListener("load", function () {
        window.setTimeout(function () {
            nameAll(document);
            document.documentElement.dataset.deskNamed = "1";
        });
    });
    document.addEventListener("formset:added", function (event) {
        window.setTimeout(function () { nameAll(event.target.closest("table") || document); });
    });
})();

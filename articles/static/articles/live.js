// A live story's page looks for new updates every data-poll-seconds, without reloading.
// It asks the story's small JSON (data-poll-url) with the browser's cached copy's ETag
// ("no-cache": revalidate), so an unchanged answer is a 304 from the page cache or the
// CDN. When updates newer than the page's newest (data-newest) are public, a button in
// the aria-live region says how many; pressing it loads the first page afresh.
(function () {
  "use strict";
  var section = document.getElementById("live-updates");
  if (!section || !section.dataset.pollUrl || !window.fetch) {
    return;
  }
  var notice = section.querySelector(".live-notice");
  var seconds = Math.max(1, parseInt(section.dataset.pollSeconds, 10) || 30);
  var newest = section.dataset.newest ? Date.parse(section.dataset.newest) : 0;
  var shown = 0;
  var timer = null;

  function show(count) {
    if (count === shown) {
      return;
    }
    shown = count;
    notice.textContent = "";
    if (!count) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live-notice-button";
    button.textContent =
      count === 1 ? section.dataset.one : section.dataset.many.replace("{count}", String(count));
    button.addEventListener("click", load);
    notice.appendChild(button);
  }

  function load() {
    var url = section.dataset.storyUrl;
    if (section.dataset.firstPage === "true") {
      window.location.reload();
      return;
    }
    // Refresh the browser's copy of the first page first, then go to it.
    window.fetch(url, { cache: "no-cache", credentials: "same-origin" }).finally(function () {
      window.location.assign(url + "#live-updates");
    });
  }

  function poll() {
    window
      .fetch(section.dataset.pollUrl, {
        cache: "no-cache",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        var count = data.updates.filter(function (update) {
          return Date.parse(update.published) > newest;
        }).length;
        show(count);
        if (!data.live) {
          window.clearInterval(timer);
        }
      })
      .catch(function () {
        // Offline for a moment: the next look tries again.
      });
  }

  timer = window.setInterval(poll, seconds * 1000);
})();

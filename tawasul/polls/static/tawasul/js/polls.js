// Opinion polls: vote without reloading the page, and fill the home page widget with
// its live part (the form, or the visitor's results). Without this script the poll page
// and its form work as they are; the home page widget links to the poll page.
(function () {
  "use strict";

  var HEADER = "X-Tawasul-Fragment";

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content;
  }

  function settle(container) {
    if (window.Tawasul && window.Tawasul.enhanceHumanChecks) {
      window.Tawasul.enhanceHumanChecks(container);
    }
    var status = container.querySelector("[data-poll-status]");
    if (status) {
      status.focus();
    }
  }

  function load(panel) {
    var target = panel.querySelector("[data-poll-static]");
    if (!target) {
      return;
    }
    fetch(panel.getAttribute("data-poll-panel-url"), {
      headers: { "X-Tawasul-Fragment": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok || response.headers.get(HEADER) !== "1") {
          throw new Error("no fragment");
        }
        return response.text();
      })
      .then(function (html) {
        target.replaceChildren(fragment(html));
        if (window.Tawasul && window.Tawasul.enhanceHumanChecks) {
          window.Tawasul.enhanceHumanChecks(target);
        }
      })
      .catch(function () {
        // The static widget stays: it links to the poll page.
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-poll-form]") || event.defaultPrevented) {
      return;
    }
    var inner = form.closest(".poll-panel__inner");
    if (!inner || !window.fetch || !window.FormData) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      button.disabled = true;
    }
    inner.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Tawasul-Fragment": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.headers.get(HEADER) !== "1") {
          throw new Error("no fragment");
        }
        return response.text();
      })
      .then(function (html) {
        var content = fragment(html);
        var replacement = content.querySelector(".poll-panel__inner");
        if (!replacement) {
          throw new Error("no fragment");
        }
        inner.replaceWith(replacement);
        settle(replacement);
      })
      .catch(function () {
        // Anything unexpected (a network error, a page instead of a fragment): send the
        // form the ordinary way, so the vote is never lost silently.
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  document.querySelectorAll("[data-poll-panel-url]").forEach(load);
})();

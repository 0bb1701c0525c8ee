// Comments: a live character counter, and posting without reloading the page.
// Without this script every form posts normally and the server answers with a page;
// with it, the same form is sent with fetch and the server's rendered comment is added
// in place. On any network failure the form is sent the ordinary way.
(function () {
  "use strict";

  var MAX = 2000;
  var ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

  function digits(number, arabicIndic) {
    var text = String(number);
    if (arabicIndic) {
      text = text.replace(/[0-9]/g, function (d) { return ARABIC_DIGITS[d]; });
    }
    return text;
  }

  function fill(template, values, arabicIndic) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return digits(values[name], arabicIndic);
    });
  }

  function characters(value) {
    // What the server counts: code points, with each line break once.
    return Array.from(value.replace(/\r\n?/g, "\n")).length;
  }

  // ---------------------------------------------------------------- the counter
  function counter(form) {
    var area = form.querySelector("textarea");
    var out = form.querySelector("[data-counter]");
    if (!area || !out) {
      return function () {};
    }
    var arabicIndic = out.getAttribute("data-digits") === "arabic-indic";
    // The visible count is not a live region (it would speak on every key); a hidden one
    // says how many characters are left at 100, 20 and 0.
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    out.after(live);
    var announced = null;
    function update() {
      var count = characters(area.value);
      var left = MAX - count;
      var text = fill(out.getAttribute("data-template"), { count: count, max: MAX }, arabicIndic);
      var leftText = fill(out.getAttribute("data-left"), { left: Math.max(left, 0) }, arabicIndic);
      out.textContent = left <= 100 ? text + " — " + leftText : text;
      out.classList.toggle("comment-form__counter--near", left <= 100);
      out.classList.toggle("comment-form__counter--over", left < 0);
      var step = left <= 0 ? 0 : left <= 20 ? 20 : left <= 100 ? 100 : null;
      if (step !== announced) {
        announced = step;
        live.textContent = step === null ? "" : leftText;
      }
    }
    area.addEventListener("input", update);
    update();
    return update;
  }

  // ---------------------------------------------------------------- posting
  function say(form, message, isError) {
    var status = form.querySelector("[data-status]");
    if (status) {
      status.textContent = message || "";
      status.classList.toggle("comment-form__status--error", Boolean(isError));
    }
  }

  function listFor(section, parentId) {
    if (parentId) {
      var parent = document.getElementById("comment-" + parentId);
      if (!parent) {
        return null;
      }
      var replies = parent.querySelector(":scope > [data-replies]");
      if (!replies) {
        replies = document.createElement("ol");
        replies.className = "comment-replies";
        replies.setAttribute("data-replies", "");
        parent.appendChild(replies);
      }
      return replies;
    }
    var list = section.querySelector("[data-comment-list]");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      list.setAttribute("data-comment-list", "");
      var empty = section.querySelector("[data-comments-empty]");
      if (empty) {
        empty.replaceWith(list);
      } else {
        section.appendChild(list);
      }
    }
    return list;
  }

  function insert(section, data) {
    var existing = document.getElementById("comment-" + data.id);
    if (existing) {
      return existing;
    }
    var list = listFor(section, data.parent);
    if (!list) {
      return null;
    }
    var holder = document.createElement("ol");
    holder.innerHTML = data.html; // rendered and escaped by the server
    var item = holder.firstElementChild;
    var oldestFirst = section.getAttribute("data-order") === "oldest";
    if (data.parent || oldestFirst) {
      list.appendChild(item);
    } else {
      list.insertBefore(item, list.firstElementChild);
    }
    return item;
  }

  function enhance(form, section) {
    var update = counter(form);
    var button = form.querySelector('button[type="submit"]');
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !window.fetch || !window.FormData) {
        return;
      }
      event.preventDefault();
      if (busy) {
        return; // a second click while the first is on its way
      }
      busy = true;
      if (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
      say(form, "");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { status: response.status, data: data };
          });
        })
        .then(function (result) {
          var data = result.data;
          if (!data.ok) {
            // The text stays in the box; the message says what to do.
            say(form, data.message + (data.errors && data.errors.body ? " " + data.errors.body.join(" ") : ""), true);
            form.querySelector("textarea").focus();
            return;
          }
          var item = insert(section, data);
          form.querySelector("textarea").value = "";
          var key = form.querySelector('input[name="key"]');
          if (key && data.key) {
            key.value = data.key;
          }
          update();
          say(form, data.message, false);
          var details = form.closest("details");
          if (details) {
            details.open = false;
          }
          if (item) {
            item.classList.add("comment--new");
            item.setAttribute("tabindex", "-1");
            item.focus({ preventScroll: false });
          }
        })
        .catch(function () {
          // The network or the server failed in an unexpected way: post the ordinary way.
          HTMLFormElement.prototype.submit.call(form);
        })
        .finally(function () {
          busy = false;
          if (button) {
            button.disabled = false;
            button.removeAttribute("aria-busy");
          }
        });
    });
  }

  document.querySelectorAll("[data-comments]").forEach(function (section) {
    section.querySelectorAll("[data-comment-form]").forEach(function (form) {
      enhance(form, section);
    });
  });
  // The edit page: the counter only (it posts normally).
  document.querySelectorAll("[data-comment-edit]").forEach(counter);
})();

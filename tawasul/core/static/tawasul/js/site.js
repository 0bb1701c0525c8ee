// Tawasul's first-party script. Pages work without it; it only enhances.
document.documentElement.classList.add("js");

// The human check (core/antibot.py): solve the proof-of-work challenge in the background
// so the visitor does not have to answer the question. Without Web Crypto (a site not on
// HTTPS) or on any error, the question stays and the form works as before.
(function () {
  "use strict";

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var number = 0; number <= challenge.maxNumber; number++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + number));
      if (hex(digest) === challenge.challenge) {
        return number;
      }
    }
    return null;
  }

  function payload(challenge, number) {
    return btoa(JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: number,
      salt: challenge.salt,
      signature: challenge.signature,
    }));
  }

  function enhance(box) {
    if (!window.crypto || !crypto.subtle || !window.TextEncoder || box.hasAttribute("data-altcha-ready")) {
      return;
    }
    box.setAttribute("data-altcha-ready", "");
    var form = box.closest("form");
    var field = box.querySelector('input[name$="altcha"]');
    var question = box.querySelector(".human-check__question");
    var status = box.querySelector(".human-check__status");
    if (!form || !field) {
      return;
    }
    var challenge;
    try {
      challenge = JSON.parse(box.getAttribute("data-altcha-challenge"));
    } catch (error) {
      return;
    }
    var work = null;
    var submitter = null;
    function start() {
      if (work) {
        return work;
      }
      if (status) {
        status.hidden = false;
        status.textContent = status.getAttribute("data-working");
      }
      work = solve(challenge).then(function (number) {
        if (number === null) {
          throw new Error("no solution");
        }
        field.value = payload(challenge, number);
        if (question && !question.classList.contains("field--error")) {
          question.hidden = true;
        }
        if (status) {
          status.textContent = status.getAttribute("data-done");
        }
      });
      work.catch(function () {
        if (status) {
          status.hidden = true;
        }
      });
      return work;
    }
    form.addEventListener("focusin", start, { once: true });
    form.addEventListener("pointerdown", start, { once: true });
    form.addEventListener("click", function (event) {
      if (event.target.closest('button[type="submit"], input[type="submit"]')) {
        submitter = event.target.closest('button, input');
      }
    });
    form.addEventListener("submit", function (event) {
      if (field.value || event.defaultPrevented) {
        return;
      }
      event.preventDefault();
      start().then(
        function () {
          // A new submit event, now with the solution; handlers that send forms without
          // reloading the page skip events that were default-prevented (like this one).
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        },
        function () {
          if (question) {
            question.hidden = false;
          }
        }
      );
    });
  }

  document.querySelectorAll("[data-altcha-challenge]").forEach(enhance);

  // For content added later (a form fetched into the page, e.g. a poll's voting form).
  window.Tawasul = window.Tawasul || {};
  window.Tawasul.enhanceHumanChecks = function (root) {
    root.querySelectorAll("[data-altcha-challenge]").forEach(enhance);
  };
})();

// Videos on other sites (news/includes/video.html): the host's player is loaded only
// when the visitor presses play. Until then the page requests nothing from that host.
(function () {
  "use strict";
  document.querySelectorAll("[data-video-embed]").forEach(function (figure) {
    var button = figure.querySelector(".video__load");
    var frame = figure.querySelector(".video__frame");
    var source = figure.getAttribute("data-video-embed");
    if (!button || !frame || !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(source)) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var player = document.createElement("iframe");
      player.src = source;
      player.title = figure.getAttribute("data-video-title") || "";
      player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      player.referrerPolicy = "strict-origin-when-cross-origin";
      player.className = "video__player";
      frame.replaceChildren(player);
      player.focus();
    });
  });
})();

// "Copy link" beside the share links: the field can always be selected by hand; with
// JavaScript (and a clipboard the browser lets the page use) one press copies it.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector('[role="status"]');
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
      }, function () {
        field.select();
      });
    });
  });
})();

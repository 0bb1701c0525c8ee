// Wagtail admin under a Content-Security-Policy without 'unsafe-inline'.
// A few Wagtail widgets start themselves with an inline <script>; Tawasul's copies of
// those templates leave a <span data-tawasul-init> instead, and this file starts them,
// both in the page as served and in forms added later (inline panels, modals).
(function () {
  "use strict";
  var starters = {
    initDateChooser: function (el, options) { window.initDateChooser(el.dataset.target, options); },
    initDateTimeChooser: function (el, options) { window.initDateTimeChooser(el.dataset.target, options); },
    initTimeChooser: function (el, options) { window.initTimeChooser(el.dataset.target, options); },
    InlinePanel: function (el, options) { return new window.InlinePanel(options); },
    MultipleChooserPanel: function (el, options) { return new window.MultipleChooserPanel(options); }
  };

  function start(root) {
    var found = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-tawasul-init]")) : [];
    if (root.matches && root.matches("[data-tawasul-init]")) { found.unshift(root); }
    found.forEach(function (el) {
      var starter = starters[el.dataset.tawasulInit];
      if (!starter || el.dataset.tawasulStarted) { return; }
      el.dataset.tawasulStarted = "1";
      starter(el, JSON.parse(el.dataset.options || "{}"));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    start(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { start(node); } });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
}());

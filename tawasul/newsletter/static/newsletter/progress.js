// Live progress on a campaign's admin screen: refreshes the counts every few seconds.
(function () {
  "use strict";
  const box = document.querySelector("[data-newsletter-progress]");
  if (!box) return;
  const url = box.getAttribute("data-newsletter-progress");
  async function refresh() {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      box.querySelectorAll("[data-count]").forEach(function (cell) {
        const value = data[cell.getAttribute("data-count")];
        cell.textContent = value === null || value === undefined ? "—" : String(value);
      });
      if (["pending", "claimed", "sending"].some((key) => data[key] > 0)) {
        setTimeout(refresh, 3000);
      }
    } catch (error) {
      setTimeout(refresh, 10000);
    }
  }
  setTimeout(refresh, 3000);
})();

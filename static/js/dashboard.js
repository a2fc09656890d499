/*
 * The dashboard's small enhancements; every page works without them.
 * - Bootstrap tooltips for field descriptions (hover and keyboard focus).
 * - After htmx swaps the portfolio results: announce the new count to screen
 *   readers and, when a page or sort link was followed, move focus to the
 *   results heading so keyboard users do not lose their place.
 */
(function () {
  "use strict";

  function initTooltips(root) {
    if (!window.bootstrap || !window.bootstrap.Tooltip) {
      return;
    }
    root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (element) {
      window.bootstrap.Tooltip.getOrCreateInstance(element, { trigger: "hover focus" });
    });
  }

  // Escape closes any open tooltip (WCAG 1.4.13: content on hover or focus is dismissable).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !window.bootstrap) {
      return;
    }
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (element) {
      var tooltip = window.bootstrap.Tooltip.getInstance(element);
      if (tooltip) {
        tooltip.hide();
      }
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    initTooltips(document);
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    initTooltips(target);
    if (target.id !== "portfolio-results") {
      return;
    }
    var summary = document.getElementById("results-summary");
    var announcer = document.getElementById("portfolio-announcer");
    if (summary && announcer) {
      announcer.textContent = summary.textContent.replace(/\s+/g, " ").trim();
    }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.tagName === "A") {
      var heading = document.getElementById("results-heading");
      if (heading) {
        heading.focus();
      }
    }
  });
})();

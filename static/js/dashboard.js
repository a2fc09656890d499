/*
 * The dashboard's small enhancements; every page works without them.
 * - Bootstrap tooltips for field descriptions (hover and keyboard focus).
 * - After htmx swaps the portfolio results: announce the new count to screen
 *   readers and, when a page or sort link was followed, move focus to the
 *   results heading so keyboard users do not lose their place.
 * - The client page's sections (<details>): a link to a heading inside a closed
 *   section, or an address ending with one (#final-decision-heading), opens
 *   the section, brings it into view and moves focus to its summary.
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

  function openSectionOf(id) {
    var target = id ? document.getElementById(id) : null;
    var section = target ? target.closest("details") : null;
    if (!section) {
      return false;
    }
    var outermost = section;
    for (var details = section; details; details = details.parentElement.closest("details")) {
      details.open = true;
      outermost = details;
    }
    outermost.scrollIntoView({ block: "start" });
    var summary = outermost.querySelector("summary");
    if (summary) {
      summary.focus({ preventScroll: true });
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link && openSectionOf(link.getAttribute("href").slice(1))) {
      event.preventDefault();
      history.replaceState(null, "", link.getAttribute("href"));
    }
  });

  window.addEventListener("hashchange", function () {
    openSectionOf(window.location.hash.slice(1));
  });

  document.addEventListener("DOMContentLoaded", function () {
    initTooltips(document);
    openSectionOf(window.location.hash.slice(1));
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

/*
 * The dashboard's small enhancements; every page works without them.
 * - Bootstrap tooltips for field descriptions (hover and keyboard focus).
 * - After htmx swaps the portfolio results: announce the new count to screen
 *   readers and, when a page or sort link was followed, move focus to the
 *   results heading so keyboard users do not lose their place.
 * - The client page's sections (<details>): a link to a heading inside a closed
 *   section, or an address ending with one (#final-decision-heading), opens
 *   the section, brings it into view and moves focus to its summary.
 * - The what-if form: of the term and the instalment, the one not kept when the
 *   amount changes is read-only and recomputed as the advisor types (credit /
 *   term or credit / instalment), so the two never disagree on screen. The
 *   server ignores that field all the same.
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

  // Numbers as the page writes them: the form carries the language's signs.
  function parseLocal(form, text) {
    var group = form.dataset.groupSign || ",";
    var decimal = form.dataset.decimalSign || ".";
    var cleaned = text.replace(/[\s_']/g, "").split(group).join("").split(decimal).join(".");
    var value = cleaned === "" ? NaN : Number(cleaned);
    return isFinite(value) ? value : NaN;
  }

  function formatLocal(value, decimals) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: decimals,
      minimumFractionDigits: 0,
    }).format(value);
  }

  // `recompute`: after the advisor typed; on load and on a change of what is kept, the
  // values shown are the server's (exact) and only the read-only mark moves.
  function syncWhatIf(form, recompute) {
    var kept = form.querySelector("input[name=keep]:checked");
    var keepInstalment = kept && kept.value === "instalment";
    var credit = form.querySelector("[data-what-if=credit]");
    var term = form.querySelector("[data-what-if=term]");
    var instalment = form.querySelector("[data-what-if=instalment]");
    if (!credit || !term || !instalment) {
      return;
    }
    var derived = keepInstalment ? term : instalment;
    var typed = keepInstalment ? instalment : term;
    typed.readOnly = false;
    derived.readOnly = true;
    var amount = parseLocal(form, credit.value);
    var fixed = parseLocal(form, typed.value);
    if (recompute && amount > 0 && fixed > 0) {
      derived.value = formatLocal(amount / fixed, keepInstalment ? 1 : 0);
    }
  }

  function initWhatIf(root) {
    root.querySelectorAll("form[data-testid=what-if-form]").forEach(function (form) {
      syncWhatIf(form, false);
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-testid=what-if-form]");
    if (form && event.target.name !== "keep") {
      syncWhatIf(form, true);
    }
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-testid=what-if-form]");
    if (form && event.target.name === "keep") {
      syncWhatIf(form, false);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    initTooltips(document);
    initWhatIf(document);
    openSectionOf(window.location.hash.slice(1));
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    initTooltips(target);
    initWhatIf(target);
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

/*
 * Draws the dashboard's charts with Plotly, from the specs the server embeds
 * with json_script: <div data-chart="ID"> is drawn from <script id="ID">.
 * The specs (dashboard/charts.py) name colours as CSS custom properties,
 * "var(--cs-favourable)", resolved here from static/css/dashboard.css so the
 * Okabe-Ito palette is defined once. Runs on page load and on every piece of
 * content htmx swaps in (a new number of factors, another feature...).
 *
 * A chart inside a closed section (<details>) is drawn when the section opens:
 * hidden, it has no width to be drawn at.
 *
 * Each chart's text alternative (caption, data table) is in the HTML: the
 * page says everything without this script.
 */
(function () {
  "use strict";

  var rootStyle = null;

  function cssColour(value) {
    var match = /^var\((--[\w-]+)\)$/.exec(value);
    if (!match) {
      return value;
    }
    rootStyle = rootStyle || window.getComputedStyle(document.documentElement);
    return rootStyle.getPropertyValue(match[1]).trim() || "#000000";
  }

  function resolveColours(node) {
    if (typeof node === "string") {
      return cssColour(node);
    }
    if (Array.isArray(node)) {
      return node.map(resolveColours);
    }
    if (node && typeof node === "object") {
      var copy = {};
      Object.keys(node).forEach(function (key) {
        copy[key] = resolveColours(node[key]);
      });
      return copy;
    }
    return node;
  }

  function hideDrawingFromAssistiveTech(element) {
    // The wrapper is role="img", named by the caption; Plotly's SVG text would
    // otherwise be read out tick by tick.
    element.querySelectorAll("svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    });
  }

  function draw(root) {
    if (!window.Plotly || !root || !root.querySelectorAll) {
      return;
    }
    var targets = Array.prototype.slice.call(root.querySelectorAll("[data-chart]"));
    if (root.matches && root.matches("[data-chart]")) {
      targets.push(root);
    }
    targets.forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source || element.closest("details:not([open])")) {
        return;
      }
      var spec = resolveColours(JSON.parse(source.textContent));
      window.Plotly.react(element, spec.data, spec.layout, spec.config).then(function () {
        hideDrawingFromAssistiveTech(element);
        element.setAttribute("data-drawn", "true");
      });
    });
  }

  // After a what-if: say the result (or that a field needs fixing) in the live
  // region, which stays in the page while the panel is replaced; move focus to
  // the first field in error.
  function announceWhatIf(panel) {
    var announcer = document.getElementById("what-if-announcer");
    if (!announcer) {
      return;
    }
    var invalid = panel.querySelector(".is-invalid");
    var summary = panel.querySelector("[data-testid='what-if-summary']");
    var sentence = panel.querySelector("[data-testid='what-if-sentence']");
    if (invalid) {
      announcer.textContent = panel.getAttribute("data-error-text") || "";
      invalid.focus();
    } else if (summary) {
      announcer.textContent = (summary.textContent + " " + (sentence ? sentence.textContent : ""))
        .replace(/\s+/g, " ")
        .trim();
    }
  }

  // "toggle" does not bubble: listen in the capture phase for every section of the page.
  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target.open) {
        draw(event.target);
      }
    },
    true
  );

  if (window.htmx) {
    // Called for the whole body once loaded, then for each swapped fragment.
    window.htmx.onLoad(draw);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "what-if-panel") {
        announceWhatIf(event.detail.target);
      }
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document.body);
    });
  }
})();

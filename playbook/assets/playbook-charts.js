/* Draw every playbook chart on the page from its embedded figure JSON.
 * Runs on each page Material shows (document$ emits on direct loads and on
 * instant navigation) and again when the colour scheme changes; re-lays the
 * charts at page width for print; also makes overflowing table wrappers
 * keyboard-focusable and names the sidebar's section navigations. */
(function () {
  "use strict";

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function themed(layout) {
    var dark = isDark();
    var ink = dark ? "#e2e4e9" : "#1f2328";
    var grid = dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.1)";
    var out = JSON.parse(JSON.stringify(layout));
    out.paper_bgcolor = "rgba(0,0,0,0)";
    out.plot_bgcolor = "rgba(0,0,0,0)";
    out.font = Object.assign({}, out.font || {}, { color: ink });
    ["xaxis", "yaxis"].forEach(function (axis) {
      out[axis] = Object.assign({}, out[axis] || {}, { gridcolor: grid, linecolor: grid });
    });
    return out;
  }

  /* A4 and US Letter both hold 680 CSS px between 12 mm margins (playbook.css sets
   * them): a chart laid out at screen width would be cut at the paper's edge,
   * losing the day-365 line, the target's end and the legend. */
  var PRINT_WIDTH = 680;
  var printing = false;

  function plotConfig() {
    return {
      displaylogo: false,
      /* not while printing: a resize to the paper would race the relayout below */
      responsive: !printing,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    };
  }

  /* plotly.min.js (4.8 MB) sits beside this script and is loaded only when a page
   * shows a chart, once: parsing it took a fresh Chromium here 2.5 of the 3.1 s a
   * page without any chart needed. Instant navigation keeps it for later pages. */
  var here = document.currentScript;
  var PLOTLY_SRC = here ? here.src.replace(/playbook-charts\.js([?#].*)?$/, "plotly.min.js") : "";
  var loading = false;

  function loadPlotly() {
    if (loading || !PLOTLY_SRC) {
      return;
    }
    loading = true;
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.addEventListener("load", function () { draw(); });
    document.head.appendChild(script);
  }

  function draw() {
    var plots = document.querySelectorAll(".pb-chart__plot");
    if (!plots.length) {
      return;
    }
    if (typeof Plotly === "undefined") {
      loadPlotly();  /* draws once loaded */
      return;
    }
    Array.prototype.forEach.call(plots, function (el) {
      var source = document.getElementById(el.getAttribute("data-figure"));
      if (!source) {
        return;
      }
      /* The figure JSON is the text of a <template> (see playbook/charts.py). */
      var figure = JSON.parse((source.content || source).textContent);
      var layout = themed(figure.layout);
      if (printing) {
        layout.width = PRINT_WIDTH;
      }
      Plotly.react(el, figure.data, layout, plotConfig());
      el.setAttribute("data-rendered", "true");
    });
  }

  /* Chromium fires beforeprint before it lays the page out for paper (Ctrl+P and
   * headless print to PDF alike), so the charts are redrawn synchronously at the
   * paper's width here, and at the window's width again after printing. */
  function setPrinting(on) {
    if (printing === on) {
      return;
    }
    printing = on;
    draw();
  }

  /* Material wraps each table in .md-typeset__scrollwrap (overflow-x: auto). A
   * table wider than the column makes that a scroll region no keyboard can reach
   * (WCAG 2.1.1; axe: scrollable-region-focusable), so make those focusable. */
  function focusableScrollers() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    Array.prototype.forEach.call(wraps, function (el) {
      if (el.scrollWidth > el.clientWidth) {
        el.setAttribute("tabindex", "0");
      } else {
        el.removeAttribute("tabindex");
      }
    });
  }

  /* Material labels each collapsible section's <nav> by the section's toggle
   * <label>; with navigation.indexes that label holds only an icon, so the nav
   * has an empty name that several pages repeat (axe: landmark-unique). Name it
   * after the section's index link instead. */
  function nameSectionNavs() {
    var navs = document.querySelectorAll(".md-sidebar nav.md-nav[aria-labelledby]");
    Array.prototype.forEach.call(navs, function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      if (!label || label.textContent.trim()) {
        return;
      }
      var title = nav.querySelector(":scope > .md-nav__title");
      var text = title ? title.textContent.trim() : "";
      if (text) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", text);
      }
    });
  }

  function show() {
    draw();
    focusableScrollers();
    nameSectionNavs();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(show);
  } else {
    document.addEventListener("DOMContentLoaded", show);
  }
  window.addEventListener("resize", focusableScrollers);
  window.addEventListener("beforeprint", function () { setPrinting(true); });
  window.addEventListener("afterprint", function () { setPrinting(false); });
  new MutationObserver(draw).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });
})();

// onrecord web pages: small progressive behaviour, loaded from 'self' (CSP: no inline script, no eval).
// - article page: click (or Enter on) a highlighted span to open its statement record(s) beside the text;
//   hovering a span outlines every span of the same statement.
// - entity and outlet pages: draw the monthly chart with the vendored uPlot from a JSON data block
//   (<script type="application/json">, read with JSON.parse, never executed); the table stays as the fallback.
"use strict";

(function () {
  function marksOf(id) {
    return document.querySelectorAll('mark.st[data-ids~="' + CSS.escape(id) + '"]');
  }

  function select(mark) {
    document.querySelectorAll(".record.active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll("mark.st.selected").forEach(function (el) { el.classList.remove("selected"); });
    var ids = (mark.getAttribute("data-ids") || "").split(" ").filter(Boolean);
    ids.forEach(function (id, i) {
      var card = document.getElementById("st-" + id);
      if (!card) { return; }
      card.classList.add("active");
      var details = card.querySelector("details");
      if (details) { details.open = true; }
      if (i === 0) { card.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
      marksOf(id).forEach(function (m) { m.classList.add("selected"); });
    });
  }

  function hover(mark, on) {
    var first = (mark.getAttribute("data-ids") || "").split(" ")[0];
    if (!first) { return; }
    marksOf(first).forEach(function (m) { m.classList.toggle("hover", on); });
  }

  function wireArticle() {
    var text = document.getElementById("article-text");
    if (!text) { return; }
    text.addEventListener("click", function (event) {
      var mark = event.target.closest("mark.st");
      if (mark) { select(mark); }
    });
    text.addEventListener("keydown", function (event) {
      var mark = event.target.closest("mark.st");
      if (mark && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(mark); }
    });
    text.addEventListener("mouseover", function (event) {
      var mark = event.target.closest("mark.st");
      if (mark) { hover(mark, true); }
    });
    text.addEventListener("mouseout", function (event) {
      var mark = event.target.closest("mark.st");
      if (mark) { hover(mark, false); }
    });
    if (location.hash.indexOf("#st-") === 0) {
      var first = marksOf(location.hash.slice(4))[0];
      if (first) { select(first); first.scrollIntoView({ block: "center" }); }
    }
  }

  var HALF_MONTH = 15 * 86400;

  function monthStart(month) {
    var parts = month.split("-");
    return Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 1) / 1000;
  }

  function drawChart(figure) {
    var area = figure.querySelector(".chart-area");
    var block = area && document.getElementById(area.id + "-data");
    if (!block || typeof uPlot === "undefined") { return; }
    var data = JSON.parse(block.textContent);
    var xs = data.points.map(function (p) { return monthStart(p.month); });
    var ys = data.points.map(function (p) { return p.statements; });
    var opts = {
      width: Math.max(area.clientWidth, 300),
      height: 220,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      legend: { show: true },
      scales: { x: { time: true, range: function (u, min, max) { return [min - HALF_MONTH, max + HALF_MONTH]; } }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      series: [
        { label: "month", value: "{YYYY}-{MM}" },
        { label: "statements", stroke: "#1f5fbf", fill: "rgba(31, 95, 191, 0.35)", width: 1,
          paths: uPlot.paths.bars({ size: [0.8, 40] }), points: { show: false } }
      ],
      axes: [{}, { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }]
    };
    new uPlot(opts, [xs, ys], area);
    figure.classList.add("drawn");
  }

  function wireCharts() {
    document.querySelectorAll("figure.chart").forEach(drawChart);
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireArticle();
    wireCharts();
  });
})();

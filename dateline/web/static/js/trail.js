// A claim's trail drawn with Observable Plot: each appearance on a time axis, one row per outlet, coloured by
// how it was attributed there (named, anonymous, unattributed); denials as red crosses. Text from the API only
// reaches the page through Plot's text nodes and <title>s (textContent), never as markup.
"use strict";
const FORMS = ["named", "anonymous", "unattributed"];
const FORM_COLOURS = ["#1a5fb4", "#e5a50a", "#c01c28"];

function day(value) {
  return value && value.length >= 10 ? new Date(value.slice(0, 10) + "T12:00:00Z") : null;
}

async function drawTrail() {
  const box = document.getElementById("trail-chart");
  if (!box) return;
  const claim = await fetchJSON(box.dataset.src);
  const points = claim.appearances.filter((a) => day(a.published)).map((a) => ({
    date: day(a.published), outlet: a.publisher || "unknown outlet", form: a.attribution,
    label: `${a.published} · ${a.publisher || ""} · ${a.attribution}${a.speaker_name ? " (" + a.speaker_name + ")" : ""}: ${a.content}`}));
  const denials = claim.denials.filter((d) => day(d.published)).map((d) => ({
    date: day(d.published), outlet: d.publisher || "unknown outlet",
    label: `denial · ${d.published} · ${d.publisher || ""} · ${d.speaker_name || ""}: ${d.content}`}));
  if (!points.length) { box.appendChild(el("p", {class: "hint"}, "No dated appearance.")); return; }
  const chart = Plot.plot({
    width: 860, height: 90 + 34 * new Set([...points, ...denials].map((p) => p.outlet)).size, marginLeft: 140,
    x: {type: "utc", label: "published", grid: true},
    y: {label: null},
    color: {domain: FORMS, range: FORM_COLOURS, legend: true},
    marks: [
      Plot.ruleY(points, {y: "outlet", stroke: "#eef0f2"}),
      Plot.line(points, {x: "date", y: "outlet", stroke: "#c4cbd2", sort: "date"}),
      Plot.dot(points, {x: "date", y: "outlet", fill: "form", r: 7, title: "label"}),
      Plot.dot(denials, {x: "date", y: "outlet", symbol: "times", stroke: "#c01c28", r: 8, strokeWidth: 3, title: "label"}),
    ],
  });
  chart.classList.add("plot");
  box.appendChild(chart);
  box.dataset.ready = "true";
  performance.mark("chart-drawn:trail-chart");
}

drawTrail().catch((error) => document.getElementById("trail-chart").appendChild(el("p", {class: "hint"}, String(error))));

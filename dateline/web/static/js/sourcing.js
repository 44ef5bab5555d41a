// Sourcing charts with Observable Plot: named vs anonymous shares, reasons given for anonymity and speaker kinds,
// one horizontal stacked bar per publisher, month, country, type or actor (the page's CSV link has the numbers).
"use strict";
const CHARTS = {
  sources: {parts: ["named", "anonymous"], colours: ["#1a5fb4", "#e5a50a"], label: "quotes"},
  reasons: {parts: ["reason_safety", "reason_unauthorised", "reason_sensitive", "reason_investigation", "reason_other"],
            colours: ["#c01c28", "#e66100", "#9141ac", "#26a269", "#77767b"], label: "anonymous quotes with a reason"},
  kinds: {parts: ["kind_official", "kind_expert", "kind_witness", "kind_group", "kind_other"],
          colours: ["#1a5fb4", "#26a269", "#e5a50a", "#9141ac", "#77767b"], label: "quotes by kind of speaker"},
};

function long(rows, parts) {
  const out = [];
  for (const row of rows) {
    const key = row.name || row.key || "(undated)";
    for (const part of parts) out.push({key: key, part: part.replace(/^(reason|kind)_/, ""), count: row[part] || 0});
  }
  return out;
}

async function drawSourcing() {
  const boxes = [...document.querySelectorAll("[data-chart]")];
  if (!boxes.length) return;
  const rows = await fetchJSON(boxes[0].dataset.src);
  for (const box of boxes) {
    const spec = CHARTS[box.dataset.chart];
    if (!rows.length) { box.appendChild(el("p", {class: "hint"}, "No quotes counted.")); continue; }
    const data = long(rows, spec.parts);
    const keys = rows.map((r) => r.name || r.key || "(undated)");
    const chart = Plot.plot({
      width: 860, height: 60 + 22 * keys.length, marginLeft: 170,
      x: {label: spec.label, grid: true},
      y: {domain: keys, label: null},
      color: {domain: spec.parts.map((p) => p.replace(/^(reason|kind)_/, "")), range: spec.colours, legend: true},
      marks: [Plot.barX(data, {y: "key", x: "count", fill: "part", title: (d) => `${d.key}: ${d.count} ${d.part}`}),
              Plot.ruleX([0])],
    });
    chart.classList.add("plot");
    box.appendChild(chart);
    box.dataset.ready = "true";
  }
  performance.mark("chart-drawn:sourcing");
}

drawSourcing().catch((error) => {
  const box = document.querySelector("[data-chart]");
  if (box) box.appendChild(el("p", {class: "hint"}, String(error)));
});

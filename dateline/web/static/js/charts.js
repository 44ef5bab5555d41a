// Charts drawn from an API endpoint named in data-src: attention (share) as light hand-drawn bars on the search
// page (no library to load before the first chart), events per period with Observable Plot on the timeline.
"use strict";

function drawBars(container, rows, valueKey, label) {
  clear(container);
  if (!rows.length) { container.appendChild(el("p", {class: "hint"}, "No dated data.")); return; }
  const width = 760, height = 160, pad = 28;
  const max = Math.max(...rows.map((r) => r[valueKey])) || 1;
  const svg = svgEl("svg", {viewBox: `0 0 ${width} ${height + pad}`, class: "bars", role: "img"});
  const step = (width - pad) / rows.length;
  // Years of days are thousands of bars: one path draws them all and one readout follows the pointer
  // (a rect and a <title> per bar made the first page build and lay out ~4,000 elements).
  const outline = rows.map((row, i) => {
    const h = (row[valueKey] / max) * (height - 10);
    return `M${(pad + i * step + 1).toFixed(2)} ${height}v${(-h).toFixed(2)}h${Math.max(1, step - 2).toFixed(2)}v${h.toFixed(2)}z`;
  }).join("");
  svg.appendChild(svgEl("path", {d: outline, class: "bar"}));
  svg.appendChild(svgEl("line", {x1: pad, y1: height, x2: width, y2: height, class: "axis"}));
  svg.appendChild(svgEl("text", {x: pad, y: height + 18, class: "tick"}, rows[0].period));
  svg.appendChild(svgEl("text", {x: width, y: height + 18, class: "tick", "text-anchor": "end"},
                        rows[rows.length - 1].period));
  svg.appendChild(svgEl("text", {x: 0, y: 12, class: "tick"},
                        valueKey === "share" ? `${Math.round(max * 100)}%` : String(max)));
  const readout = svgEl("text", {x: width / 2, y: height + 18, class: "tick readout", "text-anchor": "middle"});
  svg.appendChild(readout);
  svg.addEventListener("mousemove", (event) => {
    const box = svg.getBoundingClientRect();
    const i = Math.floor(((event.clientX - box.left) * width / box.width - pad) / step);
    readout.textContent = i >= 0 && i < rows.length ? `${rows[i].period}: ${label(rows[i])}` : "";
  });
  svg.addEventListener("mouseleave", () => { readout.textContent = ""; });
  container.appendChild(svg);
}

async function loadChart(id, valueKey, label) {
  const container = document.getElementById(id);
  if (!container) return;
  try {
    drawBars(container, await fetchJSON(container.dataset.src), valueKey, label);
    performance.mark("chart-drawn:" + id);  // read by benchmarks/bench_api.py
  } catch (error) {
    container.appendChild(el("p", {class: "hint"}, String(error)));
  }
}

// Events over time with Observable Plot (the timeline page loads it): one step area, a pointer tip, and the
// switch between happenings (event clusters, the default) and every report of them.
function plotEvents(container, rows, count) {
  clear(container);
  if (!rows.length) { container.appendChild(el("p", {class: "hint"}, "No dated data.")); return; }
  const what = count === "reports" ? "reports" : "happenings";
  const data = rows.map((r) => ({date: new Date(r.period.length === 7 ? r.period + "-01T00:00:00Z" : r.period + "T00:00:00Z"),
                                 count: r.count, period: r.period}));
  const chart = Plot.plot({
    width: 760, height: 190, marginLeft: 40,
    x: {type: "utc", label: null}, y: {label: what, grid: true},
    // className "bar": the same hook the hand-drawn bars gave tests and styles.
    marks: [Plot.areaY(data, {x: "date", y: "count", curve: "step", fill: "#1a5fb4", fillOpacity: 0.85, className: "bar"}),
            Plot.ruleY([0]),
            Plot.tip(data, Plot.pointerX({x: "date", y: "count", title: (d) => `${d.period}: ${d.count} ${what}`}))],
  });
  chart.classList.add("plot");
  container.appendChild(chart);
}

async function loadEvents(id) {
  const container = document.getElementById(id);
  if (!container) return;
  if (typeof Plot === "undefined") { loadChart(id, "count", (r) => `${r.count} events`); return; }
  const draw = async (count) => {
    const url = new URL(container.dataset.src, location.origin);
    url.searchParams.set("count", count);
    plotEvents(container, await fetchJSON(url.pathname + url.search), count);
    container.dataset.count = count;
    performance.mark("chart-drawn:" + id);
  };
  const select = el("select", {id: id + "-count", "aria-label": "Count events as"});
  for (const [value, text] of [["clusters", "happenings (one per event reported by several articles)"], ["reports", "every report"]]) {
    select.appendChild(el("option", {value: value}, text));
  }
  select.addEventListener("change", () => draw(select.value).catch((e) => container.appendChild(el("p", {class: "hint"}, String(e)))));
  container.parentNode.insertBefore(select, container);
  try {
    await draw("clusters");
  } catch (error) {
    container.appendChild(el("p", {class: "hint"}, String(error)));
  }
}

loadChart("attention", "share", (r) => `${r.count} of ${r.all} articles (${(r.share * 100).toFixed(1)}%)`);
loadEvents("events-chart");

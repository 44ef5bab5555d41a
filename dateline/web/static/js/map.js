// Map of places and events: country outlines from the world-atlas TopoJSON (npm, served locally), an
// equirectangular projection, markers sized by count; a click lists the articles or events behind a marker.
"use strict";
const W = 960, H = 480;
const project = (lon, lat) => [((lon + 180) / 360) * W, ((90 - lat) / 180) * H];

function ringPath(ring) {
  // Break the line where it jumps across the antimeridian instead of drawing across the map.
  let d = "", prev = null;
  for (const [lon, lat] of ring) {
    const [x, y] = project(lon, lat);
    d += (prev === null || Math.abs(lon - prev) > 180 ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
    prev = lon;
  }
  return d + "Z";
}

function featurePath(geometry) {
  if (!geometry) return "";
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((polygon) => polygon.map(ringPath).join("")).join("");
}

function drawCountries(svg, world) {
  const layer = svgEl("g", {class: "countries"});
  for (const feature of topojson.feature(world, world.objects.countries).features) {
    const path = svgEl("path", {d: featurePath(feature.geometry), class: "country"});
    path.appendChild(svgEl("title", {}, (feature.properties && feature.properties.name) || ""));
    layer.appendChild(path);
  }
  svg.appendChild(layer);
}

function drawMarkers(svg, rows, kind, countKey, onClick) {
  const layer = svgEl("g", {class: "markers " + kind, id: "layer-" + kind});
  const max = Math.max(1, ...rows.map((r) => r[countKey]));
  for (const row of rows) {
    if (row.lat === null || row.lon === null) continue;
    const [x, y] = project(row.lon, row.lat);
    const circle = svgEl("circle", {cx: x, cy: y, r: 2.5 + 9 * Math.sqrt(row[countKey] / max),
                                    class: "marker " + kind, tabindex: 0});
    circle.appendChild(svgEl("title", {}, `${row.name || "?"} (${row.country || "?"}): ${row[countKey]} ${countKey}`));
    circle.addEventListener("click", () => onClick(row));
    layer.appendChild(circle);
  }
  svg.appendChild(layer);
  return layer;
}

function fitView(svg, rows) {
  const points = rows.filter((r) => r.lat !== null && r.lon !== null).map((r) => project(r.lon, r.lat));
  if (!points.length) return;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  let x0 = Math.min(...xs) - 40, x1 = Math.max(...xs) + 40, y0 = Math.min(...ys) - 30, y1 = Math.max(...ys) + 30;
  const w = Math.max(x1 - x0, 240), h = Math.max(y1 - y0, 120);
  x0 = Math.max(0, (x0 + x1) / 2 - w / 2); y0 = Math.max(0, (y0 + y1) / 2 - h / 2);
  svg.setAttribute("viewBox", `${x0} ${y0} ${Math.min(w, W)} ${Math.min(h, H)}`);
}

async function listPlace(filters, row) {
  const page = await fetchJSON("/api/search.json" + withParams(filters, {place: row.name, limit: 50}));
  showPanel(`Articles naming ${row.name}`, page.items.map((a) => {
    const li = el("li");
    li.appendChild(articleLink(a.id, a.title));
    li.appendChild(el("small", {}, " " + (a.published || "undated")));
    return li;
  }));
}

async function listEvents(filters, row) {
  const page = await fetchJSON("/api/events.json" + withParams(filters, {place: row.name, limit: 50}));
  showPanel(`Events at ${row.name}`, page.items.map((v) => {
    const li = el("li");
    li.appendChild(el("span", {class: "type"}, v.type));
    li.appendChild(el("span", {}, ` ${v.source_text || "?"} → ${v.target_text || "?"} `));
    li.appendChild(el("div", {class: "evidence"}, v.evidence || ""));
    li.appendChild(articleLink(v.article_id, v.title, v.event_id));
    return li;
  }));
}

async function drawMap() {
  const box = document.getElementById("map");
  const svg = svgEl("svg", {viewBox: `0 0 ${W} ${H}`, class: "world", role: "img"});
  svg.appendChild(svgEl("rect", {x: 0, y: 0, width: W, height: H, class: "sea"}));
  box.appendChild(svg);
  const [world, places, events] = await Promise.all([
    fetchJSON(box.dataset.world), fetchJSON(box.dataset.places), fetchJSON(box.dataset.events)]);
  drawCountries(svg, world);
  const filters = box.dataset.filters;
  const placeLayer = drawMarkers(svg, places.items, "place", "articles", (row) => listPlace(filters, row));
  const eventLayer = drawMarkers(svg, events, "event", "events", (row) => listEvents(filters, row));
  fitView(svg, [...places.items, ...events]);
  document.getElementById("show-places").addEventListener("change", (e) => {
    placeLayer.style.display = e.target.checked ? "" : "none";
  });
  document.getElementById("show-events").addEventListener("change", (e) => {
    eventLayer.style.display = e.target.checked ? "" : "none";
  });
  document.getElementById("map-world").addEventListener("click", () => svg.setAttribute("viewBox", `0 0 ${W} ${H}`));
  box.dataset.ready = "true";
}

drawMap().catch((error) => document.getElementById("map").appendChild(el("p", {class: "hint"}, String(error))));

// Actor network: a small force layout in SVG; edges are PLOVER event types weighted by count; clicking
// an edge lists the evidence sentences of its events.
"use strict";
const NW = 900, NH = 560;
const CONFLICT = new Set(["ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]);

function layout(nodes, links) {
  // Deterministic start on a circle, then springs along links and repulsion between all nodes (n is small).
  nodes.forEach((n, i) => {
    const a = (2 * Math.PI * i) / nodes.length;
    n.x = NW / 2 + 200 * Math.cos(a); n.y = NH / 2 + 200 * Math.sin(a); n.vx = 0; n.vy = 0;
  });
  for (let step = 0; step < 300; step++) {
    const heat = 1 - step / 300;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        const d2 = Math.max(dx * dx + dy * dy, 25), f = 2500 / d2;
        dx *= f / Math.sqrt(d2); dy *= f / Math.sqrt(d2);
        a.vx += dx; a.vy += dy; b.vx -= dx; b.vy -= dy;
      }
    }
    for (const l of links) {
      const dx = l.target.x - l.source.x, dy = l.target.y - l.source.y;
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1), f = (d - 120) * 0.02;
      l.source.vx += (dx / d) * f; l.source.vy += (dy / d) * f;
      l.target.vx -= (dx / d) * f; l.target.vy -= (dy / d) * f;
    }
    for (const n of nodes) {
      n.vx += (NW / 2 - n.x) * 0.005; n.vy += (NH / 2 - n.y) * 0.005;
      n.x = Math.min(NW - 40, Math.max(40, n.x + n.vx * heat)); n.y = Math.min(NH - 20, Math.max(20, n.y + n.vy * heat));
      n.vx *= 0.5; n.vy *= 0.5;
    }
  }
}

async function showEvidence(filters, edge) {
  const page = await fetchJSON("/api/events.json" + withParams(filters, {
    source_actor_id: edge.source_actor_id, target_actor_id: edge.target_actor_id, type: edge.type, limit: 100}));
  const title = `${edge.source_name} ${edge.type} ${edge.target_name} (${edge.count})`;
  showPanel(title, page.items.map((v) => {
    const li = el("li", {class: "evidence-item"});
    li.appendChild(el("div", {class: "evidence"}, `“${v.evidence || ""}”` + (v.negated ? " (negated)" : "")));
    li.appendChild(articleLink(v.article_id, v.title, v.event_id));
    li.appendChild(el("small", {}, " " + (v.day || "")));
    return li;
  }));
}

async function drawNetwork() {
  const box = document.getElementById("network");
  const edges = await fetchJSON(box.dataset.src);
  if (!edges.length) { box.appendChild(el("p", {class: "hint"}, "No events between known actors match.")); return; }
  const byId = new Map();
  const node = (id, name) => {
    if (!byId.has(id)) byId.set(id, {id: id, name: name, degree: 0});
    return byId.get(id);
  };
  const pairCount = new Map();
  const links = edges.map((e) => {
    const key = [e.source_actor_id, e.target_actor_id].sort().join("-");
    pairCount.set(key, (pairCount.get(key) || 0) + 1);
    const link = {edge: e, source: node(e.source_actor_id, e.source_name), target: node(e.target_actor_id, e.target_name),
                  rank: pairCount.get(key)};
    link.source.degree += e.count; link.target.degree += e.count;
    return link;
  });
  const nodes = [...byId.values()];
  layout(nodes, links);
  const svg = svgEl("svg", {viewBox: `0 0 ${NW} ${NH}`, class: "graph", role: "img"});
  const defs = svgEl("defs");
  for (const kind of ["conflict", "cooperation"]) {
    const marker = svgEl("marker", {id: "arrow-" + kind, viewBox: "0 0 10 10", refX: 18, refY: 5, markerWidth: 6,
                                    markerHeight: 6, orient: "auto-start-reverse"});
    marker.appendChild(svgEl("path", {d: "M0,0L10,5L0,10Z", class: "arrow " + kind}));
    defs.appendChild(marker);
  }
  svg.appendChild(defs);
  const maxCount = Math.max(...edges.map((e) => e.count));
  const filters = box.dataset.filters;
  for (const l of links) {
    const kind = CONFLICT.has(l.edge.type) ? "conflict" : "cooperation";
    // Several types between one pair: bend each edge by its rank so all stay visible and clickable.
    const mx = (l.source.x + l.target.x) / 2, my = (l.source.y + l.target.y) / 2;
    const dx = l.target.x - l.source.x, dy = l.target.y - l.source.y, d = Math.max(Math.hypot(dx, dy), 1);
    const bend = (l.rank - 1) * 28 + (l.source === l.target ? 40 : 0);
    const d_ = `M${l.source.x},${l.source.y}Q${mx - (dy / d) * bend},${my + (dx / d) * bend} ${l.target.x},${l.target.y}`;
    const group = svgEl("g", {class: "edge " + kind, tabindex: 0, "data-type": l.edge.type});
    group.appendChild(svgEl("path", {d: d_, class: "edge-hit"}));
    group.appendChild(svgEl("path", {d: d_, class: "edge-line", "stroke-width": 1 + 5 * (l.edge.count / maxCount),
                                     "marker-end": `url(#arrow-${kind})`}));
    group.appendChild(svgEl("title", {}, `${l.edge.source_name} ${l.edge.type} ${l.edge.target_name}: ${l.edge.count}`));
    group.addEventListener("click", () => showEvidence(filters, l.edge));
    svg.appendChild(group);
  }
  const maxDegree = Math.max(...nodes.map((n) => n.degree));
  for (const n of nodes) {
    const g = svgEl("g", {class: "node"});
    g.appendChild(svgEl("circle", {cx: n.x, cy: n.y, r: 5 + 8 * Math.sqrt(n.degree / maxDegree)}));
    const label = n.name.length > 40 ? n.name.slice(0, 39) + "…" : n.name;
    g.appendChild(svgEl("text", {x: n.x + 10, y: n.y - 8}, label));
    g.appendChild(svgEl("title", {}, n.name));
    const link = svgEl("a", {href: "/" + withParams("", {actor: n.id})});
    link.appendChild(g);
    svg.appendChild(link);
  }
  box.appendChild(svg);
  box.dataset.ready = "true";
}

drawNetwork().catch((error) => document.getElementById("network").appendChild(el("p", {class: "hint"}, String(error))));

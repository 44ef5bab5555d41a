// Actor network laid out by d3-force (Barnes-Hut many-body, links, collision: O(n log n) a tick, readable at 500
// actors), drawn in SVG with pan and zoom. Edges are PLOVER event types weighted by how many happenings (event
// clusters; or reports, with the switch) they stand for; clicking one lists its evidence sentences. Names only
// reach the page as text nodes; the heaviest actors are labelled, the rest on hover.
"use strict";
const NW = 900, NH = 560, LABELLED = 40;
const CONFLICT = new Set(["ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]);

function layout(nodes, links) {
  // Deterministic: d3-force starts nodes on a phyllotaxis spiral and its random source is seeded here.
  const simulation = d3.forceSimulation(nodes)
    .randomSource(d3.randomLcg(42))
    .force("charge", d3.forceManyBody().strength(nodes.length > 150 ? -60 : -220))
    .force("link", d3.forceLink(links).distance(nodes.length > 150 ? 40 : 110).strength(0.4))
    .force("collide", d3.forceCollide().radius((n) => n.r + 2))
    .force("x", d3.forceX(NW / 2).strength(0.05))
    .force("y", d3.forceY(NH / 2).strength(0.08))
    .stop();
  const ticks = Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay()));
  for (let i = 0; i < ticks; i++) simulation.tick();
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

function countSwitch(box, current, redraw) {
  // Happenings (clusters of reports) or every report: the same edges, weighted one way or the other.
  const label = el("label", {class: "count-switch"}, "count ");
  const select = el("select", {id: "network-count", "aria-label": "Count events as"});
  for (const [value, text] of [["clusters", "happenings"], ["reports", "reports"]]) {
    const option = el("option", {value: value}, text);
    if (value === current) option.setAttribute("selected", "selected");
    select.appendChild(option);
  }
  select.addEventListener("change", () => redraw(select.value));
  label.appendChild(select);
  box.parentNode.insertBefore(label, box);
}

function draw(box, edges, filters) {
  clear(box);
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
  const maxDegree = Math.max(...nodes.map((n) => n.degree));
  for (const n of nodes) n.r = 4 + 8 * Math.sqrt(n.degree / maxDegree);
  layout(nodes, links);
  const labelled = new Set([...nodes].sort((a, b) => b.degree - a.degree).slice(0, LABELLED));
  const svg = svgEl("svg", {viewBox: `0 0 ${NW} ${NH}`, class: "graph", role: "img"});
  const defs = svgEl("defs");
  for (const kind of ["conflict", "cooperation"]) {
    const marker = svgEl("marker", {id: "arrow-" + kind, viewBox: "0 0 10 10", refX: 18, refY: 5, markerWidth: 6,
                                    markerHeight: 6, orient: "auto-start-reverse"});
    marker.appendChild(svgEl("path", {d: "M0,0L10,5L0,10Z", class: "arrow " + kind}));
    defs.appendChild(marker);
  }
  svg.appendChild(defs);
  const world = svgEl("g", {class: "world"});
  svg.appendChild(world);
  const maxCount = Math.max(...edges.map((e) => e.count));
  for (const l of links) {
    const kind = CONFLICT.has(l.edge.type) ? "conflict" : "cooperation";
    // Several types between one pair: bend each edge by its rank so all stay visible and clickable.
    const mx = (l.source.x + l.target.x) / 2, my = (l.source.y + l.target.y) / 2;
    const dx = l.target.x - l.source.x, dy = l.target.y - l.source.y, d = Math.max(Math.hypot(dx, dy), 1);
    const bend = (l.rank - 1) * 18 + (l.source === l.target ? 30 : 0);
    const path = `M${l.source.x},${l.source.y}Q${mx - (dy / d) * bend},${my + (dx / d) * bend} ${l.target.x},${l.target.y}`;
    const group = svgEl("g", {class: "edge " + kind, tabindex: 0, "data-type": l.edge.type});
    group.appendChild(svgEl("path", {d: path, class: "edge-hit"}));
    group.appendChild(svgEl("path", {d: path, class: "edge-line", "stroke-width": 1 + 4 * (l.edge.count / maxCount),
                                     "marker-end": `url(#arrow-${kind})`}));
    group.appendChild(svgEl("title", {}, `${l.edge.source_name} ${l.edge.type} ${l.edge.target_name}: ${l.edge.count}`));
    group.addEventListener("click", () => showEvidence(filters, l.edge));
    world.appendChild(group);
  }
  for (const n of nodes) {
    const g = svgEl("g", {class: "node"});
    g.appendChild(svgEl("circle", {cx: n.x, cy: n.y, r: n.r}));
    if (labelled.has(n)) {
      const label = n.name.length > 40 ? n.name.slice(0, 39) + "…" : n.name;
      g.appendChild(svgEl("text", {x: n.x + n.r + 3, y: n.y - n.r}, label));
    }
    g.appendChild(svgEl("title", {}, n.name));
    const link = svgEl("a", {href: "/" + withParams("", {actor: n.id})});
    link.appendChild(g);
    world.appendChild(link);
  }
  box.appendChild(svg);
  d3.select(svg).call(d3.zoom().scaleExtent([0.3, 8]).on("zoom", (event) => {
    world.setAttribute("transform", event.transform.toString());
  }));
  box.dataset.nodes = String(nodes.length);
  box.dataset.ready = "true";
}

async function drawNetwork() {
  const box = document.getElementById("network");
  const filters = box.dataset.filters;
  const load = async (count) => {
    box.dataset.ready = "false";
    const url = new URL(box.dataset.src, location.origin);
    url.searchParams.set("count", count);
    draw(box, await fetchJSON(url.pathname + url.search), filters);
    box.dataset.count = count;
  };
  countSwitch(box, "clusters", (count) => load(count).catch((error) => box.appendChild(el("p", {class: "hint"}, String(error)))));
  await load("clusters");
}

drawNetwork().catch((error) => document.getElementById("network").appendChild(el("p", {class: "hint"}, String(error))));

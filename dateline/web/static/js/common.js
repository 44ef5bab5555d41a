// Helpers shared by every page. Data from the API is hostile text: it only ever reaches the DOM through
// textContent and setAttribute on elements built here, never through innerHTML.
"use strict";
const SVG_NS = "http://www.w3.org/2000/svg";

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

async function fetchJSON(url) {
  const response = await fetch(url, {headers: {"Accept": "application/json"}});
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  return response.json();
}

// A same-origin link to an article (ids are path segments: encoded, never trusted).
function articleLink(id, text, fact) {
  const href = "/articles/" + encodeURIComponent(id) + (fact ? "#f-" + encodeURIComponent(fact) : "");
  return el("a", {href: href}, text || "(untitled)");
}

// Extra query parameters appended to a filter query string such as "?q=x" or "".
function withParams(filters, extra) {
  const params = new URLSearchParams(filters || "");
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return "?" + params.toString();
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function showPanel(title, rows) {
  const panel = document.getElementById("panel");
  clear(panel);
  panel.appendChild(el("h2", {}, title));
  const list = el("ul", {class: "panel-list"});
  rows.forEach((row) => list.appendChild(row));
  if (!rows.length) list.appendChild(el("li", {}, "Nothing found."));
  panel.appendChild(list);
  return panel;
}

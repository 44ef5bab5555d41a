// Article view: clicking a fact scrolls to its span in the body and marks every span of that fact.
"use strict";

function focusFact(factId) {
  document.querySelectorAll(".hl.active").forEach((node) => node.classList.remove("active"));
  const spans = document.querySelectorAll(`.hl[data-f~="${CSS.escape(factId)}"]`);
  spans.forEach((node) => node.classList.add("active"));
  if (spans.length) spans[0].scrollIntoView({behavior: "smooth", block: "center"});
}

document.getElementById("facts").addEventListener("click", (event) => {
  const link = event.target.closest("a[data-fact]");
  if (!link) return;
  event.preventDefault();
  history.replaceState(null, "", "#f-" + encodeURIComponent(link.dataset.fact));
  focusFact(link.dataset.fact);
});

document.getElementById("body").addEventListener("click", (event) => {
  const span = event.target.closest(".hl[data-f]");
  if (!span) return;
  const first = span.dataset.f.split(" ")[0];
  const item = document.querySelector(`#facts a[data-fact="${CSS.escape(first)}"]`);
  if (item) item.parentElement.scrollIntoView({behavior: "smooth", block: "nearest"});
  focusFact(first);
});

if (location.hash.startsWith("#f-")) focusFact(decodeURIComponent(location.hash.slice(3)));

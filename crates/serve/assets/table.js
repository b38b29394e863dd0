// The event table and the event detail drawer. Rows are `Event` objects (the JSON
// contract of `dyad code`); the drawer shows the coded sentence with source, target
// and verb highlighted from the provenance spans, and the explanation of the coding.
import { QUAD, esc, fmtG, fmtInt } from "./format.js";

function actor(a) {
  if (!a) return `<span class="src">—</span>`;
  return `<span class="actor" title="${esc(a.text)}">${esc(a.code)}</span>`;
}

function quadBadge(q) {
  const info = QUAD[q - 1];
  return info ? `<span class="badge q${q}" title="${esc(info.name)}">${q} ${esc(info.name.split(" ")[1])}</span>` : "";
}

function place(e) {
  const l = e.location;
  if (!l) return `<span class="src">—</span>`;
  return esc(l.country && l.name !== l.country ? `${l.name}, ${l.country}` : l.name);
}

/** Renders one page of events ({total, limit, offset, events}). */
export function render(container, data, { openId, onOpen }) {
  const events = data.events ?? [];
  if (events.length === 0) {
    container.innerHTML = `<div class="empty">No events match these filters.</div>`;
    return;
  }
  const rows = events.map((e) => `
    <tr data-event="${esc(e.event_id)}" class="${e.event_id === openId ? "open" : ""}" tabindex="0">
      <td class="mono">${esc(e.date ?? "")}</td>
      <td>${actor(e.source)}</td>
      <td class="mono" title="${esc(e.provenance?.trigger?.text ?? "")}">${esc(e.cameo)}</td>
      <td>${actor(e.target)}</td>
      <td>${quadBadge(e.quad_class)}</td>
      <td class="num">${fmtG(e.goldstein)}</td>
      <td>${place(e)}</td>
      <td class="sentence">${esc(e.text)}</td>
    </tr>`).join("");
  container.innerHTML = `<table class="events">
    <thead><tr><th>Date</th><th>Source</th><th>CAMEO</th><th>Target</th><th>QuadClass</th><th>Goldstein</th><th>Place</th><th>Sentence</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
  for (const tr of container.querySelectorAll("tbody tr")) {
    const open = () => onOpen(tr.dataset.event);
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") open();
    });
  }
}

/** The highlighted sentence: segments [{text, role}] from the API. */
function sentenceHtml(segments) {
  return segments.map((seg) => (seg.role ? `<mark class="${esc(seg.role)}" title="${esc(seg.role)}">${esc(seg.text)}</mark>` : esc(seg.text))).join("");
}

/** Fills the drawer with one event's detail ({event, document, sentence, explanation}). */
export function renderDetail(body, titleEl, d) {
  const e = d.event;
  const q = QUAD[e.quad_class - 1];
  titleEl.textContent = `${e.source?.code ?? "?"} → ${e.target?.code ?? "?"} · CAMEO ${e.cameo}`;
  const facts = [
    ["Event", `<span class="mono">${esc(e.event_id)}</span>`],
    ["Date", esc(e.date ?? "unknown") + (e.when?.expression ? ` <span class="src">(“${esc(e.when.expression)}”, ${esc(e.when.method)})</span>` : "")],
    ["Source", e.source ? `${actor(e.source)} “${esc(e.source.text)}”` : "—"],
    ["Target", e.target ? `${actor(e.target)} “${esc(e.target.text)}”` : "—"],
    ["Action", `CAMEO <b class="mono">${esc(e.cameo)}</b>${d.cameo_name ? ` ${esc(d.cameo_name)}` : ""} · root ${esc(e.root)}`],
    ["QuadClass", q ? `${quadBadge(e.quad_class)}` : esc(e.quad_class)],
    ["Goldstein", fmtG(e.goldstein)],
    ["PLOVER", esc([e.plover?.category, e.plover?.mode].filter(Boolean).join(" / ") || "—")],
  ];
  if (e.location) {
    const l = e.location;
    facts.push(["Place", `${esc(l.name)}${l.country ? ` (${esc(l.country)})` : ""} <span class="src">${esc(l.feature)}, found by ${esc(l.method)}${l.lat !== null && l.lat !== undefined ? ` · ${l.lat.toFixed(2)}, ${l.lon.toFixed(2)}` : ""}</span>`]);
  }
  for (const [k, c] of Object.entries(e.counts ?? {})) {
    if (c) facts.push([k[0].toUpperCase() + k.slice(1), `${fmtInt(c.value)} <span class="src">(${esc(c.qualifier)}, “${esc(c.text)}”)</span>`]);
  }
  if (d.mentions > 1) facts.push(["Reported", `${fmtInt(d.mentions)} mentions`]);
  const doc = d.document ?? {};
  const docLine = [doc.title ? `<b>${esc(doc.title)}</b>` : null, doc.source ? esc(doc.source) : null, doc.date ? esc(doc.date) : null, `<span class="mono">${esc(doc.id ?? e.doc_id)}</span>`, `sentence ${esc(e.sentence)}`]
    .filter(Boolean).join(" · ");
  const url = doc.url && /^https?:\/\//.test(doc.url) ? ` · <a href="${esc(doc.url)}" target="_blank" rel="noopener noreferrer">source link</a>` : "";
  body.innerHTML = `
    <h3>Sentence</h3>
    <div class="sentence-box" id="detail-sentence">${sentenceHtml(d.sentence?.segments ?? [{ text: e.text }])}</div>
    <div class="legend"><span><mark class="source">source</mark></span><span><mark class="target">target</mark></span><span><mark class="verb">verb</mark></span><span><mark class="location">place</mark></span></div>
    <p class="src">${docLine}${url}</p>
    <h3>Coded event</h3>
    <dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>
    <h3>Why it was coded this way</h3>
    <ol class="explain" id="detail-explain">${(d.explanation ?? []).map((line) => `<li>${esc(line)}</li>`).join("")}</ol>`;
}

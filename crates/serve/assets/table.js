// The event table and the event drawer. Rows are the store's deduplicated events
// (`EventRow`, the same objects as `dyad query events --json`). The drawer shows each
// article mention of the event: its sentence with source, target and verb
// highlighted (the server cuts the sentence at the provenance spans) and the
// explanation of how it was coded.
import { QUAD, esc, fmtG, fmtInt } from "./format.js";

function actor(code, text) {
  if (!code) return `<span class="src">—</span>`;
  return `<span class="actor" title="${esc(text ?? "")}">${esc(code)}</span>`;
}

function quadBadge(q) {
  const info = QUAD[q - 1];
  return info ? `<span class="badge q${q}" title="${esc(info.name)}">${q} ${esc(info.name.split(" ")[1])}</span>` : "";
}

function place(e) {
  if (!e.location_name) return `<span class="src">—</span>`;
  return esc(e.location_country ? `${e.location_name}, ${e.location_country}` : e.location_name);
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
      <td>${actor(e.source_code, e.source_text)}</td>
      <td class="mono">${esc(e.cameo)}</td>
      <td>${actor(e.target_code, e.target_text)}</td>
      <td>${quadBadge(e.quad_class)}</td>
      <td class="num">${fmtG(e.goldstein)}</td>
      <td>${place(e)}</td>
      <td class="num">${fmtInt(e.num_articles)}</td>
      <td class="sentence">${esc([e.source_text, e.target_text].filter(Boolean).join(" · "))}</td>
    </tr>`).join("");
  container.innerHTML = `<table class="events">
    <thead><tr><th>Date</th><th>Source</th><th>CAMEO</th><th>Target</th><th>QuadClass</th><th>Goldstein</th><th>Place</th><th title="Articles reporting the event">Articles</th><th>Actor words</th></tr></thead>
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

function mentionHtml(m, i) {
  const doc = [m.title ? `<b>${esc(m.title)}</b>` : null, m.outlet ? esc(m.outlet) : null, `<span class="mono">${esc(m.doc_id)}</span>`, `sentence ${esc(m.sentence)}`, m.coded?.date ? esc(m.coded.date) : null]
    .filter(Boolean).join(" · ");
  const url = m.url && /^https?:\/\//.test(m.url) ? ` · <a href="${esc(m.url)}" target="_blank" rel="noopener noreferrer">source link</a>` : "";
  return `
    <section class="mention" data-mention="${i}">
      <div class="sentence-box">${sentenceHtml(m.highlighted?.segments ?? [])}</div>
      <p class="src">${doc}${url}</p>
      <h3>Why it was coded this way</h3>
      <ol class="explain">${(m.explanation ?? []).map((line) => `<li>${esc(line)}</li>`).join("")}</ol>
    </section>`;
}

/** Fills the drawer with one event's detail ({event, mentions}). */
export function renderDetail(body, titleEl, d) {
  const e = d.event;
  titleEl.textContent = `${e.source_code ?? "?"} → ${e.target_code ?? "?"} · CAMEO ${e.cameo}`;
  const facts = [
    ["Event", `<span class="mono">${esc(e.event_id)}</span>`],
    ["Date", esc(e.date ?? "unknown")],
    ["Source", e.source_code ? `${actor(e.source_code, e.source_text)} “${esc(e.source_text ?? "")}”` : "—"],
    ["Target", e.target_code ? `${actor(e.target_code, e.target_text)} “${esc(e.target_text ?? "")}”` : "—"],
    ["Action", `CAMEO <b class="mono">${esc(e.cameo)}</b> · root ${esc(e.root)}`],
    ["QuadClass", quadBadge(e.quad_class)],
    ["Goldstein", fmtG(e.goldstein)],
    ["PLOVER", esc([e.plover_category, e.plover_mode].filter(Boolean).join(" / ") || "—")],
  ];
  if (e.location_name) {
    const at = e.lat !== null && e.lat !== undefined ? ` <span class="src">${e.lat.toFixed(2)}, ${e.lon.toFixed(2)}</span>` : "";
    facts.push(["Place", `${place(e)}${at}`]);
  }
  if (e.killed) facts.push(["Killed", fmtInt(e.killed)]);
  if (e.wounded) facts.push(["Wounded", fmtInt(e.wounded)]);
  const n = (k, one, many) => `${fmtInt(k)} ${k === 1 ? one : many}`;
  facts.push(["Reported", `${n(e.num_mentions, "mention", "mentions")} in ${n(e.num_articles, "article", "articles")} from ${n(e.num_sources, "outlet", "outlets")}`]);
  const mentions = d.mentions ?? [];
  body.innerHTML = `
    <dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>
    <div class="legend"><span><mark class="source">source</mark></span><span><mark class="target">target</mark></span><span><mark class="verb">verb</mark></span><span><mark class="location">place</mark></span></div>
    <h3>${mentions.length === 1 ? "Sentence" : `${fmtInt(mentions.length)} mentions, earliest first`}</h3>
    ${mentions.map(mentionHtml).join("")}`;
}

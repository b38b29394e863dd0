// The dashboard: one filter bar drives four views (timeline, dyad network, map,
// event table) and the event drawer. State lives in the URL hash (see state.js);
// every change goes through `apply`, which writes the hash and refreshes the views,
// so the back button, a reload and a shared link all show the same thing.
import * as api from "./api.js";
import * as state from "./state.js";
import * as timeline from "./timeline.js";
import * as network from "./network.js";
import * as map from "./map.js";
import * as table from "./table.js";
import { fmtInt, esc } from "./format.js";

const $ = (id) => document.getElementById(id);
let current = state.read();

function showError(err) {
  if (api.isAbort(err)) return;
  const bar = $("error");
  bar.textContent = err?.message ?? String(err);
  bar.hidden = false;
}

/** Runs one view's fetch-and-render with a loading state; marks the view done. */
async function view(id, path, draw) {
  const el = $(id);
  el.classList.add("loading");
  el.removeAttribute("data-ready");
  try {
    const data = await api.get(path, id);
    await draw(el, data);
    el.dataset.ready = "true";
  } catch (err) {
    if (api.isAbort(err)) return;
    showError(err);
    el.dataset.ready = "error";
  } finally {
    el.classList.remove("loading");
  }
}

function fillForm() {
  for (const key of state.FILTER_KEYS) {
    const input = $(`f-${key}`);
    if (input) input.value = current[key] ?? "";
  }
  for (const b of $("interval").querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.by === current.by));
  }
  for (const b of $("level").querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.level === current.level));
  }
  $("page-size").value = current.size;
}

function refresh() {
  $("error").hidden = true;
  fillForm();
  const f = (extra) => state.filterQuery(current, extra);
  const selectedActor = current.actor ?? current.source;
  view("timeline", `/api/timeline?${f({ by: current.by })}`, (el, d) => {
    timeline.render(el, d);
    el.dataset.total = String((d.buckets ?? []).reduce((n, b) => n + b.events, 0));
  });
  view("network", `/api/network?${f({ limit: 60, level: current.level })}`, (el, d) => {
    network.render(el, d, { selected: selectedActor, onSelect: (id) => apply({ actor: id, source: "", target: "", page: "0" }) });
    el.dataset.edges = String((d.edges ?? []).length);
  });
  view("map", `/api/places?${f({ limit: 300 })}`, async (el, d) => {
    await map.render(el, d, { selected: current.country, onSelect: (id) => apply({ country: id === current.country ? "" : id, page: "0" }) });
    map.legend($("map-legend"), d);
    el.dataset.total = String((d.countries ?? []).reduce((n, c) => n + c.events, 0));
  });
  const size = Number(current.size) || 50;
  const page = Number(current.page) || 0;
  view("table", `/api/events?${f({ limit: size, offset: page * size })}`, (el, d) => {
    table.render(el, d, { openId: current.event, onOpen: (id) => apply({ event: id }) });
    const first = d.total === 0 ? 0 : d.offset + 1;
    const last = d.offset + (d.events ?? []).length;
    $("table-sub").textContent = `${fmtInt(d.total)} events match`;
    $("page-info").textContent = `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(d.total)}`;
    $("prev").disabled = page === 0;
    $("next").disabled = last >= d.total;
    el.dataset.total = String(d.total);
  });
  detail();
}

async function detail() {
  const drawer = $("detail");
  if (!current.event) {
    drawer.hidden = true;
    return;
  }
  drawer.hidden = false;
  const body = $("detail-body");
  body.innerHTML = `<p class="src">Loading…</p>`;
  body.removeAttribute("data-ready");
  try {
    const d = await api.get(`/api/events/${encodeURIComponent(current.event)}`, "detail");
    table.renderDetail(body, $("detail-title"), d);
    body.dataset.ready = "true";
  } catch (err) {
    if (api.isAbort(err)) return;
    body.innerHTML = `<p class="src">${esc(err.message)}</p>`;
    body.dataset.ready = "error";
  }
}

/** Merges `changes` into the state, records it in the URL and redraws. */
function apply(changes) {
  current = { ...current, ...changes };
  for (const [k, v] of Object.entries(current)) {
    if (v === "" || v === null || v === undefined) delete current[k];
  }
  current = { ...state.DEFAULTS, ...current };
  state.write(current);
  refresh();
}

async function stats() {
  try {
    const s = await api.get("/api/stats");
    const range = s.first_date ? ` · ${esc(s.first_date)} to ${esc(s.last_date)}` : "";
    $("stats").innerHTML = `<b>${fmtInt(s.events)}</b> events from <b>${fmtInt(s.documents)}</b> documents${range}`;
  } catch (err) {
    $("stats").textContent = "Database unavailable";
    showError(err);
  }
}

function init() {
  timeline.legend($("timeline-legend"));
  network.legend($("network-legend"));
  map.legend($("map-legend"), null);
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const changes = { page: "0" };
    for (const key of state.FILTER_KEYS) changes[key] = $(`f-${key}`)?.value.trim() ?? "";
    apply(changes);
  });
  $("reset").addEventListener("click", () => {
    const changes = { page: "0", event: "" };
    for (const key of state.FILTER_KEYS) changes[key] = "";
    apply(changes);
  });
  for (const b of $("interval").querySelectorAll("button")) {
    b.addEventListener("click", () => apply({ by: b.dataset.by }));
  }
  for (const b of $("level").querySelectorAll("button")) {
    b.addEventListener("click", () => apply({ level: b.dataset.level }));
  }
  $("prev").addEventListener("click", () => apply({ page: String(Math.max(0, (Number(current.page) || 0) - 1)) }));
  $("next").addEventListener("click", () => apply({ page: String((Number(current.page) || 0) + 1) }));
  $("page-size").addEventListener("change", () => apply({ size: $("page-size").value, page: "0" }));
  $("detail-close").addEventListener("click", () => apply({ event: "" }));
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && current.event) apply({ event: "" });
  });
  window.addEventListener("popstate", () => {
    current = state.read();
    refresh();
  });
  let resize;
  window.addEventListener("resize", () => {
    clearTimeout(resize);
    resize = setTimeout(refresh, 250);
  });
  stats();
  refresh();
}

init();

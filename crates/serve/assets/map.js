// World map: countries shaded by the number of events located in them (log scale),
// and circles for geocoded places sized by their event count.
import { s, svgFor, tipOn, empty } from "./svg.js";
import { fmtInt, fmtG, countColor } from "./format.js";
import { countries, fit, pathOf, spherePath } from "./geo.js";

let shapes = null;

/** Loads and decodes the built-in country shapes once. */
async function world() {
  if (!shapes) {
    const res = await fetch("/assets/world.json");
    shapes = countries(await res.json());
  }
  return shapes;
}

/** Renders `data` ({countries:[{country, events, goldstein_mean}], points:[{name, lat, lon, country, events}]}). */
export async function render(container, data, { selected, onSelect }) {
  const byCountry = new Map((data.countries ?? []).map((c) => [c.country, c]));
  const points = data.points ?? [];
  const geo = await world();
  const { svg, w, h } = svgFor(container);
  const project = fit(w, h);
  const max = Math.max(0, ...(data.countries ?? []).map((c) => c.events));
  svg.append(s("path", { class: "sphere", d: spherePath(project) }));
  const g = s("g");
  for (const c of geo) {
    const stat = byCountry.get(c.id);
    const path = s("path", {
      class: `country${selected === c.id ? " selected" : ""}`,
      d: pathOf(c, project),
      fill: countColor(stat?.events ?? 0, max),
      "data-country": c.id,
      "data-events": stat?.events ?? 0,
    });
    tipOn(path, () => `<b>${c.name}</b> (${c.id})<br>${fmtInt(stat?.events ?? 0)} events` + (stat ? ` · mean Goldstein ${fmtG(stat.goldstein_mean)}` : ""));
    path.addEventListener("click", () => onSelect(c.id));
    g.append(path);
  }
  svg.append(g);
  const maxP = Math.max(1, ...points.map((p) => p.events));
  const pg = s("g");
  for (const p of points) {
    if (p.lat === null || p.lon === null || p.lat === undefined || p.lon === undefined) continue;
    const [x, y] = project(p.lon, p.lat);
    const dot = s("circle", { class: "point", cx: x.toFixed(1), cy: y.toFixed(1), r: (2.5 + 9 * Math.sqrt(p.events / maxP)).toFixed(1), "data-place": p.name, "data-events": p.events });
    tipOn(dot, `<b>${p.name}</b>${p.country ? ` (${p.country})` : ""}<br>${fmtInt(p.events)} events`);
    pg.append(dot);
  }
  svg.append(pg);
  container.replaceChildren(svg);
  if (max === 0 && points.length === 0) {
    const note = document.createElement("div");
    note.className = "empty";
    note.style.pointerEvents = "none";
    note.textContent = "No located events match these filters.";
    container.append(note);
  }
}

export function legend(el, data) {
  const max = Math.max(0, ...(data?.countries ?? []).map((c) => c.events));
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `${countColor(Math.round(Math.expm1(t * Math.log1p(Math.max(max, 1)))) || 1, max)} ${t * 100}%`).join(",");
  const unlocated = data?.unlocated ?? 0;
  el.innerHTML = `<span>1<span class="ramp" style="background:linear-gradient(90deg,${stops})"></span>${fmtInt(max)} events per country (log)</span>` +
    `<span><span class="sw" style="background:rgba(200,49,43,.55);border-radius:50%"></span>geocoded place</span>` +
    (unlocated ? `<span>${fmtInt(unlocated)} events without a place</span>` : "");
}

export { empty };

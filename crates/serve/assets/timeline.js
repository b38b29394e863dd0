// Timeline: stacked bars of event counts by QuadClass per period, with the mean
// Goldstein score as a line on its own -10…+10 axis. Gaps (periods with no events)
// are kept as empty slots so time reads left to right at an even pace.
import { s, svgFor, tipOn, empty } from "./svg.js";
import { QUAD, fmtInt, fmtG, ticks } from "./format.js";

/** Renders `data` ({by, buckets:[{period, events, quad:[4], goldstein_mean}]}). */
export function render(container, data) {
  const buckets = data.buckets ?? [];
  if (buckets.length === 0) {
    empty(container, "No events match these filters.");
    return;
  }
  const { svg, w, h } = svgFor(container);
  const m = { top: 12, right: 44, bottom: 26, left: 46 };
  const iw = w - m.left - m.right;
  const ih = h - m.top - m.bottom;
  const maxN = Math.max(...buckets.map((b) => b.events));
  const yt = ticks(maxN, 4);
  const yMax = yt[yt.length - 1];
  const y = (n) => m.top + ih - (n / yMax) * ih;
  const g = (v) => m.top + ih / 2 - (v / 10) * (ih / 2);
  const slot = iw / buckets.length;
  const bw = Math.max(1, Math.min(48, slot * 0.78));
  const x = (i) => m.left + slot * i + slot / 2;

  const axis = s("g", { class: "axis" });
  for (const t of yt) {
    axis.append(s("line", { class: "grid-line", x1: m.left, x2: w - m.right, y1: y(t), y2: y(t) }));
    axis.append(s("text", { x: m.left - 6, y: y(t) + 4, "text-anchor": "end" }, [fmtInt(t)]));
  }
  for (const v of [-10, 0, 10]) {
    axis.append(s("text", { x: w - m.right + 6, y: g(v) + 4 }, [fmtG(v).replace(".0", "")]));
  }
  axis.append(s("text", { x: w - 4, y: m.top + ih / 2 - 16, "text-anchor": "end" }, ["G"]));
  const every = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(iw / 64))));
  buckets.forEach((b, i) => {
    if (i % every === 0) {
      axis.append(s("text", { x: x(i), y: h - 8, "text-anchor": "middle" }, [b.period]));
    }
  });
  svg.append(axis);

  const bars = s("g");
  buckets.forEach((b, i) => {
    let acc = 0;
    const col = s("g", { class: "bar", "data-period": b.period, "data-events": b.events });
    QUAD.forEach((q, k) => {
      const n = b.quad?.[k] ?? 0;
      if (n > 0) {
        col.append(s("rect", { x: x(i) - bw / 2, width: bw, y: y(acc + n), height: Math.max(0.5, y(acc) - y(acc + n)), fill: q.color }));
      }
      acc += n;
    });
    // A transparent full-height hit area makes thin bars easy to hover.
    col.append(s("rect", { x: m.left + slot * i, width: slot, y: m.top, height: ih, fill: "transparent" }));
    tipOn(col, () => {
      const rows = QUAD.map((q, k) => `<span class="sw" style="background:${q.color}"></span>${q.name}: ${fmtInt(b.quad?.[k] ?? 0)}`).join("<br>");
      return `<b>${b.period}</b> · ${fmtInt(b.events)} events<br>${rows}<br>Mean Goldstein: ${fmtG(b.goldstein_mean)}`;
    });
    bars.append(col);
  });
  svg.append(bars);

  // The Goldstein line joins neighbouring periods only: a period without events
  // has no mean, and bridging it would draw a trend that is not in the data.
  let d = "";
  let prev = false;
  const pts = [];
  buckets.forEach((b, i) => {
    const v = b.goldstein_mean;
    if (v === null || v === undefined) {
      prev = false;
      return;
    }
    d += `${prev ? "L" : "M"}${x(i).toFixed(1)},${g(v).toFixed(1)}`;
    prev = true;
    pts.push([x(i), v]);
  });
  if (d) svg.append(s("path", { class: "gline", d }));
  for (const [px, v] of pts) svg.append(s("circle", { class: "gdot", cx: px, cy: g(v), r: 2.4 }));
  svg.append(s("line", { x1: m.left, x2: w - m.right, y1: g(0), y2: g(0), stroke: "#9aa3ad", "stroke-dasharray": "3 3" }));

  container.replaceChildren(svg);
}

/** The legend under the timeline. */
export function legend(el) {
  el.innerHTML = QUAD.map((q) => `<span><span class="sw" style="background:${q.color}"></span>${q.n} ${q.name}</span>`).join("") +
    `<span><span class="line"></span>Mean Goldstein (right axis, −10 … +10)</span>`;
}

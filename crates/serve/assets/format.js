// Shared formatting and colour scales, so every view says the same thing the same way.

export const QUAD = [
  { n: 1, name: "Verbal cooperation", color: "#7fb2e5" },
  { n: 2, name: "Material cooperation", color: "#1f5fbf" },
  { n: 3, name: "Verbal conflict", color: "#f0a35e" },
  { n: 4, name: "Material conflict", color: "#c8312b" },
];

const nf = new Intl.NumberFormat("en-US");
export const fmtInt = (n) => nf.format(Math.round(n ?? 0));
export const fmtG = (g) => (g === null || g === undefined || Number.isNaN(g) ? "–" : (g > 0 ? "+" : "") + g.toFixed(1));

/** Goldstein -10 … +10 to a diverging red-grey-blue colour. */
export function goldsteinColor(g) {
  if (g === null || g === undefined || Number.isNaN(g)) return "#b8bec6";
  const t = Math.max(-1, Math.min(1, g / 10));
  const grey = [184, 190, 198];
  const end = t < 0 ? [200, 49, 43] : [31, 95, 191];
  const a = Math.pow(Math.abs(t), 0.7);
  const c = grey.map((v, i) => Math.round(v + (end[i] - v) * a));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Count to a sequential colour (log scale), for the map. */
export function countColor(n, max) {
  if (!n) return "#dde3ea";
  const t = Math.log1p(n) / Math.log1p(Math.max(max, 1));
  const lo = [214, 228, 245];
  const hi = [14, 50, 110];
  const c = lo.map((v, i) => Math.round(v + (hi[i] - v) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Escapes text for insertion as HTML. */
export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** "Nice" round tick values covering 0..max. */
export function ticks(max, count = 4) {
  if (max <= 0) return [0];
  const raw = max / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
  return out;
}

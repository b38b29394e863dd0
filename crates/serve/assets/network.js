// Dyad network: actors as circles sized by event volume and coloured by the mean
// Goldstein score of the events they take part in; directed edges (source → target)
// as curves whose width is the dyad's event count and colour its mean Goldstein.
//
// The layout is a small deterministic force simulation (Fruchterman–Reingold with
// gravity): the same data always gives the same picture, so a shared URL shows what
// its sender saw. With at most a few dozen actors the O(n²) repulsion is cheap.
import { s, svgFor, tipOn, empty } from "./svg.js";
import { fmtInt, fmtG, goldsteinColor } from "./format.js";

function layout(nodes, edges, radii, w, h) {
  const n = nodes.length;
  const index = new Map(nodes.map((d, i) => [d.id, i]));
  const pos = nodes.map((_, i) => {
    const a = (2 * Math.PI * i) / n;
    const r = 0.35 * Math.min(w, h) * (0.6 + 0.4 * ((i * 7919) % 13) / 13);
    return [w / 2 + r * Math.cos(a), h / 2 + r * Math.sin(a)];
  });
  const links = edges
    .map((e) => [index.get(e.source), index.get(e.target), Math.log1p(e.events)])
    .filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  // Ideal edge length: fills the box for many actors, stays compact for a few.
  const k = Math.min(Math.sqrt((w * h) / Math.max(n, 1)) * 0.6, Math.min(w, h) / 4);
  let temp = Math.min(w, h) / 6;
  for (let it = 0; it < 300; it++) {
    const disp = pos.map(() => [0, 0]);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i][0] - pos[j][0];
        let dy = pos[i][1] - pos[j][1];
        if (Math.abs(dx) + Math.abs(dy) < 1e-3) {
          // Coincident nodes (e.g. both pushed into a corner): part them deterministically.
          dx = Math.cos(i + j);
          dy = Math.sin(i + j);
        }
        const d2 = Math.max(dx * dx + dy * dy, 1);
        const f = (k * k) / d2;
        disp[i][0] += dx * f; disp[i][1] += dy * f;
        disp[j][0] -= dx * f; disp[j][1] -= dy * f;
      }
    }
    for (const [a, b, wgt] of links) {
      const dx = pos[a][0] - pos[b][0];
      const dy = pos[a][1] - pos[b][1];
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = (d / k) * (0.3 + 0.08 * wgt);
      disp[a][0] -= dx * f; disp[a][1] -= dy * f;
      disp[b][0] += dx * f; disp[b][1] += dy * f;
    }
    for (let i = 0; i < n; i++) {
      disp[i][0] += (w / 2 - pos[i][0]) * 0.04;
      disp[i][1] += (h / 2 - pos[i][1]) * 0.04;
      const d = Math.max(Math.hypot(disp[i][0], disp[i][1]), 0.01);
      const step = Math.min(d, temp);
      pos[i][0] += (disp[i][0] / d) * step;
      pos[i][1] += (disp[i][1] / d) * step;
    }
    temp *= 0.985;
  }
  // Fit the layout into the box with one uniform scale (no clamping, which would
  // pile nodes up along the edges), leaving room for labels.
  const xs = pos.map((p) => p[0]);
  const ys = pos.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [mx, my] = [40, 26];
  const scale = Math.min((w - 2 * mx) / Math.max(x1 - x0, 1), (h - 2 * my) / Math.max(y1 - y0, 1), 1.5);
  const ox = (w - (x1 - x0) * scale) / 2;
  const oy = (h - (y1 - y0) * scale) / 2;
  const fitted = pos.map(([x, y]) => [ox + (x - x0) * scale, oy + (y - y0) * scale]);
  separate(fitted, radii, w, h, mx, my);
  return fitted;
}

/** Pushes overlapping circles apart (a circle drawn over another would hide it
 * from the pointer: its actor could not be clicked), keeping them in the box. */
function separate(pos, radii, w, h, mx, my) {
  const gap = 3;
  for (let pass = 0; pass < 200; pass++) {
    let moved = false;
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        let dx = pos[j][0] - pos[i][0];
        let dy = pos[j][1] - pos[i][1];
        let d = Math.hypot(dx, dy);
        const need = radii[i] + radii[j] + gap;
        if (d >= need) continue;
        if (d < 1e-3) {
          [dx, dy, d] = [Math.cos(i + j), Math.sin(i + j), 1];
        }
        const push = (need - d) / 2 + 0.01;
        pos[i][0] -= (dx / d) * push; pos[i][1] -= (dy / d) * push;
        pos[j][0] += (dx / d) * push; pos[j][1] += (dy / d) * push;
        moved = true;
      }
    }
    for (const p of pos) {
      p[0] = Math.min(Math.max(p[0], mx / 2), w - mx / 2);
      p[1] = Math.min(Math.max(p[1], my / 2), h - my / 2);
    }
    if (!moved) break;
  }
}

/** Renders `data` ({nodes:[{id, events, goldstein_mean}], edges:[{source, target, events, goldstein_mean}]}). */
export function render(container, data, { selected, onSelect }) {
  const nodes = data.nodes ?? [];
  const edges = data.edges ?? [];
  if (nodes.length === 0) {
    empty(container, "No actor pairs match these filters.");
    return;
  }
  const { svg, w, h } = svgFor(container);
  const maxN = Math.max(...nodes.map((d) => d.events));
  const maxE = Math.max(...edges.map((e) => e.events), 1);
  const radius = (d) => 4 + 14 * Math.sqrt(d.events / maxN);
  const pos = layout(nodes, edges, nodes.map(radius), w, h);
  const at = new Map(nodes.map((d, i) => [d.id, pos[i]]));

  svg.append(s("defs", {}, [
    s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto" }, [
      s("path", { d: "M0,0L10,5L0,10z", fill: "#8c96a1" }),
    ]),
  ]));
  const eg = s("g");
  const rOf = new Map(nodes.map((d) => [d.id, radius(d)]));
  for (const e of edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b || e.source === e.target) continue;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const d = Math.max(Math.hypot(dx, dy), 1);
    // Curve to the right of the direction of travel so A→B and B→A stay apart.
    const bend = 0.12 * d;
    const cx = (a[0] + b[0]) / 2 - (dy / d) * bend;
    const cy = (a[1] + b[1]) / 2 + (dx / d) * bend;
    // Stop the curve at the target's rim, along the curve's final direction.
    const rb = rOf.get(e.target) + 3;
    const [ux, uy] = [b[0] - cx, b[1] - cy];
    const ul = Math.hypot(ux, uy);
    const [tx, ty] = ul > 1e-6 && ul > rb ? [b[0] - (ux / ul) * rb, b[1] - (uy / ul) * rb] : [b[0], b[1]];
    const path = s("path", {
      class: "edge",
      d: `M${a[0].toFixed(1)},${a[1].toFixed(1)}Q${cx.toFixed(1)},${cy.toFixed(1)} ${tx.toFixed(1)},${ty.toFixed(1)}`,
      fill: "none",
      stroke: goldsteinColor(e.goldstein_mean),
      "stroke-width": (0.8 + 4 * Math.sqrt(e.events / maxE)).toFixed(2),
      "stroke-opacity": 0.7,
      "marker-end": "url(#arrow)",
      "data-source": e.source,
      "data-target": e.target,
      "data-events": e.events,
    });
    tipOn(path, `<b>${e.source} → ${e.target}</b><br>${fmtInt(e.events)} events · mean Goldstein ${fmtG(e.goldstein_mean)}`);
    eg.append(path);
  }
  svg.append(eg);

  const ng = s("g");
  nodes.forEach((d, i) => {
    const [px, py] = pos[i];
    const r = radius(d);
    const node = s("g", { class: `node${selected === d.id ? " selected" : ""}`, transform: `translate(${px.toFixed(1)},${py.toFixed(1)})`, "data-actor": d.id, "data-events": d.events });
    node.append(s("circle", { r: r.toFixed(1), fill: goldsteinColor(d.goldstein_mean) }));
    // Labels go on the side with room, so none is cut at the right edge.
    const left = px > w - 70;
    node.append(s("text", { x: left ? -(r + 3) : r + 3, y: 4, "text-anchor": left ? "end" : "start" }, [d.id]));
    tipOn(node, `<b>${d.id}</b><br>${fmtInt(d.events)} events · mean Goldstein ${fmtG(d.goldstein_mean)}<br><i>click to filter on this actor</i>`);
    node.addEventListener("click", () => onSelect(d.id));
    ng.append(node);
  });
  svg.append(ng);
  container.replaceChildren(svg);
}

export function legend(el) {
  const stops = [-10, -5, 0, 5, 10].map((g, i) => `${goldsteinColor(g)} ${i * 25}%`).join(",");
  el.innerHTML = `<span>Conflict −10<span class="ramp" style="background:linear-gradient(90deg,${stops})"></span>+10 Cooperation (mean Goldstein)</span>` +
    `<span>Circle area: events involving the actor · Edge width: events in the dyad</span>`;
}

// Minimal DOM helpers for SVG and tooltips; the views build their markup with these.

const NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes and optional children. */
export function s(tag, attrs = {}, children = []) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  }
  for (const c of children) el.append(c);
  return el;
}

/** An <svg> sized to its container, with a viewBox in CSS pixels. */
export function svgFor(container) {
  const w = Math.max(container.clientWidth, 200);
  const h = Math.max(container.clientHeight, 120);
  const svg = s("svg", { viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: "xMidYMid meet", role: "img" });
  return { svg, w, h };
}

const tip = () => document.getElementById("tooltip");

/** Shows `html` near the pointer. */
export function showTip(ev, html) {
  const t = tip();
  t.innerHTML = html;
  t.hidden = false;
  const x = Math.min(ev.clientX + 14, window.innerWidth - t.offsetWidth - 8);
  const y = Math.min(ev.clientY + 14, window.innerHeight - t.offsetHeight - 8);
  t.style.left = `${x}px`;
  t.style.top = `${y}px`;
}

export function hideTip() {
  tip().hidden = true;
}

/** Attaches a hover tooltip to `el`. */
export function tipOn(el, html) {
  el.addEventListener("mousemove", (ev) => showTip(ev, typeof html === "function" ? html() : html));
  el.addEventListener("mouseleave", hideTip);
}

/** Replaces a view's content with a centred message. */
export function empty(container, message) {
  container.replaceChildren();
  const div = document.createElement("div");
  div.className = "empty";
  div.textContent = message;
  container.append(div);
}

// Just enough cartography for the map, with no library: decode the TopoJSON country
// shapes (quantized, delta-encoded shared arcs) and project them with the Equal
// Earth projection (Šavrič, Patterson & Jenny 2018), an equal-area world projection,
// so a country's visual weight matches its area rather than its latitude.

/** Decodes a TopoJSON topology's arcs to absolute [lon, lat] arrays. */
function decodeArcs(topology) {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

/** One ring of arc indices to its points; a negative index (~i) is arc i reversed. */
function ring(arcs, indices) {
  const out = [];
  for (const i of indices) {
    const pts = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    // Consecutive arcs share their joining point: keep it once.
    for (let k = out.length ? 1 : 0; k < pts.length; k++) out.push(pts[k]);
  }
  return out;
}

/** The countries of `topology` as {id, name, polygons: [[ring, ...], ...]}. */
export function countries(topology) {
  const arcs = decodeArcs(topology);
  return topology.objects.countries.geometries.map((g) => {
    const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    return {
      id: g.id,
      name: g.properties?.name ?? g.id,
      polygons: polys.map((rings) => rings.map((r) => ring(arcs, r))),
    };
  });
}

const A1 = 1.340264;
const A2 = -0.081106;
const A3 = 0.000893;
const A4 = 0.003796;
const M = Math.sqrt(3) / 2;
const RAD = Math.PI / 180;

/** Equal Earth for a unit sphere: [lon, lat] degrees to [x, y] (y up). */
export function equalEarth(lon, lat) {
  const t = Math.asin(M * Math.sin(lat * RAD));
  const t2 = t * t;
  const t6 = t2 * t2 * t2;
  const x = (lon * RAD * Math.cos(t)) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, y];
}

/** A projection fitted to a w×h box: [lon, lat] to pixel [x, y]. */
export function fit(w, h, pad = 6) {
  const [xMax] = equalEarth(180, 0);
  const [, yMax] = equalEarth(0, 90);
  const k = Math.min((w - 2 * pad) / (2 * xMax), (h - 2 * pad) / (2 * yMax));
  return (lon, lat) => {
    const [x, y] = equalEarth(lon, lat);
    return [w / 2 + x * k, h / 2 - y * k];
  };
}

/** SVG path data of a country's polygons under `project`. */
export function pathOf(country, project) {
  let d = "";
  for (const poly of country.polygons) {
    for (const r of poly) {
      r.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        d += `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
      });
      d += "Z";
    }
  }
  return d;
}

/** SVG path data of the globe's outline. */
export function spherePath(project) {
  const pts = [];
  for (let lat = -90; lat <= 90; lat += 2) pts.push(project(180, lat));
  for (let lat = 90; lat >= -90; lat -= 2) pts.push(project(-180, lat));
  return pts.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("") + "Z";
}

// Rebuilds crates/serve/assets/world.json, the country shapes of the dashboard map.
//
// Source: Natural Earth 1:50m admin-0 countries (public domain) as TopoJSON from the
// `world-atlas` npm package. world-atlas identifies countries by ISO 3166-1 numeric
// code; Dyad's events carry ISO alpha-3, so each geometry's id is rewritten to
// alpha-3 using the code table of `i18n-iso-countries`. The handful of Natural Earth
// units without an ISO number get a code by name (Kosovo's user-assigned XKX) or are
// merged into the state that holds them in ISO terms, so events coded to that
// country colour them too. The `land` object is dropped (the map draws countries).
//
// Usage: cd crates/serve/tools/world && npm ci && npm run build
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, "../../assets/world.json");

const topology = JSON.parse(
  readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"),
);
const codes = JSON.parse(
  readFileSync(require.resolve("i18n-iso-countries/codes.json"), "utf8"),
);
const alpha3ByNumeric = new Map(codes.map(([, alpha3, numeric]) => [numeric, alpha3]));

// Natural Earth units with no ISO 3166-1 numeric code.
const byName = {
  Kosovo: "XKX",
  Somaliland: "SOM",
  "N. Cyprus": "CYP",
  "Indian Ocean Ter.": "AUS",
  "Siachen Glacier": "IND",
};

const geometries = topology.objects.countries.geometries.map((g) => {
  const name = g.properties?.name ?? "";
  const id = g.id ? alpha3ByNumeric.get(g.id) : byName[name];
  if (!id) throw new Error(`no ISO alpha-3 code for ${name} (${g.id})`);
  return { type: g.type, arcs: g.arcs, id, properties: { name } };
});

const world = {
  type: "Topology",
  note: "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2; ids are ISO 3166-1 alpha-3. Rebuild: crates/serve/tools/world/build.mjs",
  transform: topology.transform,
  bbox: topology.bbox,
  objects: { countries: { type: "GeometryCollection", geometries } },
  arcs: topology.arcs,
};
writeFileSync(out, JSON.stringify(world));
console.log(`wrote ${out}: ${geometries.length} countries, ${topology.arcs.length} arcs`);

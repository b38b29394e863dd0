// Browser tests of the Dyad dashboard on a real database.
//
// `e2e/run` builds a database with `dyad demo --no-serve`, starts `dyad serve` on a
// free loopback port and runs this file with DYAD_URL set. Each test drives Debian's
// chromium through playwright-core and checks what the page shows against what the
// API answers for the same filters: the dashboard must not only render, it must
// render the right numbers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const BASE = process.env.DYAD_URL;
if (!BASE) throw new Error("DYAD_URL is not set: run the tests through e2e/run");
const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });

let browser;
let profile;

before(async () => {
  profile = mkdtempSync(path.join(tmpdir(), "dyad-e2e-chromium-"));
  // A persistent context on a fresh profile directory is how playwright takes
  // --user-data-dir; the directory is deleted after the run.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    viewport: { width: 1440, height: 1400 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** GET an API path as JSON from node (not through the page). */
async function api(p) {
  const res = await fetch(new URL(p, BASE));
  assert.equal(res.status, 200, `${p} answered ${res.status}`);
  return res.json();
}

/** A fresh page with a desktop viewport; fails the test on any page error. */
async function open(hash = "", { wait = true } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  // Nothing may be fetched from anywhere but the server itself.
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(BASE)) foreign.push(r.url());
  });
  await page.goto(new URL(`/${hash}`, BASE).href);
  if (wait) await ready(page);
  return { page, errors, foreign };
}

/** Waits until every view has drawn its latest data. */
async function ready(page) {
  for (const id of ["timeline", "network", "map", "table"]) {
    await page.waitForSelector(`#${id}[data-ready="true"]`, { timeout: 30_000 });
  }
}

/** What a view shows, read from the DOM. */
async function shown(page) {
  return page.evaluate(() => {
    const num = (el, k) => Number(el.getAttribute(k));
    return {
      timelineTotal: Number(document.getElementById("timeline").dataset.total),
      bars: [...document.querySelectorAll("#timeline g.bar")].map((g) => [g.dataset.period, num(g, "data-events")]),
      edges: [...document.querySelectorAll("#network path.edge")].map((p) => [p.dataset.source, p.dataset.target, num(p, "data-events")]),
      nodes: [...document.querySelectorAll("#network g.node")].map((n) => n.dataset.actor),
      mapTotal: Number(document.getElementById("map").dataset.total),
      countries: Object.fromEntries(
        [...document.querySelectorAll("#map path.country")].filter((p) => num(p, "data-events") > 0).map((p) => [p.dataset.country, num(p, "data-events")]),
      ),
      tableTotal: Number(document.getElementById("table").dataset.total),
      rows: [...document.querySelectorAll("#table tbody tr")].map((tr) => tr.dataset.event),
      tableSub: document.getElementById("table-sub").textContent,
    };
  });
}

/** Checks every view against the API for the filter query `q`. */
async function assertViewsMatchApi(page, q, by = "month") {
  const s = await shown(page);
  const [events, timeline, network, places] = await Promise.all([
    api(`/api/events?${q}&limit=50`),
    api(`/api/timeline?${q}&by=${by}`),
    api(`/api/network?${q}&limit=60`),
    api(`/api/places?${q}&limit=300`),
  ]);
  assert.equal(s.tableTotal, events.total, "table total");
  assert.match(s.tableSub, new RegExp(`^${events.total.toLocaleString("en-US")} events`));
  assert.deepEqual(s.rows, events.events.map((e) => e.event_id), "table rows");
  assert.deepEqual(s.bars, timeline.buckets.map((b) => [b.period, b.events]), "timeline bars");
  assert.equal(s.timelineTotal, timeline.buckets.reduce((n, b) => n + b.events, 0));
  assert.deepEqual(
    s.edges.sort(),
    network.edges.filter((e) => e.source !== e.target).map((e) => [e.source, e.target, e.events]).sort(),
    "network edges",
  );
  assert.deepEqual(s.nodes.sort(), network.nodes.map((n) => n.id).sort(), "network nodes");
  const mapped = Object.fromEntries(places.countries.map((c) => [c.country, c.events]));
  for (const [c, n] of Object.entries(s.countries)) assert.equal(n, mapped[c], `map ${c}`);
  assert.equal(s.mapTotal, places.countries.reduce((n, c) => n + c.events, 0));
  return { s, events, timeline, network, places };
}

test("the dashboard loads on the real database and every view matches the API", async () => {
  const { page, errors, foreign } = await open();
  const stats = await api("/api/stats");
  assert.ok(stats.events > 0, "the e2e database has events");
  await page.waitForFunction(() => !/Loading/.test(document.getElementById("stats").textContent));
  const header = await page.textContent("#stats");
  assert.match(header, new RegExp(`${stats.events.toLocaleString("en-US")} events`));
  const { s, events } = await assertViewsMatchApi(page, "");
  // With no filter the table counts every event in the database.
  assert.equal(events.total, stats.events);
  assert.ok(s.bars.length > 0 && s.edges.length > 0, "timeline and network are drawn");
  assert.ok(Object.keys(s.countries).length > 0, "the map shades countries");
  await page.screenshot({ path: path.join(shots, "01-overview.png"), fullPage: true });
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test("a filter typed in the bar updates every view and the URL", async () => {
  const { page, errors } = await open();
  // The busiest source actor's country prefix: a filter that surely matches.
  const { dyads } = await api("/api/dyads?limit=1");
  const prefix = dyads[0].source.slice(0, 3);
  await page.fill("#f-source", prefix);
  await page.click("#apply");
  await page.waitForFunction((p) => location.hash.includes(`source=${p}`), prefix);
  await ready(page);
  const { s, events } = await assertViewsMatchApi(page, `source=${prefix}`);
  const all = await api("/api/stats");
  assert.ok(events.total > 0 && events.total < all.events, "the filter narrows the events");
  for (const [src] of s.edges) assert.ok(src.startsWith(prefix), `edge from ${src}`);
  for (const e of events.events) assert.ok(e.source_code.startsWith(prefix));
  await page.screenshot({ path: path.join(shots, "02-filtered.png"), fullPage: true });

  // Week view of the same filter.
  await page.click('#interval button[data-by="week"]');
  await page.waitForFunction(() => location.hash.includes("by=week"));
  await ready(page);
  await assertViewsMatchApi(page, `source=${prefix}`, "week");

  // The back button restores the unfiltered dashboard.
  await page.goBack();
  await page.goBack();
  await page.waitForFunction(() => !location.hash.includes("source="));
  await ready(page);
  await assertViewsMatchApi(page, "");
  assert.equal(await page.inputValue("#f-source"), "");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a shared URL restores the filters, and a QuadClass filter is exact", async () => {
  const { page, errors } = await open("#quad_class=4&by=month");
  assert.equal(await page.inputValue("#f-quad_class"), "4");
  const { events, timeline } = await assertViewsMatchApi(page, "quad_class=4");
  for (const e of events.events) assert.equal(e.quad_class, 4);
  for (const b of timeline.buckets) assert.deepEqual(b.quad.slice(0, 3), [0, 0, 0]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("clicking a network actor filters on it", async () => {
  const { page, errors } = await open();
  const actor = await page.getAttribute("#network g.node", "data-actor");
  await page.click(`#network g.node[data-actor="${actor}"] circle`, { force: true });
  await page.waitForFunction((a) => location.hash.includes(`actor=${a}`), actor);
  await ready(page);
  assert.equal(await page.inputValue("#f-actor"), actor);
  const { events } = await assertViewsMatchApi(page, `actor=${actor}`);
  for (const e of events.events) {
    assert.ok(e.source_code?.startsWith(actor) || e.target_code?.startsWith(actor), e.event_id);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("an event opens with its highlighted sentence and explanation", async () => {
  const { page, errors } = await open();
  const id = await page.getAttribute("#table tbody tr", "data-event");
  await page.click(`#table tbody tr[data-event="${id}"]`);
  await page.waitForSelector('#detail-body[data-ready="true"]');
  assert.equal(await page.isVisible("#detail"), true);
  const detail = await api(`/api/events/${encodeURIComponent(id)}`);
  assert.ok(detail.mentions.length > 0);
  const shownMentions = await page.$$eval("#detail-body .mention", (ms) =>
    ms.map((m) => ({
      sentence: m.querySelector(".sentence-box").textContent,
      marks: [...m.querySelectorAll(".sentence-box mark")].map((k) => [k.className, k.textContent]),
      steps: [...m.querySelectorAll(".explain li")].map((l) => l.textContent),
    })),
  );
  assert.equal(shownMentions.length, detail.mentions.length);
  detail.mentions.forEach((m, i) => {
    assert.equal(shownMentions[i].sentence, m.highlighted.text);
    assert.deepEqual(shownMentions[i].marks, m.highlighted.segments.filter((g) => g.role).map((g) => [g.role, g.text]));
    assert.deepEqual(shownMentions[i].steps, m.explanation);
    assert.ok(m.explanation.some((s) => s.includes(`CAMEO ${detail.event.cameo}`)));
  });
  assert.ok(shownMentions[0].marks.some(([role]) => role === "verb"), "the verb is highlighted");
  await page.waitForFunction((e) => location.hash.includes(`event=${encodeURIComponent(e)}`), id);
  await page.screenshot({ path: path.join(shots, "03-event.png"), fullPage: false });
  // Escape closes it.
  await page.keyboard.press("Escape");
  await page.waitForSelector("#detail", { state: "hidden" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the example article's events are in the table with their provenance", async () => {
  // `e2e/run` ingests the example article; its Putin → China praise is searchable.
  const { page, errors } = await open("#doc=russia-china-2024-05");
  const { events } = await assertViewsMatchApi(page, "doc=russia-china-2024-05");
  assert.ok(events.total > 0, "the example article coded to events");
  await page.screenshot({ path: path.join(shots, "05-example-article.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a bad filter shows the API's error instead of breaking the page", async () => {
  const { page } = await open("#code=abc", { wait: false });
  await page.waitForSelector('#table[data-ready="error"]');
  const msg = await page.textContent("#error");
  assert.match(msg, /CAMEO code/);
  assert.equal(await page.isVisible("#error"), true);
  await page.screenshot({ path: path.join(shots, "04-error.png") });
  await page.close();
});

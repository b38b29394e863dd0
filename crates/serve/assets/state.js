// The dashboard's state lives in the URL hash (`#source=RUS&target=UKR&by=month`),
// so any view can be bookmarked or shared and the back button undoes a filter.
// Filters are the same names the API and `dyad query` take.

/** Filter keys sent to every API view. */
export const FILTER_KEYS = ["from", "to", "source", "target", "actor", "country", "code", "quad_class", "plover", "doc", "search"];
/** View-only keys: timeline interval, network actor level, table paging, the open event. */
const VIEW_KEYS = ["by", "level", "page", "size", "event"];
export const DEFAULTS = { by: "month", level: "code", page: "0", size: "50" };

/** Reads the state from `location.hash`. */
export function read() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const state = { ...DEFAULTS };
  for (const key of [...FILTER_KEYS, ...VIEW_KEYS]) {
    const v = params.get(key);
    if (v !== null && v.trim() !== "") state[key] = v.trim();
  }
  return state;
}

/** Writes `state` to the hash; returns true if the hash changed. */
export function write(state) {
  const params = new URLSearchParams();
  for (const key of [...FILTER_KEYS, ...VIEW_KEYS]) {
    const v = state[key];
    if (v !== undefined && v !== null && String(v) !== "" && DEFAULTS[key] !== String(v)) {
      params.set(key, String(v));
    }
  }
  const hash = params.toString();
  if (hash === location.hash.replace(/^#/, "")) return false;
  history.pushState(null, "", hash ? `#${hash}` : location.pathname);
  return true;
}

/** The filter part of `state` as a query string for the API. */
export function filterQuery(state, extra = {}) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (state[key]) params.set(key, state[key]);
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  return params.toString();
}

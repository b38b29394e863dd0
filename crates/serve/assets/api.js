// Thin client of Dyad's JSON API. Each view keeps one AbortController so a new
// filter cancels the view's request in flight instead of racing it.

const inflight = new Map();

/** An API error with the server's message and HTTP status. */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** GET `path` as JSON; a newer call with the same `slot` aborts this one. */
export async function get(path, slot) {
  if (slot) {
    inflight.get(slot)?.abort();
  }
  const ctl = new AbortController();
  if (slot) inflight.set(slot, ctl);
  let res;
  try {
    res = await fetch(path, { signal: ctl.signal, headers: { Accept: "application/json" } });
  } finally {
    if (slot && inflight.get(slot) === ctl) inflight.delete(slot);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // fall through: non-JSON answer
  }
  if (!res.ok) {
    throw new ApiError(body?.error ?? `HTTP ${res.status}`, res.status);
  }
  return body;
}

/** True if `err` is the abort of a superseded request (not worth showing). */
export function isAbort(err) {
  return err?.name === "AbortError";
}

/**
 * Where a person may be sent after signing in, signing up or confirming their address: only a path on this site,
 * never another host (`//host`, `/\host`). A path the app wrote is percent-encoded, so printable ASCII is all a
 * real one holds; anything else (spaces, controls, raw non-ASCII that a Location header cannot carry) is refused.
 */
export const isSafeNext = (next: string | undefined): next is string =>
  next !== undefined && next.length <= 500 && /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(next);

/** The `next` to follow, or the fallback (the person's home page) when it is missing or not a local path. */
export const safeNext = (next: string | undefined, fallback = '/home'): string =>
  isSafeNext(next) ? next : fallback;

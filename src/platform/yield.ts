/**
 * How long background work gives way when it finds this process answering requests, at most, before it takes its
 * next piece anyway: long enough for a typical staff page to finish, short enough that a steady stream of visitors
 * slows a tracking list instead of stopping it.
 */
const GIVE_WAY_MS = 25;

/** Requests this process is answering now (counted by `countRequestsInFlight`, on the HTTP server). */
let inFlight = 0;

/**
 * Lets I/O callbacks already queued (requests waiting on this process) run before the next piece of long
 * synchronous work, and gives way a little longer while requests are being answered: their queries then meet
 * fewer of the background work's statements on the database and on the processor. Background work that builds or
 * writes many things at once calls it between pieces, so a page asked for meanwhile waits for one piece, not for
 * the whole batch.
 */
export async function yieldToOtherWork(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (inFlight === 0) return;
  const until = performance.now() + GIVE_WAY_MS;
  while (inFlight > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * Counts one request in flight until its response closes (sent, failed or abandoned by the client: `close` is
 * emitted in every case, so the count cannot drift).
 */
export function countRequestInFlight(response: {
  once(event: 'close', listener: () => void): unknown;
}): void {
  inFlight += 1;
  response.once('close', () => {
    inFlight -= 1;
  });
}

/** Requests in flight now (for tests). */
export const requestsInFlight = (): number => inFlight;

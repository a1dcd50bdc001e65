/**
 * A running tracking list's heartbeat. The worker issuing a list writes `heartbeat_at` (the database's own clock,
 * so several machines agree) when it takes the list up and every few seconds while it works; a running list not
 * heard from for `STALLED_AFTER_SECONDS` has lost its worker (a killed process, a machine gone) and may be resumed
 * at once: by the watch every working process runs, by its office from the list page, or from the command line.
 * Resuming a list whose worker is in fact alive is harmless: rows are taken with `for update skip locked` and
 * only while still ready, so two runs never issue one row.
 */

/** How often a working list says it is alive. */
export const HEARTBEAT_EVERY_SECONDS = 5;

/** Silence after which a running list counts as stalled: several missed beats, so one slow statement is not a death. */
export const STALLED_AFTER_SECONDS = 30;

/** How often each working process looks for stalled lists. */
export const STALL_WATCH_EVERY_SECONDS = 10;

/**
 * Calls `beat` every HEARTBEAT_EVERY_SECONDS until the returned function is called. A beat still in flight is not
 * doubled (on PGlite it waits for the chunk holding the one connection); a failed one is handed to `onError` and
 * the next is tried as usual.
 */
export function keepBeating(beat: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let isBeating = false;
  const timer = setInterval(() => {
    if (isBeating) return;
    isBeating = true;
    beat()
      .catch(onError)
      .finally(() => {
        isBeating = false;
      });
  }, HEARTBEAT_EVERY_SECONDS * 1000);
  return () => clearInterval(timer);
}

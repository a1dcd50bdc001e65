/**
 * A running tracking list's heartbeat. The worker issuing a list writes `heartbeat_at` (the database's own clock,
 * so several machines agree) when it takes the list up and every few seconds while it works; a running list not
 * heard from for `stallAfterMs` has lost its worker (a killed process, a machine gone) and may be resumed at once:
 * by the watch every working process runs, by its office from the list page, or from the command line. A queued
 * list whose job is gone (it gave up, or its worker died before starting) is stalled too: nothing would ever take
 * it up. Resuming a list whose worker is in fact alive is harmless: a worker holds its list by a claim it checks
 * before every chunk, and rows are taken with `for update skip locked` and only while still ready, so no row is
 * issued twice.
 */

/** How quickly a lost worker is noticed (config: STACKABLE_STALL_AFTER_MS, STACKABLE_STALL_CHECK_MS). */
export interface StallTiming {
  /** Silence after which a list counts as stalled: several missed beats, so one slow statement is not a death. */
  readonly stallAfterMs: number;
  /** How often each working process looks for stalled lists. */
  readonly checkEveryMs: number;
}

/** Half a minute of silence, looked for every 10 s: a killed worker's list moves again within about 40 s. */
export const defaultStallTiming: StallTiming = { stallAfterMs: 30_000, checkEveryMs: 10_000 };

/** How often a working list says it is alive: six beats per stall interval (every 5 s by default). */
export const heartbeatEveryMs = (timing: StallTiming): number =>
  Math.max(100, Math.floor(timing.stallAfterMs / 6));

/** The stall interval in whole seconds, for SQL intervals and for people. */
export const stallAfterSeconds = (timing: StallTiming): number => Math.ceil(timing.stallAfterMs / 1000);

/**
 * Calls `beat` every `everyMs` until the returned function is called. A beat still in flight is not doubled (on
 * PGlite it waits for the chunk holding the one connection); a failed one is handed to `onError` and the next is
 * tried as usual.
 */
export function keepBeating(
  everyMs: number,
  beat: () => Promise<void>,
  onError: (error: unknown) => void,
): () => void {
  let isBeating = false;
  const timer = setInterval(() => {
    if (isBeating) return;
    isBeating = true;
    beat()
      .catch(onError)
      .finally(() => {
        isBeating = false;
      });
  }, everyMs);
  return () => clearInterval(timer);
}

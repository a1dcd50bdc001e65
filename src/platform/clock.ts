/** The time source; tests that care about time pass a fixed one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is put, for tests of due dates and expiry. */
export function fixedClock(at: Date | string): Clock & { set(to: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(to) {
      current = new Date(to);
    },
  };
}

/** ISO calendar date (YYYY-MM-DD) of a moment, in UTC. */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

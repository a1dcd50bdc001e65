/**
 * The institution's way of showing moments and money (its time zone and currency), held for the length of one
 * page or one message being written. Rendering is synchronous, so the scope is exactly one render: the formatters
 * in `http/moment.ts` and `money.ts` read it instead of every view threading two values through every component.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Display {
  /** IANA time zone moments are shown in. */
  readonly timeZone: string;
  /** ISO 4217 code amounts are shown in. */
  readonly currency: string;
}

/** What the formatters use outside any render (a CLI line, a log): UTC and dollars, as before there was a setting. */
export const neutralDisplay: Display = Object.freeze({ timeZone: 'UTC', currency: 'USD' });

const scope = new AsyncLocalStorage<Display>();

/** Runs `write` (a render, a message body) with moments and money shown the institution's way. */
export function showingAs<T>(display: Display, write: () => T): T {
  return scope.run(display, write);
}

/** The display of the render in progress, or the neutral one outside any. */
export function currentDisplay(): Display {
  return scope.getStore() ?? neutralDisplay;
}

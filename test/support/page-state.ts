import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';

/** What of a page's current state the browser hands back, for `pageStateKey`. */
type PageState = {
  html: string;
  /** Form controls' live state (typed values, ticks, choices), which the markup does not show. */
  controls: string;
  /** Where the focus is, as the focused element's place among all elements (its styles may differ). */
  focus: number;
  compatMode: string;
  viewport: [number, number];
  /** Frames and shadow roots hold content the markup above leaves out. */
  hasHiddenContent: boolean;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const LOOPBACK_PORT = /\b127\.0\.0\.1:(\d+)/g;
const CSRF_FIELD = /name="_csrf" value="([^"]+)"/g;

/**
 * Replaces each distinct value with a stand-in of the same length numbered by first appearance, so two pages that
 * differ only in which random ids, tokens or ports they carry read alike, while a value repeated within a page
 * (an id and a label's `for`) stays repeated and two different ones stay different.
 */
function renumber(text: string, pattern: RegExp, standIn: (n: number, length: number) => string): string {
  const seen = new Map<string, string>();
  return text.replace(pattern, (value) => {
    let replacement = seen.get(value.toLowerCase());
    if (replacement === undefined) {
      replacement = standIn(seen.size + 1, value.length);
      seen.set(value.toLowerCase(), replacement);
    }
    return replacement;
  });
}

/** The markup with random ids, CSRF tokens and loopback ports given stand-ins (see `renumber`). */
export function canonicalMarkup(html: string): string {
  const tokens = new Set([...html.matchAll(CSRF_FIELD)].map((m) => m[1] as string));
  let text = html;
  for (const token of tokens) {
    // A token also sits in upload forms' addresses, percent-encoded.
    for (const form of new Set([token, encodeURIComponent(token)]))
      text = text.split(form).join('~'.repeat(form.length));
  }
  text = renumber(text, UUID, (n) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`);
  return renumber(text, LOOPBACK_PORT, (n, length) => `127.0.0.1:${String(n).padStart(length - 10, '0')}`);
}

/**
 * A key for the page's current state as axe would see it: its markup with random ids and tokens given stand-ins
 * (`canonicalMarkup`), the live state of its form controls, the focus, the rendering mode and the viewport. Two
 * checks of the same key would find the same violations: the styles are the app's one stylesheet plus what the
 * markup holds inline (the brand colour). Undefined when the page holds content the markup leaves out (frames,
 * shadow roots), so such a page is always checked.
 */
export async function pageStateKey(page: Page): Promise<string | undefined> {
  const state: PageState = await page.evaluate(() => {
    const all = [...document.getElementsByTagName('*')];
    const controls = [...document.querySelectorAll('input, select, textarea')].map((element) => {
      if (element instanceof HTMLInputElement) return `${element.checked ? 1 : 0}${element.value}`;
      if (element instanceof HTMLSelectElement)
        return [...element.selectedOptions].map((o) => o.index).join(',');
      return (element as HTMLTextAreaElement).value;
    });
    return {
      html: document.documentElement.outerHTML,
      controls: controls.join('\u0000'),
      focus: document.activeElement ? all.indexOf(document.activeElement) : -1,
      compatMode: document.compatMode,
      viewport: [window.innerWidth, window.innerHeight] as [number, number],
      hasHiddenContent:
        document.querySelector('iframe, frame, object, embed, portal') !== null ||
        all.some((element) => element.shadowRoot !== null),
    };
  });
  if (state.hasHiddenContent) return undefined;
  const { focus, compatMode, viewport } = state;
  // The controls' values go through the same stand-ins: hidden fields carry the CSRF token and record ids.
  return createHash('sha256')
    .update(JSON.stringify({ focus, compatMode, viewport }))
    .update(canonicalMarkup(`${state.html}\u0000${state.controls}`))
    .digest('hex');
}

/**
 * Whether a brand colour can carry text people can read. The site draws white text on the primary colour (its
 * header and buttons), and the badge artwork writes on the accent in white or near-black, whichever stands out
 * more; WCAG 2.1 AA asks for a contrast of at least 4.5:1 for ordinary text.
 */

/** The least contrast WCAG 2.1 AA accepts for ordinary text. */
export const MIN_CONTRAST = 4.5;

const WHITE = '#ffffff';
/** The near-black ink of the badge artwork (credentials' artwork-colour.ts keeps the same value). */
const INK_DARK = '#1a1a1e';

/** `#rgb` or `#rrggbb` as lowercase `#rrggbb`; undefined for anything else. */
export function normaliseHex(value: string): string | undefined {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  const hex = match[1].length === 3 ? Array.from(match[1], (c) => c + c).join('') : match[1];
  return `#${hex.toLowerCase()}`;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const s = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Contrast shown to people: rounded down, so 4.49 never reads as 4.5. */
const shown = (ratio: number) => `${Math.floor(ratio * 100) / 100}:1`;

/**
 * Why `value` cannot be the colour behind white text (the site's header and buttons), or undefined when it can.
 */
export function primaryColourProblem(value: string): string | undefined {
  const hex = normaliseHex(value);
  if (!hex) return 'must be a hex colour such as #1d4b3a';
  if (hex === WHITE) return 'cannot be white: the header draws white text on it';
  const ratio = contrastRatio(hex, WHITE);
  if (ratio < MIN_CONTRAST) {
    return `gives white text a contrast of only ${shown(ratio)}; choose a darker colour (at least ${MIN_CONTRAST}:1)`;
  }
  return undefined;
}

/**
 * Why `value` cannot be the accent the badge artwork writes on (in white or near-black, whichever reads better),
 * or undefined when it can.
 */
export function accentColourProblem(value: string): string | undefined {
  const hex = normaliseHex(value);
  if (!hex) return 'must be a hex colour such as #e0a526';
  if (hex === WHITE) return 'cannot be white: badges would show no accent';
  const ratio = Math.max(contrastRatio(hex, WHITE), contrastRatio(hex, INK_DARK));
  if (ratio < MIN_CONTRAST) {
    return `is too close to the middle: neither white nor dark text on it reaches ${MIN_CONTRAST}:1 (best ${shown(ratio)}); choose a lighter or darker colour`;
  }
  return undefined;
}

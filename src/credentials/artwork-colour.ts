/**
 * Colour maths for badge artwork: institutions pick brand colours, and the artwork derives shades
 * and text inks from them that keep strong contrast whatever the brand colours are.
 */

/** A colour as 0-255 red, green and blue channels. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };
export const INK_DARK: Rgb = { r: 26, g: 26, b: 30 };
const BLACK: Rgb = { r: 0, g: 0, b: 0 };

/**
 * Reads a `#rgb` or `#rrggbb` colour. Only hex is accepted so a colour can never smuggle markup
 * into the SVG attributes it is written to.
 */
export function parseHexColour(value: string): Rgb {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match?.[1]) {
    throw new RangeError(`Badge colour must be a hex colour like #002145, got ${JSON.stringify(value)}`);
  }
  const hex = match[1].length === 3 ? Array.from(match[1], (c) => c + c).join('') : match[1];
  return {
    r: Number.parseInt(hex.slice(0, 2), 16),
    g: Number.parseInt(hex.slice(2, 4), 16),
    b: Number.parseInt(hex.slice(4, 6), 16),
  };
}

/** Formats a colour as lowercase `#rrggbb`. */
export function formatHex(colour: Rgb): string {
  const channel = (v: number): string =>
    Math.round(Math.min(255, Math.max(0, v)))
      .toString(16)
      .padStart(2, '0');
  return `#${channel(colour.r)}${channel(colour.g)}${channel(colour.b)}`;
}

/** Blends `from` towards `to` by `amount` (0 keeps `from`, 1 gives `to`). */
export function mixColours(from: Rgb, to: Rgb, amount: number): Rgb {
  return {
    r: from.r + (to.r - from.r) * amount,
    g: from.g + (to.g - from.g) * amount,
    b: from.b + (to.b - from.b) * amount,
  };
}

/** Lightens a colour by blending it with white. */
export function lighten(colour: Rgb, amount: number): Rgb {
  return mixColours(colour, WHITE, amount);
}

/** Darkens a colour by blending it with black. */
export function darken(colour: Rgb, amount: number): Rgb {
  return mixColours(colour, BLACK, amount);
}

/** WCAG relative luminance. */
function luminance(colour: Rgb): number {
  const linear = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b);
}

/** WCAG contrast ratio between two colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Picks white or near-black text, whichever stands out more against `background`. */
export function pickInk(background: Rgb): Rgb {
  return contrastRatio(WHITE, background) >= contrastRatio(INK_DARK, background) ? WHITE : INK_DARK;
}

/**
 * Darkens `colour` in small steps until it reaches `minRatio` contrast against `background`, so a
 * pale brand colour still yields readable text while a dark one is used as is.
 */
export function deepenForContrast(colour: Rgb, background: Rgb, minRatio: number): Rgb {
  let current = colour;
  for (let step = 0; step < 20 && contrastRatio(current, background) < minRatio; step += 1) {
    current = darken(current, 0.12);
  }
  return current;
}

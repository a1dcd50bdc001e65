/**
 * Text helpers for badge artwork: XML escaping, width estimates for the bundled DejaVu fonts and
 * title layout. Everything here is pure so the SVG stays deterministic.
 */

/**
 * Advance widths (thousandths of an em) of DejaVu Sans Bold for the printable ASCII range, read
 * once from the bundled font's hmtx table. Knowing real widths lets a title fill the medallion
 * without spilling over its edge once resvg draws it.
 */
const BOLD_ASCII_WIDTHS: readonly number[] = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/** The same for U+00A0 to U+00FF, so accented Latin names (Québec, Université) measure right. */
const BOLD_LATIN1_WIDTHS: readonly number[] = [
  348, 456, 696, 696, 636, 696, 365, 500, 500, 1000, 564, 646, 838, 415, 1000, 500, 500, 838, 438, 438, 500,
  736, 636, 380, 500, 438, 564, 646, 1035, 1035, 1035, 580, 774, 774, 774, 774, 774, 774, 1085, 734, 683, 683,
  683, 683, 372, 372, 372, 372, 838, 837, 850, 850, 850, 850, 850, 838, 850, 812, 812, 812, 812, 724, 738,
  719, 675, 675, 675, 675, 675, 675, 1048, 593, 678, 678, 678, 678, 343, 343, 343, 343, 687, 712, 687, 687,
  687, 687, 687, 838, 687, 712, 712, 712, 712, 652, 716, 652,
];

/** Typographic punctuation common in titles, and the ellipsis used when clipping. */
const BOLD_PUNCTUATION_WIDTHS: Readonly<Record<string, number>> = {
  '–': 500,
  '—': 1000,
  '‘': 380,
  '’': 380,
  '“': 657,
  '”': 657,
  '…': 1000,
  '•': 639,
};

/** DejaVu Sans Condensed Bold is drawn at exactly nine tenths of the regular bold widths. */
const CONDENSED_RATIO = 0.9;

/** Which bundled face a piece of text is set in. */
export type BadgeFace = 'bold' | 'condensed';

/**
 * Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the
 * invisible marks (U+200E, U+200F, U+061C). In a title they can make a badge read differently from what was
 * approved ("Data \u202Egnp.exe" draws as "Data exe.png"), and titles never need them: the renderer lays out
 * each script's own direction by itself.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;

/** The text without bidi formatting characters. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * Emoji (the pictograph blocks from U+1F000, flags included): the bundled DejaVu faces have no glyph for them, so
 * they would be drawn as empty boxes. Names that go on a badge refuse them rather than print a box.
 */
const EMOJI = /[\u{1F000}-\u{1FAFF}]/gu;

/** The distinct characters of `text` that badge artwork cannot draw (emoji), in order of appearance. */
export function undrawableOnBadge(text: string): string[] {
  return [...new Set(text.match(EMOJI) ?? [])];
}

/** Escapes the five XML special characters so any text is safe in element content and attributes. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (isXmlChar(ch.codePointAt(0) ?? 0) && stripBidiControls(ch) === ch) out += ch;
    // Control characters other than tab and newlines are illegal in XML 1.0, so they are dropped; so are
    // bidi controls, which would reorder the text around them.
  }
  return out;
}

function isXmlChar(code: number): boolean {
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false; // lone surrogate halves
  return code !== 0xfffe && code !== 0xffff;
}

/** Estimated width of one character in ems for the given face. */
function charWidthEm(ch: string, face: BadgeFace): number {
  const code = ch.codePointAt(0) ?? 0;
  const scale = face === 'condensed' ? CONDENSED_RATIO : 1;
  const known =
    code >= 0x20 && code < 0x7f
      ? BOLD_ASCII_WIDTHS[code - 0x20]
      : code >= 0xa0 && code <= 0xff
        ? BOLD_LATIN1_WIDTHS[code - 0xa0]
        : BOLD_PUNCTUATION_WIDTHS[ch];
  if (known !== undefined) return (known / 1000) * scale;
  // Wide scripts take a full em; accented Latin and most other letters sit near the bold average.
  return (code >= 0x2e80 ? 1 : 0.72) * scale;
}

/** Estimated width of `text` in ems, with optional extra tracking (in ems) after each character. */
export function measureTextEm(text: string, face: BadgeFace, letterSpacingEm = 0): number {
  let width = 0;
  let count = 0;
  for (const ch of text) {
    width += charWidthEm(ch, face);
    count += 1;
  }
  return width + letterSpacingEm * count;
}

/**
 * Shortens `text` with an ellipsis until it measures at most `maxEm`, cutting between words when a
 * whole word survives and inside the word otherwise. `alwaysMark` adds the ellipsis even when the text
 * fits, for a line whose continuation was dropped.
 */
export function truncateToWidth(
  text: string,
  maxEm: number,
  face: BadgeFace,
  letterSpacingEm = 0,
  alwaysMark = false,
): string {
  const fits = (candidate: string): boolean => measureTextEm(candidate, face, letterSpacingEm) <= maxEm;
  if (!alwaysMark && fits(text)) return text;
  const words = text.trim().split(' ');
  while (words.length > 0) {
    const candidate = `${trimSeparators(words.join(' '))}…`;
    if (fits(candidate)) return candidate;
    words.pop();
  }
  const chars = Array.from(text.trim());
  while (chars.length > 0) {
    const candidate = `${trimSeparators(chars.join(''))}…`;
    if (fits(candidate)) return candidate;
    chars.pop();
  }
  return '…';
}

/** Drops trailing spaces and punctuation that would sit awkwardly before an ellipsis. */
function trimSeparators(text: string): string {
  let end = text.length;
  while (end > 0 && ' ,;:·-–—'.includes(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end);
}

/** The box a title must fit in, in SVG user units. */
export interface TitleBox {
  width: number;
  height: number;
  maxLines: number;
  maxFontSize: number;
  minFontSize: number;
  /** Distance between baselines as a multiple of the font size. */
  lineHeight: number;
  face: BadgeFace;
}

/** A title broken into lines with the font size that makes it fit. */
export interface TitleLayout {
  lines: string[];
  fontSize: number;
}

/** Height of capitals in DejaVu Sans, as a share of the font size; used to size the text block. */
const CAP_HEIGHT_EM = 0.73;

/**
 * Titles past this length are unreadable on a badge anyway; capping them keeps the line-break search
 * cheap whatever a caller passes in.
 */
const MAX_TITLE_CHARS = 240;

/**
 * Breaks a title into at most `box.maxLines` balanced lines and picks the largest font size that fits
 * the box. Short titles stay big; long titles take more lines and a smaller size. When even the
 * smallest size cannot hold the words, the last line ends with an ellipsis.
 */
export function layoutTitle(title: string, box: TitleBox): TitleLayout {
  const words = title.slice(0, MAX_TITLE_CHARS).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { lines: [], fontSize: box.maxFontSize };

  let best: TitleLayout | undefined;
  for (let lineCount = 1; lineCount <= Math.min(box.maxLines, words.length); lineCount += 1) {
    const lines = balanceLines(words, lineCount, box.face);
    const widestEm = Math.max(...lines.map((line) => measureTextEm(line, box.face)));
    const blockEm = CAP_HEIGHT_EM + (lineCount - 1) * box.lineHeight;
    const fontSize = Math.min(box.maxFontSize, box.width / widestEm, box.height / blockEm);
    // Strictly larger only: at equal size fewer lines read better.
    if (!best || fontSize > best.fontSize + 0.01) best = { lines, fontSize };
  }
  if (best && best.fontSize >= box.minFontSize) {
    return { lines: best.lines, fontSize: floorTo(best.fontSize, 1) };
  }
  return { lines: wrapAndClip(words, box), fontSize: box.minFontSize };
}

/**
 * Splits words into exactly `lineCount` lines so the widest line is as narrow as possible, by
 * dynamic programming over break positions (words are few, so the quadratic cost is small).
 */
function balanceLines(words: string[], lineCount: number, face: BadgeFace): string[] {
  const n = words.length;
  const space = measureTextEm(' ', face);
  const prefix = [0];
  for (const word of words) prefix.push((prefix.at(-1) ?? 0) + measureTextEm(word, face));
  const span = (from: number, to: number): number =>
    (prefix[to] ?? 0) - (prefix[from] ?? 0) + (to - from - 1) * space;

  // cost[k][j]: narrowest possible widest line when the first j words fill k lines.
  const cost: number[][] = [];
  const cut: number[][] = [];
  for (let k = 0; k <= lineCount; k += 1) {
    cost.push(new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY));
    cut.push(new Array<number>(n + 1).fill(0));
  }
  cost[0]![0] = 0;
  for (let k = 1; k <= lineCount; k += 1) {
    for (let j = k; j <= n; j += 1) {
      for (let i = k - 1; i < j; i += 1) {
        const candidate = Math.max(cost[k - 1]![i]!, span(i, j));
        if (candidate < cost[k]![j]!) {
          cost[k]![j] = candidate;
          cut[k]![j] = i;
        }
      }
    }
  }
  const lines: string[] = [];
  let end = n;
  for (let k = lineCount; k >= 1; k -= 1) {
    const start = cut[k]![end]!;
    lines.unshift(words.slice(start, end).join(' '));
    end = start;
  }
  return lines;
}

/** Greedy wrap at the minimum font size, hard-breaking over-long words and clipping extra lines. */
function wrapAndClip(words: string[], box: TitleBox): string[] {
  const maxEm = box.width / box.minFontSize;
  const pieces: string[] = [];
  for (const word of words) pieces.push(...hardBreak(word, maxEm, box.face));

  const lines: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const joined = current ? `${current} ${piece}` : piece;
    if (measureTextEm(joined, box.face) <= maxEm) {
      current = joined;
      continue;
    }
    lines.push(current);
    current = piece;
  }
  if (current) lines.push(current);
  if (lines.length <= box.maxLines) return lines;

  const kept = lines.slice(0, box.maxLines);
  kept[kept.length - 1] = truncateToWidth(kept.at(-1) ?? '', maxEm, box.face, 0, true);
  return kept;
}

function hardBreak(word: string, maxEm: number, face: BadgeFace): string[] {
  if (measureTextEm(word, face) <= maxEm) return [word];
  const parts: string[] = [];
  let current = '';
  for (const ch of word) {
    if (current && measureTextEm(current + ch, face) > maxEm) {
      parts.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) parts.push(current);
  return parts;
}

/** Rounds down to a fixed number of decimals: a font size that fits must not grow by rounding. */
export function floorTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.floor(value * factor + 1e-9) / factor;
}

/** Rounds to a fixed number of decimals so numbers print the same way every time. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

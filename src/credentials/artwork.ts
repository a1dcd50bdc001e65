/**
 * Badge artwork: a round medallion with the institution's colours, the micro-credential title on a
 * light face, and a ribbon naming the level. Built as a plain string so the same input always gives
 * byte-identical SVG (which matters once the image is baked and hashed).
 */
import { type Level, levelLabels } from '../programs/program-vocabulary.ts';
import {
  contrastRatio,
  darken,
  deepenForContrast,
  formatHex,
  lighten,
  mixColours,
  parseHexColour,
  pickInk,
  type Rgb,
  WHITE,
} from './artwork-colour.ts';
import {
  escapeXml,
  floorTo,
  layoutTitle,
  measureTextEm,
  roundTo,
  stripBidiControls,
  truncateToWidth,
} from './artwork-text.ts';

/** Study level a micro-credential is offered at: the program's level, named by the program vocabulary. */
export type BadgeLevel = Level;

/** Where a micro-credential is in its life; pilots and retired ones are flagged on the artwork. */
export type BadgeStatus = 'pilot' | 'active' | 'retired';

/** What the artwork shows. Colours are hex (`#rgb` or `#rrggbb`). */
export interface BadgeArtworkInput {
  title: string;
  level: BadgeLevel;
  institutionShortName: string;
  institutionName: string;
  colours: { primary: string; accent: string };
  /** Free text such as "3 credits" or "1.5 CEUs". */
  credits?: string;
  status?: BadgeStatus;
}

/** The font stack the artwork asks for; `artwork-png.ts` bundles these faces. */
export const BADGE_FONT_FAMILY = 'DejaVu Sans';
export const BADGE_TITLE_FONT_FAMILY = 'DejaVu Sans Condensed';

const SIZE = 600;
const CENTRE = SIZE / 2;
const RIM_RADIUS = 290;
const BAND_RADIUS = 280;
const FACE_EDGE_RADIUS = 236;
const FACE_RADIUS = 231;
const INNER_RING_RADIUS = 219;

const STATUS_TAGS: Partial<Record<BadgeStatus, string>> = { pilot: 'PILOT', retired: 'RETIRED' };

/** Colours derived once from the institution's brand pair. */
interface Palette {
  rimLight: string;
  rimDark: string;
  bandLight: string;
  bandDark: string;
  bandInk: string;
  faceCentre: string;
  faceEdge: string;
  faceInk: string;
  faceMuted: string;
  innerRing: string;
  accentLine: string;
  ribbon: string;
  ribbonFold: string;
  ribbonInk: string;
  ornament: string;
}

/**
 * Draws the badge image for a micro-credential as a 600×600 SVG document. The title is wrapped onto
 * up to three lines and shrunk to fit; all text is XML-escaped. Throws a RangeError for colours that
 * are not hex.
 */
export function renderBadgeSvg(given: BadgeArtworkInput): string {
  // Measured, wrapped and drawn without bidi controls, which would reorder the words on the badge.
  const input: BadgeArtworkInput = {
    ...given,
    title: stripBidiControls(given.title),
    institutionShortName: stripBidiControls(given.institutionShortName),
    institutionName: stripBidiControls(given.institutionName),
    ...(given.credits === undefined ? {} : { credits: stripBidiControls(given.credits) }),
  };
  const palette = derivePalette(parseHexColour(input.colours.primary), parseHexColour(input.colours.accent));
  const id = `badge-${hashInput(input)}`;
  const levelName = levelLabels[input.level];
  const credits = input.credits?.trim();
  const statusTag = input.status ? STATUS_TAGS[input.status] : undefined;

  const description = [
    `${levelName} micro-credential issued by ${input.institutionName}.`,
    credits ? `${credits}.` : '',
    statusTag ? `Status: ${input.status}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(`${input.title} (${levelName} micro-credential)`)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    renderDefs(id, palette),
    `<g font-family="${BADGE_FONT_FAMILY}, sans-serif" font-weight="bold" text-anchor="middle">`,
    renderMedallion(id, palette),
    renderBandText(id, palette, input.institutionName, credits),
    renderFaceHeader(palette, input.institutionShortName),
    renderTitle(palette, input.title),
    renderRibbon(id, palette, levelName),
    renderFooterMark(palette, statusTag),
    '</g>',
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function derivePalette(primary: Rgb, accent: Rgb): Palette {
  const faceCentre = WHITE;
  const faceEdge = mixColours(WHITE, primary, 0.07);
  // Text on the face must stay readable on its darkest (edge) tint, so test against that.
  const faceInk = deepenForContrast(primary, faceEdge, 7);
  const ornament = deepenForContrast(accent, faceEdge, 3);
  const bandDark = darken(primary, 0.18);
  const ribbon = accent;
  return {
    rimLight: formatHex(lighten(accent, 0.35)),
    rimDark: formatHex(darken(accent, 0.25)),
    bandLight: formatHex(lighten(primary, 0.1)),
    bandDark: formatHex(bandDark),
    bandInk: formatHex(pickBandInk(primary, bandDark)),
    faceCentre: formatHex(faceCentre),
    faceEdge: formatHex(faceEdge),
    faceInk: formatHex(faceInk),
    faceMuted: formatHex(deepenForContrast(mixColours(faceInk, WHITE, 0.3), faceEdge, 4.5)),
    innerRing: formatHex(mixColours(WHITE, primary, 0.3)),
    accentLine: formatHex(accent),
    ribbon: formatHex(ribbon),
    ribbonFold: formatHex(darken(accent, 0.35)),
    ribbonInk: formatHex(pickInk(ribbon)),
    ornament: formatHex(ornament),
  };
}

/** Band text sits on a gradient, so choose the ink that contrasts best with both of its ends. */
function pickBandInk(light: Rgb, dark: Rgb): Rgb {
  const ink = pickInk(light);
  return contrastRatio(ink, dark) >= 3 ? ink : pickInk(dark);
}

function renderDefs(id: string, palette: Palette): string {
  const topArc = arcPath(BAND_RADIUS - 30, true);
  const bottomArc = arcPath(BAND_RADIUS - 14, false);
  return [
    '<defs>',
    `<linearGradient id="${id}-rim" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.rimLight}"/><stop offset="1" stop-color="${palette.rimDark}"/></linearGradient>`,
    `<linearGradient id="${id}-band" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.bandLight}"/><stop offset="1" stop-color="${palette.bandDark}"/></linearGradient>`,
    `<radialGradient id="${id}-face" cx="0.5" cy="0.4" r="0.6"><stop offset="0" stop-color="${palette.faceCentre}"/><stop offset="1" stop-color="${palette.faceEdge}"/></radialGradient>`,
    `<filter id="${id}-shadow" x="-10%" y="-10%" width="120%" height="130%"><feDropShadow dx="0" dy="4" stdDeviation="4" flood-color="#000000" flood-opacity="0.28"/></filter>`,
    `<path id="${id}-arc-top" d="${topArc}" fill="none"/>`,
    `<path id="${id}-arc-bottom" d="${bottomArc}" fill="none"/>`,
    '</defs>',
  ].join('\n');
}

/**
 * A half circle from the left to the right of the centre, over the top (`overTop`) or under the
 * bottom; text on either reads left to right and upright.
 */
function arcPath(radius: number, overTop: boolean): string {
  const sweep = overTop ? 1 : 0;
  return `M ${CENTRE - radius} ${CENTRE} A ${radius} ${radius} 0 0 ${sweep} ${CENTRE + radius} ${CENTRE}`;
}

function renderMedallion(id: string, palette: Palette): string {
  const circle = (radius: number, attrs: string): string =>
    `<circle cx="${CENTRE}" cy="${CENTRE}" r="${radius}" ${attrs}/>`;
  return [
    circle(RIM_RADIUS, `fill="url(#${id}-rim)" filter="url(#${id}-shadow)"`),
    circle(BAND_RADIUS, `fill="url(#${id}-band)"`),
    circle(FACE_EDGE_RADIUS, `fill="${palette.accentLine}"`),
    circle(FACE_RADIUS, `fill="url(#${id}-face)"`),
    circle(INNER_RING_RADIUS, `fill="none" stroke="${palette.innerRing}" stroke-width="2"`),
    // Two small studs on the band separate the top and bottom lines of band text.
    `<circle cx="${CENTRE - (BAND_RADIUS - 22)}" cy="${CENTRE}" r="6" fill="${palette.accentLine}"/>`,
    `<circle cx="${CENTRE + (BAND_RADIUS - 22)}" cy="${CENTRE}" r="6" fill="${palette.accentLine}"/>`,
  ].join('\n');
}

/** Curved text in the band: the institution over the top, "MICRO-CREDENTIAL" and credits underneath. */
function renderBandText(id: string, palette: Palette, institutionName: string, credits?: string): string {
  const tracking = 0.1;
  // The top line may use 140° of its arc (clear of the studs); the bottom one only 96° so that it
  // stays below the ribbon tails.
  const topArcLength = (BAND_RADIUS - 30) * Math.PI * (140 / 180);
  const bottomArcLength = (BAND_RADIUS - 14) * Math.PI * (96 / 180);

  const topText = fitArcText(institutionName.toUpperCase(), topArcLength, 24, 15, tracking);
  const bottomLabel = credits ? `MICRO-CREDENTIAL · ${credits.toUpperCase()}` : 'MICRO-CREDENTIAL';
  const bottomText = fitArcText(bottomLabel, bottomArcLength, 22, 14, tracking);

  const line = (arc: string, fit: ArcText): string =>
    `<text font-size="${fit.fontSize}" letter-spacing="${roundTo(fit.fontSize * tracking, 2)}" fill="${palette.bandInk}"><textPath href="#${id}-${arc}" startOffset="50%">${escapeXml(fit.text)}</textPath></text>`;
  return [line('arc-top', topText), line('arc-bottom', bottomText)].join('\n');
}

interface ArcText {
  text: string;
  fontSize: number;
}

function fitArcText(
  text: string,
  length: number,
  maxSize: number,
  minSize: number,
  tracking: number,
): ArcText {
  const em = measureTextEm(text, 'bold', tracking);
  const fontSize = Math.min(maxSize, length / Math.max(em, 0.001));
  if (fontSize >= minSize) return { text, fontSize: floorTo(fontSize, 1) };
  return { text: truncateToWidth(text, length / minSize, 'bold', tracking), fontSize: minSize };
}

/** The institution's short name across the top of the face, over a small accent divider. */
function renderFaceHeader(palette: Palette, shortName: string): string {
  const tracking = 0.08;
  const maxWidth = 250;
  const em = measureTextEm(shortName, 'bold', tracking);
  let fontSize = Math.min(34, maxWidth / Math.max(em, 0.001));
  let text = shortName;
  if (fontSize < 18) {
    fontSize = 18;
    text = truncateToWidth(shortName, maxWidth / fontSize, 'bold', tracking);
  }
  const size = floorTo(fontSize, 1);
  const divider = [
    `<path d="M ${CENTRE - 70} 172 H ${CENTRE - 14} M ${CENTRE + 14} 172 H ${CENTRE + 70}" stroke="${palette.ornament}" stroke-width="3" stroke-linecap="round"/>`,
    `<path d="M ${CENTRE} 164 L ${CENTRE + 8} 172 L ${CENTRE} 180 L ${CENTRE - 8} 172 Z" fill="${palette.ornament}"/>`,
  ];
  return [trackedText(150, size, tracking, palette.faceInk, text), ...divider].join('\n');
}

const TITLE_TOP = 196;
const TITLE_BOTTOM = 362;
const TITLE_LINE_HEIGHT = 1.14;

/** The title, balanced over up to three lines and centred in the space above the ribbon. */
function renderTitle(palette: Palette, title: string): string {
  const layout = layoutTitle(title, {
    width: 400,
    height: TITLE_BOTTOM - TITLE_TOP,
    maxLines: 3,
    maxFontSize: 64,
    minFontSize: 26,
    lineHeight: TITLE_LINE_HEIGHT,
    face: 'condensed',
  });
  const { fontSize, lines } = layout;
  const capHeight = fontSize * 0.73;
  const blockHeight = capHeight + (lines.length - 1) * fontSize * TITLE_LINE_HEIGHT;
  const firstBaseline = (TITLE_TOP + TITLE_BOTTOM) / 2 - blockHeight / 2 + capHeight;
  const tspans = lines.map(
    (line, index) =>
      `<tspan x="${CENTRE}" y="${roundTo(firstBaseline + index * fontSize * TITLE_LINE_HEIGHT, 1)}">${escapeXml(line)}</tspan>`,
  );
  // resvg knows the condensed face as "DejaVu Sans" stretched; other renderers may list it by its own name.
  return `<text font-family="${BADGE_TITLE_FONT_FAMILY}, ${BADGE_FONT_FAMILY}, sans-serif" font-stretch="condensed" font-size="${fontSize}" fill="${palette.faceInk}">${tspans.join('')}</text>`;
}

const RIBBON_TOP = 378;
const RIBBON_BOTTOM = 446;
const RIBBON_LEFT = 44;
const TAIL_DROP = 18;
const TAIL_LEFT = 4;
const TAIL_INSET = 84;

/** A ribbon across the lower face carrying the level, with notched tails folded behind it. */
function renderRibbon(id: string, palette: Palette, levelName: string): string {
  const mirror = (x: number): number => SIZE - x;
  const tailTop = RIBBON_TOP + TAIL_DROP;
  const tailBottom = RIBBON_BOTTOM + TAIL_DROP;
  const notchX = TAIL_LEFT + 24;
  const notchY = (tailTop + tailBottom) / 2;
  const leftTail = `${TAIL_INSET},${tailTop} ${TAIL_LEFT},${tailTop} ${notchX},${notchY} ${TAIL_LEFT},${tailBottom} ${TAIL_INSET},${tailBottom}`;
  const rightTail = `${mirror(TAIL_INSET)},${tailTop} ${mirror(TAIL_LEFT)},${tailTop} ${mirror(notchX)},${notchY} ${mirror(TAIL_LEFT)},${tailBottom} ${mirror(TAIL_INSET)},${tailBottom}`;
  const leftFold = `${RIBBON_LEFT},${RIBBON_BOTTOM} ${TAIL_INSET},${tailBottom} ${TAIL_INSET},${RIBBON_BOTTOM}`;
  const rightFold = `${mirror(RIBBON_LEFT)},${RIBBON_BOTTOM} ${mirror(TAIL_INSET)},${tailBottom} ${mirror(TAIL_INSET)},${RIBBON_BOTTOM}`;

  const label = levelName.toUpperCase();
  const tracking = 0.08;
  const fontSize = floorTo(Math.min(38, 440 / measureTextEm(label, 'bold', tracking)), 1);
  const baseline = roundTo((RIBBON_TOP + RIBBON_BOTTOM) / 2 + fontSize * 0.36, 1);
  return [
    `<g filter="url(#${id}-shadow)">`,
    `<polygon points="${leftTail}" fill="${palette.ribbonFold}"/>`,
    `<polygon points="${rightTail}" fill="${palette.ribbonFold}"/>`,
    `<polygon points="${leftFold}" fill="${palette.rimDark}"/>`,
    `<polygon points="${rightFold}" fill="${palette.rimDark}"/>`,
    `<rect x="${RIBBON_LEFT}" y="${RIBBON_TOP}" width="${SIZE - 2 * RIBBON_LEFT}" height="${RIBBON_BOTTOM - RIBBON_TOP}" fill="${palette.ribbon}"/>`,
    '</g>',
    `<path d="M ${RIBBON_LEFT} ${RIBBON_TOP + 6} H ${mirror(RIBBON_LEFT)} M ${RIBBON_LEFT} ${RIBBON_BOTTOM - 6} H ${mirror(RIBBON_LEFT)}" stroke="${palette.ribbonInk}" stroke-opacity="0.35" stroke-width="1.5"/>`,
    trackedText(baseline, fontSize, tracking, palette.ribbonInk, label),
  ].join('\n');
}

/** Below the ribbon: a status tag for pilots and retired offerings, otherwise a small star. */
function renderFooterMark(palette: Palette, statusTag?: string): string {
  const centreY = 484;
  if (!statusTag) return `<path d="${starPath(CENTRE, centreY, 17, 7)}" fill="${palette.ornament}"/>`;
  const fontSize = 22;
  const tracking = 0.14;
  const width = roundTo(measureTextEm(statusTag, 'bold', tracking) * fontSize + 36, 1);
  return [
    `<rect x="${roundTo(CENTRE - width / 2, 1)}" y="${centreY - 19}" width="${width}" height="38" rx="19" fill="${palette.faceInk}"/>`,
    trackedText(centreY + 8, fontSize, tracking, formatHex(WHITE), statusTag),
  ].join('\n');
}

/**
 * One line of letter-spaced text centred on the badge. Renderers add the spacing after the last
 * letter too, so the anchor moves right by half a space to keep the letters visually centred.
 */
function trackedText(
  baseline: number,
  fontSize: number,
  tracking: number,
  fill: string,
  text: string,
): string {
  const spacing = roundTo(fontSize * tracking, 2);
  const x = roundTo(CENTRE + spacing / 2, 1);
  return `<text x="${x}" y="${roundTo(baseline, 1)}" font-size="${fontSize}" letter-spacing="${spacing}" fill="${fill}">${escapeXml(text)}</text>`;
}

/** A five-pointed star centred on (cx, cy). */
function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${roundTo(cx + radius * Math.cos(angle), 1)} ${roundTo(cy + radius * Math.sin(angle), 1)}`);
  }
  return `M ${points.join(' L ')} Z`;
}

/**
 * A short stable hash of the input, used to prefix element ids so several badges inlined into one
 * HTML page do not share gradients by accident.
 */
function hashInput(input: BadgeArtworkInput): string {
  const text = JSON.stringify([
    input.title,
    input.level,
    input.institutionShortName,
    input.institutionName,
    input.colours.primary,
    input.colours.accent,
    input.credits ?? '',
    input.status ?? '',
  ]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

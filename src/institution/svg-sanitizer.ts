/**
 * Makes an uploaded SVG logo safe to serve and to show: the file is parsed, and a new document is written from an
 * allow-list of drawing elements and attributes. Nothing unknown survives, so scripts, event handlers,
 * foreignObject, animation that rewrites links, external references and styles that load URLs are gone however
 * they were spelled. Entities other than XML's own are never expanded (no entity bombs, no external entities).
 */
import { parseSvgTree, type SvgElement, type SvgNode } from './svg-tree.ts';

/** The outcome: the rewritten document and what was left out, or why the file is not an SVG we can read. */
export type SanitizedSvg = { ok: true; svg: string; removed: string[] } | { ok: false; problem: string };

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'symbol',
  'use',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'image',
  'style',
  'filter',
  'feGaussianBlur',
  'feOffset',
  'feBlend',
  'feColorMatrix',
  'feFlood',
  'feComposite',
  'feMerge',
  'feMergeNode',
  'feDropShadow',
]);

/** Elements whose text is kept; elsewhere text is only whitespace between tags. */
const TEXT_ELEMENTS = new Set(['title', 'desc', 'text', 'tspan', 'textPath', 'style']);

const ATTRIBUTES = new Set(
  `id class style viewBox width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr dx dy d points transform
  preserveAspectRatio version role aria-label aria-hidden focusable fill fill-opacity fill-rule stroke
  stroke-width stroke-opacity stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset
  opacity color display visibility clip-path clip-rule mask filter vector-effect paint-order font-family
  font-size font-weight font-style text-anchor dominant-baseline letter-spacing word-spacing text-decoration
  textLength lengthAdjust rotate startOffset offset stop-color stop-opacity gradientUnits gradientTransform
  spreadMethod patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
  filterUnits primitiveUnits stdDeviation in in2 result mode values type operator k1 k2 k3 k4 flood-color
  flood-opacity href xlink:href xml:space`.split(/\s+/),
);

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 20_000;

/**
 * Whether CSS (a style attribute or a style element) stays inside the document: it may point at the document's
 * own fragments (`url(#shade)`) and nothing else. Escapes are refused outright, since `\75 rl(` spells url(.
 */
export function isSelfContainedCss(css: string): boolean {
  if (/\\|@import|@font-face|image-set|expression\s*\(|behaviou?r\s*:|-moz-binding|javascript:/i.test(css)) {
    return false;
  }
  for (const match of css.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    if (!(match[2] ?? '').trim().startsWith('#')) return false;
  }
  // A url( the pattern above could not read (unbalanced quotes, say) is refused rather than guessed at.
  const urls = css.match(/url\s*\(/gi)?.length ?? 0;
  return urls === [...css.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].length;
}

/** An attribute's value if it may be kept on this element, or undefined to leave it out. */
function keptValue(element: string, name: string, value: string | undefined): string | undefined {
  if (value === undefined || !ATTRIBUTES.has(name)) return undefined;
  if (name === 'href' || name === 'xlink:href') {
    const target = value.trim();
    if (target.startsWith('#')) return target;
    return element === 'image' && DATA_IMAGE.test(target) ? target.replace(/\s+/g, '') : undefined;
  }
  if (/data:/i.test(value) || !isSelfContainedCss(value)) return undefined;
  return value;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

/** Reads `text` as SVG and writes it again from the allow-lists. */
export function sanitizeSvg(text: string): SanitizedSvg {
  const parsed = parseSvgTree(text);
  if (!parsed.ok) return parsed;
  const root = parsed.root;
  if (root.name !== 'svg')
    return { ok: false, problem: 'is not an SVG image (its outermost element is not <svg>)' };
  const removed = new Set<string>();
  let elements = 0;

  const write = (node: SvgElement, depth: number): string => {
    elements += 1;
    if (depth > MAX_DEPTH || elements > MAX_ELEMENTS) throw new RangeError('too deep or too large');
    const attributes: string[] = [];
    for (const [name, value] of node.attributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        // The writer declares SVG's and XLink's namespaces once on the root; any other would change how parts read.
        if (value !== (name === 'xmlns' ? SVG_NS : XLINK_NS)) removed.add('other namespaces');
        continue;
      }
      const kept = keptValue(node.name, name, value);
      if (kept === undefined)
        removed.add(/^on/i.test(name) ? 'event handler attributes' : `the ${name} attribute`);
      else attributes.push(` ${name}="${escapeAttribute(kept)}"`);
    }
    if (depth === 0) attributes.unshift(` xmlns="${SVG_NS}"`, ` xmlns:xlink="${XLINK_NS}"`);
    const inner = node.children.map((child) => writeChild(node, child, depth)).join('');
    return `<${node.name}${attributes.join('')}${inner === '' ? '/>' : `>${inner}</${node.name}>`}`;
  };

  const writeChild = (parent: SvgElement, child: SvgNode, depth: number): string => {
    if (typeof child === 'string') {
      if (TEXT_ELEMENTS.has(parent.name)) return escapeText(child);
      if (child.trim() !== '') removed.add('stray text');
      return '';
    }
    if (!ELEMENTS.has(child.name)) {
      removed.add(`<${child.name}>`);
      return '';
    }
    if (
      child.name === 'style' &&
      !isSelfContainedCss(child.children.filter((c) => typeof c === 'string').join(''))
    ) {
      removed.add('a <style> that loads something from outside');
      return '';
    }
    if (child.name === 'image' && keptValue('image', 'href', hrefOf(child)) === undefined) {
      removed.add('an <image> of another file');
      return '';
    }
    return write(child, depth + 1);
  };

  try {
    return { ok: true, svg: write(root, 0), removed: [...removed] };
  } catch (error) {
    if (error instanceof RangeError)
      return { ok: false, problem: 'is nested too deeply or has too many parts' };
    throw error;
  }
}

function hrefOf(element: SvgElement): string | undefined {
  return element.attributes.find(([name]) => name === 'href' || name === 'xlink:href')?.[1];
}

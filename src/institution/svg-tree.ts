/**
 * A strict, small XML reader for uploaded logos: elements, attributes and text, nothing else. No XML parser is
 * installed, and the sanitizer must see the document as a browser would, so anything this cannot read with
 * certainty is refused rather than guessed at. A DOCTYPE is skipped without reading its declarations, and only
 * XML's five entities and numeric references are understood: a value using another entity is left undefined and
 * the sanitizer drops it.
 */

export interface SvgElement {
  name: string;
  /** In document order; a value is undefined when it used an entity this reader does not expand. */
  attributes: [string, string | undefined][];
  children: SvgNode[];
}

export type SvgNode = SvgElement | string;

const NAME = /^[A-Za-z_][\w.:-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replaces XML's own references; undefined when another entity is used or a reference is malformed. */
function decode(text: string): string | undefined {
  let failed = false;
  const decoded = text.replace(/&([^;&\s]{0,12});?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) failed = true;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) failed = true;
      return failed ? '' : String.fromCodePoint(code);
    }
    const known = PREDEFINED[body];
    if (known === undefined) failed = true;
    return known ?? '';
  });
  return failed ? undefined : decoded;
}

/** Where a DOCTYPE ends: after its closing `>`, skipping quoted strings and an internal subset in brackets. */
function endOfDoctype(xml: string, start: number): number {
  let depth = 0;
  for (let i = start; i < xml.length; i += 1) {
    const c = xml[i];
    if (c === '"' || c === "'") {
      const close = xml.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === '[') depth += 1;
    else if (c === ']') depth -= 1;
    else if (c === '>' && depth === 0) return i + 1;
  }
  return -1;
}

type Parsed = { ok: true; root: SvgElement } | { ok: false; problem: string };

/** Parses `xml` into its root element, or says why it cannot be read. */
export function parseSvgTree(xml: string): Parsed {
  const bad = (why: string): Parsed => ({ ok: false, problem: `is not a well-formed SVG file (${why})` });
  const text = xml.replace(/^\uFEFF/, '');
  const open: SvgElement[] = [];
  let root: SvgElement | undefined;
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const chunk = text.slice(at, lt < 0 ? text.length : lt);
    if (chunk !== '') {
      const top = open.at(-1);
      if (!top) {
        if (chunk.trim() !== '') return bad('text outside the root element');
      } else {
        const decoded = decode(chunk);
        if (decoded === undefined) return bad('an unknown entity or a bare "&" in text');
        top.children.push(decoded);
      }
    }
    if (lt < 0) break;
    at = lt;
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) return bad('an unterminated comment');
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at);
      const top = open.at(-1);
      if (end < 0 || !top) return bad('a misplaced CDATA section');
      top.children.push(text.slice(at + 9, end));
      at = end + 3;
    } else if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at);
      if (end < 0) return bad('an unterminated processing instruction');
      at = end + 2;
    } else if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) {
      if (root) return bad('a DOCTYPE after the root element');
      const end = endOfDoctype(text, at + 9);
      if (end < 0) return bad('an unterminated DOCTYPE');
      at = end;
    } else if (text.startsWith('</', at)) {
      const end = text.indexOf('>', at);
      const name = end < 0 ? '' : text.slice(at + 2, end).trim();
      const top = open.pop();
      if (!top || top.name !== name) return bad(`</${name}> closes nothing`);
      at = end + 1;
    } else {
      const tag = readStartTag(text, at);
      if (typeof tag === 'string') return bad(tag);
      if (open.length === 0 && root) return bad('a second root element');
      const top = open.at(-1);
      if (top) top.children.push(tag.element);
      else root = tag.element;
      if (!tag.selfClosing) open.push(tag.element);
      at = tag.end;
    }
  }
  if (open.length > 0) return bad(`<${open.at(-1)?.name}> is never closed`);
  if (!root) return bad('no root element');
  return { ok: true, root };
}

function readStartTag(
  xml: string,
  start: number,
): { element: SvgElement; end: number; selfClosing: boolean } | string {
  const name = NAME.exec(xml.slice(start + 1, start + 201))?.[0];
  if (!name) return 'a "<" that does not start a tag';
  const element: SvgElement = { name, attributes: [], children: [] };
  const seen = new Set<string>();
  let i = start + 1 + name.length;
  while (i < xml.length) {
    const spaceStart = i;
    while (/\s/.test(xml[i] ?? '')) i += 1;
    if (xml.startsWith('/>', i)) return { element, end: i + 2, selfClosing: true };
    if (xml[i] === '>') return { element, end: i + 1, selfClosing: false };
    if (i === spaceStart) return `no space before an attribute of <${name}>`;
    const attribute = /^([A-Za-z_][\w.:-]*)\s*=\s*(["'])/.exec(xml.slice(i, i + 300));
    if (!attribute?.[1] || !attribute[2]) return `an attribute of <${name}> that cannot be read`;
    const valueStart = i + attribute[0].length;
    const valueEnd = xml.indexOf(attribute[2], valueStart);
    if (valueEnd < 0) return `an unterminated attribute value in <${name}>`;
    const raw = xml.slice(valueStart, valueEnd);
    if (raw.includes('<')) return `a "<" inside an attribute of <${name}>`;
    if (seen.has(attribute[1])) return `the attribute ${attribute[1]} twice on <${name}>`;
    seen.add(attribute[1]);
    element.attributes.push([attribute[1], decode(raw)]);
    i = valueEnd + 1;
  }
  return `an unterminated <${name}> tag`;
}

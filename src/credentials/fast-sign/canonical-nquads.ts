/**
 * Fills a canonical template with one document's values and labels its blank nodes as RDFC-1.0 does.
 *
 * RDFC-1.0 first gives each blank node a "first-degree" hash: the SHA-256 of the sorted N-Quads that
 * mention it, written with `_:a` for the node itself and `_:z` for any other blank node. When those
 * hashes are all different, the canonical labels are simply c14n0, c14n1, … in hash order; only ties
 * need the (expensive) n-degree step. This module implements the untied case exactly and reports a
 * tie so the caller can use the reference code.
 *
 * Two nodes of a document may share an id (a badge's image that is also its achievement's image): JSON-LD
 * merges them into one node, keeping one copy of each statement, while the template, made from a probe
 * where the two ids were different placeholders, has both copies. Such repeats are dropped here, as
 * JSON-LD drops them, when that is exactly what it does: statements without blank nodes, from quad
 * patterns of the same kind (so the JSON-LD values compared equal), in a template whose document uses no
 * `@index` (values that differ only in their index are not merged). Any other repeat goes to the reference.
 */
import { createHash } from 'node:crypto';
import type { CanonicalTemplate, QuadPattern, TermPattern } from './canonical-template.ts';
import type { SlotValue } from './document-shape.ts';
import { escapeLiteral, formatJsonLdNumber } from './nquads-terms.ts';

/** A quad with its resources written out; a number stands for a blank node not yet labelled. */
interface FilledQuad {
  subject: string | number;
  predicate: string;
  object: string | number;
}

function fillTerm(term: TermPattern, slots: readonly SlotValue[]): string | number {
  switch (term.kind) {
    case 'fixed':
      return term.text;
    case 'blank':
      return term.index;
    case 'iri':
      return `<${slots[term.slot] as string}>`;
    case 'literal':
      return `"${escapeLiteral(slots[term.slot] as string)}"${term.suffix}`;
    case 'number':
      return `"${formatJsonLdNumber(slots[term.slot] as number, term.asDouble)}"${term.suffix}`;
  }
}

function line(quad: FilledQuad, label: (blank: number) => string): string {
  const subject = typeof quad.subject === 'number' ? label(quad.subject) : quad.subject;
  const object = typeof quad.object === 'number' ? label(quad.object) : quad.object;
  return `${subject}${quad.predicate}${object} .\n`;
}

export type FilledResult =
  /** `merged` tells that repeated statements were dropped as JSON-LD merges them. */
  | { ok: true; nquads: string; merged: boolean }
  /** The document needs the full algorithm: tied first-degree hashes, or a quad produced twice. */
  | { ok: false; reason: 'blank-node-tie' | 'repeated-quad' };

/**
 * The canonical N-Quads of the template filled with `slots`. The caller has already checked that every
 * IRI slot holds a verbatim IRI.
 */
export function canonicalNQuads(template: CanonicalTemplate, slots: readonly SlotValue[]): FilledResult {
  const lines: string[] = [];
  const withBlanks: FilledQuad[] = [];
  // Statements without blank nodes are written at once; the first pattern behind each line is kept, to
  // check that a repeat of it is one JSON-LD merges.
  const firstPattern = new Map<string, QuadPattern>();
  let merged = false;
  for (const pattern of template.quads) {
    const quad: FilledQuad = {
      subject: fillTerm(pattern.subject, slots),
      predicate: pattern.predicate,
      object: fillTerm(pattern.object, slots),
    };
    if (typeof quad.subject === 'number' || typeof quad.object === 'number') {
      withBlanks.push(quad);
      continue;
    }
    const text = line(quad, noBlank);
    const first = firstPattern.get(text);
    if (first === undefined) {
      firstPattern.set(text, pattern);
      lines.push(text);
    } else if (template.mergeable && sameKind(first, pattern)) {
      merged = true;
    } else {
      return { ok: false, reason: 'repeated-quad' };
    }
  }
  const labels = canonicalBlankLabels(withBlanks, template.blankNodes);
  if (labels === null) return { ok: false, reason: 'blank-node-tie' };
  for (const quad of withBlanks) lines.push(line(quad, (blank) => labels[blank]!));
  lines.sort();
  // A repeat that names a blank node: JSON-LD's handling of it is left to JSON-LD.
  for (let i = 1; i < lines.length; i += 1) {
    if (lines[i] === lines[i - 1]) return { ok: false, reason: 'repeated-quad' };
  }
  return { ok: true, nquads: lines.join(''), merged };
}

const noBlank = (): string => {
  throw new Error('A statement without blank nodes has none to label.');
};

/** Two patterns whose equal statements JSON-LD treats as one value: same term kinds, datatypes and text. */
function sameKind(a: QuadPattern, b: QuadPattern): boolean {
  return kindOf(a.subject) === kindOf(b.subject) && kindOf(a.object) === kindOf(b.object);
}

function kindOf(term: TermPattern): string {
  switch (term.kind) {
    case 'fixed':
      return `fixed ${term.text}`;
    case 'iri':
      return 'iri';
    case 'literal':
      return `literal ${term.suffix}`;
    case 'number':
      return `number ${term.asDouble} ${term.suffix}`;
    case 'blank':
      return 'blank';
  }
}

/** `_:c14nN` for each blank node, or null when two first-degree hashes are equal. */
function canonicalBlankLabels(quads: readonly FilledQuad[], blankNodes: number): string[] | null {
  if (blankNodes === 0) return [];
  const mentions: FilledQuad[][] = Array.from({ length: blankNodes }, () => []);
  for (const quad of quads) {
    if (typeof quad.subject === 'number') mentions[quad.subject]!.push(quad);
    if (typeof quad.object === 'number' && quad.object !== quad.subject) mentions[quad.object]!.push(quad);
  }
  const hashes = mentions.map((mentioning, blank) => {
    const lines = mentioning.map((quad) => line(quad, (other) => (other === blank ? '_:a' : '_:z')));
    lines.sort();
    return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
  });
  const order = hashes.map((_, blank) => blank);
  order.sort((a, b) => (hashes[a]! < hashes[b]! ? -1 : hashes[a]! > hashes[b]! ? 1 : 0));
  const labels: string[] = new Array(blankNodes);
  for (let rank = 0; rank < order.length; rank += 1) {
    if (rank > 0 && hashes[order[rank]!] === hashes[order[rank - 1]!]) return null;
    labels[order[rank]!] = `_:c14n${rank}`;
  }
  return labels;
}

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

import type { CanonicalTemplate, QuadPattern, TermPattern } from './canonical-template.ts';
import type { SlotValue } from './document-shape.ts';
import { escapeLiteral, formatJsonLdNumber } from './nquads-terms.ts';
import { sha256Hex } from './sha256.ts';
import { type FilledTerm, planSort, type SortPlan, sortedLines } from './sort-plan.ts';

/** A term's text for one document's slots; a blank node stays its index, to be labelled later. */
export function fillTerm(term: TermPattern, slots: readonly SlotValue[]): FilledTerm {
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

/** A template's statements filled for one document, index by index with its patterns. */
interface Filled {
  quads: readonly QuadPattern[];
  subjects: FilledTerm[];
  objects: FilledTerm[];
}

function lineAt(filled: Filled, index: number, label: (blank: number) => string): string {
  const subject = filled.subjects[index]!;
  const object = filled.objects[index]!;
  return `${typeof subject === 'number' ? label(subject) : subject}${filled.quads[index]!.predicate}${
    typeof object === 'number' ? label(object) : object
  } .\n`;
}

/** How a template's lines are put in order: all of them, and those mentioning each blank node. */
interface TemplatePlans {
  all: SortPlan;
  everyIndex: number[];
  /** Per blank node, the patterns that mention it and their plan. */
  mentions: Array<{ indices: number[]; plan: SortPlan }>;
}

const plansByTemplate = new WeakMap<CanonicalTemplate, TemplatePlans>();

function plansFor(template: CanonicalTemplate): TemplatePlans {
  let plans = plansByTemplate.get(template);
  if (!plans) {
    const { quads } = template;
    const mentioning: number[][] = Array.from({ length: template.blankNodes }, () => []);
    quads.forEach((quad, index) => {
      if (quad.subject.kind === 'blank') mentioning[quad.subject.index]!.push(index);
      if (
        quad.object.kind === 'blank' &&
        !(quad.subject.kind === 'blank' && quad.subject.index === quad.object.index)
      ) {
        mentioning[quad.object.index]!.push(index);
      }
    });
    const everyIndex = quads.map((_, index) => index);
    plans = {
      all: planSort(quads, everyIndex),
      everyIndex,
      mentions: mentioning.map((indices) => ({ indices, plan: planSort(quads, indices) })),
    };
    plansByTemplate.set(template, plans);
  }
  return plans;
}

/** The lines of `indices` in code-point order: by the plan, or by sorting them when the plan cannot tell. */
function orderedLines(
  filled: Filled,
  plan: SortPlan,
  indices: readonly number[],
  label: (blank: number) => string,
): string[] {
  const planned = sortedLines(plan, filled.quads, filled.subjects, filled.objects, label);
  if (planned !== null) return planned;
  const lines = indices.map((index) => lineAt(filled, index, label));
  lines.sort();
  return lines;
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
  const { quads } = template;
  const filled: Filled = { quads, subjects: new Array(quads.length), objects: new Array(quads.length) };
  for (let index = 0; index < quads.length; index += 1) {
    filled.subjects[index] = fillTerm(quads[index]!.subject, slots);
    filled.objects[index] = fillTerm(quads[index]!.object, slots);
  }
  const plans = plansFor(template);
  const labels = canonicalBlankLabels(filled, plans);
  if (labels === null) return { ok: false, reason: 'blank-node-tie' };
  const label = (blank: number) => labels[blank]!;
  const lines = orderedLines(filled, plans.all, plans.everyIndex, label);
  // Sorted, equal statements are neighbours. Most documents have none; one that has (nodes sharing an
  // id) is written again statement by statement, to tell the repeats JSON-LD merges from the others.
  for (let i = 1; i < lines.length; i += 1) {
    if (lines[i] === lines[i - 1]) return withRepeats(template, filled, label);
  }
  return { ok: true, nquads: lines.join(''), merged: false };
}

/** canonicalNQuads for a document with repeated statements: each repeat is merged or refused. */
function withRepeats(
  template: CanonicalTemplate,
  filled: Filled,
  label: (blank: number) => string,
): FilledResult {
  const lines: string[] = [];
  // The first pattern behind each line is kept, to check that a repeat of it is one JSON-LD merges.
  const firstPattern = new Map<string, QuadPattern>();
  let merged = false;
  const withBlanks: number[] = [];
  for (let index = 0; index < template.quads.length; index += 1) {
    const pattern = template.quads[index]!;
    if (typeof filled.subjects[index] === 'number' || typeof filled.objects[index] === 'number') {
      withBlanks.push(index);
      continue;
    }
    const text = lineAt(filled, index, noBlank);
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
  for (const index of withBlanks) lines.push(lineAt(filled, index, label));
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
export function sameKind(a: QuadPattern, b: QuadPattern): boolean {
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
function canonicalBlankLabels(filled: Filled, plans: TemplatePlans): string[] | null {
  const blankNodes = plans.mentions.length;
  if (blankNodes === 0) return [];
  const hashes = plans.mentions.map(({ indices, plan }, blank) => {
    const lines = orderedLines(filled, plan, indices, (other) => (other === blank ? '_:a' : '_:z'));
    return firstDegreeHash(lines.join(''));
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

// First-degree hashes by their input. A program's badges repeat the same nodes (its criteria, its
// alignments), and looking the text up costs a fraction of hashing it. Emptied when full: entries
// for one learner's nodes are never asked for again.
const knownHashes = new Map<string, string>();
const MAX_KNOWN_HASHES = 2048;

function firstDegreeHash(text: string): string {
  let hash = knownHashes.get(text);
  if (hash === undefined) {
    hash = sha256Hex(text);
    if (knownHashes.size >= MAX_KNOWN_HASHES) knownHashes.clear();
    knownHashes.set(text, hash);
  }
  return hash;
}

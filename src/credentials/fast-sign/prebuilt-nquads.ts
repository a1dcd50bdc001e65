/**
 * Canonical N-Quads prebuilt for the credentials of one program: a template (canonical-template.ts) with the
 * values every badge of the program shares already written in, its lines already in order and the
 * first-degree hashes of its unchanging blank nodes already computed. A learner's badge then costs its own
 * values, the hashes of the blank nodes that mention them, and joining prebuilt text.
 *
 * Which values count as the program's is the caller's choice ("program slots"); any choice gives the same
 * bytes, because everything here is worked out from those values and the template alone, and a learner's
 * value is never assumed to be anything. Whatever depends on a learner's values is decided per badge:
 * - the lines that hold them, and where they sort among the prebuilt ones;
 * - the first-degree hashes of blank nodes that mention them, hence every blank node's label (RDFC-1.0
 *   labels in hash order), hence the place of lines naming a blank node.
 * Anything unusual for one badge (two blank nodes with equal hashes, a learner's line equal to another, a
 * learner's subject equal to another node's) makes fillPrebuilt answer undefined, and the caller uses the
 * general fill (canonical-nquads.ts), which decides those cases. A program whose own values already need
 * one of those decisions gets no prebuilt text, except the one the general fill makes every time the same
 * way: repeated statements without blank nodes, merged as JSON-LD merges nodes sharing an id.
 */

import { fillTerm, sameKind } from './canonical-nquads.ts';
import type { CanonicalTemplate, QuadPattern, TermPattern } from './canonical-template.ts';
import type { SlotValue } from './document-shape.ts';
import { sha256Latin1 } from './sha256.ts';

/** A term once the program's values are known: its text, a blank node's index, or a learner value's index. */
type Part = string | { blank: number } | { varying: number };

const STATIC = 0;
const BLANK = 1;
const VARYING = 2;

/** One line of a node, after its subject: the whole rest of the line, or the predicate and what follows. */
interface Item {
  kind: typeof STATIC | typeof BLANK | typeof VARYING;
  /** The predicate with its spaces, ` <iri> `. */
  predicate: string;
  /** STATIC: predicate, object and ` .\n`; otherwise the predicate with its spaces. */
  text: string;
  /** The blank node (BLANK) or learner value (VARYING) the object is. */
  ref: number;
}

interface Group {
  items: Item[];
  /** [start, end) ranges of items sharing a predicate whose order depends on a badge's values. */
  runs: Array<[number, number]>;
  /** The group's whole text when nothing in it depends on a badge (only for nodes with a known IRI). */
  text: string | undefined;
}

interface SubjectGroup extends Group {
  /** The subject's text, for nodes with a known IRI; the learner value's index otherwise. */
  subject: string;
}

interface VaryingGroup extends Group {
  subject: number;
}

/** A line of a first-degree hash input: known text and learner values' indices, joined per badge. */
type LineBuilder = Array<string | number>;

export interface PrebuiltNQuads {
  /** The learner-dependent terms, each filled once per badge. */
  varying: TermPattern[];
  /** Per blank node, its first-degree hash when no learner value is in its lines. */
  knownHashes: Array<string | undefined>;
  /** The blank nodes whose hash depends on a badge: their known lines (sorted) and the others. */
  hashedPerBadge: Array<{ blank: number; known: string[]; builders: LineBuilder[] }>;
  /** Nodes with a known IRI, in code-point order of their subjects. */
  named: SubjectGroup[];
  /** Nodes whose IRI is a learner's value. */
  learners: VaryingGroup[];
  /** Per blank node, its statements as subject. */
  blanks: Group[];
  /** Canonical ranks in the code-point order of their labels (`_:c14n10` sorts before `_:c14n2`). */
  labelOrder: number[];
  /** Whether the program's own repeated statements were merged (nodes sharing an id). */
  merged: boolean;
}

const LINE_END = ' .\n';

/**
 * The prebuilt text of `template` for the program whose values are `slots` at `programSlots`, or null when
 * that program's badges always need a decision the general fill makes (see the module comment). Reads no
 * slot outside `programSlots`.
 */
export function prebuildNQuads(
  template: CanonicalTemplate,
  slots: readonly SlotValue[],
  programSlots: readonly number[],
): PrebuiltNQuads | null {
  const isProgram = new Set(programSlots);
  const varying: TermPattern[] = [];
  const varyingIndex = new Map<string, number>();
  const partOf = (term: TermPattern): Part => {
    if (term.kind === 'fixed') return term.text;
    if (term.kind === 'blank') return { blank: term.index };
    if (isProgram.has(term.slot)) return fillTerm(term, slots) as string;
    const key = JSON.stringify(term);
    let index = varyingIndex.get(key);
    if (index === undefined) {
      index = varying.length;
      varying.push(term);
      varyingIndex.set(key, index);
    }
    return { varying: index };
  };
  const { quads } = template;
  const subjects = quads.map((quad) => partOf(quad.subject));
  const objects = quads.map((quad) => partOf(quad.object));

  // The program's own repeated statements, dropped exactly as the general fill drops them.
  const dropped = new Set<number>();
  const firstPattern = new Map<string, QuadPattern>();
  for (let index = 0; index < quads.length; index += 1) {
    const quad = quads[index]!;
    const subject = subjects[index]!;
    const object = objects[index]!;
    if (typeof subject !== 'string' || typeof object !== 'string') continue;
    const text = `${subject}${quad.predicate}${object}${LINE_END}`;
    const first = firstPattern.get(text);
    if (first === undefined) firstPattern.set(text, quad);
    else if (template.mergeable && sameKind(first, quad)) dropped.add(index);
    else return null;
  }

  const hashes = firstDegreeParts(template, subjects, objects);
  if (hashes === null) return null;

  const named = new Map<string, SubjectGroup>();
  const learners = new Map<number, VaryingGroup>();
  const blanks: Group[] = Array.from({ length: template.blankNodes }, () => emptyGroup());
  quads.forEach((quad, index) => {
    if (dropped.has(index)) return;
    const subject = subjects[index]!;
    const object = objects[index]!;
    const { predicate } = quad;
    const item: Item =
      typeof object === 'string'
        ? { kind: STATIC, predicate, text: `${predicate}${object}${LINE_END}`, ref: 0 }
        : 'blank' in object
          ? { kind: BLANK, predicate, text: predicate, ref: object.blank }
          : { kind: VARYING, predicate, text: predicate, ref: object.varying };
    let group: Group;
    if (typeof subject === 'string') {
      group = named.get(subject) ?? { subject, ...emptyGroup() };
      named.set(subject, group as SubjectGroup);
    } else if ('blank' in subject) {
      group = blanks[subject.blank]!;
    } else {
      group = learners.get(subject.varying) ?? { subject: subject.varying, ...emptyGroup() };
      learners.set(subject.varying, group as VaryingGroup);
    }
    group.items.push(item);
  });

  const groups: Group[] = [...named.values(), ...learners.values(), ...blanks];
  for (const group of groups) if (!planGroup(group)) return null;
  for (const group of named.values()) {
    if (group.runs.length === 0 && group.items.every((item) => item.kind === STATIC)) {
      group.text = group.items.map((item) => group.subject + item.text).join('');
    }
  }
  const ranks = Array.from({ length: template.blankNodes }, (_, rank) => rank);
  ranks.sort((a, b) => byCodeUnits(label(a), label(b)));
  return {
    varying,
    knownHashes: hashes.known,
    hashedPerBadge: hashes.perBadge,
    named: [...named.values()].sort((a, b) => byCodeUnits(a.subject, b.subject)),
    learners: [...learners.values()],
    blanks,
    labelOrder: ranks,
    merged: dropped.size > 0,
  };
}

function emptyGroup(): Group {
  return { items: [], runs: [], text: undefined };
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders a node's lines by predicate; lines sharing one are ordered now when all are known, or marked as a
 * run to order per badge. False when the node would always repeat a statement naming a blank node or a
 * statement of its own, which the general fill decides.
 */
function planGroup(group: Group): boolean {
  const { items } = group;
  // A stable sort: items sharing a predicate keep the template's order, for the run to sort per badge.
  items.sort((a, b) => byCodeUnits(a.predicate, b.predicate));
  for (let start = 0; start < items.length; ) {
    const { predicate } = items[start]!;
    let end = start + 1;
    while (end < items.length && items[end]!.predicate === predicate) end += 1;
    if (end - start > 1) {
      const run = items.slice(start, end);
      if (run.every((item) => item.kind === STATIC)) {
        run.sort((a, b) => byCodeUnits(a.text, b.text));
        for (let i = 1; i < run.length; i += 1) if (run[i]!.text === run[i - 1]!.text) return false;
        items.splice(start, run.length, ...run);
      } else {
        const blanks = run.filter((item) => item.kind === BLANK).map((item) => item.ref);
        if (new Set(blanks).size !== blanks.length) return false;
        group.runs.push([start, end]);
      }
    }
    start = end;
  }
  return true;
}

/**
 * First-degree hash inputs per blank node (RDFC-1.0: the lines naming it, itself as `_:a`, any other blank
 * node as `_:z`, sorted): hashed now when every line is known, else kept as builders. Null when two known
 * hashes are equal, a tie every badge of the program would have.
 */
function firstDegreeParts(
  template: CanonicalTemplate,
  subjects: readonly Part[],
  objects: readonly Part[],
): { known: Array<string | undefined>; perBadge: PrebuiltNQuads['hashedPerBadge'] } | null {
  const known: Array<string | undefined> = new Array(template.blankNodes).fill(undefined);
  const perBadge: PrebuiltNQuads['hashedPerBadge'] = [];
  const mentioning: number[][] = Array.from({ length: template.blankNodes }, () => []);
  template.quads.forEach((quad, index) => {
    if (quad.subject.kind === 'blank') mentioning[quad.subject.index]!.push(index);
    if (
      quad.object.kind === 'blank' &&
      !(quad.subject.kind === 'blank' && quad.subject.index === quad.object.index)
    ) {
      mentioning[quad.object.index]!.push(index);
    }
  });
  for (let blank = 0; blank < template.blankNodes; blank += 1) {
    const term = (part: Part): string | number =>
      typeof part === 'string'
        ? part
        : 'blank' in part
          ? part.blank === blank
            ? '_:a'
            : '_:z'
          : part.varying;
    const lines: string[] = [];
    const builders: LineBuilder[] = [];
    for (const index of mentioning[blank]!) {
      const builder = joinKnown([
        term(subjects[index]!),
        template.quads[index]!.predicate,
        term(objects[index]!),
        LINE_END,
      ]);
      if (builder.length === 1 && typeof builder[0] === 'string') lines.push(builder[0]);
      else builders.push(builder);
    }
    lines.sort();
    if (builders.length === 0) known[blank] = sha256Latin1(lines.join(''));
    else perBadge.push({ blank, known: lines, builders });
  }
  const hashes = known.filter((hash): hash is string => hash !== undefined);
  if (new Set(hashes).size !== hashes.length) return null;
  return { known, perBadge };
}

/** Adjacent known texts joined into one. */
function joinKnown(parts: ReadonlyArray<string | number>): LineBuilder {
  const joined: LineBuilder = [];
  for (const part of parts) {
    const last = joined.length - 1;
    if (typeof part === 'string' && last >= 0 && typeof joined[last] === 'string') {
      joined[last] = (joined[last] as string) + part;
    } else joined.push(part);
  }
  return joined;
}

const LABELS: string[] = [];
function label(rank: number): string {
  let text = LABELS[rank];
  if (text === undefined) {
    text = `_:c14n${rank}`;
    LABELS[rank] = text;
  }
  return text;
}

/**
 * The canonical N-Quads of one badge of the program, from its slots (the same template and program values
 * the text was prebuilt for; the caller checks that). Undefined when the badge needs the general fill.
 */
export function fillPrebuilt(prebuilt: PrebuiltNQuads, slots: readonly SlotValue[]): string | undefined {
  const values: string[] = new Array(prebuilt.varying.length);
  for (let i = 0; i < values.length; i += 1) values[i] = fillTerm(prebuilt.varying[i]!, slots) as string;

  const labels = blankLabels(prebuilt, values);
  if (labels === undefined) return undefined;

  // Nodes whose IRI is a learner's value, in order, each placed among the known ones.
  const { named, learners } = prebuilt;
  const order = learners.length > 1 ? [...learners].sort(byLearnerSubject(values)) : learners;
  let text = '';
  let next = 0;
  for (let k = 0; k < order.length; k += 1) {
    const group = order[k]!;
    const subject = values[group.subject]!;
    if (k > 0 && subject === values[order[k - 1]!.subject]) return undefined;
    while (next < named.length && named[next]!.subject < subject) {
      const part = writeGroup(named[next]!, named[next]!.subject, values, labels);
      if (part === undefined) return undefined;
      text += part;
      next += 1;
    }
    // Another node with the same IRI: JSON-LD would merge the two, which the general fill handles.
    if (next < named.length && named[next]!.subject === subject) return undefined;
    const part = writeGroup(group, subject, values, labels);
    if (part === undefined) return undefined;
    text += part;
  }
  for (; next < named.length; next += 1) {
    const part = writeGroup(named[next]!, named[next]!.subject, values, labels);
    if (part === undefined) return undefined;
    text += part;
  }
  // Blank nodes sort after every IRI (`_` after `<`), by label.
  for (const rank of prebuilt.labelOrder) {
    const blank = labels.blankOfRank[rank]!;
    const part = writeGroup(prebuilt.blanks[blank]!, labels.of[blank]!, values, labels);
    if (part === undefined) return undefined;
    text += part;
  }
  return text;
}

const byLearnerSubject =
  (values: readonly string[]) =>
  (a: VaryingGroup, b: VaryingGroup): number =>
    byCodeUnits(values[a.subject]!, values[b.subject]!);

interface Labels {
  /** Per blank node, its canonical label. */
  of: string[];
  /** Per rank, the blank node holding it. */
  blankOfRank: number[];
}

/** Canonical labels from the first-degree hashes, or undefined when two are equal (the n-degree step). */
function blankLabels(prebuilt: PrebuiltNQuads, values: readonly string[]): Labels | undefined {
  const hashes = prebuilt.knownHashes.slice();
  for (const { blank, known, builders } of prebuilt.hashedPerBadge) {
    // The known lines are sorted already; each badge line is inserted in place (a node has a handful).
    const lines = known.slice();
    for (const builder of builders) {
      let line = '';
      for (const part of builder) line += typeof part === 'string' ? part : values[part]!;
      insertSorted(lines, line);
    }
    hashes[blank] = sha256Latin1(lines.join(''));
  }
  const blankOfRank: number[] = new Array(hashes.length);
  for (let blank = 0; blank < hashes.length; blank += 1) {
    const hash = hashes[blank]!;
    let at = blank;
    while (at > 0 && hashes[blankOfRank[at - 1]!]! > hash) {
      blankOfRank[at] = blankOfRank[at - 1]!;
      at -= 1;
    }
    if (at > 0 && hashes[blankOfRank[at - 1]!] === hash) return undefined;
    blankOfRank[at] = blank;
  }
  const of: string[] = new Array(hashes.length);
  for (let rank = 0; rank < blankOfRank.length; rank += 1) of[blankOfRank[rank]!] = label(rank);
  return { of, blankOfRank };
}

/** Inserts `line` into the sorted `lines`, keeping them in code-unit order (Array.prototype.sort's). */
function insertSorted(lines: string[], line: string): void {
  let at = lines.length;
  lines.push(line);
  while (at > 0 && lines[at - 1]! > line) {
    lines[at] = lines[at - 1]!;
    at -= 1;
  }
  lines[at] = line;
}

/** A node's lines for one badge; undefined when two of them come out the same. */
function writeGroup(
  group: Group,
  subject: string,
  values: readonly string[],
  labels: Labels,
): string | undefined {
  if (group.text !== undefined) return group.text;
  const { items, runs } = group;
  if (runs.length === 0) {
    let text = '';
    for (const item of items) text += subject + tailOf(item, values, labels);
    return text;
  }
  const tails: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i += 1) tails[i] = tailOf(items[i]!, values, labels);
  for (const [start, end] of runs) {
    // Insertion sort: a run is a handful of lines sharing subject and predicate.
    for (let i = start + 1; i < end; i += 1) {
      const tail = tails[i]!;
      let j = i - 1;
      while (j >= start && tails[j]! > tail) {
        tails[j + 1] = tails[j]!;
        j -= 1;
      }
      if (j >= start && tails[j] === tail) return undefined;
      tails[j + 1] = tail;
    }
  }
  let text = '';
  for (const tail of tails) text += subject + tail;
  return text;
}

function tailOf(item: Item, values: readonly string[], labels: Labels): string {
  if (item.kind === STATIC) return item.text;
  return item.text + (item.kind === BLANK ? labels.of[item.ref]! : values[item.ref]!) + LINE_END;
}

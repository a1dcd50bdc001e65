/**
 * Putting a template's statements in code-point order mostly before any value is known. A statement's
 * line is `subject predicate object .`, so lines sort by subject first; a subject's lines then sort by
 * predicate, and only lines sharing a predicate need their objects compared. Comparing subjects (or
 * predicates) alone orders lines exactly as comparing whole lines does: an IRI is written `<iri>` with `>`
 * only at its end (escapeIri and isVerbatimIri see to that), so one is never a proper prefix of another,
 * and where a blank node label is a prefix of a longer one (`_:c14n1`, `_:c14n10`) the longer one's next
 * character is a digit, above the space that follows a subject.
 *
 * A plan groups a template's patterns by subject and orders each group by predicate (and by object, when
 * the objects sharing a predicate are all fixed text). At fill time only the groups' subjects are sorted,
 * plus any run of lines whose order depends on the values; two groups whose subjects come out as the same
 * text (nodes sharing an id) make the caller sort every line instead.
 */
import type { QuadPattern, TermPattern } from './canonical-template.ts';

export interface SortGroup {
  /** Pattern indices in sorted order, as far as it is known without the values. */
  items: number[];
  /** [start, end) ranges of `items` whose order depends on the values: same predicate, objects not fixed. */
  runs: Array<[number, number]>;
}

export interface SortPlan {
  groups: SortGroup[];
}

/** A term filled for one document: its text, or the index of a blank node not yet labelled. */
export type FilledTerm = string | number;

function identity(term: TermPattern): string {
  if (term.kind === 'fixed') return `f${term.text}`;
  if (term.kind === 'blank') return `b${term.index}`;
  return `s${term.kind === 'iri' ? term.slot : -1}`;
}

const byCodePoints = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The plan for the patterns `indices` of `quads`. */
export function planSort(quads: readonly QuadPattern[], indices: readonly number[]): SortPlan {
  const bySubject = new Map<string, number[]>();
  for (const index of indices) {
    const key = identity(quads[index]!.subject);
    const group = bySubject.get(key);
    if (group) group.push(index);
    else bySubject.set(key, [index]);
  }
  const groups: SortGroup[] = [];
  for (const members of bySubject.values()) {
    members.sort((a, b) => byCodePoints(quads[a]!.predicate, quads[b]!.predicate));
    const items: number[] = [];
    const runs: Array<[number, number]> = [];
    for (let start = 0; start < members.length; ) {
      let end = start + 1;
      while (end < members.length && quads[members[end]!]!.predicate === quads[members[start]!]!.predicate) {
        end += 1;
      }
      const run = members.slice(start, end);
      const objects = run.map((index) => quads[index]!.object);
      if (run.length > 1 && objects.every((object) => object.kind === 'fixed')) {
        // Fixed objects sort now, by the rest of the line (the object text and what follows it).
        const text = (index: number) => `${(quads[index]!.object as { text: string }).text} .\n`;
        run.sort((a, b) => byCodePoints(text(a), text(b)));
      } else if (run.length > 1) {
        runs.push([items.length, items.length + run.length]);
      }
      items.push(...run);
      start = end;
    }
    groups.push({ items, runs });
  }
  return { groups };
}

/**
 * The lines of the planned patterns in code-point order, given each pattern's filled subject and object
 * and how blank nodes are written; null when two groups' subjects are the same text.
 */
export function sortedLines(
  plan: SortPlan,
  quads: readonly QuadPattern[],
  subjects: readonly FilledTerm[],
  objects: readonly FilledTerm[],
  label: (blank: number) => string,
): string[] | null {
  const { groups } = plan;
  const heads: string[] = new Array(groups.length);
  const order: number[] = new Array(groups.length);
  for (let g = 0; g < groups.length; g += 1) {
    const subject = subjects[groups[g]!.items[0]!]!;
    heads[g] = typeof subject === 'number' ? label(subject) : subject;
    order[g] = g;
  }
  order.sort((a, b) => byCodePoints(heads[a]!, heads[b]!));
  for (let k = 1; k < order.length; k += 1) if (heads[order[k]!] === heads[order[k - 1]!]) return null;
  const lines: string[] = [];
  for (const g of order) {
    const group = groups[g]!;
    const head = heads[g]!;
    const first = lines.length;
    for (const item of group.items) {
      const object = objects[item]!;
      lines.push(
        `${head}${quads[item]!.predicate}${typeof object === 'number' ? label(object) : object} .\n`,
      );
    }
    for (const [start, end] of group.runs) sortRange(lines, first + start, first + end);
  }
  return lines;
}

/** Insertion sort of lines[start, end): the runs are a handful of lines. */
function sortRange(lines: string[], start: number, end: number): void {
  for (let i = start + 1; i < end; i += 1) {
    const line = lines[i]!;
    let j = i - 1;
    while (j >= start && lines[j]! > line) {
      lines[j + 1] = lines[j]!;
      j -= 1;
    }
    lines[j + 1] = line;
  }
}

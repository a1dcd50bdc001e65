// The sort plan must give exactly the order a full sort of the lines gives, whatever the values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { QuadPattern, TermPattern } from './canonical-template.ts';
import { type FilledTerm, planSort, sortedLines } from './sort-plan.ts';

// Few distinct IRIs and labels, some prefixes of others, so ties, shared subjects and prefixes all occur.
const iri = fc.constantFrom('<a:x>', '<a:x/y>', '<a:xy>', '<b:1>', '<b:10>', '<urn:z>');
const literal = fc.constantFrom('"p"', '"p"@en', '"p"^^<x:t>', '"q r"', '"q"', '""');
const predicate = fc.constantFrom(' <p:a> ', ' <p:a/b> ', ' <p:b> ', ' <q:a> ');

const termArb = (blankNodes: number, asSubject: boolean): fc.Arbitrary<TermPattern> =>
  fc.oneof(
    iri.map((text): TermPattern => ({ kind: 'fixed', text })),
    fc.nat({ max: 3 }).map((slot): TermPattern => ({ kind: 'iri', slot })),
    fc.nat({ max: blankNodes - 1 }).map((index): TermPattern => ({ kind: 'blank', index })),
    ...(asSubject
      ? []
      : [
          literal.map((text): TermPattern => ({ kind: 'fixed', text })),
          fc.nat({ max: 3 }).map((slot): TermPattern => ({ kind: 'literal', slot: 4 + slot, suffix: '' })),
        ]),
  );

const caseArb = fc.integer({ min: 1, max: 4 }).chain((blankNodes) =>
  fc.record({
    quads: fc.array(
      fc.record({
        subject: termArb(blankNodes, true),
        predicate,
        object: termArb(blankNodes, false),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    // Slots 0-3 hold IRIs, 4-7 literal texts; blank node labels are a permutation of c14n numbers.
    iris: fc.array(iri, { minLength: 4, maxLength: 4 }),
    literals: fc.array(literal, { minLength: 4, maxLength: 4 }),
    labels: fc.shuffledSubarray([0, 1, 2, 10, 11, 12], { minLength: blankNodes, maxLength: blankNodes }),
  }),
);

function fill(term: TermPattern, iris: string[], literals: string[]): FilledTerm {
  if (term.kind === 'fixed') return term.text;
  if (term.kind === 'blank') return term.index;
  if (term.kind === 'iri') return iris[term.slot]!;
  return literals[(term as { slot: number }).slot - 4]!;
}

test('lines come out in the order a full sort gives, or the plan says it cannot tell (property)', () => {
  let planned = 0;
  fc.assert(
    fc.property(caseArb, ({ quads, iris, literals, labels }) => {
      const patterns: QuadPattern[] = quads;
      const subjects = patterns.map((quad) => fill(quad.subject, iris, literals));
      const objects = patterns.map((quad) => fill(quad.object, iris, literals));
      const label = (blank: number) => `_:c14n${labels[blank]}`;
      const text = (term: FilledTerm) => (typeof term === 'number' ? label(term) : term);
      const expected = patterns.map(
        (quad, i) => `${text(subjects[i]!)}${quad.predicate}${text(objects[i]!)} .\n`,
      );
      expected.sort();
      const plan = planSort(
        patterns,
        patterns.map((_, i) => i),
      );
      const lines = sortedLines(plan, patterns, subjects, objects, label);
      if (lines === null) {
        // Only when two groups' subjects came out the same.
        const heads = plan.groups.map((group) => text(subjects[group.items[0]!]!));
        assert.notEqual(new Set(heads).size, heads.length);
        return;
      }
      planned += 1;
      assert.deepEqual(lines, expected);
    }),
    { numRuns: 2000 },
  );
  assert.ok(planned > 500, `only ${planned} cases were ordered by the plan`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTerm } from '../catalog/academic-structure.ts';
import { termCalendar } from '../learners/academic-term.ts';
import { demoTerms, loadDemoUniversity } from './demo-data.ts';

test("the demo registrar's terms are valid and hold every term the demo's completions name, on the same days", () => {
  const data = loadDemoUniversity();
  const terms = demoTerms(data, 2026);
  for (const term of terms) assert.equal(checkTerm(term).ok, true, term.code);
  assert.equal(new Set(terms.map((t) => t.code)).size, terms.length, 'codes are unique');
  assert.equal(terms.at(-1)?.name, '2028 Fall', 'two years after the year it is started in');

  // A file about the demo's learners finds their terms by code or name, as the demo stored them.
  const calendar = termCalendar(terms);
  for (const learner of data.learners) {
    for (const completion of learner.enrolments.flatMap((e) => e.completions)) {
      const read = calendar.read(completion.term);
      assert.equal(read?.label, completion.term);
      assert.deepEqual(calendar.read(terms.find((t) => t.name === completion.term)!.code), read);
    }
  }
  assert.equal(calendar.read('202509')?.label, '2025 Fall');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateRule } from './evaluate.ts';
import type { CourseCompletion, LearnerRecord } from './learner-record.ts';
import { parseRule } from './rule.ts';

/** Small seeded generator (mulberry32) so the 50,000 records are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const codes = ['COMM 101', 'COMM 201', 'COMM 330', 'COMM 340', 'JOUR 310', 'ART 100'];
const grades = ['A', 'B+', 'B', 'C', 'C-', 'D', 'P', 'F', 'W', 'I', 'NP'];
// Test-side copy of the minimums used below: which grades reach C- and which reach B.
const reachesCMinus = new Set(['A', 'B+', 'B', 'C', 'C-', 'P']);
const reachesB = new Set(['A', 'B+', 'B']);

test('evaluates 50,000 generated learner records against a 4-course rule', () => {
  const rule = parseRule({
    type: 'all',
    rules: [
      { type: 'course', code: 'COMM 101' },
      { type: 'course', code: 'COMM 201', minGrade: 'C-' },
      { type: 'course', code: 'COMM 330', minGrade: 'B' },
      { type: 'course', code: 'COMM 340' },
    ],
  });
  const random = seededRandom(20250615);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let metCount = 0;
  let expectedMetCount = 0;

  for (let learner = 0; learner < 50_000; learner += 1) {
    const completions: CourseCompletion[] = [];
    const attempts = Math.floor(random() * 9);
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
      completions.push({
        course: pick(codes),
        credits: pick([3, 4]),
        level: 'undergraduate',
        grade: pick(grades),
        completedOn: `${2015 + Math.floor(random() * 10)}-${month}-15`,
      });
    }
    const record: LearnerRecord = { completions, experiences: [], substitutions: [] };
    const result = evaluateRule(rule, record, { asOf: '2025-06-15' });

    assert.ok(result.percent >= 0 && result.percent <= 100);
    assert.equal(result.percent === 100, result.met);
    const passed = (code: string, ok: (grade: string) => boolean) =>
      completions.some((completion) => completion.course === code && ok(completion.grade));
    const passing = (grade: string) => !['F', 'W', 'I', 'NP'].includes(grade);
    const expected =
      passed('COMM 101', passing) &&
      passed('COMM 201', (grade) => reachesCMinus.has(grade)) &&
      passed('COMM 330', (grade) => reachesB.has(grade)) &&
      passed('COMM 340', passing);
    assert.equal(result.met, expected, JSON.stringify(record));
    if (result.met) metCount += 1;
    if (expected) expectedMetCount += 1;
  }
  // The generator must produce both outcomes for the comparison above to mean anything.
  assert.ok(metCount > 0 && metCount < 50_000, `met ${metCount}`);
  assert.equal(metCount, expectedMetCount);
});

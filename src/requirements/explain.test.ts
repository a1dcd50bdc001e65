import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateRule } from './evaluate.ts';
import { describeRule, explainEvaluation } from './explain.ts';
import type { CourseCompletion, LearnerRecord } from './learner-record.ts';
import { parseRule } from './rule.ts';

const took = (course: string, grade = 'A', credits = 4, completedOn = '2024-03-01'): CourseCompletion => ({
  course,
  grade,
  credits,
  completedOn,
  level: 'undergraduate',
});
const learner = (parts: Partial<LearnerRecord>): LearnerRecord => ({
  completions: [],
  experiences: [],
  substitutions: [],
  ...parts,
});
const explain = (rule: unknown, record: LearnerRecord) =>
  explainEvaluation(evaluateRule(parseRule(rule), record, { asOf: '2025-06-15' }));

const program = {
  type: 'all',
  rules: [
    { type: 'course', code: 'COMM 101' },
    { type: 'course', code: 'COMM 201' },
    {
      type: 'choose',
      count: 1,
      rules: [
        { type: 'course', code: 'COMM 330' },
        { type: 'course', code: 'COMM 340' },
      ],
    },
    { type: 'credits', min: 12, fromCourses: ['COMM 101', 'COMM 201', 'COMM 330', 'COMM 340', 'COMM 350'] },
  ],
};

describe('explainEvaluation', () => {
  test('courses done, what is still needed, and credits', () => {
    const record = learner({ completions: [took('COMM 101'), took('COMM 201')] });
    assert.equal(
      explain(program, record),
      '2 of 3 required courses done; still needs COMM 330 or COMM 340; 8 of 12 credits.',
    );
  });

  test('complete', () => {
    const record = learner({ completions: [took('COMM 101'), took('COMM 201'), took('COMM 340')] });
    assert.equal(
      explain(program, record),
      'All requirements met: 3 of 3 required courses done; 12 of 12 credits.',
    );
  });

  test('a grade below the minimum is explained', () => {
    const rule = { type: 'course', code: 'COMM 330', minGrade: 'C-' };
    assert.equal(
      explain(rule, learner({ completions: [took('COMM 330', 'D')] })),
      '0 of 1 required course done; still needs COMM 330 (C- or better). COMM 330: best grade so far is D; needs C- or better.',
    );
  });

  test('several needs, an experience and a time window', () => {
    const rule = {
      type: 'within',
      years: 4,
      rule: {
        type: 'all',
        rules: [
          { type: 'course', code: 'COMM 101' },
          {
            type: 'choose',
            count: 1,
            rules: [
              { type: 'course', code: 'COMM 330' },
              { type: 'course', code: 'COMM 340' },
            ],
          },
          { type: 'experience', key: 'internship', name: 'Internship' },
        ],
      },
    };
    const record = learner({ completions: [took('COMM 101', 'A', 4, '2020-01-01')] });
    assert.equal(
      explain(rule, record),
      '0 of 2 required courses done; still needs COMM 101, either COMM 330 or COMM 340 and Internship (faculty sign-off). ' +
        'Within 4 years: only work dated 2021-06-15 or later counts. ' +
        'Older than 4 years (before 2021-06-15), so no longer counted: COMM 101 (completed on 2020-01-01).',
    );
  });

  test('a minimum grade is not read as a choice between alternatives', () => {
    const rule = {
      type: 'all',
      rules: [
        { type: 'course', code: 'FILM 441', minGrade: 'C-' },
        { type: 'experience', key: 'set', name: 'On-set placement' },
      ],
    };
    const text = explain(rule, learner({}));
    assert.match(text, /still needs FILM 441 \(C- or better\) and On-set placement/);
    assert.doesNotMatch(text, /either/);
  });

  test('groups of mixed requirements are counted as groups', () => {
    const rule = {
      type: 'all',
      rules: [
        {
          type: 'all',
          rules: [
            { type: 'course', code: 'A 1' },
            { type: 'credits', min: 3 },
          ],
        },
        { type: 'experience', key: 'capstone', name: 'Capstone' },
      ],
    };
    const record = learner({
      completions: [took('A 1')],
      experiences: [{ key: 'capstone', signedOffOn: '2025-02-01', signedOffBy: 'x' }],
    });
    assert.equal(
      explain(rule, record),
      'All requirements met: 1 of 1 requirement group done; Capstone signed off on 2025-02-01.',
    );
  });
});

describe('describeRule', () => {
  const titles = new Map([
    ['COMM 330', 'Persuasion'],
    ['comm 340', 'Rhetoric'],
    ['COMM 350', 'Debate'],
  ]);

  test('catalog wording for a combined rule', () => {
    const rule = parseRule({
      type: 'within',
      years: 4,
      rule: {
        type: 'all',
        rules: [
          { type: 'course', code: 'COMM 330', minGrade: 'C-' },
          { type: 'course', code: 'COMM 101' },
          {
            type: 'choose',
            count: 1,
            rules: [
              { type: 'course', code: 'COMM 340' },
              { type: 'course', code: 'COMM 350' },
            ],
          },
          { type: 'credits', min: 12, fromCourses: ['COMM 330', 'COMM 340'] },
          { type: 'experience', key: 'internship', name: 'Internship' },
        ],
      },
    });
    assert.deepEqual(describeRule(rule, titles), [
      'Complete all of: COMM 330 Persuasion (C- or better), COMM 101',
      'Choose 1 of: COMM 340 Rhetoric, COMM 350 Debate',
      'Earn at least 12 credits from these courses: COMM 330 Persuasion, COMM 340 Rhetoric',
      'Complete an applied experience: Internship, signed off by faculty',
      'All within 4 years: only work completed in the last 4 years counts',
    ]);
  });

  test('nested groups are indented and single rules read as sentences', () => {
    const rule = parseRule({
      type: 'choose',
      count: 1,
      rules: [
        {
          type: 'all',
          rules: [
            { type: 'course', code: 'A 1', minGrade: 'P' },
            { type: 'credits', min: 1, level: 'graduate' },
          ],
        },
        { type: 'within', years: 1, rule: { type: 'experience', key: 'x', name: 'Practicum' } },
      ],
    });
    assert.deepEqual(describeRule(rule), [
      'Choose 1 of:',
      '  Complete all of:',
      '    A 1',
      '    Earn at least 1 graduate credit',
      '  Within 1 year, complete an applied experience: Practicum, signed off by faculty',
    ]);
    assert.deepEqual(describeRule(parseRule({ type: 'course', code: 'COMM 330' }), titles), [
      'Complete COMM 330 Persuasion',
    ]);
  });
});

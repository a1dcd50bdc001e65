import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateRule } from './evaluate.ts';
import type { Evaluation } from './evaluation.ts';
import type { CourseCompletion, LearnerRecord } from './learner-record.ts';
import { parseRule, type Rule } from './rule.ts';

const asOf = '2025-06-15';

function took(
  course: string,
  grade = 'A',
  completedOn = '2024-05-01',
  credits = 3,
  level: CourseCompletion['level'] = 'undergraduate',
): CourseCompletion {
  return { course, grade, completedOn, credits, level };
}

function learner(parts: Partial<LearnerRecord> = {}): LearnerRecord {
  return { completions: [], experiences: [], substitutions: [], ...parts };
}

const evaluate = (rule: unknown, record: LearnerRecord, on = asOf) =>
  evaluateRule(parseRule(rule), record, { asOf: on });
const course = (code: string, minGrade?: string) =>
  minGrade === undefined ? { type: 'course', code } : { type: 'course', code, minGrade };
const child = (evaluation: Evaluation, index: number): Evaluation => {
  const found = evaluation.children?.[index];
  assert.ok(found, `child ${index} exists`);
  return found;
};

describe('course', () => {
  test('met by a passing completion', () => {
    const result = evaluate(
      course('COMM 330'),
      learner({ completions: [took('COMM 330', 'B+', '2024-05-01', 4)] }),
    );
    assert.equal(result.met, true);
    assert.deepEqual(result.progress, { done: 1, total: 1 });
    assert.equal(result.summary, 'COMM 330: done (B+)');
    assert.deepEqual(result.missing, []);
    assert.equal(result.creditsEarned, 4);
    assert.equal(result.percent, 100);
  });

  test('not met when not taken', () => {
    const result = evaluate(course('COMM 330'), learner({ completions: [took('COMM 340')] }));
    assert.equal(result.met, false);
    assert.equal(result.summary, 'COMM 330: not yet completed');
    assert.deepEqual(result.missing, ['COMM 330']);
    assert.equal(result.creditsEarned, 0);
    assert.equal(result.percent, 0);
  });

  test('minimum grade: C- meets C-, D+ does not and the reason is given', () => {
    assert.equal(
      evaluate(course('COMM 330', 'C-'), learner({ completions: [took('COMM 330', 'C-')] })).met,
      true,
    );
    const result = evaluate(course('COMM 330', 'C-'), learner({ completions: [took('COMM 330', 'D+')] }));
    assert.equal(result.met, false);
    assert.equal(result.summary, 'COMM 330: best grade so far is D+; needs C- or better');
    assert.deepEqual(result.missing, ['COMM 330 (C- or better)']);
    assert.equal(result.creditsEarned, 0);
  });

  test('the best attempt counts: a failed attempt followed by a passing retake', () => {
    const completions = [took('COMM 330', 'F', '2023-01-10'), took('COMM 330', 'B', '2024-01-10')];
    const result = evaluate(course('COMM 330', 'C'), learner({ completions }));
    assert.equal(result.met, true);
    assert.equal(result.summary, 'COMM 330: done (B)');
    const reversed = evaluate(course('COMM 330', 'C'), learner({ completions: [...completions].reverse() }));
    assert.equal(reversed.summary, 'COMM 330: done (B)');
  });

  test('W, I, NP and F never count', () => {
    for (const grade of ['W', 'I', 'NP', 'F']) {
      const result = evaluate(course('COMM 330'), learner({ completions: [took('COMM 330', grade)] }));
      assert.equal(result.met, false, grade);
      assert.equal(result.summary, `COMM 330: attempted (grade ${grade}), not passed`);
    }
  });

  test('P meets C- but not C', () => {
    const record = learner({ completions: [took('COMM 330', 'P')] });
    assert.equal(evaluate(course('COMM 330', 'C-'), record).met, true);
    assert.equal(evaluate(course('COMM 330', 'C'), record).met, false);
    assert.equal(evaluate(course('COMM 330'), record).met, true);
  });

  test('course codes in the record match whatever their case and spacing', () => {
    const result = evaluate(course('COMM 330'), learner({ completions: [took(' comm  330', 'a-')] }));
    assert.equal(result.met, true);
  });

  test('work dated after the evaluation day is ignored', () => {
    const record = learner({ completions: [took('COMM 330', 'A', '2025-06-16')] });
    assert.equal(evaluate(course('COMM 330'), record).met, false);
    assert.equal(evaluate(course('COMM 330'), record, '2025-06-16').met, true);
  });

  test('malformed record rows are skipped, not thrown on', () => {
    const bad = [
      { course: 42, grade: 'A', completedOn: '2024-01-01', credits: 3, level: 'undergraduate' },
      {
        course: 'COMM 330',
        grade: null,
        completedOn: 'yesterday',
        credits: Number.NaN,
        level: 'undergraduate',
      },
    ] as unknown as CourseCompletion[];
    const result = evaluate(course('COMM 330'), learner({ completions: bad }));
    assert.equal(result.met, false);
  });
});

describe('substitutions', () => {
  const substitution = { required: 'COMM 330', substitute: 'JOUR 310', approvedBy: 'dr.lee' };

  test('an approved substitute counts as the required course', () => {
    const result = evaluate(
      course('COMM 330'),
      learner({ completions: [took('JOUR 310', 'B', '2024-01-01', 4)], substitutions: [substitution] }),
    );
    assert.equal(result.met, true);
    assert.equal(result.summary, 'COMM 330: done through approved substitute JOUR 310 (B)');
    assert.equal(result.creditsEarned, 4);
  });

  test('a substitution without an approver is ignored', () => {
    const result = evaluate(
      course('COMM 330'),
      learner({ completions: [took('JOUR 310')], substitutions: [{ ...substitution, approvedBy: ' ' }] }),
    );
    assert.equal(result.met, false);
  });

  test('the substitute must meet the minimum grade too', () => {
    const record = learner({ completions: [took('JOUR 310', 'D')], substitutions: [substitution] });
    assert.equal(evaluate(course('COMM 330', 'C'), record).met, false);
    assert.equal(evaluate(course('COMM 330', 'D'), record).met, true);
  });

  test('the course itself is preferred over a substitute', () => {
    const record = learner({
      completions: [took('COMM 330', 'C'), took('JOUR 310', 'A')],
      substitutions: [substitution],
    });
    assert.equal(evaluate(course('COMM 330'), record).summary, 'COMM 330: done (C)');
  });

  test('a substitute counts toward a credits rule listing the required course, once', () => {
    const record = learner({
      completions: [took('JOUR 310', 'A', '2024-01-01', 4)],
      substitutions: [substitution],
    });
    const listed = evaluate({ type: 'credits', min: 4, fromCourses: ['COMM 330'] }, record);
    assert.equal(listed.met, true);
    const both = evaluate({ type: 'credits', min: 5, fromCourses: ['COMM 330', 'JOUR 310'] }, record);
    assert.equal(both.summary, '4 of 5 credits');
  });
});

describe('credits', () => {
  const completions = [
    took('COMM 101', 'A', '2024-01-01', 3),
    took('COMM 201', 'C', '2024-01-01', 4),
    took('COMM 301', 'F', '2024-01-01', 3),
    took('COMM 501', 'B', '2024-01-01', 3, 'graduate'),
    took('ART 100', 'P', '2024-01-01', 2),
  ];

  test('sums passing completions of any course', () => {
    const result = evaluate({ type: 'credits', min: 12 }, learner({ completions }));
    assert.equal(result.met, true);
    assert.equal(result.summary, '12 of 12 credits');
    assert.equal(result.creditsEarned, 12);
  });

  test('restricted to the listed courses', () => {
    const result = evaluate(
      { type: 'credits', min: 10, fromCourses: ['COMM 101', 'COMM 201', 'COMM 301', 'COMM 401'] },
      learner({ completions }),
    );
    assert.equal(result.met, false);
    assert.deepEqual(result.progress, { done: 7, total: 10 });
    assert.deepEqual(result.missing, ['3 more credits from the listed courses']);
    assert.equal(result.percent, 70);
    assert.equal(result.creditsEarned, 7);
  });

  test('restricted to a level', () => {
    const graduate = evaluate({ type: 'credits', min: 3, level: 'graduate' }, learner({ completions }));
    assert.equal(graduate.met, true);
    assert.equal(graduate.summary, '3 of 3 graduate credits');
    const undergraduate = evaluate(
      { type: 'credits', min: 10, level: 'undergraduate' },
      learner({ completions }),
    );
    assert.equal(undergraduate.summary, '9 of 10 undergraduate credits');
  });

  test('a retaken course counts once', () => {
    const retakes = [took('COMM 101', 'D', '2023-01-01', 3), took('COMM 101', 'B', '2024-01-01', 3)];
    const result = evaluate({ type: 'credits', min: 6 }, learner({ completions: retakes }));
    assert.equal(result.summary, '3 of 6 credits');
  });

  test('fractional credits add up without float noise', () => {
    const parts = [took('A 1', 'A', '2024-01-01', 0.1), took('A 2', 'A', '2024-01-01', 0.2)];
    const result = evaluate({ type: 'credits', min: 0.3 }, learner({ completions: parts }));
    assert.equal(result.met, true);
    assert.equal(result.creditsEarned, 0.3);
  });

  test('progress is capped at the minimum', () => {
    const result = evaluate({ type: 'credits', min: 5 }, learner({ completions }));
    assert.deepEqual(result.progress, { done: 5, total: 5 });
    assert.equal(result.summary, '12 of 5 credits');
  });
});

describe('experience', () => {
  const rule = { type: 'experience', key: 'internship', name: 'Internship' };

  test('met when signed off', () => {
    const result = evaluate(
      rule,
      learner({ experiences: [{ key: 'internship', signedOffOn: '2025-01-10', signedOffBy: 'prof.ng' }] }),
    );
    assert.equal(result.met, true);
    assert.equal(result.summary, 'Internship signed off on 2025-01-10');
  });

  test('not met without a sign-off, with an empty signer, or for another experience', () => {
    for (const experiences of [
      [],
      [{ key: 'internship', signedOffOn: '2025-01-10', signedOffBy: '' }],
      [{ key: 'capstone', signedOffOn: '2025-01-10', signedOffBy: 'prof.ng' }],
    ]) {
      const result = evaluate(rule, learner({ experiences }));
      assert.equal(result.met, false);
      assert.deepEqual(result.missing, ['Internship (faculty sign-off)']);
    }
  });
});

describe('all', () => {
  test('met only when every child is met; progress counts children', () => {
    const rule = { type: 'all', rules: [course('A 1'), course('A 2'), course('A 3')] };
    const some = evaluate(rule, learner({ completions: [took('A 1'), took('A 3')] }));
    assert.equal(some.met, false);
    assert.deepEqual(some.progress, { done: 2, total: 3 });
    assert.equal(some.summary, '2 of 3 required courses done');
    assert.deepEqual(some.missing, ['A 2']);
    assert.equal(some.percent, 66);
    const every = evaluate(rule, learner({ completions: [took('A 1'), took('A 2'), took('A 3')] }));
    assert.equal(every.met, true);
    assert.equal(every.children?.length, 3);
  });

  test('a course may count both as itself and toward credits', () => {
    const rule = {
      type: 'all',
      rules: [course('A 1'), { type: 'credits', min: 3, fromCourses: ['A 1', 'A 2'] }],
    };
    const result = evaluate(rule, learner({ completions: [took('A 1', 'A', '2024-01-01', 3)] }));
    assert.equal(result.met, true);
    assert.equal(result.creditsEarned, 3, 'the shared course is counted once in the total');
  });
});

describe('choose', () => {
  const options = [course('COMM 330'), course('COMM 340'), course('COMM 350')];

  test('met when enough options are met; progress is capped at the count', () => {
    const record = learner({ completions: [took('COMM 330'), took('COMM 340'), took('COMM 350')] });
    const result = evaluate({ type: 'choose', count: 2, rules: options }, record);
    assert.equal(result.met, true);
    assert.deepEqual(result.progress, { done: 2, total: 2 });
    const one = evaluate(
      { type: 'choose', count: 2, rules: options },
      learner({ completions: [took('COMM 340')] }),
    );
    assert.equal(one.met, false);
    assert.deepEqual(one.progress, { done: 1, total: 2 });
    assert.deepEqual(one.missing, ['COMM 330 or COMM 350']);
    assert.equal(one.percent, 50);
  });

  test('says which options are still open', () => {
    const none = evaluate({ type: 'choose', count: 1, rules: options.slice(0, 2) }, learner());
    assert.deepEqual(none.missing, ['COMM 330 or COMM 340']);
    const three = evaluate({ type: 'choose', count: 1, rules: options }, learner());
    assert.deepEqual(three.missing, ['one of COMM 330, COMM 340 or COMM 350']);
    const two = evaluate({ type: 'choose', count: 2, rules: options }, learner());
    assert.deepEqual(two.missing, ['2 more of COMM 330, COMM 340 and COMM 350']);
  });

  test('one substitute cannot satisfy two options', () => {
    const rule = { type: 'choose', count: 2, rules: [course('COMM 330'), course('COMM 340')] };
    const record = learner({
      completions: [took('JOUR 310')],
      substitutions: [
        { required: 'COMM 330', substitute: 'JOUR 310', approvedBy: 'dr.lee' },
        { required: 'COMM 340', substitute: 'JOUR 310', approvedBy: 'dr.lee' },
      ],
    });
    const result = evaluate(rule, record);
    assert.equal(result.met, false);
    assert.deepEqual(result.progress, { done: 1, total: 2 });
    const second = child(result, 1);
    assert.equal(second.met, false);
    assert.match(second.summary, /already counted toward another option/);
    // Each on its own is fine: the restriction is only between siblings of one choose.
    assert.equal(evaluate({ type: 'all', rules: rule.rules }, record).met, true);
  });

  test('a course cannot count as itself and toward a sibling credits option', () => {
    const credits = { type: 'credits', min: 3, fromCourses: ['A 1', 'A 2'] };
    for (const rules of [
      [course('A 1'), credits],
      [credits, course('A 1')],
    ]) {
      const rule = { type: 'choose', count: 2, rules };
      assert.equal(evaluate(rule, learner({ completions: [took('A 1')] })).met, false, JSON.stringify(rules));
      // A retake is the same course, not a second piece of evidence.
      const retaken = learner({ completions: [took('A 1', 'C', '2023-01-01'), took('A 1', 'A')] });
      assert.equal(evaluate(rule, retaken).met, false);
      // With a second course the credits option is made up from it, whatever the option order.
      assert.equal(evaluate(rule, learner({ completions: [took('A 1'), took('A 2')] })).met, true);
    }
  });

  test('searches past a greedy first pick that would block two others', () => {
    const rule = {
      type: 'choose',
      count: 2,
      rules: [
        { type: 'all', rules: [course('A 1'), course('A 2')] },
        { type: 'all', rules: [course('A 1')] },
        { type: 'all', rules: [course('A 2')] },
      ],
    };
    const result = evaluate(rule, learner({ completions: [took('A 1'), took('A 2')] }));
    assert.equal(result.met, true);
    assert.deepEqual(
      result.children?.map((option) => option.met),
      [false, true, true],
    );
  });

  test('an experience cannot serve two options either', () => {
    const internship = { type: 'experience', key: 'internship', name: 'Internship' };
    const rule = { type: 'choose', count: 2, rules: [internship, { type: 'all', rules: [internship] }] };
    const record = learner({
      experiences: [{ key: 'internship', signedOffOn: '2025-01-01', signedOffBy: 'x' }],
    });
    assert.equal(evaluate(rule, record).met, false);
  });

  test('choosing 1 of several behaves as any-of', () => {
    const rule = { type: 'choose', count: 1, rules: options };
    assert.equal(evaluate(rule, learner({ completions: [took('COMM 350')] })).met, true);
    assert.equal(evaluate(rule, learner({ completions: [took('COMM 360')] })).met, false);
  });
});

describe('within', () => {
  const withinFour = (rule: unknown) => ({ type: 'within', years: 4, rule });

  test('boundary: work on the first day of the window counts, the day before does not', () => {
    const onStart = evaluate(
      withinFour(course('A 1')),
      learner({ completions: [took('A 1', 'A', '2021-06-15')] }),
    );
    assert.equal(onStart.met, true);
    const dayBefore = evaluate(
      withinFour(course('A 1')),
      learner({ completions: [took('A 1', 'A', '2021-06-14')] }),
    );
    assert.equal(dayBefore.met, false);
    assert.equal(dayBefore.summary, 'Within 4 years: only work dated 2021-06-15 or later counts');
    assert.equal(child(dayBefore, 0).summary, 'A 1: completed on 2021-06-14, outside the 4-year window');
    assert.deepEqual(dayBefore.notes, [
      'Older than 4 years (before 2021-06-15), so no longer counted: A 1 (completed on 2021-06-14).',
    ]);
  });

  test('leap day: one year before February 29 starts on February 28', () => {
    const rule = { type: 'within', years: 1, rule: course('A 1') };
    assert.equal(
      evaluate(rule, learner({ completions: [took('A 1', 'A', '2023-02-28')] }), '2024-02-29').met,
      true,
    );
    assert.equal(
      evaluate(rule, learner({ completions: [took('A 1', 'A', '2023-02-27')] }), '2024-02-29').met,
      false,
    );
  });

  test('older credits stop counting and are named', () => {
    const record = learner({
      completions: [took('A 1', 'A', '2019-01-01', 4), took('A 2', 'A', '2023-01-01', 4)],
    });
    const result = evaluate(withinFour({ type: 'credits', min: 8 }), record);
    assert.equal(result.met, false);
    assert.equal(child(result, 0).summary, '4 of 8 credits');
    assert.match(result.notes?.[0] ?? '', /A 1 \(completed on 2019-01-01\)/);
    assert.equal(evaluate({ type: 'credits', min: 8 }, record).met, true, 'without the window both count');
  });

  test('an old sign-off no longer counts', () => {
    const rule = withinFour({ type: 'experience', key: 'internship', name: 'Internship' });
    const record = learner({
      experiences: [{ key: 'internship', signedOffOn: '2020-05-01', signedOffBy: 'x' }],
    });
    const result = evaluate(rule, record);
    assert.equal(result.met, false);
    assert.match(result.notes?.[0] ?? '', /Internship \(signed off on 2020-05-01\)/);
  });

  test('nothing is reported as expired when a recent retake meets the rule', () => {
    const record = learner({ completions: [took('A 1', 'A', '2015-01-01'), took('A 1', 'B', '2024-01-01')] });
    const result = evaluate(withinFour(course('A 1')), record);
    assert.equal(result.met, true);
    assert.equal(result.notes, undefined);
  });

  test('nested windows: the narrower one applies', () => {
    const record = learner({ completions: [took('A 1', 'A', '2023-01-01')] });
    const narrowInside = {
      type: 'within',
      years: 5,
      rule: { type: 'within', years: 1, rule: course('A 1') },
    };
    assert.equal(evaluate(narrowInside, record).met, false);
    const narrowOutside = {
      type: 'within',
      years: 1,
      rule: { type: 'within', years: 5, rule: course('A 1') },
    };
    assert.equal(evaluate(narrowOutside, record).met, false);
    assert.equal(evaluate({ type: 'within', years: 5, rule: course('A 1') }, record).met, true);
  });

  test('undated work counts only where no window applies', () => {
    const record = learner({ completions: [took('A 1', 'A', 'unknown')] });
    assert.equal(evaluate(course('A 1'), record).met, true);
    assert.equal(evaluate(withinFour(course('A 1')), record).met, false);
  });
});

describe('evaluateRule as a whole', () => {
  test('percent follows partial progress and reaches 100 only when met', () => {
    const rule = {
      type: 'all',
      rules: [course('A 1'), course('A 2'), { type: 'credits', min: 12 }, course('A 3')],
    };
    const result = evaluate(rule, learner({ completions: [took('A 1', 'A', '2024-01-01', 6)] }));
    // (1 + 0 + 6/12 + 0) / 4
    assert.equal(result.percent, 37);
    const almost = evaluate(
      { type: 'credits', min: 1000 },
      learner({ completions: [took('A 1', 'A', '2024-01-01', 999.99)] }),
    );
    assert.equal(almost.percent, 99);
  });

  test('creditsEarned counts credits of passing courses the rule counted', () => {
    const rule = {
      type: 'all',
      rules: [course('A 1'), { type: 'credits', min: 6, fromCourses: ['A 1', 'A 2'] }],
    };
    const record = learner({
      completions: [
        took('A 1', 'A', '2024-01-01', 3),
        took('A 2', 'B', '2024-01-01', 4),
        took('B 9', 'A', '2024-01-01', 5),
      ],
    });
    assert.equal(evaluate(rule, record).creditsEarned, 7);
  });

  test('rejects an unreadable evaluation day', () => {
    assert.throws(
      () => evaluateRule({ type: 'course', code: 'A 1' }, learner(), { asOf: '15/06/2025' }),
      RangeError,
    );
  });

  test('does not modify the rule or the record', () => {
    const rule: Rule = parseRule({
      type: 'within',
      years: 3,
      rule: { type: 'choose', count: 2, rules: [course('A 1'), course('A 2'), { type: 'credits', min: 3 }] },
    });
    const record = learner({
      completions: [took('A 2', 'B'), took('A 1', 'C'), took('S 1', 'A')],
      substitutions: [{ required: 'A 1', substitute: 'S 1', approvedBy: 'x' }],
    });
    const before = JSON.stringify([rule, record]);
    const first = evaluateRule(deepFreeze(rule), deepFreeze(record), { asOf });
    assert.equal(JSON.stringify([rule, record]), before);
    assert.deepEqual(evaluateRule(rule, record, { asOf }), first, 'same input, same answer');
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

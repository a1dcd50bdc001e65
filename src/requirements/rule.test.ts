import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { coursesInRule, parseRule, type Rule, RuleParseError, ruleLimits } from './rule.ts';

/** Runs parseRule expecting failure and returns the problems as 'path: reason' strings. */
function problemsOf(json: unknown): string[] {
  try {
    parseRule(json);
  } catch (error) {
    assert.ok(error instanceof RuleParseError, 'throws RuleParseError');
    return error.problems.map((problem) => `${problem.field}: ${problem.reason}`);
  }
  assert.fail(`expected ${JSON.stringify(json)} to be rejected`);
}

const course = (code: string) => ({ type: 'course', code });

function nest(levels: number): unknown {
  let rule: unknown = course('COMM 101');
  for (let level = 1; level < levels; level += 1) rule = { type: 'all', rules: [rule] };
  return rule;
}

describe('parseRule accepts every rule shape', () => {
  test('a combined rule comes back equal, with codes and grades in canonical form', () => {
    const input = {
      type: 'within',
      years: 4,
      rule: {
        type: 'all',
        rules: [
          { type: 'course', code: ' comm  330 ', minGrade: 'c-' },
          { type: 'choose', count: 1, rules: [course('COMM 340'), course('COMM 350')] },
          { type: 'credits', min: 12, fromCourses: ['comm 330', 'COMM 340'], level: 'undergraduate' },
          { type: 'credits', min: 7.5 },
          { type: 'experience', key: 'internship', name: ' Internship ' },
        ],
      },
    };
    const expected: Rule = {
      type: 'within',
      years: 4,
      rule: {
        type: 'all',
        rules: [
          { type: 'course', code: 'COMM 330', minGrade: 'C-' },
          {
            type: 'choose',
            count: 1,
            rules: [
              { type: 'course', code: 'COMM 340' },
              { type: 'course', code: 'COMM 350' },
            ],
          },
          { type: 'credits', min: 12, fromCourses: ['COMM 330', 'COMM 340'], level: 'undergraduate' },
          { type: 'credits', min: 7.5 },
          { type: 'experience', key: 'internship', name: 'Internship' },
        ],
      },
    };
    assert.deepEqual(parseRule(input), expected);
  });

  test('the input object is not modified', () => {
    const input = { type: 'course', code: 'comm 330', minGrade: 'b' };
    parseRule(input);
    assert.deepEqual(input, { type: 'course', code: 'comm 330', minGrade: 'b' });
  });

  test(`exactly ${ruleLimits.maxDepth} levels is allowed`, () => {
    assert.doesNotThrow(() => parseRule(nest(ruleLimits.maxDepth)));
  });
});

describe('parseRule reports problems with their paths', () => {
  test('unknown or missing type', () => {
    assert.deepEqual(problemsOf({ type: 'elective' }), [
      'type: unknown rule type "elective"; expected one of all, choose, course, credits, experience, within',
    ]);
    assert.match(problemsOf({ code: 'COMM 101' })[0]!, /^type: is required/);
    assert.match(
      problemsOf({ type: 'all', rules: [course('A 1'), { type: 'grade' }] })[0]!,
      /^rules\[1\]\.type: /,
    );
  });

  test('not an object at all', () => {
    for (const bad of [null, 'COMM 101', 42, [course('A 1')]]) {
      assert.deepEqual(problemsOf(bad), ['(root): must be a rule object'], JSON.stringify(bad));
    }
  });

  test('negative, zero, fractional and too-large counts', () => {
    const choose = (count: unknown) => ({ type: 'choose', count, rules: [course('A 1'), course('A 2')] });
    assert.deepEqual(problemsOf(choose(-1)), ['count: must be between 1 and 2']);
    assert.deepEqual(problemsOf(choose(0)), ['count: must be between 1 and 2']);
    assert.deepEqual(problemsOf(choose(3)), ['count: must be between 1 and 2']);
    assert.deepEqual(problemsOf(choose(1.5)), ['count: must be a whole number']);
    assert.deepEqual(problemsOf(choose('2')), ['count: must be a number']);
    assert.deepEqual(problemsOf({ type: 'all', rules: [course('A 1'), choose(3)] }), [
      'rules[1].count: must be between 1 and 2',
    ]);
  });

  test('every problem is listed, including count alongside a broken child', () => {
    const problems = problemsOf({ type: 'choose', count: 5, rules: [{ type: 'course' }, course('A 1')] });
    assert.deepEqual(problems.sort(), ['count: must be between 1 and 2', 'rules[0].code: is required']);
  });

  test('missing or bad course code', () => {
    assert.deepEqual(problemsOf({ type: 'course' }), ['code: is required']);
    assert.deepEqual(problemsOf({ type: 'course', code: '   ' }), ['code: must not be empty']);
    assert.deepEqual(problemsOf({ type: 'course', code: 7 }), ['code: must be text']);
    assert.match(problemsOf({ type: 'course', code: 'COMM;DROP' })[0]!, /^code: must be letters and digits/);
    assert.match(problemsOf({ type: 'course', code: 'X'.repeat(40) })[0]!, /^code: must be at most 32/);
  });

  test('minimum grades that are not passing grades', () => {
    for (const minGrade of ['F', 'NP', 'W', 'I', 'E', '']) {
      assert.match(
        problemsOf({ type: 'course', code: 'A 1', minGrade })[0]!,
        /^minGrade: must be a passing grade/,
      );
    }
  });

  test('credits: bad minimum, empty or repeated course list, unknown level', () => {
    assert.deepEqual(problemsOf({ type: 'credits', min: 0 }), ['min: must be more than 0']);
    assert.deepEqual(problemsOf({ type: 'credits', min: -3 }), ['min: must be more than 0']);
    assert.deepEqual(problemsOf({ type: 'credits', min: 5000 }), ['min: must be at most 1000']);
    assert.match(
      problemsOf({ type: 'credits', min: 3, fromCourses: [] })[0]!,
      /^fromCourses: must list at least/,
    );
    assert.deepEqual(problemsOf({ type: 'credits', min: 3, fromCourses: ['A 1', 'a 1'] }), [
      'fromCourses[1]: repeats A 1',
    ]);
    assert.deepEqual(problemsOf({ type: 'credits', min: 3, level: 'doctoral' }), [
      'level: must be "undergraduate" or "graduate"',
    ]);
  });

  test('experience and within fields', () => {
    assert.deepEqual(problemsOf({ type: 'experience', key: 'internship' }), ['name: is required']);
    assert.match(
      problemsOf({ type: 'experience', key: 'has space', name: 'X' })[0]!,
      /^key: must be letters/,
    );
    assert.deepEqual(problemsOf({ type: 'within', years: 0, rule: course('A 1') }), [
      'years: must be at least 1',
    ]);
    assert.deepEqual(problemsOf({ type: 'within', years: 2.5, rule: course('A 1') }), [
      'years: must be a whole number of years',
    ]);
    assert.deepEqual(problemsOf({ type: 'within', years: 2 }), ['rule: is required']);
  });

  test('empty and oversized lists of rules', () => {
    assert.deepEqual(problemsOf({ type: 'all', rules: [] }), ['rules: must list at least one rule']);
    assert.deepEqual(problemsOf({ type: 'choose', count: 1, rules: [] }), [
      'rules: must list at least one rule',
    ]);
    const many = Array.from({ length: ruleLimits.maxChildren + 1 }, (_, index) => course(`A ${index}`));
    assert.deepEqual(problemsOf({ type: 'all', rules: many }), ['rules: must list at most 50 rules']);
  });

  test('unknown fields are rejected (a misspelt minGrade must not vanish)', () => {
    assert.deepEqual(problemsOf({ type: 'course', code: 'A 1', minGrad: 'B' }), [
      'minGrad: is not a field of a course rule',
    ]);
  });

  test('too deep: the first rule past the limit is named', () => {
    const problems = problemsOf(nest(ruleLimits.maxDepth + 1));
    assert.equal(problems.length, 1);
    const path = Array.from({ length: ruleLimits.maxDepth }, () => 'rules[0]').join('.');
    assert.equal(problems[0], `${path}: is nested too deeply (at most 8 levels of rules)`);
  });

  test('extremely deep input fails cleanly instead of overflowing the stack', () => {
    let rule: unknown = course('A 1');
    for (let level = 0; level < 100_000; level += 1) rule = { type: 'within', years: 1, rule };
    assert.match(problemsOf(rule)[0]!, /is nested too deeply/);
  });

  test('too many rules in total', () => {
    const group = () => ({
      type: 'all',
      rules: Array.from({ length: 50 }, (_, index) => course(`A ${index}`)),
    });
    const problems = problemsOf({ type: 'all', rules: Array.from({ length: 11 }, group) });
    assert.deepEqual(problems, ['(root): must contain at most 500 rules in total']);
  });

  test('the error is a validation AppError whose message lists each problem', () => {
    try {
      parseRule({ type: 'choose', count: 9, rules: [course('A 1')] });
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.equal(error.status, 400);
      assert.deepEqual(error.fields, [{ field: 'count', reason: 'must be between 1 and 1' }]);
      assert.match(error.message, /count: must be between 1 and 1/);
    }
  });
});

describe('coursesInRule', () => {
  test('lists required and counted courses once each, in order of first mention', () => {
    const rule = parseRule({
      type: 'within',
      years: 3,
      rule: {
        type: 'all',
        rules: [
          course('COMM 330'),
          { type: 'choose', count: 1, rules: [course('COMM 340'), course('comm 330')] },
          { type: 'credits', min: 6, fromCourses: ['COMM 350', 'COMM 340', 'COMM 360'] },
          { type: 'experience', key: 'internship', name: 'Internship' },
        ],
      },
    });
    assert.deepEqual(coursesInRule(rule), ['COMM 330', 'COMM 340', 'COMM 350', 'COMM 360']);
  });

  test('rules without courses list none', () => {
    assert.deepEqual(coursesInRule({ type: 'credits', min: 3 }), []);
    assert.deepEqual(coursesInRule({ type: 'experience', key: 'capstone', name: 'Capstone' }), []);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { evaluateRule } from './evaluate.ts';
import type { Evaluation } from './evaluation.ts';
import { describeRule, explainEvaluation } from './explain.ts';
import type { LearnerRecord } from './learner-record.ts';
import { parseRule, type Rule, RuleParseError } from './rule.ts';
import { passingCompletionArb, propertyAsOf, recordArb, ruleArb, signOffArb } from './test-arbitraries.ts';

const options = { asOf: propertyAsOf };
const runs = { numRuns: 400 };

/** The evaluation tree must have the rule's shape: same types, one child per sub-rule. */
function assertMirrors(rule: Rule, evaluation: Evaluation): void {
  assert.equal(evaluation.type, rule.type);
  const subRules =
    rule.type === 'all' || rule.type === 'choose' ? rule.rules : rule.type === 'within' ? [rule.rule] : [];
  assert.equal(evaluation.children?.length ?? 0, subRules.length);
  subRules.forEach((subRule, index) => {
    assertMirrors(subRule, evaluation.children![index]!);
  });
}

function assertSane(evaluation: Evaluation): void {
  const { done, total } = evaluation.progress;
  assert.ok(Number.isFinite(done) && Number.isFinite(total) && done >= 0 && done <= total && total > 0);
  assert.equal(evaluation.met, evaluation.missing.length === 0, 'missing is empty exactly when met');
  for (const child of evaluation.children ?? []) assertSane(child);
}

describe('evaluateRule properties', () => {
  test('generated rules pass parseRule unchanged', () => {
    fc.assert(
      fc.property(ruleArb, (rule) => {
        assert.deepEqual(parseRule(JSON.parse(JSON.stringify(rule))), rule);
      }),
      runs,
    );
  });

  test('never throws on a valid rule; percent is a whole number 0..100, and 100 exactly when met', () => {
    fc.assert(
      fc.property(ruleArb, recordArb, (rule, record) => {
        const result = evaluateRule(rule, record, options);
        assert.ok(Number.isInteger(result.percent) && result.percent >= 0 && result.percent <= 100);
        assert.equal(result.percent === 100, result.met);
        assert.ok(Number.isFinite(result.creditsEarned) && result.creditsEarned >= 0);
        assertMirrors(rule, result);
        assertSane(result);
        assert.ok(explainEvaluation(result).length > 0);
        assert.ok(describeRule(rule).length > 0);
      }),
      runs,
    );
  });

  test('monotonic: adding a passing completion or a sign-off never un-meets a rule', () => {
    fc.assert(
      fc.property(
        ruleArb,
        recordArb,
        fc.oneof(
          passingCompletionArb.map((completion) => ({ completion })),
          signOffArb.map((signOff) => ({ signOff })),
        ),
        (rule, record, extra) => {
          const before = evaluateRule(rule, record, options);
          fc.pre(before.met);
          const after: LearnerRecord =
            'completion' in extra
              ? { ...record, completions: [...record.completions, extra.completion] }
              : { ...record, experiences: [...record.experiences, extra.signOff] };
          assert.equal(evaluateRule(rule, after, options).met, true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('all of some rules is met exactly when each rule is met', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), recordArb, (rules, record) => {
        const each = rules.map((rule) => evaluateRule(rule, record, options).met);
        assert.equal(evaluateRule({ type: 'all', rules }, record, options).met, each.every(Boolean));
      }),
      runs,
    );
  });

  test('choose 1 behaves as any-of', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), recordArb, (rules, record) => {
        const each = rules.map((rule) => evaluateRule(rule, record, options).met);
        assert.equal(
          evaluateRule({ type: 'choose', count: 1, rules }, record, options).met,
          each.some(Boolean),
        );
      }),
      runs,
    );
  });

  test('choosing every option is never easier than requiring all of them', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), recordArb, (rules, record) => {
        const chooseAll = evaluateRule({ type: 'choose', count: rules.length, rules }, record, options);
        if (chooseAll.met) assert.equal(evaluateRule({ type: 'all', rules }, record, options).met, true);
      }),
      runs,
    );
  });

  test('no double counting: a course option and a credits option need two different courses', () => {
    const rule: Rule = {
      type: 'choose',
      count: 2,
      rules: [
        { type: 'course', code: 'A 1' },
        { type: 'credits', min: 0.5, fromCourses: ['A 1', 'A 2'] },
      ],
    };
    // Test-side reading of the record: a passing, not future-dated completion of the course.
    const failing = ['F', 'NP', 'W', 'I', '', 'E'];
    const counts = (record: LearnerRecord, code: string, needCredits: boolean) =>
      record.completions.some(
        (completion) =>
          completion.course.toUpperCase().replace(/\s+/g, ' ') === code &&
          !failing.includes(completion.grade) &&
          !(/^\d{4}-\d{2}-\d{2}$/.test(completion.completedOn) && completion.completedOn > propertyAsOf) &&
          (!needCredits || completion.credits > 0),
      );
    fc.assert(
      fc.property(recordArb, (generated) => {
        const record = { ...generated, substitutions: [] };
        const expected = counts(record, 'A 1', false) && counts(record, 'A 2', true);
        assert.equal(evaluateRule(rule, record, options).met, expected);
      }),
      { numRuns: 1000 },
    );
  });

  test('parseRule on arbitrary JSON either returns a rule that evaluates, or throws RuleParseError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), recordArb, (json, record) => {
        let rule: Rule;
        try {
          rule = parseRule(json);
        } catch (error) {
          assert.ok(error instanceof RuleParseError, String(error));
          return;
        }
        evaluateRule(rule, record, options);
      }),
      runs,
    );
  });
});

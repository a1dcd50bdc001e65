/**
 * fast-check generators shared by the requirement property tests (test support only; not exported from
 * index.ts). Rules come out already in parseRule's canonical form; records mix valid and messy rows.
 */
import fc from 'fast-check';
import type { CourseCompletion, ExperienceSignOff, LearnerRecord } from './learner-record.ts';
import type { Rule } from './rule.ts';

export const propertyAsOf = '2025-06-15';

/** A small pool, so generated rules and records overlap often. */
export const courseCodes = ['A 1', 'A 2', 'A 3', 'A 4', 'B 1', 'B 2'] as const;
export const experienceKeys = ['internship', 'capstone'] as const;

const passingGrades = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'P'];
const codeArb = fc.constantFrom(...courseCodes);
const minGradeArb = fc.constantFrom('A', 'B', 'C-', 'C', 'D-', 'P');

const courseRuleArb: fc.Arbitrary<Rule> = fc
  .record({ code: codeArb, minGrade: fc.option(minGradeArb, { nil: undefined }) })
  .map(({ code, minGrade }) =>
    minGrade === undefined ? { type: 'course', code } : { type: 'course', code, minGrade },
  );

const creditsRuleArb: fc.Arbitrary<Rule> = fc
  .record({
    min: fc.constantFrom(1, 2.5, 3, 4, 6, 9, 12),
    fromCourses: fc.option(fc.uniqueArray(codeArb, { minLength: 1, maxLength: 4 }), { nil: undefined }),
    level: fc.option(fc.constantFrom('undergraduate' as const, 'graduate' as const), { nil: undefined }),
  })
  .map(({ min, fromCourses, level }) => {
    const rule: Rule = { type: 'credits', min };
    if (fromCourses !== undefined) rule.fromCourses = fromCourses;
    if (level !== undefined) rule.level = level;
    return rule;
  });

const experienceRuleArb: fc.Arbitrary<Rule> = fc
  .constantFrom(...experienceKeys)
  .map((key) => ({ type: 'experience', key, name: key === 'internship' ? 'Internship' : 'Capstone' }));

export const leafRuleArb: fc.Arbitrary<Rule> = fc.oneof(
  courseRuleArb,
  courseRuleArb,
  creditsRuleArb,
  experienceRuleArb,
);

/** Any rule up to five levels deep (well inside parseRule's limit of eight). */
export const ruleArb: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'rule', depthSize: 'small' },
    leafRuleArb,
    fc.array(tie('rule'), { minLength: 1, maxLength: 4 }).map((rules): Rule => ({ type: 'all', rules })),
    fc
      .array(tie('rule'), { minLength: 1, maxLength: 4 })
      .chain((rules) =>
        fc.integer({ min: 1, max: rules.length }).map((count): Rule => ({ type: 'choose', count, rules })),
      ),
    fc.record({ years: fc.integer({ min: 1, max: 12 }), rule: tie('rule') }).map(
      ({ years, rule }): Rule => ({
        type: 'within',
        years,
        rule,
      }),
    ),
  ),
})).rule;

/** Valid ISO days from 2008 up to the property evaluation day. */
export const dayArb = fc
  .date({
    min: new Date('2008-01-01T00:00:00Z'),
    max: new Date(`${propertyAsOf}T00:00:00Z`),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString().slice(0, 10));

/** Mostly valid days, sometimes after the evaluation day or unreadable, as real feeds are. */
const messyDayArb = fc.oneof({ weight: 8, arbitrary: dayArb }, fc.constantFrom('2030-01-01', 'unknown', ''));

const completionCodeArb = fc.oneof({ weight: 6, arbitrary: codeArb }, fc.constantFrom('a  1', 'Z 9', 'S 1'));

export const passingCompletionArb: fc.Arbitrary<CourseCompletion> = fc.record({
  course: completionCodeArb,
  credits: fc.constantFrom(1, 2, 3, 4, 0.5),
  level: fc.constantFrom('undergraduate' as const, 'graduate' as const),
  grade: fc.constantFrom(...passingGrades),
  completedOn: dayArb,
});

const completionArb: fc.Arbitrary<CourseCompletion> = fc.record({
  course: completionCodeArb,
  credits: fc.constantFrom(1, 2, 3, 4, 0.5, 0, -1),
  level: fc.constantFrom('undergraduate' as const, 'graduate' as const),
  grade: fc.constantFrom(...passingGrades, 'F', 'NP', 'W', 'I', 'b', '', 'E'),
  completedOn: messyDayArb,
});

export const signOffArb: fc.Arbitrary<ExperienceSignOff> = fc.record({
  key: fc.constantFrom(...experienceKeys),
  signedOffOn: dayArb,
  signedOffBy: fc.constant('prof.ng'),
});

const messySignOffArb: fc.Arbitrary<ExperienceSignOff> = fc.record({
  key: fc.constantFrom(...experienceKeys, 'other'),
  signedOffOn: messyDayArb,
  signedOffBy: fc.constantFrom('prof.ng', ''),
});

export const recordArb: fc.Arbitrary<LearnerRecord> = fc.record({
  completions: fc.array(completionArb, { maxLength: 10 }),
  experiences: fc.array(messySignOffArb, { maxLength: 3 }),
  substitutions: fc.array(
    fc.record({
      required: codeArb,
      substitute: fc.oneof(codeArb, fc.constant('S 1')),
      approvedBy: fc.constantFrom('dean', ''),
    }),
    { maxLength: 3 },
  ),
});

/**
 * The requirement-rule grammar a micro-credential's completion requirements are written in, stored as JSON,
 * and `parseRule`, the only way untrusted JSON becomes a `Rule`.
 */
import { z } from 'zod';
import { AppError, type FieldProblem } from '../platform/errors.ts';
import { normalizeCourseCode } from './course-code.ts';
import { isValidMinimumGrade, normalizeGrade } from './grades.ts';

export type Rule =
  | { type: 'all'; rules: Rule[] }
  /** Any `count` of the listed rules; one completion may satisfy only one of them. */
  | { type: 'choose'; count: number; rules: Rule[] }
  /** A course passed at `minGrade` or better (letter grades D- to A+, or 'P' for any pass). */
  | { type: 'course'; code: string; minGrade?: string }
  | { type: 'credits'; min: number; fromCourses?: string[]; level?: 'undergraduate' | 'graduate' }
  /** Applied experience (internship, project, portfolio...) signed off by faculty. */
  | { type: 'experience'; key: string; name: string }
  /** Only work completed in the `years` before the evaluation day counts toward `rule`. */
  | { type: 'within'; years: number; rule: Rule };

export type RuleType = Rule['type'];

export const ruleTypes: readonly RuleType[] = ['all', 'choose', 'course', 'credits', 'experience', 'within'];

/**
 * Limits that keep stored rules readable and evaluation cheap. A real credential needs a handful of levels
 * and a few dozen rules; anything far beyond that is a mistake or an attack on the evaluator.
 */
export const ruleLimits = {
  /** Levels of rules, counting the outermost rule as level 1. */
  maxDepth: 8,
  /** Rules in the whole tree. */
  maxRules: 500,
  /** Rules listed directly in one `all` or `choose`. */
  maxChildren: 50,
  maxCourseCodeLength: 32,
  maxFromCourses: 200,
  maxCredits: 1000,
  maxYears: 50,
  maxExperienceKeyLength: 64,
  maxExperienceNameLength: 120,
} as const;

/** Thrown by `parseRule`; `fields` lists every problem found, each with its path (e.g. 'rules[1].count'). */
export class RuleParseError extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super('VALIDATION_FAILED', describeProblems(problems), problems);
    this.name = 'RuleParseError';
  }
}

function describeProblems(problems: FieldProblem[]): string {
  const listed = problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; ');
  return `The requirement rule is not valid: ${listed}`;
}

const rootPath = '(root)';

// Codes start with a letter or digit and may contain spaces and the punctuation catalogs use (. - _ / &).
const courseCodePattern = /^[\p{L}\p{N}][\p{L}\p{N} ./&_-]*$/u;
const experienceKeyPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

const courseCode = z
  .string()
  .overwrite(normalizeCourseCode)
  .min(1, { error: 'must not be empty', abort: true })
  .max(ruleLimits.maxCourseCodeLength, `must be at most ${ruleLimits.maxCourseCodeLength} characters`)
  .regex(courseCodePattern, 'must be letters and digits, optionally with spaces or . - _ / &');

const ruleSchemaLazy = z.lazy((): z.ZodType<Rule> => ruleSchema);

const childRules = z
  .array(ruleSchemaLazy)
  .min(1, 'must list at least one rule')
  .max(ruleLimits.maxChildren, `must list at most ${ruleLimits.maxChildren} rules`);

const allSchema = z.strictObject({ type: z.literal('all'), rules: childRules });

const chooseSchema = z
  .strictObject({ type: z.literal('choose'), count: z.number(), rules: childRules })
  .superRefine(
    (value, context) => {
      // Runs even when a child rule is invalid, so every problem is reported in one pass.
      const count: unknown = value.count;
      const listed = Array.isArray(value.rules) ? value.rules.length : 0;
      if (typeof count !== 'number') return;
      if (!Number.isInteger(count)) {
        context.addIssue({ code: 'custom', path: ['count'], message: 'must be a whole number' });
      } else if (count < 1 || (listed > 0 && count > listed)) {
        const message = listed > 0 ? `must be between 1 and ${listed}` : 'must be at least 1';
        context.addIssue({ code: 'custom', path: ['count'], message });
      }
    },
    { when: (payload) => isRecord(payload.value) },
  );

const courseSchema = z.strictObject({
  type: z.literal('course'),
  code: courseCode,
  minGrade: z
    .string()
    .overwrite(normalizeGrade)
    .refine(isValidMinimumGrade, 'must be a passing grade from D- to A+, or P for any pass')
    .optional(),
});

const creditsSchema = z.strictObject({
  type: z.literal('credits'),
  min: z
    .number()
    .gt(0, 'must be more than 0')
    .max(ruleLimits.maxCredits, `must be at most ${ruleLimits.maxCredits}`),
  fromCourses: z
    .array(courseCode)
    .min(1, 'must list at least one course, or be left out to count any course')
    .max(ruleLimits.maxFromCourses, `must list at most ${ruleLimits.maxFromCourses} courses`)
    .superRefine((codes, context) => {
      const seen = new Set<string>();
      codes.forEach((code, index) => {
        if (seen.has(code)) context.addIssue({ code: 'custom', path: [index], message: `repeats ${code}` });
        seen.add(code);
      });
    })
    .optional(),
  level: z.enum(['undergraduate', 'graduate'], { error: 'must be "undergraduate" or "graduate"' }).optional(),
});

const experienceSchema = z.strictObject({
  type: z.literal('experience'),
  key: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(ruleLimits.maxExperienceKeyLength, `must be at most ${ruleLimits.maxExperienceKeyLength} characters`)
    .regex(experienceKeyPattern, 'must be letters, digits, ".", "_", ":" or "-", without spaces'),
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(
      ruleLimits.maxExperienceNameLength,
      `must be at most ${ruleLimits.maxExperienceNameLength} characters`,
    ),
});

const withinSchema = z.strictObject({
  type: z.literal('within'),
  years: z
    .number()
    .int('must be a whole number of years')
    .min(1, 'must be at least 1')
    .max(ruleLimits.maxYears, `must be at most ${ruleLimits.maxYears}`),
  rule: ruleSchemaLazy,
});

const ruleSchema: z.ZodType<Rule> = z.discriminatedUnion('type', [
  allSchema,
  chooseSchema,
  courseSchema,
  creditsSchema,
  experienceSchema,
  withinSchema,
]);

/**
 * Validates untrusted JSON (already parsed) and returns it as a `Rule`, with course codes and grades in
 * canonical form ('comm  330' becomes 'COMM 330', 'c-' becomes 'C-'). Unknown fields are rejected so a
 * misspelt `minGrade` cannot silently drop a requirement.
 *
 * @throws RuleParseError listing the path and reason of every problem found.
 */
export function parseRule(json: unknown): Rule {
  // Depth and size are checked first, without recursion, so hostile input cannot exhaust the stack.
  const shapeProblem = findShapeProblem(json);
  if (shapeProblem !== null) throw new RuleParseError([shapeProblem]);
  const result = ruleSchema.safeParse(json);
  if (result.success) return result.data;
  throw new RuleParseError(result.error.issues.flatMap((issue) => describeIssue(issue, json)));
}

/**
 * Every course code a rule names, in canonical form and in order of first mention, without repeats:
 * courses it requires and courses whose credits count. Substitutes are not included (they live in records).
 */
export function coursesInRule(rule: Rule): string[] {
  const codes = new Set<string>();
  const visit = (node: Rule): void => {
    switch (node.type) {
      case 'all':
      case 'choose':
        for (const child of node.rules) visit(child);
        return;
      case 'within':
        visit(node.rule);
        return;
      case 'course':
        codes.add(normalizeCourseCode(node.code));
        return;
      case 'credits':
        for (const code of node.fromCourses ?? []) codes.add(normalizeCourseCode(code));
        return;
      case 'experience':
        return;
    }
  };
  visit(rule);
  return [...codes];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks nested `rules` and `rule` fields with an explicit stack, stopping at the first limit exceeded. */
function findShapeProblem(json: unknown): FieldProblem | null {
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: json, path: '', depth: 1 }];
  let seen = 0;
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (!isRecord(node)) continue;
    seen += 1;
    if (seen > ruleLimits.maxRules) {
      return { field: rootPath, reason: `must contain at most ${ruleLimits.maxRules} rules in total` };
    }
    if (depth > ruleLimits.maxDepth) {
      return { field: path, reason: `is nested too deeply (at most ${ruleLimits.maxDepth} levels of rules)` };
    }
    if (isRecord(node.rule)) stack.push({ node: node.rule, path: joinPath(path, 'rule'), depth: depth + 1 });
    if (Array.isArray(node.rules)) {
      // Pushed in reverse so the first child is reported first when several are too deep.
      for (let index = node.rules.length - 1; index >= 0; index -= 1) {
        stack.push({
          node: node.rules[index],
          path: `${joinPath(path, 'rules')}[${index}]`,
          depth: depth + 1,
        });
      }
    }
  }
  return null;
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** 'rules[1].count' for ['rules', 1, 'count']; '(root)' for the rule itself. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    text = typeof segment === 'number' ? `${text}[${segment}]` : joinPath(text, String(segment));
  }
  return text === '' ? rootPath : text;
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let current = json;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  array: 'a list',
};

/** Turns one zod issue into problems worded for the staff who write rules. */
function describeIssue(issue: z.core.$ZodIssue, json: unknown): FieldProblem[] {
  const field = formatPath(issue.path);
  const value = valueAt(json, issue.path);
  switch (issue.code) {
    case 'invalid_union': {
      // Only the discriminated union raises this: the `type` field is missing or unknown.
      const expected = ruleTypes.join(', ');
      if (value === undefined) return [{ field, reason: `is required (one of ${expected})` }];
      const shown = JSON.stringify(value).slice(0, 40);
      return [{ field, reason: `unknown rule type ${shown}; expected one of ${expected}` }];
    }
    case 'unrecognized_keys': {
      const parentType = isRecord(value) && typeof value.type === 'string' ? value.type : 'this';
      return issue.keys.map((key) => ({
        field: formatPath([...issue.path, key]),
        reason: `is not a field of a ${parentType} rule`,
      }));
    }
    case 'invalid_type': {
      if (value === undefined) return [{ field, reason: 'is required' }];
      if (issue.expected === 'object') return [{ field, reason: 'must be a rule object' }];
      const expected = typeWords[issue.expected];
      // Other expectations (such as whole numbers) carry the message written beside the schema.
      return [{ field, reason: expected === undefined ? issue.message : `must be ${expected}` }];
    }
    default:
      return [{ field, reason: issue.message }];
  }
}

/**
 * The grade scale Stackable understands, and how grades compare with a rule's minimum.
 *
 * Policy on Pass ('P'): a pass counts as a C- (the usual floor a registrar sets for a pass), so it meets a
 * minimum of 'P', any D grade or 'C-', but not 'C' or higher. Rules that ask for 'C' or better therefore
 * need a letter grade; that mirrors how most programs treat pass/no-pass courses in a major.
 *
 * F, NP (no pass), W (withdrawn) and I (incomplete) never satisfy anything. Grades that are not on the scale
 * are treated as not passing rather than raising an error, because records come from systems we do not control.
 */

/** Letter grades from highest to lowest. */
export const letterGrades = [
  'A+',
  'A',
  'A-',
  'B+',
  'B',
  'B-',
  'C+',
  'C',
  'C-',
  'D+',
  'D',
  'D-',
  'F',
] as const;

/** Grades outside the letter scale: pass, no pass, withdrawn, incomplete. */
export const otherGrades = ['P', 'NP', 'W', 'I'] as const;

export type LetterGrade = (typeof letterGrades)[number];
export type Grade = LetterGrade | (typeof otherGrades)[number];

/** Grades a rule may name as its minimum: any passing letter grade, or 'P' for "any passing grade". */
export const minimumGrades: readonly string[] = [...letterGrades.filter((grade) => grade !== 'F'), 'P'];

/** Strength of a grade that does not pass. Every passing grade has a strength of 1 or more. */
export const notPassingStrength = -1;

// Strengths are precomputed once: D- is 1 and each step up the scale adds 1, so A+ is 12.
const strengthByGrade: ReadonlyMap<string, number> = (() => {
  const strengths = new Map<string, number>();
  const passing = letterGrades.filter((grade) => grade !== 'F');
  passing.forEach((grade, index) => {
    strengths.set(grade, passing.length - index);
  });
  strengths.set('P', strengths.get('C-') ?? 0);
  for (const failing of ['F', 'NP', 'W', 'I']) strengths.set(failing, notPassingStrength);
  return strengths;
})();

/** Upper-cases and trims a grade as recorded ('b+ ' becomes 'B+'). */
export function normalizeGrade(grade: string): string {
  return grade.trim().toUpperCase();
}

/** True when the grade is on Stackable's scale (A+ to F, P, NP, W, I), in any letter case. */
export function isKnownGrade(grade: string): boolean {
  return strengthByGrade.has(grade) || strengthByGrade.has(normalizeGrade(grade));
}

/**
 * How strong a recorded grade is, for comparing attempts: 1 (D-) to 12 (A+), with P equal to C-.
 * Failing, withdrawn, incomplete and unrecognised grades give `notPassingStrength`.
 */
export function gradeStrength(grade: string): number {
  const direct = strengthByGrade.get(grade);
  if (direct !== undefined) return direct;
  if (typeof grade !== 'string') return notPassingStrength;
  return strengthByGrade.get(normalizeGrade(grade)) ?? notPassingStrength;
}

/** True when the grade earns credit at all (D- or better, or P). */
export function isPassingGrade(grade: string): boolean {
  return gradeStrength(grade) > 0;
}

/** True when `grade` may be used as a rule's minimum grade (a passing letter grade or 'P'). */
export function isValidMinimumGrade(grade: string): boolean {
  return minimumGrades.includes(normalizeGrade(grade));
}

/**
 * The strength a grade must reach to meet `minGrade`. No minimum and 'P' both mean "any passing grade".
 * An unrecognised minimum can never be met (returns Infinity): failing closed is safer than awarding a
 * credential on a rule nobody can read. parseRule rejects such minimums before they are stored.
 */
export function minimumStrength(minGrade?: string): number {
  if (minGrade === undefined) return 1;
  const strength = thresholdByMinimum.get(minGrade) ?? thresholdByMinimum.get(normalizeGrade(minGrade));
  return strength ?? Number.POSITIVE_INFINITY;
}

// Precomputed because every course rule asks for its threshold on every evaluation.
const thresholdByMinimum: ReadonlyMap<string, number> = new Map(
  minimumGrades.map((grade) => [grade, grade === 'P' ? 1 : (strengthByGrade.get(grade) ?? 1)]),
);

/**
 * Whether a recorded grade satisfies a minimum. F, NP, W and I never do; P counts as C- (see above).
 *
 * @example meetsMinimumGrade('B', 'C-') // true
 * @example meetsMinimumGrade('P', 'C') // false
 */
export function meetsMinimumGrade(grade: string, minGrade?: string): boolean {
  const strength = gradeStrength(grade);
  return strength > 0 && strength >= minimumStrength(minGrade);
}

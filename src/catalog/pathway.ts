/**
 * The arithmetic of a certificate pathway, without I/O: the order its badges are shown in, how the badges and
 * extra courses add up to the certificate's credit total, and where a learner stands on it.
 */
import type { CreditType, Level } from '../programs/program-vocabulary.ts';

/** An offered micro-credential that stacks into the certificate. */
export interface StackedBadge {
  slug: string;
  title: string;
  summary: string;
  level: Level;
  creditsMin: number;
  creditsMax: number;
  creditType: CreditType;
  isPilot: boolean;
  courseCodes: string[];
}

/** A course the certificate asks for beyond its badges. */
export interface ExtraCourse {
  code: string;
  title: string;
  credits: number;
  isRequired: boolean;
}

export interface CertificateTerms {
  creditsRequired: number;
  /** null: every badge in the stack. */
  badgesRequired: number | null;
}

/** How the pieces make up the total. Badge credits are the least a learner can bring from the badges. */
export interface CreditPlan {
  badgesNeeded: number;
  badgesOffered: number;
  badgeCredits: number;
  requiredCourseCredits: number;
  /** Credits still to choose from the electives once badges and required courses are counted. */
  electiveCredits: number;
  electiveCreditsOffered: number;
  total: number;
  /** False when the offered badges or electives cannot make up the total: the page says so. */
  isReachable: boolean;
}

/** Where one piece of the stack stands for a signed-in learner. */
export type BadgeStanding = 'held' | 'earned' | 'enrolled';

export interface LearnerStanding {
  badges: ReadonlyMap<string, BadgeStanding>;
  completedCourses: ReadonlySet<string>;
}

/** The learner's next move on the pathway. */
export type NextStep =
  | { kind: 'badge'; slug: string; title: string }
  | { kind: 'course'; code: string; title: string }
  | { kind: 'electives'; credits: number }
  | { kind: 'apply' };

export interface StandingSummary {
  badgesDone: number;
  badgesInProgress: number;
  badgesNeeded: number;
  requiredCoursesDone: number;
  requiredCourses: number;
  electiveCreditsDone: number;
  electiveCreditsNeeded: number;
  next: NextStep;
}

/** The lowest course number a badge uses ('GEOG 286' → 286); badges without courses go last. */
function firstCourseNumber(badge: StackedBadge): number {
  const numbers = badge.courseCodes.map((code) => Number(/(\d+)\s*$/.exec(code)?.[1] ?? Number.NaN));
  const valid = numbers.filter((n) => Number.isFinite(n));
  return valid.length > 0 ? Math.min(...valid) : Number.POSITIVE_INFINITY;
}

/**
 * The order the stack is drawn in: the badge that starts at the lowest course level first, so the page reads
 * as a suggested sequence (introductory courses before upper-division ones). Ties go alphabetically.
 */
export function orderStack<T extends StackedBadge>(badges: readonly T[]): T[] {
  return [...badges].sort(
    (a, b) => firstCourseNumber(a) - firstCourseNumber(b) || a.title.localeCompare(b.title, 'en'),
  );
}

/** Adds up badges, required courses and electives against the certificate's total. */
export function planCredits(
  terms: CertificateTerms,
  badges: readonly Pick<StackedBadge, 'creditsMin'>[],
  courses: readonly Pick<ExtraCourse, 'credits' | 'isRequired'>[],
): CreditPlan {
  const badgesOffered = badges.length;
  const badgesNeeded = terms.badgesRequired ?? badgesOffered;
  // With "at least N", a learner may pick the smallest N badges, so the plan counts those.
  const smallest = badges
    .map((b) => b.creditsMin)
    .sort((a, b) => a - b)
    .slice(0, badgesNeeded);
  const badgeCredits = smallest.reduce((sum, c) => sum + c, 0);
  const sum = (required: boolean) =>
    courses.filter((c) => c.isRequired === required).reduce((total, c) => total + c.credits, 0);
  const requiredCourseCredits = sum(true);
  const electiveCreditsOffered = sum(false);
  const electiveCredits = Math.max(0, terms.creditsRequired - badgeCredits - requiredCourseCredits);
  return {
    badgesNeeded,
    badgesOffered,
    badgeCredits,
    requiredCourseCredits,
    electiveCredits,
    electiveCreditsOffered,
    total: terms.creditsRequired,
    isReachable: badgesNeeded <= badgesOffered && electiveCredits <= electiveCreditsOffered,
  };
}

/**
 * Courses that appear in more than one badge of the stack. A course is taken once, so it counts once toward
 * the certificate; the page names them so nobody plans on double credit.
 */
export function sharedCourses(badges: readonly StackedBadge[]): { code: string; badges: string[] }[] {
  const holders = new Map<string, string[]>();
  for (const badge of badges) {
    for (const code of new Set(badge.courseCodes))
      holders.set(code, [...(holders.get(code) ?? []), badge.title]);
  }
  return [...holders]
    .filter(([, titles]) => titles.length > 1)
    .map(([code, titles]) => ({ code, badges: titles }))
    .sort((a, b) => a.code.localeCompare(b.code, 'en'));
}

/** Counts what a learner has done toward the certificate and picks the next step, following the stack's order. */
export function summariseStanding(
  plan: CreditPlan,
  stack: readonly StackedBadge[],
  courses: readonly ExtraCourse[],
  standing: LearnerStanding,
): StandingSummary {
  const stateOf = (b: StackedBadge) => standing.badges.get(b.slug);
  const badgesDone = stack.filter((b) => stateOf(b) === 'held' || stateOf(b) === 'earned').length;
  const badgesInProgress = stack.filter((b) => stateOf(b) === 'enrolled').length;
  const required = courses.filter((c) => c.isRequired);
  const requiredCoursesDone = required.filter((c) => standing.completedCourses.has(c.code)).length;
  const electiveCreditsDone = courses
    .filter((c) => !c.isRequired && standing.completedCourses.has(c.code))
    .reduce((sum, c) => sum + c.credits, 0);

  let next: NextStep = { kind: 'apply' };
  const untouchedBadge = stack.find((b) => stateOf(b) === undefined);
  const missingCourse = required.find((c) => !standing.completedCourses.has(c.code));
  if (badgesDone + badgesInProgress < plan.badgesNeeded && untouchedBadge) {
    next = { kind: 'badge', slug: untouchedBadge.slug, title: untouchedBadge.title };
  } else if (missingCourse) {
    next = { kind: 'course', code: missingCourse.code, title: missingCourse.title };
  } else if (electiveCreditsDone < plan.electiveCredits) {
    next = { kind: 'electives', credits: plan.electiveCredits - electiveCreditsDone };
  } else if (badgesDone < plan.badgesNeeded) {
    // Everything else is done; the badges under way are what remains. Point at the first one in order.
    const open = stack.find((b) => stateOf(b) === 'enrolled');
    if (open) next = { kind: 'badge', slug: open.slug, title: open.title };
  }
  return {
    badgesDone,
    badgesInProgress,
    badgesNeeded: plan.badgesNeeded,
    requiredCoursesDone,
    requiredCourses: required.length,
    electiveCreditsDone,
    electiveCreditsNeeded: plan.electiveCredits,
    next,
  };
}

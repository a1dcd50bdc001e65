/**
 * Evaluation of the three leaf rules: a course, a number of credits, an applied experience.
 * Each reads only the index entries it names, honours the time window and the evidence already taken by
 * a sibling in an enclosing `choose`, and explains in its summary and notes why evidence did not count.
 */
import { formatCount } from '../platform/words.ts';
import { formatCalendarDay } from './calendar-day.ts';
import { normalizeCourseCode } from './course-code.ts';
import type { Evaluation } from './evaluation.ts';
import { minimumStrength, normalizeGrade } from './grades.ts';
import { describeMinimumGrade } from './label.ts';
import {
  courseKey,
  type EvaluationContext,
  experienceKey,
  isInWindow,
  metWithoutEvidence,
  noCredits,
  noKeys,
  type Outcome,
  type TimeWindow,
} from './outcome.ts';
import type { Attempt } from './record-index.ts';
import type { Rule } from './rule.ts';
import type { Witness } from './witness.ts';

type CourseRule = Extract<Rule, { type: 'course' }>;
type CreditsRule = Extract<Rule, { type: 'credits' }>;
type ExperienceRule = Extract<Rule, { type: 'experience' }>;

const alreadyCounted = 'already counted toward another option';

/**
 * A course is met by the learner's best attempt that reaches the minimum grade, taken directly or through
 * an approved substitute. The course itself is shown in preference to a substitute; every usable source is
 * reported as a witness so an enclosing `choose` can leave a substitute free for another option.
 */
export function evaluateCourse(rule: CourseRule, context: EvaluationContext): Outcome {
  const code = normalizeCourseCode(rule.code);
  const threshold = minimumStrength(rule.minGrade);
  const { attemptsByCourse, substitutesFor } = context.index;
  const sources = [code, ...(substitutesFor.get(code) ?? [])];
  const touched = new Set<string>();
  const witnesses: Witness[] = [];
  let shown: Attempt | undefined;
  let blocked: Attempt | undefined;
  let expired: Attempt | undefined;
  let belowMinimum: Attempt | undefined;

  for (const source of sources) {
    const attempts = attemptsByCourse.get(source);
    if (attempts === undefined) continue;
    const key = courseKey(source);
    if (context.witnessCap > 0) touched.add(key);
    for (const attempt of attempts) {
      if (attempt.strength < threshold) {
        // Attempts are strongest first, so the rest are weaker still; remember the best for the message.
        if (
          isInWindow(attempt.day, context.window) &&
          (belowMinimum?.strength ?? -Infinity) < attempt.strength
        ) {
          belowMinimum = attempt;
        }
        break;
      }
      if (!isInWindow(attempt.day, context.window)) {
        expired ??= attempt;
        continue;
      }
      if (context.blocked.has(key)) {
        blocked ??= attempt;
      } else {
        // The first usable source (the course itself when taken) is the one shown.
        shown ??= attempt;
        if (witnesses.length < context.witnessCap) witnesses.push(new Set([key]));
      }
      break;
    }
    // Outside a `choose` one usable source settles the rule; inside, each source is an alternative.
    if (shown !== undefined && witnesses.length >= context.witnessCap) break;
  }
  if (shown !== undefined) {
    return metCourse(code, shown, context.witnessCap === 0 ? metWithoutEvidence : witnesses, touched);
  }

  const need = `${code}${describeMinimumGrade(rule.minGrade)}`;
  let summary = `${code}: not yet completed`;
  const notes: string[] = [];
  const expiredItems: string[] = [];
  if (blocked !== undefined) {
    if (blocked.code === code) {
      summary = `${code}: completed, but ${alreadyCounted}`;
      notes.push(`${code} is ${alreadyCounted} of the same choice, so it cannot count twice.`);
    } else {
      summary = `${code}: completed through substitute ${blocked.code}, but it is ${alreadyCounted}`;
      notes.push(`Substitute ${blocked.code} is ${alreadyCounted}, so it cannot also count as ${code}.`);
    }
  } else if (expired !== undefined && context.window !== null) {
    summary = `${code}: completed ${describeDay(expired.day)}, outside the ${describeWindow(context.window)}`;
    expiredItems.push(`${describeSource(code, expired)} (completed ${describeDay(expired.day)})`);
  } else if (belowMinimum !== undefined) {
    summary =
      belowMinimum.strength > 0
        ? `${code}: best grade so far is ${belowMinimum.grade}; needs ${normalizeGrade(rule.minGrade ?? 'P')} or better`
        : `${code}: attempted (grade ${belowMinimum.grade || 'not recorded'}), not passed`;
    notes.push(`${summary}.`);
  }
  return unmet({ type: 'course', summary, missing: [need], notes }, touched, expiredItems);
}

function metCourse(
  code: string,
  attempt: Attempt,
  witnesses: readonly Witness[],
  touched: ReadonlySet<string>,
): Outcome {
  const through = attempt.code === code ? '' : ` through approved substitute ${attempt.code}`;
  const evaluation: Evaluation = {
    type: 'course',
    met: true,
    progress: { done: 1, total: 1 },
    summary: `${code}: done${through} (${attempt.grade})`,
    missing: [],
  };
  return {
    evaluation,
    fraction: 1,
    witnesses,
    touched,
    counted: new Map([[attempt.code, attempt.credits]]),
    expired: [],
  };
}

/**
 * Credits add up the passing courses that match the rule's course list (approved substitutes included) and
 * level. Each course counts once however many times it was taken, at its largest credit value.
 */
export function evaluateCredits(rule: CreditsRule, context: EvaluationContext): Outcome {
  const { attemptsByCourse } = context.index;
  const sources =
    rule.fromCourses === undefined ? attemptsByCourse.keys() : listedWithSubstitutes(rule, context);
  const counted = new Map<string, number>();
  const touched = new Set<string>();
  const expiredItems: string[] = [];
  let blockedCredits = 0;
  const blockedCodes: string[] = [];

  for (const source of sources) {
    const attempts = attemptsByCourse.get(source);
    if (attempts === undefined) continue;
    let credits = -1;
    let expired: Attempt | undefined;
    for (const attempt of attempts) {
      if (attempt.strength <= 0 || (rule.level !== undefined && attempt.level !== rule.level)) continue;
      if (!isInWindow(attempt.day, context.window)) expired ??= attempt;
      else if (attempt.credits > credits) credits = attempt.credits;
    }
    const key = courseKey(source);
    if (credits < 0) {
      if (expired !== undefined) expiredItems.push(`${source} (completed ${describeDay(expired.day)})`);
      continue;
    }
    if (context.witnessCap > 0) touched.add(key);
    if (context.blocked.has(key)) {
      blockedCredits += credits;
      blockedCodes.push(source);
    } else {
      counted.set(source, credits);
    }
  }

  let earned = 0;
  for (const credits of counted.values()) earned += credits;
  earned = roundCredits(earned);
  const met = earned >= rule.min;
  const kind = `${rule.level === undefined ? '' : `${rule.level} `}credits`;
  const notes =
    blockedCodes.length > 0
      ? [`${formatCount(blockedCredits)} ${kind} from ${blockedCodes.join(', ')} are ${alreadyCounted}.`]
      : [];
  const evaluation: Evaluation = {
    type: 'credits',
    met,
    progress: { done: Math.min(earned, rule.min), total: rule.min },
    summary: `${formatCount(earned)} of ${formatCount(rule.min)} ${kind}`,
    missing: met
      ? []
      : [
          `${formatCount(rule.min - earned)} more ${kind}${rule.fromCourses === undefined ? '' : ' from the listed courses'}`,
        ],
  };
  if (notes.length > 0) evaluation.notes = notes;
  return {
    evaluation,
    fraction: Math.min(earned, rule.min) / rule.min,
    witnesses: !met
      ? []
      : context.witnessCap === 0
        ? metWithoutEvidence
        : coursesReaching(counted, rule.min, context),
    touched,
    counted,
    expired: met ? [] : expiredItems,
  };
}

function listedWithSubstitutes(rule: CreditsRule, context: EvaluationContext): Set<string> {
  const sources = new Set<string>();
  for (const listed of rule.fromCourses ?? []) {
    const code = normalizeCourseCode(listed);
    sources.add(code);
    for (const substitute of context.index.substitutesFor.get(code) ?? []) sources.add(substitute);
  }
  return sources;
}

/**
 * The minimal sets of counted courses whose credits reach the minimum, largest courses first, up to the
 * context's cap. Sorting largest first means each set reaches the minimum exactly with its last (smallest)
 * course, so every set found is minimal and every minimal set is reachable.
 */
function coursesReaching(
  counted: ReadonlyMap<string, number>,
  min: number,
  context: EvaluationContext,
): Witness[] {
  const courses = [...counted].filter(([, credits]) => credits > 0).sort((a, b) => b[1] - a[1]);
  const remainingFrom: number[] = new Array(courses.length + 1).fill(0);
  for (let index = courses.length - 1; index >= 0; index -= 1) {
    remainingFrom[index] = remainingFrom[index + 1]! + courses[index]![1];
  }
  const witnesses: Witness[] = [];
  const keys: string[] = [];
  const visit = (from: number, total: number): void => {
    for (let index = from; index < courses.length && witnesses.length < context.witnessCap; index += 1) {
      if (roundCredits(total + remainingFrom[index]!) < min || context.budget.remaining <= 0) return;
      context.budget.remaining -= 1;
      const [code, credits] = courses[index]!;
      keys.push(courseKey(code));
      if (roundCredits(total + credits) >= min) witnesses.push(new Set(keys));
      else visit(index + 1, total + credits);
      keys.pop();
    }
  };
  visit(0, 0);
  // A budget cut short must not turn a met rule into an unmet one: fall back to every counted course.
  if (witnesses.length === 0) witnesses.push(new Set(courses.map(([code]) => courseKey(code))));
  return witnesses;
}

/** Credits are compared after rounding to thousandths so 0.1 + 0.2 reaches 0.3. */
function roundCredits(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** An experience is met by a faculty sign-off (inside the time window, when there is one). */
export function evaluateExperience(rule: ExperienceRule, context: EvaluationContext): Outcome {
  const key = experienceKey(rule.key.trim());
  const signOffs = context.index.signOffsByKey.get(rule.key.trim()) ?? [];
  const touched = signOffs.length > 0 && context.witnessCap > 0 ? new Set([key]) : noKeys;
  const inWindow = signOffs.find((signOff) => isInWindow(signOff.day, context.window));
  const missing = [`${rule.name} (faculty sign-off)`];

  if (inWindow !== undefined && !context.blocked.has(key)) {
    const evaluation: Evaluation = {
      type: 'experience',
      met: true,
      progress: { done: 1, total: 1 },
      summary: `${rule.name} signed off ${describeDay(inWindow.day)}`,
      missing: [],
    };
    const witnesses = context.witnessCap === 0 ? metWithoutEvidence : [new Set([key])];
    return { evaluation, fraction: 1, witnesses, touched, counted: noCredits, expired: [] };
  }
  if (inWindow !== undefined) {
    const summary = `${rule.name} signed off, but ${alreadyCounted}`;
    return unmet({ type: 'experience', summary, missing, notes: [`${summary}.`] }, touched, []);
  }
  const old = signOffs[0];
  if (old !== undefined && context.window !== null) {
    const summary = `${rule.name} signed off ${describeDay(old.day)}, outside the ${describeWindow(context.window)}`;
    const expired = [`${rule.name} (signed off ${describeDay(old.day)})`];
    return unmet({ type: 'experience', summary, missing, notes: [] }, touched, expired);
  }
  const summary = `${rule.name} not yet signed off`;
  return unmet({ type: 'experience', summary, missing, notes: [] }, touched, []);
}

interface UnmetParts {
  type: Evaluation['type'];
  summary: string;
  missing: string[];
  notes: string[];
}

function unmet(parts: UnmetParts, touched: ReadonlySet<string>, expired: string[]): Outcome {
  const evaluation: Evaluation = {
    type: parts.type,
    met: false,
    progress: { done: 0, total: 1 },
    summary: parts.summary,
    missing: parts.missing,
  };
  if (parts.notes.length > 0) evaluation.notes = parts.notes;
  return { evaluation, fraction: 0, witnesses: [], touched, counted: noCredits, expired };
}

function describeSource(code: string, attempt: Attempt): string {
  return attempt.code === code ? code : `substitute ${attempt.code}`;
}

function describeDay(day: number | null): string {
  return day === null ? 'on an unreadable date' : `on ${formatCalendarDay(day)}`;
}

export function describeWindow(window: TimeWindow): string {
  return `${formatCount(window.years)}-year window`;
}

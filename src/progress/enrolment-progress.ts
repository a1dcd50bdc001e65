/**
 * Where one learner stands in one program, from the program's stored rule and the learner's evidence.
 * Pure: the rows come in already loaded, the evaluation day is passed in.
 */
import {
  type CourseCompletion,
  type CourseSubstitution,
  classifyProgress,
  coursesInRule,
  type Evaluation,
  type ExperienceSignOff,
  evaluateRule,
  explainEvaluation,
  type LearnerRecord,
  normalizeCourseCode,
  type ProgressStatus,
  parseCalendarDay,
  parseRule,
  type Rule,
  type RuleEvaluation,
  RuleParseError,
} from '../requirements/index.ts';

/** A progress status, or 'unreadable' when the program's stored rule cannot be read. */
export type ProgressState = ProgressStatus | 'unreadable';

export const progressStates: readonly ProgressState[] = [
  'complete',
  'close',
  'in_progress',
  'stalled',
  'not_started',
  'unreadable',
];

export interface EnrolmentProgress {
  status: ProgressState;
  met: boolean;
  /** 0 to 100 for the progress bar; 100 only when met. */
  percent: number;
  /** One or two plain-words sentences, e.g. '2 of 3 required courses done; still needs MATH 344.' */
  explanation: string;
  /** What is still needed, each in a few words. Empty when met. */
  missing: string[];
  /** The rule's top-level requirements, each with its own line, for a checklist. */
  requirements: { summary: string; met: boolean }[];
  creditsEarned: number;
  /** The latest of the enrolment day and the dated work that bears on this program. */
  lastActivityOn: string;
  /**
   * Graded, pending term end: completions of courses this program counts whose term had not ended on `asOf`.
   * They are on record and count from `countsFrom` on their own; until then the evaluation leaves them out.
   */
  pendingGrades: PendingGrade[];
  evaluation: RuleEvaluation | null;
}

/** The stored rule as a `Rule`, or null when it no longer parses (shown as "unreadable", never thrown). */
export function readProgramRule(json: unknown): Rule | null {
  try {
    return parseRule(json);
  } catch (error) {
    if (error instanceof RuleParseError) return null;
    throw error;
  }
}

/** Evaluates one enrolment on `asOf` and classifies it. */
export function measureProgress(
  rule: Rule | null,
  record: LearnerRecord,
  enrolledOn: string,
  asOf: string,
): EnrolmentProgress {
  if (rule === null) {
    return {
      status: 'unreadable',
      met: false,
      percent: 0,
      explanation: 'The requirements of this program could not be read, so progress cannot be shown.',
      missing: [],
      requirements: [],
      creditsEarned: 0,
      lastActivityOn: enrolledOn,
      pendingGrades: [],
      evaluation: null,
    };
  }
  const evaluation = evaluateRule(rule, record, { asOf });
  const lastActivityOn = latestActivity(rule, record, enrolledOn, asOf);
  return {
    status: classifyProgress(evaluation, lastActivityOn, asOf),
    met: evaluation.met,
    percent: evaluation.percent,
    explanation: explainEvaluation(evaluation),
    missing: evaluation.missing,
    requirements: topRequirements(evaluation),
    creditsEarned: evaluation.creditsEarned,
    lastActivityOn,
    pendingGrades: pendingGrades(rule, record, asOf),
    evaluation,
  };
}

/** A grade on record that does not count yet, because its term ends after the evaluation day. */
export interface PendingGrade {
  course: string;
  term: string | null;
  /** 'YYYY-MM-DD', the day it starts to count. */
  countsFrom: string;
}

/** The completions dated after `asOf` of the courses the rule counts (or their substitutes), soonest first. */
export function pendingGrades(rule: Rule, record: LearnerRecord, asOf: string): PendingGrade[] {
  const bearsOn = coursesBearingOn(rule, record);
  return record.completions
    .filter((c) => c.completedOn.slice(0, 10) > asOf)
    .filter((c) => bearsOn === 'any' || bearsOn.has(normalizeCourseCode(c.course)))
    .map((c) => ({
      course: normalizeCourseCode(c.course),
      term: c.term ?? null,
      countsFrom: c.completedOn.slice(0, 10),
    }))
    .sort((a, b) => a.countsFrom.localeCompare(b.countsFrom) || a.course.localeCompare(b.course));
}

/** The course codes whose completions bear on a rule (with approved substitutes), or 'any' for a credits rule. */
function coursesBearingOn(rule: Rule, record: LearnerRecord): Set<string> | 'any' {
  if (countsAnyCourse(rule)) return 'any';
  const named = new Set(coursesInRule(rule));
  for (const substitution of record.substitutions) {
    if (named.has(normalizeCourseCode(substitution.required))) {
      named.add(normalizeCourseCode(substitution.substitute));
    }
  }
  return named;
}

/** The lines a checklist shows: the children of an outer `all` (inside any time limit), else the rule itself. */
function topRequirements(evaluation: Evaluation): { summary: string; met: boolean }[] {
  let root = evaluation;
  while (root.type === 'within' && root.children?.[0] !== undefined) root = root.children[0];
  const items = root.type === 'all' ? (root.children ?? []) : [root];
  return items.map((item) => ({ summary: item.summary, met: item.met }));
}

/** True when some credits requirement counts any course, so every completion bears on the program. */
function countsAnyCourse(rule: Rule): boolean {
  switch (rule.type) {
    case 'all':
    case 'choose':
      return rule.rules.some(countsAnyCourse);
    case 'within':
      return countsAnyCourse(rule.rule);
    case 'credits':
      return rule.fromCourses === undefined;
    default:
      return false;
  }
}

/**
 * Activity for the "stalled" status: the enrolment itself, completions of courses the rule names (or their
 * approved substitutes) and experience sign-offs, ignoring anything dated after `asOf`.
 */
function latestActivity(rule: Rule, record: LearnerRecord, enrolledOn: string, asOf: string): string {
  let latest = enrolledOn.slice(0, 10);
  const consider = (day: string) => {
    const date = day.slice(0, 10);
    if (date <= asOf && date > latest) latest = date;
  };
  const bearsOn = coursesBearingOn(rule, record);
  for (const completion of record.completions) {
    if (bearsOn === 'any' || bearsOn.has(normalizeCourseCode(completion.course))) {
      consider(completion.completedOn);
    }
  }
  for (const experience of record.experiences) consider(experience.signedOffOn);
  return latest;
}

/** Loaded evidence rows, tagged with their learner (and program, for faculty-added evidence). */
export interface EvidenceRows {
  completions: (CourseCompletion & { learnerId: string })[];
  experiences: (ExperienceSignOff & { learnerId: string; programId: string })[];
  substitutions: (CourseSubstitution & { learnerId: string; programId: string })[];
}

const noCompletions: CourseCompletion[] = [];
const noExperiences: ExperienceSignOff[] = [];
const noSubstitutions: CourseSubstitution[] = [];

/**
 * Groups evidence rows once so each enrolment's record is a few map lookups. Completions belong to the
 * learner and count everywhere; sign-offs and substitutions were granted for one program and count only there.
 */
export class LearnerEvidence {
  readonly #completions = new Map<string, CourseCompletion[]>();
  readonly #experiences = new Map<string, ExperienceSignOff[]>();
  readonly #substitutions = new Map<string, CourseSubstitution[]>();

  constructor(rows: EvidenceRows) {
    for (const { learnerId, ...completion } of rows.completions) {
      push(this.#completions, learnerId, completion);
    }
    for (const { learnerId, programId, ...experience } of rows.experiences) {
      push(this.#experiences, `${learnerId}|${programId}`, experience);
    }
    for (const { learnerId, programId, ...substitution } of rows.substitutions) {
      push(this.#substitutions, `${learnerId}|${programId}`, substitution);
    }
  }

  recordFor(learnerId: string, programId: string): LearnerRecord {
    const key = `${learnerId}|${programId}`;
    return {
      completions: this.#completions.get(learnerId) ?? noCompletions,
      experiences: this.#experiences.get(key) ?? noExperiences,
      substitutions: this.#substitutions.get(key) ?? noSubstitutions,
    };
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The experience requirements a rule names, in order, without repeats. */
export function experiencesInRule(rule: Rule | null): { key: string; name: string }[] {
  const found = new Map<string, string>();
  const visit = (node: Rule): void => {
    if (node.type === 'experience') {
      if (!found.has(node.key)) found.set(node.key, node.name);
    } else if (node.type === 'within') {
      visit(node.rule);
    } else if (node.type === 'all' || node.type === 'choose') {
      for (const child of node.rules) visit(child);
    }
  };
  if (rule !== null) visit(rule);
  return [...found].map(([key, name]) => ({ key, name }));
}

/** When a learner finished a program: the day the rule was first met and the term of the work done that day. */
export interface CompletionFacts {
  /** 'YYYY-MM-DD' */
  completedOn: string;
  /** The academic term of a course completed that day, or null when that day's work was a sign-off. */
  term: string | null;
}

/**
 * The first day, up to `asOf`, on which the rule was met: the day the last piece of needed work is dated.
 * Only days on which some work is dated can be that day, so each is tried in order; null when the rule is not
 * met by `asOf`. A badge's completion date and term come from here, not from the day someone asked for it.
 */
export function completionOf(rule: Rule | null, record: LearnerRecord, asOf: string): CompletionFacts | null {
  if (rule === null) return null;
  const days = new Set<string>();
  for (const completion of record.completions) days.add(completion.completedOn.slice(0, 10));
  for (const experience of record.experiences) days.add(experience.signedOffOn.slice(0, 10));
  for (const day of [...days].filter((d) => d <= asOf && parseCalendarDay(d) !== null).sort()) {
    if (!evaluateRule(rule, record, { asOf: day }).met) continue;
    const terms = record.completions
      .filter((c) => c.completedOn.slice(0, 10) === day && c.term)
      .map((c) => c.term as string);
    return { completedOn: day, term: terms.sort().at(-1) ?? null };
  }
  return null;
}

/**
 * The requirement evaluator: checks a rule against one learner's record, live, and says how far along the
 * learner is. Pure: no I/O, no clock (the evaluation day is passed in), inputs are never modified.
 */
import { countOf } from '../platform/words.ts';
import { addCalendarMonths, formatCalendarDay, parseCalendarDay } from './calendar-day.ts';
import { evaluateCourse, evaluateCredits, evaluateExperience } from './evaluate-leaves.ts';
import type { Evaluation, RuleEvaluation } from './evaluation.ts';
import { joinWords, labelRule } from './label.ts';
import type { EvaluationOptions, LearnerRecord } from './learner-record.ts';
import {
  type EvaluationContext,
  metWithoutEvidence,
  noKeys,
  type Outcome,
  type TimeWindow,
} from './outcome.ts';
import { indexLearnerRecord } from './record-index.ts';
import type { Rule } from './rule.ts';
import {
  addMinimalWitness,
  combineWitnesses,
  isDisjoint,
  unionOfTwo,
  type Witness,
  witnessCapInsideChoose,
} from './witness.ts';

/**
 * Search steps (witness combinations tried, credit sets enumerated) one evaluation may spend. Real rules
 * need a few dozen; the cap only stops a pathological rule (many overlapping options nested deeply) from
 * stalling a page. When it runs out a `choose` keeps the best assignment found so far, which can only
 * under-report progress, never award a credential that is not earned.
 */
export const evaluationSearchBudget = 20_000;

/**
 * Evaluates `rule` (as returned by parseRule) against a learner's record on the day `options.asOf`.
 *
 * Rules: `all` is met when every child is; `choose` when `count` children are met without any completion
 * or sign-off serving two of them; `course` by the best passing attempt at the minimum grade, directly or
 * through an approved substitute; `credits` by summing matching passing courses (each course once);
 * `experience` by a faculty sign-off; `within` counts only work dated in the `years` before `asOf`.
 * Work dated after `asOf` is ignored everywhere.
 *
 * @throws RangeError when `options.asOf` is not an ISO date. Malformed record entries never throw.
 */
export function evaluateRule(rule: Rule, record: LearnerRecord, options: EvaluationOptions): RuleEvaluation {
  const asOf = parseCalendarDay(options.asOf);
  if (asOf === null) {
    throw new RangeError(`asOf must be an ISO date (YYYY-MM-DD), got ${String(options.asOf)}`);
  }
  const context: EvaluationContext = {
    index: indexLearnerRecord(record, asOf),
    blocked: noKeys,
    window: null,
    witnessCap: 0,
    budget: { remaining: evaluationSearchBudget },
  };
  const outcome = evaluateNode(rule, context);
  let creditsEarned = 0;
  for (const credits of outcome.counted.values()) creditsEarned += credits;
  const fraction = Number.isFinite(outcome.fraction) ? outcome.fraction : 0;
  // A bar at 100% must mean done: unmet rules stop at 99 even when rounding would say otherwise.
  const percent = outcome.evaluation.met ? 100 : Math.min(99, Math.max(0, Math.floor(fraction * 100)));
  // Built field by field: `{ ...evaluation, extra }` is a slow path in V8 and this runs once per learner.
  const { type, met, progress, summary, missing, notes, children } = outcome.evaluation;
  const result: RuleEvaluation = {
    type,
    met,
    progress,
    summary,
    missing,
    creditsEarned: Math.round(creditsEarned * 1000) / 1000,
    percent,
  };
  if (notes !== undefined) result.notes = notes;
  if (children !== undefined) result.children = children;
  return result;
}

function evaluateNode(rule: Rule, context: EvaluationContext): Outcome {
  switch (rule.type) {
    case 'all':
      return evaluateAll(rule, context);
    case 'choose':
      return evaluateChoose(rule, context);
    case 'within':
      return evaluateWithin(rule, context);
    case 'course':
      return evaluateCourse(rule, context);
    case 'credits':
      return evaluateCredits(rule, context);
    case 'experience':
      return evaluateExperience(rule, context);
  }
}

function evaluateAll(rule: Extract<Rule, { type: 'all' }>, context: EvaluationContext): Outcome {
  // Children of `all` may share evidence: a course can count both as itself and toward a credits total.
  const outcomes = rule.rules.map((child) => evaluateNode(child, context));
  const done = outcomes.filter((outcome) => outcome.evaluation.met).length;
  const met = done === outcomes.length;
  const noun = rule.rules.every((child) => child.type === 'course') ? 'required course' : 'requirement';
  const evaluation: Evaluation = {
    type: 'all',
    met,
    progress: { done, total: outcomes.length },
    summary: `${done} of ${countOf(outcomes.length, noun)} done`,
    missing: collectMissing(outcomes),
    children: outcomes.map((outcome) => outcome.evaluation),
  };
  const fraction = outcomes.reduce((sum, outcome) => sum + outcome.fraction, 0) / outcomes.length;
  return {
    evaluation,
    fraction,
    witnesses: !met
      ? []
      : context.witnessCap === 0
        ? metWithoutEvidence
        : combineWitnesses(
            outcomes.map((outcome) => outcome.witnesses),
            context.witnessCap,
          ),
    touched: unionOf(outcomes.map((outcome) => outcome.touched)),
    counted: mergeCounted(outcomes),
    expired: met ? [] : uniqueExpired(outcomes),
  };
}

// Specific options are tried first and credit totals last, so the assignment shown lets a course count as
// itself before a credits option (which can usually be made up from other courses) takes it.
const searchPriority: Record<Rule['type'], number> = {
  course: 0,
  experience: 1,
  all: 2,
  choose: 2,
  within: 2,
  credits: 3,
};

interface OptionPick {
  index: number;
  witness: Witness;
}

/**
 * `choose` is met when `count` options have witnesses (evidence sets) with no evidence in common. Each
 * option is evaluated once on its own, reporting its alternative witnesses; the search then combines
 * them, so no option has to guess which course to use. Options are then shown as they stand once the
 * picked options have taken their evidence.
 */
function evaluateChoose(rule: Extract<Rule, { type: 'choose' }>, context: EvaluationContext): Outcome {
  const alone = rule.rules.map((child) =>
    evaluateNode(child, changeContext(context, { witnessCap: witnessCapInsideChoose })),
  );
  const candidates = alone
    .map((_, index) => index)
    .filter((index) => alone[index]!.witnesses.length > 0)
    .sort((a, b) => searchPriority[rule.rules[a]!.type] - searchPriority[rule.rules[b]!.type] || a - b);

  const found: Witness[] = [];
  let first: OptionPick[] | null = null;
  let best: OptionPick[] = [];
  const picks: OptionPick[] = [];
  // Subsets of options in priority order, with one witness each. Returns true to stop searching.
  const search = (from: number, used: Witness): boolean => {
    if (picks.length >= rule.count) {
      first ??= picks.slice();
      // Outside another choose the first full assignment settles it; inside, alternatives are collected.
      if (context.witnessCap === 0) return true;
      addMinimalWitness(found, used, context.witnessCap);
      return found.length >= context.witnessCap;
    }
    if (picks.length > best.length) best = picks.slice();
    for (let position = from; position < candidates.length; position += 1) {
      // Give up on this branch when it can no longer reach the count (or, before any full assignment,
      // beat the best partial one).
      const target = first === null ? best.length + 1 : rule.count;
      if (picks.length + candidates.length - position < target) return false;
      const index = candidates[position]!;
      for (const witness of alone[index]!.witnesses) {
        if (context.budget.remaining <= 0) return true;
        context.budget.remaining -= 1;
        if (!isDisjoint(witness, used)) continue;
        picks.push({ index, witness });
        const stop = search(position + 1, unionOfTwo(used, witness));
        picks.pop();
        if (stop) return true;
      }
    }
    return false;
  };
  search(0, noKeys);

  const chosen: OptionPick[] = first ?? best;
  const witnessByIndex = new Map(chosen.map((pick) => [pick.index, pick.witness]));
  const taken = unionOf(chosen.map((pick) => pick.witness));
  const outcomes = alone.map((outcome, index) => {
    const own = witnessByIndex.get(index);
    const othersTook =
      own === undefined
        ? taken
        : unionOf(chosen.filter((pick) => pick.index !== index).map((pick) => pick.witness));
    if (!overlaps(outcome.touched, othersTook)) return outcome;
    return evaluateNode(
      rule.rules[index]!,
      changeContext(context, { blocked: unionOf([context.blocked, othersTook]) }),
    );
  });

  const done = Math.min(chosen.length, rule.count);
  const met = done >= rule.count;
  const others = outcomes.filter((_, index) => !witnessByIndex.has(index));
  const partial = others
    .map((outcome) => outcome.fraction)
    .sort((a, b) => b - a)
    .slice(0, rule.count - done)
    .reduce((sum, fraction) => sum + fraction, 0);
  const allCourses = rule.rules.every((child) => child.type === 'course');
  const evaluation: Evaluation = {
    type: 'choose',
    met,
    progress: { done, total: rule.count },
    summary: `${done} of ${countOf(rule.count, allCourses ? 'course' : 'option')} done (choose ${rule.count} of ${rule.rules.length})`,
    missing: met ? [] : describeStillNeeded(rule, outcomes, rule.count - done),
    children: outcomes.map((outcome) => outcome.evaluation),
  };
  return {
    evaluation,
    fraction: met ? 1 : Math.min(1, (done + partial) / rule.count),
    witnesses: !met ? [] : context.witnessCap === 0 ? metWithoutEvidence : found,
    touched: unionOf(alone.map((outcome) => outcome.touched)),
    counted: mergeCounted(outcomes),
    expired: met ? [] : uniqueExpired(outcomes),
  };
}

/** 'COMM 330 or COMM 340', 'one of A, B or C', or '2 more of A, B, C' for the options not yet met. */
function describeStillNeeded(
  rule: Extract<Rule, { type: 'choose' }>,
  outcomes: readonly Outcome[],
  remaining: number,
): string[] {
  const labels = rule.rules
    .filter((_, index) => !outcomes[index]!.evaluation.met)
    .map((child) => labelRule(child));
  // Every option can be met on its own but they compete for the same evidence.
  if (labels.length === 0) return [`${countOf(remaining, 'more option')} using different courses`];
  if (remaining > 1) return [`${remaining} more of ${joinWords(labels, 'and')}`];
  if (labels.length > 2) return [`one of ${joinWords(labels, 'or')}`];
  return [joinWords(labels, 'or')];
}

function evaluateWithin(rule: Extract<Rule, { type: 'within' }>, context: EvaluationContext): Outcome {
  const start = addCalendarMonths(context.index.asOf, -12 * rule.years);
  // Nested windows intersect: an outer, narrower window keeps applying inside a wider one.
  const narrows = context.window === null || start > context.window.start;
  const window: TimeWindow = narrows ? { start, years: rule.years } : context.window!;
  const child = evaluateNode(rule.rule, changeContext(context, { window }));
  const span = countOf(rule.years, 'year');
  const evaluation: Evaluation = {
    type: 'within',
    met: child.evaluation.met,
    progress: child.evaluation.progress,
    summary: narrows
      ? `Within ${span}: only work dated ${formatCalendarDay(start)} or later counts`
      : `Within ${span} (a shorter time limit around it applies)`,
    missing: child.evaluation.missing,
    children: [child.evaluation],
  };
  const expiredHere = narrows ? child.expired : [];
  if (expiredHere.length > 0) {
    evaluation.notes = [
      `Older than ${span} (before ${formatCalendarDay(start)}), so no longer counted: ${expiredHere.join(', ')}.`,
    ];
  }
  return {
    evaluation,
    fraction: child.fraction,
    witnesses: child.witnesses,
    touched: child.touched,
    counted: child.counted,
    expired: narrows ? [] : child.expired,
  };
}

/** A copy of the context with some fields replaced, written out to stay on V8's fast object paths. */
function changeContext(
  context: EvaluationContext,
  changes: Partial<Pick<EvaluationContext, 'blocked' | 'window' | 'witnessCap'>>,
): EvaluationContext {
  return {
    index: context.index,
    blocked: changes.blocked ?? context.blocked,
    window: changes.window === undefined ? context.window : changes.window,
    witnessCap: changes.witnessCap ?? context.witnessCap,
    budget: context.budget,
  };
}

function overlaps(keys: ReadonlySet<string>, others: ReadonlySet<string>): boolean {
  if (keys.size === 0 || others.size === 0) return false;
  const [smaller, larger] = keys.size <= others.size ? [keys, others] : [others, keys];
  for (const key of smaller) if (larger.has(key)) return true;
  return false;
}

function unionOf(sets: readonly ReadonlySet<string>[]): ReadonlySet<string> {
  const nonEmpty = sets.filter((set) => set.size > 0);
  if (nonEmpty.length === 0) return noKeys;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const union = new Set<string>();
  for (const set of nonEmpty) for (const key of set) union.add(key);
  return union;
}

/** Credits per course across children, each course once (a course counted by two rules is one course). */
function mergeCounted(outcomes: readonly Outcome[]): ReadonlyMap<string, number> {
  if (outcomes.length === 1) return outcomes[0]!.counted;
  const merged = new Map<string, number>();
  for (const outcome of outcomes) {
    for (const [code, credits] of outcome.counted) merged.set(code, Math.max(credits, merged.get(code) ?? 0));
  }
  return merged;
}

function uniqueExpired(outcomes: readonly Outcome[]): readonly string[] {
  const withExpired = outcomes.filter((outcome) => outcome.expired.length > 0);
  if (withExpired.length === 0) return noExpired;
  if (withExpired.length === 1) return withExpired[0]!.expired;
  const unique = new Set<string>();
  for (const outcome of withExpired) for (const item of outcome.expired) unique.add(item);
  return [...unique];
}

// A plain loop: Array.prototype.flatMap is markedly slower in V8 and this runs for every `all`.
function collectMissing(outcomes: readonly Outcome[]): string[] {
  const missing: string[] = [];
  for (const outcome of outcomes) for (const item of outcome.evaluation.missing) missing.push(item);
  return missing;
}

const noExpired: readonly string[] = [];

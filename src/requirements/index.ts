/** Public API of the requirement rules: grammar, grades, evaluator, explanations and progress status. */
export { addCalendarMonths, formatCalendarDay, parseCalendarDay } from './calendar-day.ts';
export { normalizeCourseCode } from './course-code.ts';
export { evaluateRule, evaluationSearchBudget } from './evaluate.ts';
export type { Evaluation, RuleEvaluation } from './evaluation.ts';
export { describeRule, explainEvaluation } from './explain.ts';
export {
  type Grade,
  gradeStrength,
  isKnownGrade,
  isPassingGrade,
  isValidMinimumGrade,
  type LetterGrade,
  letterGrades,
  meetsMinimumGrade,
  minimumGrades,
  minimumStrength,
  normalizeGrade,
  notPassingStrength,
  otherGrades,
} from './grades.ts';
export { labelRule } from './label.ts';
export type {
  CourseCompletion,
  CourseSubstitution,
  EvaluationOptions,
  ExperienceSignOff,
  LearnerRecord,
} from './learner-record.ts';
export {
  classifyProgress,
  closeThresholdPercent,
  type ProgressStatus,
  stalledAfterMonths,
} from './progress-status.ts';
export {
  coursesInRule,
  parseRule,
  type Rule,
  RuleParseError,
  type RuleType,
  ruleLimits,
  ruleTypes,
} from './rule.ts';

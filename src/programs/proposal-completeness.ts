/**
 * Whether a draft proposal is complete enough to ask for signatures, and if not, what is missing, each item
 * named by its field. Pure: the caller passes what is stored. A lead may save a draft unfinished; the signers
 * judge a complete proposal, so this is asked when signatures are requested (and shown on the draft's page).
 */
import type { FieldProblem } from '../platform/errors.ts';
import type { Rule } from '../requirements/index.ts';
import type { ProgramFields } from './program-form.ts';

export interface ProposalToCheck {
  fields: Pick<ProgramFields, 'creditsMin' | 'creditsMax' | 'courses' | 'requirement'>;
  /** Form fields the draft was last saved without. */
  missingFields: readonly string[];
  narratives:
    | {
        rationale: string;
        assessment_plan: string;
        market_analysis: string;
        financial_model: string;
        marketing_plan: string;
      }
    | undefined;
  fileKinds: readonly string[];
  mouRequired: boolean;
  signerCount: number;
  consultations: readonly { name: string; response: string | null }[];
  /** Credits of the listed courses, by code, as the catalog has them (proposed courses included). */
  courseCredits: ReadonlyMap<string, number>;
}

/** The proposal's narrative fields, in the order the form asks them. */
const narrativeFields = [
  ['rationale', 'rationale'],
  ['market_analysis', 'market_analysis'],
  ['financial_model', 'financial_model'],
  ['marketing_plan', 'marketing_plan'],
  ['assessment_plan', 'assessment_plan'],
] as const;

/** Everything a proposal still lacks before signatures can be asked for; empty when it is complete. */
export function missingForSignatures(proposal: ProposalToCheck): FieldProblem[] {
  const problems: FieldProblem[] = proposal.missingFields.map((field) => ({
    field,
    reason: missingReasons[field] ?? 'is required',
  }));
  for (const [field, column] of narrativeFields) {
    if (!proposal.narratives?.[column].trim()) problems.push({ field, reason: 'is not written yet' });
  }
  if (!proposal.fileKinds.includes('syllabus'))
    problems.push({ field: 'syllabus', reason: 'is not uploaded' });
  if (proposal.mouRequired && !proposal.fileKinds.includes('mou')) {
    problems.push({
      field: 'mou',
      reason: 'is required because the program is interdisciplinary or run with a third party',
    });
  }
  const credits = creditsDisagreement(proposal.fields, proposal.courseCredits);
  if (
    credits &&
    !proposal.missingFields.includes('credits_min') &&
    !proposal.missingFields.includes('courses')
  )
    problems.push({ field: 'credits_min', reason: credits });
  if (proposal.signerCount === 0)
    problems.push({ field: 'signers', reason: 'are not named yet: name at least one' });
  const waiting = proposal.consultations.filter((c) => c.response === null).map((c) => c.name);
  if (waiting.length > 0) {
    problems.push({
      field: 'consultation',
      reason: `is still waiting for ${waiting.join(', ')} to respond (or for you to record their response)`,
    });
  }
  return problems;
}

const missingReasons: Readonly<Record<string, string>> = {
  courses: 'must list at least one course',
  outcomes: 'must list at least one learning outcome',
  enrolment_paths: 'must offer at least one way to enrol',
  delivery_mode: 'must say whether it is taught online, in person or both',
  audience: 'must say who the program is for',
  credits_min: 'must be given',
  fee: 'must be given',
};

/**
 * Why the declared credits cannot be earned from the listed courses, or undefined when they agree. When every
 * listed course is required, their credits must add up to a total within the declared range; with a rule that
 * lets learners choose, the listed courses must at least offer the declared minimum.
 */
export function creditsDisagreement(
  fields: Pick<ProgramFields, 'creditsMin' | 'creditsMax' | 'courses' | 'requirement'>,
  courseCredits: ReadonlyMap<string, number>,
): string | undefined {
  if (fields.courses.length === 0) return undefined;
  const total = fields.courses.reduce((sum, code) => sum + (courseCredits.get(code) ?? 0), 0);
  const each = fields.courses.map((code) => `${code}: ${courseCredits.get(code) ?? 0}`).join(', ');
  const declared =
    fields.creditsMin === fields.creditsMax
      ? `${fields.creditsMin}`
      : `${fields.creditsMin} to ${fields.creditsMax}`;
  if (requiresEveryCourse(fields.requirement, fields.courses)) {
    if (total >= fields.creditsMin && total <= fields.creditsMax) return undefined;
    return `say ${declared}, but the listed courses, all required, add up to ${total} (${each})`;
  }
  if (total >= fields.creditsMin) return undefined;
  return `say at least ${fields.creditsMin}, but all the listed courses together offer only ${total} (${each})`;
}

function requiresEveryCourse(rule: Rule, courses: readonly string[]): boolean {
  return (
    rule.type === 'all' &&
    rule.rules.length === courses.length &&
    rule.rules.every((r) => r.type === 'course' && courses.includes(r.code))
  );
}

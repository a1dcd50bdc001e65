/**
 * The answers every program page gives to the questions learners ask most, in the institution's words when an
 * administrator has written them, otherwise in the built-in wording below (which the profile screen shows too).
 */
import type { Institution } from '../platform/db/schema.ts';

/** The built-in answers, used while the institution's own are empty. */
export const defaultAnswers = {
  transcriptCredit:
    'The courses you take appear on your transcript as usual. The micro-credential itself is recognised by its digital badge; the registrar may also note it on your record.',
  transcriptNonCredit:
    'The courses you take appear on your transcript as usual. This micro-credential is non-credit, so it is recognised by its badge only.',
  financialAid:
    'Aid can pay for courses that also count toward the degree you are enrolled in. Learners who are not seeking a degree cannot receive financial aid for these courses.',
} as const;

type Answers = Pick<Institution, 'transcript_answer' | 'financial_aid_answer' | 'fee_policy'>;

/** "Will it appear on my transcript?" for a program that earns credit or not. */
export function transcriptAnswer(institution: Answers, isNonCredit: boolean): string {
  const own = institution.transcript_answer.trim();
  if (own) return own;
  return isNonCredit ? defaultAnswers.transcriptNonCredit : defaultAnswers.transcriptCredit;
}

/** "Can I use financial aid?" */
export function financialAidAnswer(institution: Answers): string {
  return institution.financial_aid_answer.trim() || defaultAnswers.financialAid;
}

/** The institution's fee policy, or null when it has none to add to the fee's own line. */
export function feePolicy(institution: Answers): string | null {
  return institution.fee_policy.trim() || null;
}

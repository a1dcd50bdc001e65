/**
 * The answers every program page gives to the questions learners ask most, in the institution's words when an
 * administrator has written them, otherwise in the built-in wording below (which the profile screen shows too).
 */
import type { Institution } from '../platform/db/schema.ts';
import type { CreditType } from '../programs/program-vocabulary.ts';

/** The built-in answers, used while the institution's own are empty. */
export const defaultAnswers = {
  // As the product does it: the registrar's export adds a notation for every for-credit badge (with its credits
  // and the term the work was finished in) and withdraws it if the badge is revoked; a non-credit badge has none.
  transcriptCredit:
    'Yes. When your badge is issued, the registrar adds a line to your transcript naming this micro-credential, with its credits and the term in which you finished it. The courses you took are on your transcript as usual. Should the badge ever be revoked, that line is taken off again.',
  transcriptNonCredit:
    'No, not the micro-credential itself: it is non-credit, so your digital badge is the record of it and no line is added to your transcript. Any course you take for credit is on your transcript as usual.',
  transcriptHybrid:
    'That depends on the group you join. In the for-credit group, the registrar adds a line naming this micro-credential, with its credits and the term in which you finished it, to your transcript when your badge is issued. In the non-credit group, your digital badge is the only record of it. Either way, any course you take for credit is on your transcript as usual.',
  financialAid:
    'Aid can pay for courses that also count toward the degree you are enrolled in. Learners who are not seeking a degree cannot receive financial aid for these courses.',
} as const;

type Answers = Pick<Institution, 'transcript_answer' | 'financial_aid_answer' | 'fee_policy'>;

/**
 * "How do I apply?": the admissions page the institution set, or null while it has none, when pages say whom to
 * ask instead (never a guessed address).
 */
export function admissionsPage(institution: Pick<Institution, 'admissions_url'>): string | null {
  return institution.admissions_url.trim() || null;
}

/** "Will it appear on my transcript?" for a program of the given credit type. */
export function transcriptAnswer(institution: Answers, creditType: CreditType): string {
  const own = institution.transcript_answer.trim();
  if (own) return own;
  if (creditType === 'non_credit') return defaultAnswers.transcriptNonCredit;
  return creditType === 'hybrid' ? defaultAnswers.transcriptHybrid : defaultAnswers.transcriptCredit;
}

/** "Can I use financial aid?" */
export function financialAidAnswer(institution: Answers): string {
  return institution.financial_aid_answer.trim() || defaultAnswers.financialAid;
}

/** The institution's fee policy, or null when it has none to add to the fee's own line. */
export function feePolicy(institution: Answers): string | null {
  return institution.fee_policy.trim() || null;
}

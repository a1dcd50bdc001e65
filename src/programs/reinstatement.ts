/**
 * When a retired program may be reinstated: until a learner has been affected by the retirement.
 *
 * "Affected" means: a learner who was in progress when the program was retired has withdrawn from it since.
 * They may have left because we said the program was ending, and reinstating it would not give them back what
 * they gave up, so from then on the program has to be proposed again instead. Other learners lose nothing to
 * a reinstatement: those in progress carry on (a retired program stays issuable for them), and anyone who was
 * refused enrolment while it was retired can simply enrol again once it is reinstated.
 */

/** Why a retirement may no longer be undone, or undefined while it may (see the module comment). */
export function reinstateRefusal(retirement: { withdrawnSince: number }): string | undefined {
  if (retirement.withdrawnSince === 0) return undefined;
  const who =
    retirement.withdrawnSince === 1 ? 'A learner has' : `${retirement.withdrawnSince} learners have`;
  return `${who} withdrawn since the retirement was announced, so it can no longer be undone; propose the program again instead`;
}

/**
 * Why a single sign-on did not sign someone in, and what they are told. The reason goes to the audit log; the
 * message is for the person, says what happened in plain words and what to do, and never echoes the provider's
 * raw answer.
 */
import type { AccountMatch } from './account-match.ts';
import type { OidcFailure } from './oidc-adapter.ts';
import type { SamlFailure } from './saml-adapter.ts';

export type SsoFailureReason =
  | OidcFailure
  | SamlFailure
  | Extract<AccountMatch, { kind: 'refuse' }>['reason']
  | 'no_sign_in_in_progress'
  | 'sign_in_expired_or_used'
  | 'provider_disabled'
  | 'subject_missing'
  | 'student_id_conflict'
  | 'test_started_by_someone_else'
  | 'email_proof_invalid'
  | 'email_proof_other_browser';

const START_AGAIN = 'Start again from the sign-in page.';
const UNVERIFIABLE =
  "The university's sign-in service sent an answer that could not be verified, so you were not signed in. " +
  'Try again; if it keeps happening, tell the IT service desk.';

/** What the person reads for each reason. */
export const failureMessages: Readonly<Record<SsoFailureReason, string>> = {
  no_sign_in_in_progress: `No sign-in was started in this browser, so this answer was refused. ${START_AGAIN}`,
  sign_in_expired_or_used: `This sign-in has expired or was already used. ${START_AGAIN}`,
  wrong_state: `The answer did not belong to the sign-in started in this browser, so it was refused. ${START_AGAIN}`,
  wrong_nonce: UNVERIFIABLE,
  id_token_signature_invalid: UNVERIFIABLE,
  id_token_invalid: UNVERIFIABLE,
  id_token_expired: `The university's sign-in service sent an answer that had already expired. ${START_AGAIN}`,
  assertion_signature_invalid: UNVERIFIABLE,
  assertion_invalid: UNVERIFIABLE,
  wrong_issuer: UNVERIFIABLE,
  wrong_audience:
    "The university's sign-in service sent an answer meant for another site, so it was refused. Tell the IT " +
    'service desk: the provider may be set up with the wrong address for this site.',
  wrong_recipient:
    "The university's sign-in service sent an answer addressed to another page, so it was refused. " +
    START_AGAIN,
  assertion_expired: `The university's sign-in service sent an answer that had already expired. ${START_AGAIN}`,
  assertion_not_yet_valid:
    "The university's sign-in service sent an answer dated in the future; its clock or this site's may be " +
    `wrong. ${START_AGAIN}`,
  unsolicited_response: `This answer was not asked for by a sign-in started in this browser, so it was refused. ${START_AGAIN}`,
  wrong_in_response_to: `The answer did not belong to the sign-in started in this browser, so it was refused. ${START_AGAIN}`,
  assertion_replayed: `This answer was already used to sign in once and cannot be used again. ${START_AGAIN}`,
  provider_refused: "The university's sign-in service did not sign you in (it was cancelled or refused).",
  provider_unreachable: "The university's sign-in service could not be reached. Try again in a few minutes.",
  provider_address_refused:
    "The university's sign-in service is set up at an address this site may not reach, so you were not signed " +
    'in. Tell the IT service desk: an administrator must allow that address (see the single sign-on guide).',
  provider_disabled: 'This way of signing in is switched off. Choose another on the sign-in page.',
  subject_missing: UNVERIFIABLE,
  account_disabled: 'Your account here is deactivated. Ask the credentials office if you need it again.',
  email_missing:
    "The university's sign-in service did not share your e-mail address, which is needed here. Ask the IT " +
    'service desk to release it to this site.',
  email_unverified_account_exists:
    "An account with your e-mail address exists here, but the university's sign-in service did not confirm " +
    'that the address is yours, so you were not signed in to it. Sign in with your password, or ask an ' +
    'administrator.',
  email_linked_to_other_identity:
    'The account with your e-mail address belongs to a different person at the university. Ask an administrator.',
  student_id_conflict:
    'Your student ID at the university does not match the learner record kept for you here, so you were not ' +
    "signed in. Ask the registrar's office to check your record.",
  test_started_by_someone_else:
    'This test sign-in was started by another administrator, so its answer is not shown here.',
  logout_invalid:
    "The university's sign-in service sent a sign-out message that could not be verified, so nothing was signed out.",
  email_proof_invalid: `This link has expired or was already used, so nothing was linked. ${START_AGAIN}`,
  email_proof_other_browser:
    'This link works only in the browser where you signed in with the university, so nothing was linked. Open ' +
    'it there, or start again from the sign-in page in this browser.',
};

/** A refused sign-in: already audited when it reaches the route. */
export class SsoFailure extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    readonly detail?: string,
    /** The account the person may prove the address of, when a mailed link can still link them. */
    readonly offerProofTo?: string,
  ) {
    super(failureMessages[reason]);
    this.name = 'SsoFailure';
  }
}

/**
 * Which queue a message waits in. Account mail (password resets, invitations and first-administrator links,
 * address checks) is what someone is waiting for at a screen, so it has its own queue and worker and never stands
 * behind a tracking list's thousands of claim mails; everything else is bulk. Pure, so the choice is tested as a
 * table and a new kind of mail is bulk unless it is listed here on purpose.
 */

/** The two queues outgoing mail waits in. */
export type MailLane = 'account' | 'bulk';

/** Kinds of mail somebody is waiting for right now, to get into (or back into) their account. */
const ACCOUNT_KINDS: ReadonlySet<string> = new Set([
  'password_reset',
  'invitation',
  'email_verification',
  'sign_up_existing',
]);

/** The queue a message of this kind goes to. */
export const laneOf = (kind: string): MailLane => (ACCOUNT_KINDS.has(kind) ? 'account' : 'bulk');

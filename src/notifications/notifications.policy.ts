/**
 * Who may read the outbox and resend what failed. Staff who answer "I never got the e-mail" (administrators and the credentials
 * office) see what was sent and what failed; one-time links inside messages are redacted for them all the same
 * (see redact-secrets.ts). The development mailbox is not a role question: it answers only the developer's own
 * machine, which its route checks. Pure, so the route's gate and the links to the outbox ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with outgoing mail: read the outbox, and send a failed message (a dead letter) again. */
export type NotificationsAction = 'read_outbox' | 'resend_mail';

/** The roles that may take each action: also the route's coarse gate. */
export const notificationsRoles: Readonly<Record<NotificationsAction, readonly Role[]>> = {
  read_outbox: ['admin', 'credentials_office'],
  // The same staff: resending puts the stored message back in the queue, and they see no more of it than before.
  resend_mail: ['admin', 'credentials_office'],
};

/** May this person take this action? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: NotificationsAction): boolean =>
  hasRole(actor, ...notificationsRoles[action]);

import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { hashToken, newToken } from '../platform/ids.ts';
import { invitationMail } from './accounts.mail.ts';
import type { AccountsRepository } from './accounts.repository.ts';

/** How long an invitation link works, and how the mail says it. */
export interface InvitationTerms {
  ttlMs: number;
  validFor: string;
}

/** Invitations from an administrator: a week to accept. */
export const STAFF_INVITATION: InvitationTerms = { ttlMs: 7 * 24 * 60 * 60 * 1000, validFor: 'seven days' };
/** A link printed on an operator's terminal should not outlive the session it was printed in by much. */
export const COMMAND_LINE_INVITATION: InvitationTerms = { ttlMs: 24 * 60 * 60 * 1000, validFor: '24 hours' };

/**
 * Issues the link that lets an invited person choose a password. Any earlier invitation link of theirs dies, so
 * only the newest one works; the link is mailed (the outbox keeps it from staff) or handed back to the caller.
 * The institution's name is read by the caller before its transaction: on the embedded database a second query
 * outside the open transaction would wait for it forever.
 */
export class Invitations {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  async issue(
    trx: Db,
    person: { id: string; email: string; name: string },
    how: { terms: InvitationTerms; inviter: string; mailAs: { institution: string } | null },
  ): Promise<{ url: string; outboxId: string | null }> {
    const now = this.clock.now();
    const token = newToken();
    await this.repository.spendTokensOf(trx, person.id, now, 'invite');
    await this.repository.insertToken(trx, {
      tokenHash: hashToken(token),
      userId: person.id,
      purpose: 'invite',
      expiresAt: new Date(now.getTime() + how.terms.ttlMs),
    });
    const url = `${this.publicUrl}/invitation?token=${token}`;
    if (!how.mailAs) return { url, outboxId: null };
    const { institution } = how.mailAs;
    const outboxId = await this.notifications.queueMail(trx, {
      ...invitationMail(person.email, person.name, url, institution, how.inviter, how.terms.validFor),
      kind: 'invitation',
    });
    return { url, outboxId };
  }
}

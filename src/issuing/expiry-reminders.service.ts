import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { EXPIRY_REMINDER_DAYS, furthestReminderDays, reminderDue } from './award-expiry.ts';
import { expiryReminderMail } from './expiry.mail.ts';
import type { ExpiringAward, RenewalsRepository } from './renewals.repository.ts';

/** The daily run that reminds learners of badges about to expire. No data: each run reads the clock. */
const noData = z.object({}).strict();
export const expiryRemindersJob: JobDefinition<z.infer<typeof noData>> = {
  name: 'awards-expiry-reminders',
  payload: noData,
  retryLimit: 3,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Reminds learners before their badges expire (issue 19, point 7), through the mail outbox. Each reminder is
 * recorded in `expiry_reminders` in the same transaction that queues its mail, and the record's key (award, days
 * before) lets only one run send it: a run repeated, retried or run in two processes at once sends nothing twice.
 */
export class ExpiryRemindersService {
  constructor(
    private readonly database: Database,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: RenewalsRepository,
    private readonly settings: { publicUrl: string; stages?: readonly number[] },
  ) {}

  /** Sends the reminders due now; returns how many were sent by this run. */
  async sendDueReminders(): Promise<number> {
    const now = this.clock.now();
    const stages = this.settings.stages ?? EXPIRY_REMINDER_DAYS;
    const horizon = new Date(now.getTime() + furthestReminderDays(stages) * DAY_MS);
    const awards = await this.repository.expiringAwards(this.database.db, now, horizon);
    let sent = 0;
    for (const award of awards) {
      const due = reminderDue(award.validUntil, now, new Set(award.sentDays), stages);
      if (due !== null && (await this.#send(award, due, now))) sent += 1;
    }
    return sent;
  }

  async #send(award: ExpiringAward, daysBefore: number, now: Date): Promise<boolean> {
    return this.database.db.transaction().execute(async (trx) => {
      const isNew = await this.repository.claimReminder(trx, {
        awardId: award.awardId,
        daysBefore,
        recipient: award.learnerEmail,
        sentAt: now,
      });
      if (!isNew) return false;
      await this.notifications.queueMail(trx, {
        ...expiryReminderMail({
          to: award.learnerEmail,
          learnerName: award.learnerName,
          programTitle: award.programTitle,
          validUntil: award.validUntil,
          daysBefore,
          backpackUrl: `${this.settings.publicUrl}/backpack#badge-${award.credentialId}`,
        }),
        kind: 'badge_expiry_reminder',
      });
      await this.audit.record(
        trx,
        { system: 'expiry reminders' },
        {
          action: 'badge.expiry_reminder_sent',
          entityType: 'issued_award',
          entityId: award.awardId,
          after: { credentialId: award.credentialId, daysBefore, validUntil: award.validUntil.toISOString() },
        },
      );
      return true;
    });
  }
}

import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { formatDay } from '../platform/http/moment.ts';
import { newId } from '../platform/ids.ts';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.ts';
import { digestMail, groupBy, weekStartOf } from './lead-digest.ts';
import { calendarDateIn, isOverdue } from './pilot-calendar.ts';
import {
  byDueDayThenTitle,
  calendarOf,
  classifyObligations,
  type DatedObligation,
  type Obligation,
  pilotObligations,
  reminderStage,
} from './pilot-obligations.ts';
import { ProgramReviewsRepository } from './program-reviews.repository.ts';
import { programMail } from './programs.mail.ts';
import { mayDo } from './programs.policy.ts';
import { toPilotProgram } from './review-periods.ts';

/**
 * The daily run: sends the reminders due today where the institution is (or on the day given). Safe to run any
 * number of times. `PilotReviewsService` schedules it with pg-boss.
 */
export const dueRemindersJob: JobDefinition<{ today?: string | undefined }> = {
  name: 'programs-due-reminders',
  payload: z.object({
    today: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  }),
  retryLimit: 3,
};

export interface PilotReviewSettings {
  publicUrl: string;
  /** When the daily reminder run starts (five-field cron). */
  remindersCron: string;
}

/**
 * Pilot years: the calendar of each pilot's yearly reviews (written through `ProgramReviewsService`), what is
 * overdue or coming up, and the reminder e-mails ahead of each due date.
 */
export class PilotReviewsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly institution: InstitutionService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly settings: PilotReviewSettings,
    /** The periodic reviews of established programs, reminded and listed with the pilots' obligations. */
    private readonly periodic: { obligations(db: Db): Promise<Obligation[]> },
    private readonly repository = new ProgramReviewsRepository(),
  ) {}

  /**
   * The reminder job's work: the day in its data (a queued run), or today where it runs (the daily schedule,
   * whose data names no day).
   */
  async runDueReminders(today: string | undefined): Promise<void> {
    const day = today ?? (await this.#localToday());
    await this.sendDueReminders(day);
    await this.sendLeadDigests(day);
  }

  /** Queues today's reminder run (once per day: the day is the job's singleton key). */
  async queueDueReminders(): Promise<void> {
    const today = await this.#localToday();
    await this.jobs.send(dueRemindersJob, { today }, undefined, { singletonKey: today });
  }

  /** Today in the institution's time zone: a review due "today" is not overdue until the day ends there. */
  async #localToday(): Promise<string> {
    return calendarDateIn(this.clock.now(), (await this.institution.display()).timeZone);
  }

  /** The pilot calendar of one program with each year's review state, or undefined when it never ran a pilot. */
  async pilotSummary(programId: string) {
    const [row] = await this.repository.pilotPrograms(this.database.db, programId);
    if (!row) throw notFound('That program');
    const calendar = calendarOf(toPilotProgram(row), await this.#startMonth());
    if (!calendar) return undefined;
    const today = await this.#localToday();
    const reviews = await this.repository.listReviews(this.database.db, 'pilot_review', programId);
    return {
      calendar,
      decisionOverdue: row.status === 'pilot' && isOverdue(calendar.decisionDueOn, today),
      years: calendar.years.map((year) => {
        const review = reviews.find((r) => r.number === year.number);
        return {
          ...year,
          submittedAt: review?.submitted_at ?? null,
          started: review !== undefined,
          overdue: !review?.submitted_at && isOverdue(year.reviewDueOn, today),
        };
      }),
    };
  }

  /** For a program lead: what is overdue on the programs they lead, and what falls due within `windowDays`. */
  async dueForLead(actor: Actor, windowDays = 30) {
    const today = await this.#localToday();
    const own = (await this.#obligations(this.database.db)).filter((o) => o.leadUserId === actor.id);
    return { today, ...classifyObligations(own, today, windowDays) };
  }

  /** For the credentials office: what is overdue and what falls due within `windowDays`. */
  async dueDashboard(actor: Actor, day?: string, windowDays = 30) {
    if (!mayDo(actor, 'oversee_reviews')) throw forbidden();
    const today = day ?? (await this.#localToday());
    return { today, ...classifyObligations(await this.#obligations(this.database.db), today, windowDays) };
  }

  /**
   * Pilot decisions falling due within `windowDays` (or overdue), for overviews whose own policy decides who sees
   * them (the institution overview shows approvers what they will soon be asked to decide).
   */
  async decisionsDue(windowDays: number): Promise<{ today: string; due: DatedObligation[] }> {
    const today = await this.#localToday();
    const { overdue, dueSoon } = classifyObligations(
      await this.#obligations(this.database.db),
      today,
      windowDays,
    );
    const due = [...overdue, ...dueSoon].filter((o) => o.kind === 'pilot_decision');
    return { today, due: due.sort((a, b) => a.dueOn.localeCompare(b.dueOn)) };
  }

  /**
   * Sends the reminders due on `today`: 30, 7 and 1 day before each review or decision is due, and once when
   * it becomes overdue. Each reminder is claimed in the reminders log first, in the same transaction as its
   * e-mail, so running this again (or twice at once) never sends one twice. Returns how many were sent.
   */
  async sendDueReminders(today: string): Promise<number> {
    const obligations = await this.#obligations(this.database.db);
    let sent = 0;
    for (const obligation of obligations) {
      const stage = reminderStage(obligation.dueOn, today);
      if (!stage || !obligation.leadEmail) continue;
      const claimed = await this.database.db.transaction().execute(async (trx) => {
        const isNew = await this.repository.claimReminder(trx, {
          id: newId(),
          kind: obligation.kind,
          subjectId: obligation.subjectId,
          dueOn: obligation.dueOn,
          stage,
          recipient: obligation.leadEmail!,
        });
        if (!isNew) return false;
        await this.notifications.queueMail(trx, {
          ...this.#reminderMail(obligation, stage),
          kind: 'program_reminder',
        });
        await this.audit.record(
          trx,
          { system: 'due reminders' },
          {
            action: 'program.reminder_sent',
            entityType: 'program',
            entityId: obligation.programId,
            after: { kind: obligation.kind, year: obligation.year, dueOn: obligation.dueOn, stage },
          },
        );
        return true;
      });
      if (claimed) sent += 1;
    }
    return sent;
  }

  /**
   * Once a week, one e-mail to each lead with something overdue: every review and decision overdue on their
   * programs, and what falls due within 30 days. The week (from its Monday) is claimed in the reminders log in
   * the same transaction as the mail, so a second run that week, or two at once, sends nothing more.
   * Returns how many digests were sent.
   */
  async sendLeadDigests(today: string): Promise<number> {
    const { overdue, dueSoon } = classifyObligations(await this.#obligations(this.database.db), today);
    const week = weekStartOf(today);
    let sent = 0;
    for (const [leadUserId, late] of groupBy(overdue, (o) => o.leadUserId)) {
      const lead = late[0]!;
      if (!leadUserId || !lead.leadEmail) continue;
      const soon = dueSoon.filter((o) => o.leadUserId === leadUserId);
      const claimed = await this.database.db.transaction().execute(async (trx) => {
        const isNew = await this.repository.claimReminder(trx, {
          id: newId(),
          kind: 'lead_digest',
          subjectId: leadUserId,
          dueOn: week,
          stage: 'weekly',
          recipient: lead.leadEmail!,
        });
        if (!isNew) return false;
        await this.notifications.queueMail(trx, {
          ...digestMail(late, soon, this.settings.publicUrl),
          kind: 'program_digest',
        });
        await this.audit.record(
          trx,
          { system: 'due reminders' },
          {
            action: 'program.digest_sent',
            entityType: 'user',
            entityId: leadUserId,
            after: { week, overdue: late.length, dueSoon: soon.length },
          },
        );
        return true;
      });
      if (claimed) sent += 1;
    }
    return sent;
  }

  async #obligations(db: Db): Promise<Obligation[]> {
    const rows = await this.repository.pilotPrograms(db);
    const pilots = pilotObligations(rows.map(toPilotProgram), await this.#startMonth());
    const periodic = await this.periodic.obligations(db);
    return [...pilots, ...periodic].sort(byDueDayThenTitle);
  }

  async #startMonth(): Promise<number> {
    return (await this.institution.get()).academic_year_start_month;
  }

  #reminderMail(obligation: Obligation, stage: string) {
    const when =
      stage === 'overdue'
        ? `was due on ${formatDay(obligation.dueOn)} and is now overdue`
        : `is due on ${formatDay(obligation.dueOn)} (${stage.replace(/^in_/, 'in ').replaceAll('_', ' ')})`;
    const isReview = obligation.kind !== 'pilot_decision';
    const url = `${this.settings.publicUrl}${obligation.path}`;
    const what = obligation.kind === 'periodic_review' ? 'program' : 'pilot';
    return programMail({
      to: { name: obligation.leadName ?? 'program lead', email: obligation.leadEmail! },
      subject: `${stage === 'overdue' ? 'Overdue' : 'Reminder'}: ${obligation.label} for ${obligation.title}`,
      lines: [
        `The ${obligation.label.toLowerCase()} for the ${obligation.title} ${what} ${when}.`,
        isReview
          ? 'The review form is already filled in with the period’s enrolment figures; add your narrative and submit it.'
          : 'Submit the full proposal to make the program permanent, or retire it, from the program page.',
      ],
      action: { label: isReview ? 'Open the review' : 'Open the program', url },
    });
  }
}

import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.ts';
import { digestMail, groupBy, weekStartOf } from './lead-digest.ts';
import { calendarDateIn, isOverdue } from './pilot-calendar.ts';
import {
  calendarOf,
  classifyObligations,
  type DatedObligation,
  type Obligation,
  type PilotProgram,
  pilotObligations,
  reminderStage,
} from './pilot-obligations.ts';
import { PilotReviewsRepository, type ReviewFigures } from './pilot-reviews.repository.ts';
import { isUnderPilot } from './program-vocabulary.ts';
import { programMail } from './programs.mail.ts';
import { mayDo, seesEveryProgram } from './programs.policy.ts';

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

/** The narrative questions of a review, in the order the form asks them. */
export const reviewQuestions = [
  { name: 'highlights', label: 'What went well this year', required: true },
  { name: 'challenges', label: 'What was difficult, and why', required: true },
  { name: 'learner_feedback', label: 'What learners and partners said', required: false },
  { name: 'changes_planned', label: 'Changes planned for next year', required: true },
] as const;

export type ReviewAnswers = Record<(typeof reviewQuestions)[number]['name'], string>;

const toPilotProgram = (
  row: Awaited<ReturnType<PilotReviewsRepository['pilotPrograms']>>[number],
): PilotProgram => ({
  id: row.id,
  title: row.title,
  status: row.status,
  leadUserId: row.lead_user_id,
  leadName: row.lead_name,
  leadEmail: row.lead_email,
  startedOn: row.pilot_started_on,
  startYear: row.pilot_start_year,
  submittedYears: row.submitted_years.map(Number),
});

export interface PilotReviewSettings {
  publicUrl: string;
  /** When the daily reminder run starts (five-field cron). */
  remindersCron: string;
}

/**
 * Pilot years: the yearly review (pre-filled from enrolment data), what is overdue or coming up, and the
 * reminder e-mails ahead of each due date.
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
    private readonly repository = new PilotReviewsRepository(),
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
    const reviews = await this.repository.listReviews(this.database.db, programId);
    return {
      calendar,
      decisionOverdue: row.status === 'pilot' && isOverdue(calendar.decisionDueOn, today),
      years: calendar.years.map((year) => {
        const review = reviews.find((r) => r.year_number === year.number);
        return {
          ...year,
          submittedAt: review?.submitted_at ?? null,
          started: review !== undefined,
          overdue: !review?.submitted_at && isOverdue(year.reviewDueOn, today),
        };
      }),
    };
  }

  /** The review form of one pilot year: the stored answers, and figures (live until the review is submitted). */
  async reviewPage(actor: Actor, programId: string, year: number) {
    const db = this.database.db;
    const { row, pilotYear } = await this.#pilotYear(db, actor, programId, year, await this.#startMonth());
    const review = await this.repository.findReview(db, programId, year);
    const figures = (review?.submitted_at ? review.figures : undefined) as ReviewFigures | undefined;
    const today = await this.#localToday();
    return {
      program: { id: row.id, title: row.title, status: row.status, leadName: row.lead_name },
      year: pilotYear,
      figures:
        figures ?? (await this.repository.figures(db, programId, pilotYear.startsOn, pilotYear.endsOn)),
      answers: {
        highlights: review?.highlights ?? '',
        challenges: review?.challenges ?? '',
        learner_feedback: review?.learner_feedback ?? '',
        changes_planned: review?.changes_planned ?? '',
      } satisfies ReviewAnswers,
      submittedAt: review?.submitted_at ?? null,
      submittedBy: review?.submitted_by_name ?? null,
      overdue: !review?.submitted_at && isOverdue(pilotYear.reviewDueOn, today),
      canEdit: row.lead_user_id === actor.id && !review?.submitted_at && isUnderPilot(row.status),
    };
  }

  /**
   * Saves the lead's answers; with `submit`, checks the required answers, freezes the figures and marks the
   * review submitted. A submitted review does not change again.
   */
  async saveReview(
    actor: Actor,
    programId: string,
    year: number,
    answers: Partial<ReviewAnswers>,
    submit: boolean,
  ): Promise<void> {
    const clean = Object.fromEntries(
      reviewQuestions.map((q) => [q.name, (answers[q.name] ?? '').trim()]),
    ) as ReviewAnswers;
    const problems: FieldProblem[] = [];
    for (const question of reviewQuestions) {
      if (clean[question.name].length > 10_000) {
        problems.push({ field: question.name, reason: 'must be at most 10000 characters' });
      } else if (submit && question.required && clean[question.name] === '') {
        problems.push({ field: question.name, reason: 'is required to submit the review' });
      }
    }
    if (problems.length > 0) throw invalid(problems);
    const now = this.clock.now();
    const startMonth = await this.#startMonth();
    // Read before the transaction: on PGlite a second handle would wait for the transaction's lock.
    const { timeZone } = await this.institution.display();
    await this.database.db.transaction().execute(async (trx) => {
      const { row, pilotYear } = await this.#pilotYear(trx, actor, programId, year, startMonth);
      if (row.lead_user_id !== actor.id) throw forbidden('Only the program lead completes the pilot review.');
      if (!isUnderPilot(row.status)) {
        throw invalidState('Reviews are written only while the program runs as a pilot');
      }
      const existing = await this.repository.findReview(trx, programId, year);
      if (existing?.submitted_at) throw invalidState('This review was already submitted');
      if (submit && calendarDateIn(now, timeZone) < pilotYear.startsOn) {
        throw invalidState(
          `Year ${year} of the pilot starts on ${pilotYear.startsOn}; it can be reviewed from then`,
        );
      }
      await this.repository.saveReview(trx, {
        id: newId(),
        programId,
        year,
        academicYear: pilotYear.academicYear,
        dueOn: pilotYear.reviewDueOn,
        figures: submit
          ? await this.repository.figures(trx, programId, pilotYear.startsOn, pilotYear.endsOn)
          : {},
        highlights: clean.highlights,
        challenges: clean.challenges,
        learnerFeedback: clean.learner_feedback,
        changesPlanned: clean.changes_planned,
        by: actor.id,
        submittedAt: submit ? now : null,
      });
      await this.audit.record(trx, actor, {
        action: submit ? 'program.review_submitted' : 'program.review_saved',
        entityType: 'program',
        entityId: programId,
        after: { year, academicYear: pilotYear.academicYear },
      });
    });
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
    return [...pilots, ...periodic].sort(
      (a, b) => a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title),
    );
  }

  async #startMonth(): Promise<number> {
    return (await this.institution.get()).academic_year_start_month;
  }

  /** `startMonth` is read by the caller, before any transaction (PGlite has one connection). */
  async #pilotYear(db: Db, actor: Actor, programId: string, year: number, startMonth: number) {
    const [row] = await this.repository.pilotPrograms(db, programId);
    if (!row) throw notFound('That program');
    if (row.lead_user_id !== actor.id && !seesEveryProgram(actor)) {
      throw forbidden('This program is not one you lead or review.');
    }
    const calendar = calendarOf(toPilotProgram(row), startMonth);
    const pilotYear = calendar?.years.find((y) => y.number === year);
    if (!pilotYear) throw notFound(calendar ? 'That pilot year' : 'A pilot for this program');
    return { row, pilotYear };
  }

  #reminderMail(obligation: Obligation, stage: string) {
    const when =
      stage === 'overdue'
        ? `was due on ${obligation.dueOn} and is now overdue`
        : `is due on ${obligation.dueOn} (${stage.replace(/^in_/, 'in ').replaceAll('_', ' ')})`;
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

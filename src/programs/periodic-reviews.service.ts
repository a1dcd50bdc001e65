import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import {
  type EstablishedProgram,
  owedReviewPeriod,
  periodicObligations,
  type ReviewPeriod,
} from './periodic-review-calendar.ts';
import { PeriodicReviewsRepository } from './periodic-reviews.repository.ts';
import { calendarDateIn, isOverdue } from './pilot-calendar.ts';
import type { Obligation } from './pilot-obligations.ts';
import { PilotReviewsRepository, type ReviewFigures } from './pilot-reviews.repository.ts';
import { type ReviewAnswers, reviewQuestions } from './pilot-reviews.service.ts';
import { seesEveryProgram } from './programs.policy.ts';

/**
 * The pilot review's questions, asked of a longer period: the same names, so the same form and the same checks,
 * worded for the years since the last review.
 */
export const periodicReviewQuestions = reviewQuestions.map((question) => ({
  ...question,
  label: {
    highlights: 'What went well since the last review',
    challenges: 'What was difficult, and why',
    learner_feedback: 'What learners, employers and partners said',
    changes_planned: 'Changes planned for the next period',
  }[question.name],
}));

type EstablishedRow = Awaited<ReturnType<PeriodicReviewsRepository['establishedPrograms']>>[number];

const toEstablished = (row: EstablishedRow): EstablishedProgram => ({
  id: row.id,
  title: row.title,
  status: row.status,
  leadUserId: row.lead_user_id,
  leadName: row.lead_name,
  leadEmail: row.lead_email,
  establishedOn: row.established_on,
  lastSubmitted:
    row.last_cycle !== null && row.last_ends_on !== null
      ? { cycle: row.last_cycle, endsOn: row.last_ends_on }
      : null,
});

/**
 * Established programs are reviewed every few years (the institution's `periodic_review_years`), with the pilot
 * review's form: figures from the records for the period, then the lead's narrative.
 */
export class PeriodicReviewsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly institution: InstitutionService,
    private readonly clock: Clock,
    private readonly repository = new PeriodicReviewsRepository(),
    private readonly figures = new PilotReviewsRepository(),
  ) {}

  /** The periodic review every established program owes next. Read outside any transaction (PGlite). */
  async obligations(db: Db = this.database.db): Promise<Obligation[]> {
    const { everyYears, startMonth } = await this.#rhythm();
    const rows = await this.repository.establishedPrograms(db);
    return periodicObligations(rows.map(toEstablished), everyYears, startMonth);
  }

  /** For the program page: the review owed now and those submitted, or undefined for a program not established. */
  async summary(programId: string) {
    const db = this.database.db;
    const [row] = await this.repository.establishedPrograms(db, programId);
    if (row?.status !== 'established') return undefined;
    const { everyYears, startMonth } = await this.#rhythm();
    const program = toEstablished(row);
    const owed = owedReviewPeriod(program.establishedOn, program.lastSubmitted, everyYears, startMonth);
    const draft = await this.repository.findReview(db, programId, owed.cycle);
    return {
      everyYears,
      establishedOn: program.establishedOn,
      owed: { ...owed, started: draft !== undefined, overdue: isOverdue(owed.dueOn, await this.#today()) },
      submitted: await this.repository.submittedReviews(db, programId),
    };
  }

  /** One periodic review: the one owed now (editable by the lead), or one submitted earlier. */
  async reviewPage(actor: Actor, programId: string, cycle: number) {
    const db = this.database.db;
    const rhythm = await this.#rhythm();
    const { row, period } = await this.#period(db, actor, programId, cycle, rhythm);
    const review = await this.repository.findReview(db, programId, cycle);
    const isSubmitted = Boolean(review?.submitted_at);
    const frozen = isSubmitted ? (review?.figures as ReviewFigures) : undefined;
    return {
      program: { id: row.id, title: row.title, status: row.status, leadName: row.lead_name },
      period,
      everyYears: rhythm.everyYears,
      figures: frozen ?? (await this.figures.figures(db, programId, period.startsOn, period.endsOn)),
      answers: {
        highlights: review?.highlights ?? '',
        challenges: review?.challenges ?? '',
        learner_feedback: review?.learner_feedback ?? '',
        changes_planned: review?.changes_planned ?? '',
      } satisfies ReviewAnswers,
      submittedAt: review?.submitted_at ?? null,
      submittedBy: review?.submitted_by_name ?? null,
      overdue: !isSubmitted && isOverdue(period.dueOn, await this.#today()),
      canEdit: row.lead_user_id === actor.id && !isSubmitted && row.status === 'established',
    };
  }

  /**
   * Saves the lead's answers; with `submit`, checks the required ones, freezes the period's figures and marks the
   * review submitted, which starts the next period the day after this one ends.
   */
  async saveReview(
    actor: Actor,
    programId: string,
    cycle: number,
    answers: Partial<ReviewAnswers>,
    submit: boolean,
  ): Promise<void> {
    const clean = Object.fromEntries(
      periodicReviewQuestions.map((q) => [q.name, (answers[q.name] ?? '').trim()]),
    ) as ReviewAnswers;
    const problems: FieldProblem[] = [];
    for (const question of periodicReviewQuestions) {
      if (clean[question.name].length > 10_000) {
        problems.push({ field: question.name, reason: 'must be at most 10000 characters' });
      } else if (submit && question.required && clean[question.name] === '') {
        problems.push({ field: question.name, reason: 'is required to submit the review' });
      }
    }
    if (problems.length > 0) throw invalid(problems);
    const now = this.clock.now();
    // Read before the transaction: on PGlite a second handle would wait for the transaction's lock.
    const rhythm = await this.#rhythm();
    const today = await this.#today();
    await this.database.db.transaction().execute(async (trx) => {
      const { row, period } = await this.#period(trx, actor, programId, cycle, rhythm);
      if (row.lead_user_id !== actor.id)
        throw forbidden('Only the program lead completes the periodic review.');
      if (row.status !== 'established') {
        throw invalidState('Periodic reviews are written only while the program is established');
      }
      const existing = await this.repository.findReview(trx, programId, cycle);
      if (existing?.submitted_at) throw invalidState('This review was already submitted');
      if (submit && today < period.startsOn) {
        throw invalidState(`This review period starts on ${period.startsOn}; it can be submitted from then`);
      }
      await this.repository.saveReview(trx, {
        id: newId(),
        programId,
        cycle,
        startsOn: period.startsOn,
        endsOn: period.endsOn,
        dueOn: period.dueOn,
        figures: submit ? await this.figures.figures(trx, programId, period.startsOn, period.endsOn) : {},
        highlights: clean.highlights,
        challenges: clean.challenges,
        learnerFeedback: clean.learner_feedback,
        changesPlanned: clean.changes_planned,
        by: actor.id,
        submittedAt: submit ? now : null,
      });
      await this.audit.record(trx, actor, {
        action: submit ? 'program.periodic_review_submitted' : 'program.periodic_review_saved',
        entityType: 'program',
        entityId: programId,
        after: { cycle, from: period.startsOn, to: period.endsOn },
      });
    });
  }

  /**
   * The period of review `cycle`: the stored one once submitted, otherwise the one owed now (only the next review
   * may be written; later ones do not exist yet).
   */
  async #period(
    db: Db,
    actor: Actor,
    programId: string,
    cycle: number,
    rhythm: { everyYears: number; startMonth: number },
  ): Promise<{ row: EstablishedRow; period: ReviewPeriod }> {
    const [row] = await this.repository.establishedPrograms(db, programId);
    if (!row) throw notFound('That program');
    if (row.lead_user_id !== actor.id && !seesEveryProgram(actor)) {
      throw forbidden('This program is not one you lead or review.');
    }
    const stored = await this.repository.findReview(db, programId, cycle);
    if (stored?.submitted_at) {
      return {
        row,
        period: { cycle, startsOn: stored.starts_on, endsOn: stored.ends_on, dueOn: stored.due_on_text },
      };
    }
    const program = toEstablished(row);
    const owed = owedReviewPeriod(
      program.establishedOn,
      program.lastSubmitted,
      rhythm.everyYears,
      rhythm.startMonth,
    );
    if (row.status !== 'established' || owed.cycle !== cycle) throw notFound('That periodic review');
    return { row, period: owed };
  }

  async #rhythm() {
    const institution = await this.institution.get();
    return {
      everyYears: institution.periodic_review_years,
      startMonth: institution.academic_year_start_month,
    };
  }

  async #today(): Promise<string> {
    return calendarDateIn(this.clock.now(), (await this.institution.display()).timeZone);
  }
}

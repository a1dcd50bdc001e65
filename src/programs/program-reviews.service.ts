import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import { barChartSvg } from '../platform/charts.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { calendarDateIn, isOverdue } from './pilot-calendar.ts';
import { ProgramReviewsRepository } from './program-reviews.repository.ts';
import { seesEveryProgram } from './programs.policy.ts';
import type { FrozenFigures, ProgramFigureSheet, ProgramFiguresForPeriod } from './review-figures.ts';
import { type ReviewAnswers, type ReviewKindName, reviewKinds, reviewQuestionNames } from './review-kinds.ts';
import { type ReviewLocator, type ReviewRhythm, reviewLocators } from './review-periods.ts';

/**
 * A program's reviews, of either kind: the form pre-filled with the period's figures (the enrolment counts from
 * the records, and the program's figures and charts from the insight module), the lead's narrative, and the
 * submission that freezes the figures into the review for good.
 */
export class ProgramReviewsService {
  readonly #locate: Record<ReviewKindName, ReviewLocator>;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly institution: InstitutionService,
    private readonly clock: Clock,
    /** The insight module's figures for a period, handed over in `app.ts`. */
    private readonly programFigures: ProgramFiguresForPeriod,
    private readonly repository = new ProgramReviewsRepository(),
  ) {
    this.#locate = reviewLocators(repository);
  }

  /**
   * One review: its period, its figures (live until it is submitted, then as they stood), the answers, and what
   * the person may do with it.
   */
  async reviewPage(actor: Actor, kind: ReviewKindName, programId: string, number: number) {
    const db = this.database.db;
    const { rhythm, today } = await this.#settings();
    const { program, period, isOpen } = await this.#located(db, actor, kind, programId, number, rhythm);
    const review = await this.repository.findReview(db, kind, programId, number);
    const isSubmitted = Boolean(review?.submitted_at);
    const frozen = isSubmitted ? (review?.figures as FrozenFigures) : undefined;
    const range = { from: period.startsOn, to: period.endsOn };
    const [records, sheet] = await Promise.all([
      frozen ? frozen.records : this.repository.recordFigures(db, programId, range.from, range.to),
      frozen ? frozen.program : this.programFigures(programId, range),
    ]);
    return {
      kind: reviewKinds[kind],
      program: { id: program.id, title: program.title, status: program.status, leadName: program.leadName },
      period,
      figures: records ?? null,
      programFigures: sheet ? { ...sheet, svgs: await drawCharts(sheet) } : null,
      answers: Object.fromEntries(
        reviewQuestionNames.map((name) => [name, review?.[name] ?? '']),
      ) as ReviewAnswers,
      submittedAt: review?.submitted_at ?? null,
      submittedBy: review?.submitted_by_name ?? null,
      overdue: !isSubmitted && isOverdue(period.dueOn, today),
      canEdit: program.leadUserId === actor.id && !isSubmitted && isOpen,
    };
  }

  /**
   * Saves the lead's answers; with `submit`, checks the required ones, freezes the period's figures and charts
   * into the review and marks it submitted. A submitted review does not change again.
   */
  async saveReview(
    actor: Actor,
    kind: ReviewKindName,
    programId: string,
    number: number,
    answers: Partial<ReviewAnswers>,
    submit: boolean,
  ): Promise<void> {
    const words = reviewKinds[kind];
    const clean = Object.fromEntries(
      reviewQuestionNames.map((name) => [name, (answers[name] ?? '').trim()]),
    ) as ReviewAnswers;
    const problems: FieldProblem[] = [];
    for (const question of words.questions) {
      if (clean[question.name].length > 10_000) {
        problems.push({ field: question.name, reason: 'must be at most 10000 characters' });
      } else if (submit && question.required && clean[question.name] === '') {
        problems.push({ field: question.name, reason: 'is required to submit the review' });
      }
    }
    if (problems.length > 0) throw invalid(problems);
    const now = this.clock.now();
    // Read before the transaction: on PGlite a second handle would wait for the transaction's lock.
    const { rhythm, today } = await this.#settings();
    const before = await this.#located(this.database.db, actor, kind, programId, number, rhythm);
    // The insight module reads through its own handle, so its figures are taken first; the review keeps them.
    const sheet = submit
      ? await this.programFigures(programId, { from: before.period.startsOn, to: before.period.endsOn })
      : undefined;
    await this.database.db.transaction().execute(async (trx) => {
      const { program, period, isOpen } = await this.#located(trx, actor, kind, programId, number, rhythm);
      if (program.leadUserId !== actor.id) {
        throw forbidden(`Only the program lead completes the ${words.noun}.`);
      }
      if (!isOpen) throw invalidState(words.closedMessage);
      const existing = await this.repository.findReview(trx, kind, programId, number);
      if (existing?.submitted_at) throw invalidState('This review was already submitted');
      if (submit && today < period.startsOn) {
        throw invalidState(words.tooEarlyMessage(number, period.startsOn));
      }
      const figures: FrozenFigures = sheet
        ? {
            records: await this.repository.recordFigures(trx, programId, period.startsOn, period.endsOn),
            program: sheet,
          }
        : {};
      await this.repository.saveReview(trx, {
        id: newId(),
        kind,
        programId,
        number,
        academicYear: period.academicYear,
        startsOn: kind === 'periodic_review' ? period.startsOn : null,
        endsOn: kind === 'periodic_review' ? period.endsOn : null,
        dueOn: period.dueOn,
        figures,
        answers: clean,
        by: actor.id,
        submittedAt: submit ? now : null,
      });
      await this.audit.record(trx, actor, {
        action: submit ? words.audit.submitted : words.audit.saved,
        entityType: 'program',
        entityId: programId,
        after:
          kind === 'pilot_review'
            ? { year: number, academicYear: period.academicYear }
            : { cycle: number, from: period.startsOn, to: period.endsOn },
      });
    });
  }

  /** Where the review is, refused to anyone who neither leads the program nor sees every program. */
  async #located(
    db: Db,
    actor: Actor,
    kind: ReviewKindName,
    programId: string,
    number: number,
    rhythm: ReviewRhythm,
  ) {
    const located = await this.#locate[kind](db, programId, number, rhythm);
    if (located.program.leadUserId !== actor.id && !seesEveryProgram(actor)) {
      throw forbidden('This program is not one you lead or review.');
    }
    return located;
  }

  async #settings(): Promise<{ rhythm: ReviewRhythm; today: string }> {
    const institution = await this.institution.get();
    return {
      rhythm: {
        startMonth: institution.academic_year_start_month,
        everyYears: institution.periodic_review_years,
      },
      today: calendarDateIn(this.clock.now(), this.institution.displayOf(institution).timeZone),
    };
  }
}

/** The sheet's charts as SVG, in its order: drawn again from the kept data each time the review is shown. */
function drawCharts(sheet: ProgramFigureSheet): Promise<string[]> {
  return Promise.all(sheet.charts.map((chart) => barChartSvg(chart)));
}

export type ReviewPage = Awaited<ReturnType<ProgramReviewsService['reviewPage']>>;

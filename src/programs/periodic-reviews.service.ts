import type { InstitutionService } from '../institution/institution.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { owedReviewPeriod, periodicObligations } from './periodic-review-calendar.ts';
import { calendarDateIn, isOverdue } from './pilot-calendar.ts';
import type { Obligation } from './pilot-obligations.ts';
import { ProgramReviewsRepository } from './program-reviews.repository.ts';
import { toEstablished } from './review-periods.ts';

/**
 * Established programs are reviewed every few years (the institution's `periodic_review_years`), with the pilot
 * review's form (`ProgramReviewsService`): this service knows which review each program owes and when.
 */
export class PeriodicReviewsService {
  constructor(
    private readonly database: Database,
    private readonly institution: InstitutionService,
    private readonly clock: Clock,
    private readonly repository = new ProgramReviewsRepository(),
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
    const draft = await this.repository.findReview(db, 'periodic_review', programId, owed.cycle);
    return {
      everyYears,
      establishedOn: program.establishedOn,
      owed: { ...owed, started: draft !== undefined, overdue: isOverdue(owed.dueOn, await this.#today()) },
      submitted: await this.repository.listReviews(db, 'periodic_review', programId, true),
    };
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

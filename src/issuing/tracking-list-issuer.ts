/**
 * How a committed tracking list's ready rows become awards: a chunk at a time, set-wise (AwardIssuer.issueMany),
 * or one row at a time where a row needs its own outcome. Runs inside the transaction the job opens per chunk
 * (tracking-lists.service.ts, processList).
 */
import type { AuditActor } from '../audit/audit.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, invalidState } from '../platform/errors.ts';
import { type AwardIssuer, type AwardOrder, isDuplicateAward, isRowRefusal } from './award-issuer.ts';
import {
  type IssuingLearner,
  type IssuingProgram,
  type IssuingRepository,
  pairKey,
} from './issuing.repository.ts';
import type { ReadyRow, TrackingListsRepository, TrackingListView } from './tracking-lists.repository.ts';

/**
 * Rows issued per transaction. Large enough that set-wise writes and one signing pass per chunk pay off
 * (10,000 rows in seconds), small enough that a crash loses little, the progress bar moves every fraction
 * of a second and a chunk's memory stays small.
 */
export const ISSUE_BATCH_SIZE = 250;

/** What issuing a row needs to know about its list. */
export type ListFacts = Pick<TrackingListView, 'office' | 'creditMode' | 'fileName'>;

/** The award a ready row asks for: its learner's badge, from the list's office, for the row's completion day. */
function orderFor(
  list: ListFacts,
  row: ReadyRow,
  learner: IssuingLearner,
  program: IssuingProgram,
): AwardOrder {
  return {
    learner,
    program,
    office: list.office,
    creditMode: list.creditMode,
    source: { kind: 'tracking_list', rowId: row.id },
    term: row.term || null,
    completionDate: row.completionDate,
    ...(row.feeWaived
      ? { feeWaiverReason: row.notes || `Waived on the tracking list ${list.fileName}` }
      : {}),
  };
}

export class TrackingListIssuer {
  constructor(
    private readonly issuer: AwardIssuer,
    private readonly clock: Clock,
    private readonly repository: TrackingListsRepository,
    private readonly issuing: IssuingRepository,
  ) {}

  /**
   * Issues one chunk of ready rows. Rows that will surely not issue cleanly (an award exists already, the
   * learner or program is gone) go one by one straight away; the rest are issued together under a savepoint.
   * Should one of those be refused after all (a request issued it meanwhile, a credential the service will
   * not sign), the savepoint undoes the whole set and each row is issued on its own, so the one refusal
   * lands on its own row.
   */
  async issueChunk(trx: Db, actor: AuditActor, list: ListFacts, rows: readonly ReadyRow[]): Promise<void> {
    if (rows.length === 0) return;
    const [learners, programs, awards] = await Promise.all([
      this.issuing.learnersByIds(trx, [...new Set(rows.map((row) => row.learnerId))]),
      this.issuing.programsByIds(trx, [...new Set(rows.map((row) => row.programId))]),
      this.issuing.awardsFor(trx, rows),
    ]);
    const learnerById = new Map(learners.map((learner) => [learner.id, learner]));
    const programById = new Map(programs.map((program) => [program.id, program]));
    const together: { row: ReadyRow; order: AwardOrder }[] = [];
    const alone: ReadyRow[] = [];
    for (const row of rows) {
      const learner = learnerById.get(row.learnerId);
      const program = programById.get(row.programId);
      if (learner && program && !awards.has(pairKey(row.learnerId, row.programId))) {
        together.push({ row, order: orderFor(list, row, learner, program) });
      } else alone.push(row);
    }
    if (together.length > 0) {
      const savepoint = 'tracking_chunk';
      await this.issuing.savepoint(trx, savepoint);
      try {
        const issued = await this.issuer.issueMany(
          trx,
          actor,
          together.map((item) => item.order),
        );
        const finished = await this.repository.finishRowsIssued(
          trx,
          together.map((item, index) => ({ rowId: item.row.id, credentialId: issued[index]!.credentialId })),
          this.clock.now(),
        );
        // The rows are locked by this transaction; anything else is a bug, and must not loop the job.
        if (finished !== together.length) {
          throw new Error(`Only ${finished} of ${together.length} issued rows could be marked issued.`);
        }
        await this.issuing.releaseSavepoint(trx, savepoint);
      } catch (error) {
        if (!isDuplicateAward(error) && !isRowRefusal(error)) throw error;
        await this.issuing.rollbackToSavepoint(trx, savepoint);
        alone.push(...together.map((item) => item.row));
        alone.sort((a, b) => a.line - b.line);
      }
    }
    for (const row of alone) await this.issueRow(trx, actor, list, row);
  }

  /** Issues one row on its own, under a savepoint: issued, or marked failed (refused) or skipped (issued elsewhere). */
  async issueRow(trx: Db, actor: AuditActor, list: ListFacts, row: ReadyRow): Promise<void> {
    const savepoint = 'tracking_row';
    await this.issuing.savepoint(trx, savepoint);
    try {
      const [learner] = await this.issuing.learnersByIds(trx, [row.learnerId]);
      const [program] = await this.issuing.programsByIds(trx, [row.programId]);
      if (!learner || !program) throw invalidState('The learner or the program is no longer on record.');
      const issued = await this.issuer.issue(trx, actor, orderFor(list, row, learner, program));
      await this.repository.finishRow(trx, row.id, {
        status: 'issued',
        reason: null,
        credentialId: issued.credentialId,
        at: this.clock.now(),
      });
      await this.issuing.releaseSavepoint(trx, savepoint);
    } catch (error) {
      const duplicate = isDuplicateAward(error);
      if (!duplicate && !isRowRefusal(error)) throw error;
      await this.issuing.rollbackToSavepoint(trx, savepoint);
      const skipped = duplicate || (error instanceof AppError && error.code === 'CONFLICT');
      await this.repository.finishRow(trx, row.id, {
        status: skipped ? 'skipped' : 'failed',
        reason: skipped
          ? 'Already issued by another list or request before this row was reached.'
          : (error as AppError).publicMessage,
        credentialId: null,
        at: this.clock.now(),
      });
    }
  }
}

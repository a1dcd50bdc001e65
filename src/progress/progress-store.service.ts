import { importedLearnerIds } from '../learners/learners.queries.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import {
  type EnrolmentProgress,
  LearnerEvidence,
  measureProgress,
  type ProgressState,
  readProgramRule,
} from './enrolment-progress.ts';
import { ProgressRepository } from './progress.repository.ts';
import {
  type EnrolmentToMeasure,
  ProgressStoreRepository,
  type StoredProgress,
} from './progress-store.repository.ts';

/** What the staff pages, the export and the stall figures show of one enrolment's progress. */
export type ProgressSummary = Pick<
  EnrolmentProgress,
  'status' | 'met' | 'percent' | 'explanation' | 'missing' | 'creditsEarned' | 'lastActivityOn'
>;

/** Learners measured per pass: one evidence load, one write. */
const CHUNK = 2000;

/**
 * Requirement progress kept per enrolment, so a program's page reads rows instead of evaluating its whole cohort.
 *
 * When a row is written: by the change itself, in its transaction, for the learners it touched (a completions
 * import, a sign-off, a substitution); in a background job for a program whose rule changed; and by the daily
 * job, since a verdict depends on the day (a grade counts from its term's end, a time limit runs out, a learner
 * with no recent work stalls).
 *
 * Readers never show a stale verdict: a row answers only for the day, rule and enrolment day it was worked out
 * with, and a reader works out live whatever does not (a new enrolment, yesterday's rows before the daily job, a
 * rule change before its job). Readers do not write: only the writers above do, under the learners' locks, so a
 * reader racing a writer can never put an older verdict back.
 */
export class ProgressStore {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly repository = new ProgressStoreRepository(),
    private readonly records = new ProgressRepository(),
  ) {}

  today(): string {
    return isoDate(this.clock.now());
  }

  /** Works out again every counting enrolment of these learners, in the caller's transaction. */
  async refreshLearners(trx: Db, learnerIds: readonly string[]): Promise<number> {
    const ids = [...new Set(learnerIds)].sort();
    await this.repository.lockLearners(trx, ids);
    let written = 0;
    for (let start = 0; start < ids.length; start += CHUNK) {
      const part = ids.slice(start, start + CHUNK);
      const enrolments = await this.repository.enrolmentsToMeasure(trx, { learnerIds: part });
      written += await this.#measureAndSave(trx, enrolments);
    }
    return written;
  }

  /** After a completions import wrote its rows, in its transaction: the learners it changed. */
  async onCompletionsImported(trx: Db, { importId }: { importId: string }): Promise<void> {
    const rows = await importedLearnerIds(trx, importId).execute();
    await this.refreshLearners(
      trx,
      rows.map((row) => row.learner_id),
    );
  }

  /** Works out a whole program again (after its rule changed), a part of its learners per transaction. */
  async refreshProgram(programId: string): Promise<number> {
    const db = this.database.db;
    const learnerIds = await this.repository.learnersInProgram(db, programId);
    let written = 0;
    for (let start = 0; start < learnerIds.length; start += CHUNK) {
      const part = learnerIds.slice(start, start + CHUNK);
      written += await db.transaction().execute(async (trx) => {
        await this.repository.lockLearners(trx, part);
        const enrolments = await this.repository.enrolmentsToMeasure(trx, { programId, learnerIds: part });
        return this.#measureAndSave(trx, enrolments);
      });
    }
    return written;
  }

  /**
   * Works out every row that no longer answers for today (the daily job), a part of the learners per
   * transaction; returns how many rows were written.
   */
  async refreshStale(): Promise<number> {
    const db = this.database.db;
    const learnerIds = await this.repository.learnersWithStaleRows(db, this.today());
    let written = 0;
    for (let start = 0; start < learnerIds.length; start += CHUNK) {
      const part = learnerIds.slice(start, start + CHUNK);
      written += await db.transaction().execute((trx) => this.refreshLearners(trx, part));
    }
    return written;
  }

  /**
   * A program's counting learners in name order with their progress: the stored row where it answers for today,
   * worked out live (one evidence load for all of them) where it does not.
   */
  async programProgress(db: Db, programId: string) {
    const asOf = this.today();
    const rows = await this.repository.programRows(db, programId, asOf);
    const live = await this.#measureStale(db, programId, rows);
    return {
      asOf,
      freshlyMeasured: live.size,
      learners: rows.map((row) => ({
        enrolmentId: row.enrolmentId,
        learnerId: row.learnerId,
        name: row.name,
        email: row.email,
        studentId: row.studentId,
        enrolledOn: row.enrolledOn,
        status: row.status,
        progress:
          live.get(row.enrolmentId) ??
          ({
            status: row.storedStatus as ProgressState,
            met: row.met!,
            percent: row.percent!,
            explanation: row.explanation!,
            missing: row.missing!,
            creditsEarned: row.creditsEarned!,
            lastActivityOn: row.lastActivityOn!,
          } satisfies ProgressSummary),
      })),
    };
  }

  /**
   * Each counting learner of a program with their progress state and what they are missing, as `programProgress`
   * tells them, for counting: read without the learners' names and in no order.
   */
  async programStates(
    db: Db,
    programId: string,
  ): Promise<{ learnerId: string; status: ProgressState; missing: string[] }[]> {
    const rows = await this.repository.programStates(db, programId, this.today());
    const live = await this.#measureStale(db, programId, rows);
    return rows.map((row) => {
      const measured = live.get(row.enrolmentId);
      return measured
        ? { learnerId: row.learnerId, status: measured.status, missing: measured.missing }
        : { learnerId: row.learnerId, status: row.storedStatus as ProgressState, missing: row.missing! };
    });
  }

  /** The rows of a program's enrolments that no stored row answers for, worked out now, by enrolment. */
  async #measureStale(
    db: Db,
    programId: string,
    rows: readonly {
      enrolmentId: string;
      learnerId: string;
      enrolledOn: string;
      ruleFingerprint: string;
      storedStatus: string | null;
      stale: boolean;
    }[],
  ): Promise<Map<string, ProgressSummary>> {
    const stale = rows.filter((row) => row.stale || row.storedStatus === null);
    const live = new Map<string, ProgressSummary>();
    if (stale.length === 0) return live;
    const measured = await this.#measure(
      db,
      stale.map((row) => ({ ...row, programId, requirement: undefined })),
      programId,
    );
    for (const row of measured) live.set(row.enrolmentId, row);
    return live;
  }

  /** Stored rows as written, for checks. */
  storedRows(db: Db, enrolmentIds: readonly string[]) {
    return this.repository.storedRows(db, enrolmentIds);
  }

  async #measureAndSave(trx: Db, enrolments: readonly EnrolmentToMeasure[]): Promise<number> {
    const rows = await this.#measure(trx, enrolments);
    await this.repository.save(trx, rows);
    return rows.length;
  }

  /**
   * Measures enrolments as of today. With `programId`, the enrolments are all that program's and their rule is
   * read once from it; otherwise each carries its own.
   */
  async #measure(
    db: Db,
    enrolments: readonly (Omit<EnrolmentToMeasure, 'requirement'> & { requirement: unknown })[],
    programId?: string,
  ): Promise<StoredProgress[]> {
    if (enrolments.length === 0) return [];
    const asOf = this.today();
    const rules = new Map<string, ReturnType<typeof readProgramRule>>();
    if (programId !== undefined) {
      const [program] = await this.records.findProgramsByIds(db, [programId]);
      rules.set(programId, readProgramRule(program?.requirement ?? null));
    }
    const out: StoredProgress[] = [];
    for (let start = 0; start < enrolments.length; start += CHUNK) {
      const part = enrolments.slice(start, start + CHUNK);
      const learnerIds = [...new Set(part.map((e) => e.learnerId))];
      const evidence = new LearnerEvidence(await this.records.loadEvidence(db, { learnerIds }));
      for (const e of part) {
        let rule = rules.get(e.programId);
        if (rule === undefined) {
          rule = readProgramRule(e.requirement);
          rules.set(e.programId, rule);
        }
        const p = measureProgress(rule, evidence.recordFor(e.learnerId, e.programId), e.enrolledOn, asOf);
        out.push({
          enrolmentId: e.enrolmentId,
          learnerId: e.learnerId,
          programId: e.programId,
          status: p.status,
          met: p.met,
          percent: p.percent,
          explanation: p.explanation,
          missing: p.missing,
          creditsEarned: p.creditsEarned,
          lastActivityOn: p.lastActivityOn,
          asOf,
          ruleFingerprint: e.ruleFingerprint,
          enrolledOn: e.enrolledOn,
        });
      }
    }
    return out;
  }
}

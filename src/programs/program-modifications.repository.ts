import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { ApprovalChain } from './approval-chain.ts';
import { type ModificationState, OPEN_MODIFICATION_STATES } from './lifecycle.ts';
import type { ProgramFields } from './program-form.ts';
import { type StepDecision, stepDecisionColumns } from './step-decisions.ts';

const columns = [
  'm.id',
  'm.program_id',
  'm.base_version',
  'm.fields',
  'm.changed',
  'm.change_note',
  'm.status',
  'm.proposed_by',
  'm.chain',
  'm.return_comment',
  'm.submitted_at',
  'm.decided_at',
  'm.resulting_version',
  'm.created_at',
  'm.updated_at',
] as const;

/** SQL for proposed changes to approved programs and the decisions on them. */
export class ProgramModificationsRepository {
  /** The program's open modification (drafted or under review), if it has one. */
  findOpen(db: Db, programId: string) {
    return db
      .selectFrom('program_modifications as m')
      .leftJoin(userNames(db).as('u'), 'u.id', 'm.proposed_by')
      .select(columns)
      .select('u.name as proposed_by_name')
      .where('m.program_id', '=', programId)
      .where('m.status', 'in', [...OPEN_MODIFICATION_STATES])
      .executeTakeFirst();
  }

  /** Every change under review, with its program's title and lead and who proposed it, oldest first. */
  inReview(db: Db) {
    return db
      .selectFrom('program_modifications as m')
      .innerJoin('programs as p', 'p.id', 'm.program_id')
      .leftJoin(userNames(db).as('u'), 'u.id', 'm.proposed_by')
      .select([
        'm.id',
        'm.program_id',
        'm.changed',
        'm.proposed_by',
        'm.chain',
        'm.submitted_at',
        'm.updated_at',
      ])
      .select(['p.title', 'p.lead_user_id', 'u.name as proposed_by_name'])
      .where('m.status', '=', 'in_review')
      .orderBy('m.submitted_at')
      .execute();
  }

  /** Locks the program's open modification for the rest of the transaction. */
  lockOpen(db: Db, programId: string) {
    return db
      .selectFrom('program_modifications as m')
      .select(columns)
      .where('m.program_id', '=', programId)
      .where('m.status', 'in', [...OPEN_MODIFICATION_STATES])
      .forUpdate()
      .executeTakeFirst();
  }

  async insert(
    db: Db,
    row: {
      id: string;
      programId: string;
      baseVersion: number;
      fields: ProgramFields;
      changed: string[];
      note: string;
      proposedBy: string;
    },
  ): Promise<void> {
    await db
      .insertInto('program_modifications')
      .values({
        id: row.id,
        program_id: row.programId,
        base_version: row.baseVersion,
        fields: JSON.stringify(row.fields),
        changed: JSON.stringify(row.changed),
        change_note: row.note,
        proposed_by: row.proposedBy,
      })
      .execute();
  }

  async updateDraft(
    db: Db,
    id: string,
    row: { baseVersion: number; fields: ProgramFields; changed: string[]; note: string },
  ): Promise<void> {
    await db
      .updateTable('program_modifications')
      .set({
        base_version: row.baseVersion,
        fields: JSON.stringify(row.fields),
        changed: JSON.stringify(row.changed),
        change_note: row.note,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
  }

  async setStatus(
    db: Db,
    id: string,
    status: ModificationState,
    extra: {
      chain?: ApprovalChain;
      submittedAt?: Date;
      decidedAt?: Date;
      resultingVersion?: number;
      returnComment?: string | null;
    } = {},
  ): Promise<void> {
    await db
      .updateTable('program_modifications')
      .set({
        status,
        updated_at: sql`now()`,
        ...(extra.chain ? { chain: JSON.stringify(extra.chain) } : {}),
        ...(extra.submittedAt ? { submitted_at: extra.submittedAt } : {}),
        ...(extra.decidedAt ? { decided_at: extra.decidedAt } : {}),
        ...(extra.resultingVersion !== undefined ? { resulting_version: extra.resultingVersion } : {}),
        ...(extra.returnComment !== undefined ? { return_comment: extra.returnComment } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async insertStep(db: Db, step: StepDecision & { modificationId: string }): Promise<void> {
    await db
      .insertInto('program_modification_steps')
      .values({ modification_id: step.modificationId, ...stepDecisionColumns(step) })
      .execute();
  }

  /** The decisions on a modification that still count (a return or a resubmission clears them). */
  liveSteps(db: Db, modificationId: string) {
    return db
      .selectFrom('program_modification_steps')
      .select(['step_key', 'step_name', 'decided_by_name', 'comment', 'decided_at'])
      .where('modification_id', '=', modificationId)
      .where('decision', '=', 'approved')
      .where('cleared_at', 'is', null)
      .orderBy('decided_at')
      .execute();
  }

  async clearSteps(db: Db, modificationId: string, at: Date): Promise<void> {
    await db
      .updateTable('program_modification_steps')
      .set({ cleared_at: at })
      .where('modification_id', '=', modificationId)
      .where('cleared_at', 'is', null)
      .execute();
  }
}

export type ModificationRow = NonNullable<Awaited<ReturnType<ProgramModificationsRepository['lockOpen']>>>;

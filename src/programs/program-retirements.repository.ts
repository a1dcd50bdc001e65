import { userNames } from '../accounts/accounts.queries.ts';
import { enrolmentRows, learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';

/** SQL for retirements of programs and the learners in progress they concern. */

/** Learners enrolled in the program and still working toward it (through the learners' published pieces). */
export function learnersInProgress(db: Db, programId: string) {
  return db
    .selectFrom(enrolmentRows(db).as('e'))
    .innerJoin(learnerRows(db).as('l'), 'l.id', 'e.learner_id')
    .select(['e.id as enrolment_id', 'l.name', 'l.email'])
    .where('e.program_id', '=', programId)
    .where('e.status', '=', 'active')
    .orderBy('l.name')
    .execute();
}

export async function insertRetirement(
  db: Db,
  row: {
    id: string;
    programId: string;
    from: 'pilot' | 'established';
    reason: string;
    by: string;
    at: Date;
    enrolmentIds: string[];
  },
): Promise<void> {
  await db
    .insertInto('program_retirements')
    .values({
      id: row.id,
      program_id: row.programId,
      from_status: row.from,
      reason: row.reason,
      retired_by: row.by,
      retired_at: row.at,
      learners_told: JSON.stringify(row.enrolmentIds),
    })
    .execute();
}

/**
 * The retirement in force, with how many of the learners told of it have withdrawn since (each of those
 * enrolments was active when it was retired, so a withdrawal came afterwards).
 */
export async function retirementInForce(db: Db, programId: string) {
  const row = await db
    .selectFrom('program_retirements as r')
    .leftJoin(userNames(db).as('u'), 'u.id', 'r.retired_by')
    .select([
      'r.id',
      'r.from_status',
      'r.reason',
      'r.retired_at',
      'r.learners_told',
      'u.name as retired_by_name',
    ])
    .where('r.program_id', '=', programId)
    .where('r.reinstated_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const told = row.learners_told as string[];
  const withdrawn =
    told.length === 0
      ? 0
      : Number(
          (
            await db
              .selectFrom(enrolmentRows(db).as('e'))
              .select((eb) => eb.fn.countAll<number>().as('count'))
              .where('e.id', 'in', told)
              .where('e.status', '=', 'withdrawn')
              .executeTakeFirst()
          )?.count ?? 0,
        );
  return { ...row, learnersTold: told.length, withdrawnSince: withdrawn };
}

export async function markReinstated(db: Db, id: string, by: string, at: Date): Promise<void> {
  await db
    .updateTable('program_retirements')
    .set({ reinstated_by: by, reinstated_at: at })
    .where('id', '=', id)
    .where('reinstated_at', 'is', null)
    .execute();
}

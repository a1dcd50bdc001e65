import type { Db } from '../platform/db/database.ts';
import type { ConsultationResponse } from './programs.tables.ts';

/** SQL for the people consulted on a proposal and their responses (table `proposal_consultations`). */

export function listConsultations(db: Db, programId: string) {
  return consultationsOf(db, programId).execute();
}

/** The consultations of one program, oldest first (also read within workflow-record.repository.ts). */
export const consultationsOf = (db: Db, programId: string) =>
  db
    .selectFrom('proposal_consultations')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('created_at')
    .orderBy('id');

export type ConsultationRow = Awaited<ReturnType<typeof listConsultations>>[number];

export async function insertConsultation(
  db: Db,
  row: { id: string; programId: string; userId: string | null; name: string; email: string; topic: string },
): Promise<void> {
  await db
    .insertInto('proposal_consultations')
    .values({
      id: row.id,
      program_id: row.programId,
      consultee_user_id: row.userId,
      name: row.name,
      email: row.email,
      topic: row.topic,
    })
    .execute();
}

/** Removes a consultee not yet heard from; false when there is none (or they already responded). */
export async function deleteOpenConsultation(db: Db, programId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('proposal_consultations')
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .where('response', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function recordResponse(
  db: Db,
  id: string,
  response: {
    kind: ConsultationResponse;
    text: string;
    at: Date;
    recordedBy: { id: string; name: string };
  },
): Promise<void> {
  await db
    .updateTable('proposal_consultations')
    .set({
      response: response.kind,
      response_text: response.text,
      responded_at: response.at,
      recorded_by: response.recordedBy.id,
      recorded_by_name: response.recordedBy.name,
    })
    .where('id', '=', id)
    .execute();
}

/** Proposals waiting for this person's response, for their inbox. */
export function consultationsAwaiting(db: Db, userId: string) {
  return db
    .selectFrom('proposal_consultations as c')
    .innerJoin('programs as p', 'p.id', 'c.program_id')
    .select(['c.id', 'c.program_id', 'c.topic', 'p.title', 'c.created_at'])
    .where('c.consultee_user_id', '=', userId)
    .where('c.response', 'is', null)
    .where('p.status', '=', 'draft')
    .orderBy('c.created_at')
    .execute();
}

/** SQL of the baseline importer (see service.ts), as it was before the staging table. */
import { sql } from 'kysely';
import { userNames } from '../../../src/accounts/accounts.queries.ts';
import { courseRows } from '../../../src/catalog/catalog.queries.ts';
import type { ImportChannel, ImportOutcome } from '../../../src/learners/learners.tables.ts';
import type { Db } from '../../../src/platform/db/database.ts';

export interface CompletionKey {
  learnerId: string;
  course: string;
  term: string;
}

export interface StoredCompletion extends CompletionKey {
  id: string;
  grade: string;
  credits: number;
  completedOn: string;
}

export interface CompletionWrite extends StoredCompletion {
  source: string;
}

export interface ImportRowWrite {
  rowNumber: number;
  outcome: ImportOutcome;
  reason: string | null;
  studentId: string;
  course: string;
  term: string;
  learnerId: string | null;
  /** For a row taken before its term ended: the day its grade starts to count ('YYYY-MM-DD'). */
  countsFrom: string | null;
}

export interface ImportCounts {
  rowsTotal: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows taken (new, corrected or unchanged) whose grade counts only once their term has ended. */
  pendingTermEnd: number;
}

export interface ImportSummary extends ImportCounts {
  id: string;
  fileName: string;
  sha256: string;
  channel: ImportChannel;
  uploadedByLabel: string;
  createdAt: Date;
}

const column = <T>(rows: readonly T[], pick: (row: T) => unknown) => rows.map(pick);

/**
 * SQL for completions imports. Batches go to the database as arrays through `unnest`, so a thousand rows cost
 * one statement with a handful of parameters on either database. Lookups go through `lateral (… limit 1)`, which
 * the planner cannot flatten, so each key is one index probe: inside the import's own transaction there are no
 * statistics for the rows just written, and a plain join would hash the whole table again for every batch.
 */
export class RowBatchRepository {
  async createImport(
    db: Db,
    row: {
      id: string;
      fileName: string;
      sha256: string;
      channel: ImportChannel;
      uploadedBy: string | null;
      uploadedByLabel: string;
    },
  ): Promise<void> {
    await db
      .insertInto('completion_imports')
      .values({
        id: row.id,
        file_name: row.fileName,
        sha256: row.sha256,
        channel: row.channel,
        uploaded_by: row.uploadedBy,
        uploaded_by_label: row.uploadedByLabel,
      })
      .execute();
  }

  async finishImport(db: Db, id: string, counts: ImportCounts): Promise<void> {
    await db
      .updateTable('completion_imports')
      .set({
        rows_total: counts.rowsTotal,
        accepted: counts.accepted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected: counts.rejected,
        pending_term_end: counts.pendingTermEnd,
      })
      .where('id', '=', id)
      .execute();
  }

  /** The learners with these student IDs, whether each ID is confirmed, and the e-mail of the linked account. */
  learnersByStudentId(db: Db, studentIds: readonly string[]) {
    if (studentIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('learners as l')
      .leftJoin(userNames(db).as('u'), 'u.id', 'l.user_id')
      .select([
        'l.id',
        'l.user_id as userId',
        'l.student_id as studentId',
        'l.email',
        'l.identity_confirmed as identityConfirmed',
        'u.email as accountEmail',
      ])
      .where('l.student_id', 'in', studentIds)
      .execute();
  }

  /** Marks self-declared student IDs as confirmed by the student system. */
  async confirmIdentities(db: Db, learnerIds: readonly string[]): Promise<void> {
    if (learnerIds.length === 0) return;
    await db
      .updateTable('learners')
      .set({ identity_confirmed: true })
      .where('id', 'in', [...learnerIds])
      .execute();
  }

  async knownCourses(db: Db, codes: readonly string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows = await db
      .selectFrom(courseRows(db).as('k'))
      .select('code')
      .where('code', 'in', codes)
      .execute();
    return new Set(rows.map((r) => r.code));
  }

  async storedCompletions(db: Db, keys: readonly CompletionKey[]): Promise<StoredCompletion[]> {
    if (keys.length === 0) return [];
    const result = await sql<StoredCompletion>`
      select c.id, c.learner_id as "learnerId", c.course_code as course, c.term, c.grade, c.credits,
             c.completed_on as "completedOn"
      from unnest(${column(keys, (k) => k.learnerId)}::uuid[], ${column(keys, (k) => k.course)}::text[],
                  ${column(keys, (k) => k.term)}::text[]) as k(learner_id, course, term)
      cross join lateral (
        select * from completions c
        where c.learner_id = k.learner_id and c.course_code = k.course and c.term = k.term
        limit 1
      ) c`.execute(db);
    return result.rows;
  }

  /** Which of these keys an earlier batch of the same import already took, with the row that took it. */
  async takenInImport(
    db: Db,
    importId: string,
    keys: readonly CompletionKey[],
  ): Promise<(CompletionKey & { rowNumber: number })[]> {
    if (keys.length === 0) return [];
    const result = await sql<CompletionKey & { rowNumber: number }>`
      select r.learner_id as "learnerId", r.course, r.term, r.row_number as "rowNumber"
      from unnest(${column(keys, (k) => k.learnerId)}::uuid[], ${column(keys, (k) => k.course)}::text[],
                  ${column(keys, (k) => k.term)}::text[]) as k(learner_id, course, term)
      cross join lateral (
        select * from completion_import_rows r
        where r.import_id = ${importId} and r.outcome <> 'rejected'
          and r.learner_id = k.learner_id and r.course = k.course and r.term = k.term
        limit 1
      ) r`.execute(db);
    return result.rows;
  }

  /** Inserts new completions and overwrites corrected ones; a row identical to the stored one is left alone. */
  async upsertCompletions(db: Db, rows: readonly CompletionWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into completions (id, learner_id, course_code, term, grade, credits, completed_on, source)
      select * from unnest(${column(rows, (r) => r.id)}::uuid[], ${column(rows, (r) => r.learnerId)}::uuid[],
                           ${column(rows, (r) => r.course)}::text[], ${column(rows, (r) => r.term)}::text[],
                           ${column(rows, (r) => r.grade)}::text[], ${column(rows, (r) => r.credits)}::int[],
                           ${column(rows, (r) => r.completedOn)}::date[], ${column(rows, (r) => r.source)}::text[])
      on conflict (learner_id, course_code, term) do update
        set grade = excluded.grade, credits = excluded.credits, completed_on = excluded.completed_on,
            source = excluded.source, updated_at = now()
        where (completions.grade, completions.credits, completions.completed_on)
              is distinct from (excluded.grade, excluded.credits, excluded.completed_on)`.execute(db);
  }

  async insertImportRows(db: Db, importId: string, rows: readonly ImportRowWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into completion_import_rows
        (import_id, row_number, outcome, reason, student_id, course, term, learner_id, counts_from)
      select ${importId}::uuid, * from unnest(
        ${column(rows, (r) => r.rowNumber)}::int[], ${column(rows, (r) => r.outcome)}::text[],
        ${column(rows, (r) => r.reason)}::text[], ${column(rows, (r) => r.studentId)}::text[],
        ${column(rows, (r) => r.course)}::text[], ${column(rows, (r) => r.term)}::text[],
        ${column(rows, (r) => r.learnerId)}::uuid[], ${column(rows, (r) => r.countsFrom)}::date[])`.execute(
      db,
    );
  }
}

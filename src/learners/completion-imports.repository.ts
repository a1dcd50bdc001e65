import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { courseRows } from '../catalog/catalog.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { ImportChannel, ImportOutcome } from './learners.tables.ts';

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
export class CompletionImportsRepository {
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

  #imports(db: Db) {
    return db
      .selectFrom('completion_imports')
      .select([
        'id',
        'file_name as fileName',
        'sha256',
        'channel',
        'uploaded_by_label as uploadedByLabel',
        'rows_total as rowsTotal',
        'accepted',
        'updated',
        'unchanged',
        'rejected',
        'pending_term_end as pendingTermEnd',
        'created_at as createdAt',
      ]);
  }

  findImport(db: Db, id: string): Promise<ImportSummary | undefined> {
    return this.#imports(db).where('id', '=', id).executeTakeFirst();
  }

  /** The latest earlier import of a file with the same content, if any. */
  findEarlierImportOf(db: Db, sha256: string, before: string): Promise<ImportSummary | undefined> {
    return this.#imports(db)
      .where('sha256', '=', sha256)
      .where('id', '<>', before)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  listImports(db: Db, limit: number): Promise<ImportSummary[]> {
    return this.#imports(db).orderBy('created_at', 'desc').limit(limit).execute();
  }

  /**
   * Report rows in file order, a page at a time (keyset on the row number); `pending` keeps the rows taken
   * before their term ended.
   */
  reportRows(
    db: Db,
    importId: string,
    page: { outcome?: ImportOutcome; pending?: boolean; afterRow: number; limit: number },
  ) {
    let query = db
      .selectFrom('completion_import_rows')
      .select([
        'row_number as rowNumber',
        'outcome',
        'reason',
        'student_id as studentId',
        'course',
        'term',
        'learner_id as learnerId',
        'counts_from as countsFrom',
      ])
      .where('import_id', '=', importId)
      .where('row_number', '>', page.afterRow);
    if (page.outcome) query = query.where('outcome', '=', page.outcome);
    if (page.pending) query = query.where('counts_from', 'is not', null);
    return query.orderBy('row_number').limit(page.limit).execute();
  }

  /** Imports that mention a learner, with what each did to that learner's record. */
  importsTouching(db: Db, learnerId: string) {
    return db
      .selectFrom('completion_import_rows as r')
      .innerJoin('completion_imports as i', 'i.id', 'r.import_id')
      .select([
        'i.id',
        'i.file_name as fileName',
        'i.uploaded_by_label as uploadedByLabel',
        'i.created_at as createdAt',
        sql<number>`count(*) filter (where r.outcome = 'accepted')`.as('accepted'),
        sql<number>`count(*) filter (where r.outcome = 'updated')`.as('updated'),
        sql<number>`count(*) filter (where r.outcome = 'unchanged')`.as('unchanged'),
        sql<number>`count(*) filter (where r.outcome = 'rejected')`.as('rejected'),
      ])
      .where('r.learner_id', '=', learnerId)
      .groupBy(['i.id', 'i.file_name', 'i.uploaded_by_label', 'i.created_at'])
      .orderBy('i.created_at', 'desc')
      .limit(50)
      .execute();
  }
}

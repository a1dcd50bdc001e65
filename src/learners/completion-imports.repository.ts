import { type RawBuilder, sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { courseRows } from '../catalog/catalog.queries.ts';
import { copyIn, copyValue } from '../platform/db/copy-in.ts';
import type { Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { ImportChannel, ImportOutcome } from './learners.tables.ts';

/**
 * A file's rows after the checks each row passes or fails on its own, column by column as they go to the
 * staging table. Identity columns (student ID, course, term) are filled for every row, the rest only for good ones.
 */
export interface StagedRows {
  line: number[];
  studentId: string[];
  course: string[];
  term: string[];
  /** Why the row was rejected on its own (shape, dates, grade scale), or null when it passed. */
  problem: (string | null)[];
  grade: (string | null)[];
  credits: (number | null)[];
  completedOn: (string | null)[];
  /** The e-mail as written (for messages) and in its one comparable form (see normaliseEmail). */
  email: (string | null)[];
  emailKey: (string | null)[];
  source: (string | null)[];
  /** Whether an earlier row may have had the same student ID, course and term (false: certainly not). */
  maybeRepeat: boolean[];
}

/** One staged row, in the staging table's column order (see `StagedRows` for what each holds). */
export type StagedRow = readonly [
  line: number,
  studentId: string,
  course: string,
  term: string,
  problem: string | null,
  grade: string | null,
  credits: number | null,
  completedOn: string | null,
  email: string | null,
  emailKey: string | null,
  source: string | null,
  maybeRepeat: boolean,
];

/** A staged row as one line of COPY text, for `copyStagingRows`. A loop, not map and join: it runs per row. */
export function stagingCopyLine(row: StagedRow): string {
  let line = copyValue(row[0]);
  for (let i = 1; i < row.length; i++) line += `\t${copyValue(row[i] ?? null)}`;
  return `${line}\n`;
}

/** A stored completion a row corrects: the values before and after. */
export interface Correction {
  rowNumber: number;
  id: string;
  gradeBefore: string;
  creditsBefore: number;
  completedOnBefore: string;
  grade: string;
  credits: number;
  completedOn: string;
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

/**
 * SQL for completions imports. An import stages every row of its file in a temporary table (one COPY on
 * PostgreSQL, arrays through `unnest` on PGlite), then decides and writes all outcomes with a few set-based
 * statements inside the import's transaction, so the cost per row is a share of a hash join, not a round trip.
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

  /**
   * The import's staging table: one row per data line of the file, good or bad, private to the transaction and
   * dropped with it. No indexes: it is only ever read whole, by hash joins.
   */
  async createStaging(db: Db): Promise<void> {
    await sql`
      create temporary table completion_import_staging (
        line integer not null,
        student_id text not null,
        course text not null,
        term text not null,
        problem text,
        grade text,
        credits integer,
        completed_on date,
        email text,
        email_key text,
        source text,
        maybe_repeat boolean not null
      ) on commit drop`.execute(db);
  }

  /** Adds rows to the staging table: one statement for the whole batch, each column sent as one array. */
  async stageRows(db: Db, rows: StagedRows): Promise<void> {
    if (rows.line.length === 0) return;
    await sql`
      insert into completion_import_staging
      select * from unnest(${rows.line}::int[], ${rows.studentId}::text[], ${rows.course}::text[],
                           ${rows.term}::text[], ${rows.problem}::text[], ${rows.grade}::text[],
                           ${rows.credits}::int[], ${rows.completedOn}::date[], ${rows.email}::text[],
                           ${rows.emailKey}::text[], ${rows.source}::text[], ${rows.maybeRepeat}::boolean[])`.execute(
      db,
    );
  }

  /**
   * Adds rows to the staging table with one COPY (PostgreSQL only), streaming `chunks` of `stagingCopyLine`
   * text as the file is read: no statement per batch, no arrays to build and take apart. Returns the rows copied.
   */
  copyStagingRows(db: Db, chunks: AsyncIterable<string>): Promise<number> {
    return copyIn(
      db,
      `copy completion_import_staging (line, student_id, course, term, problem, grade, credits, completed_on,
         email, email_key, source, maybe_repeat) from stdin`,
      chunks,
    );
  }

  /**
   * Gives the planner the staging table's size and spread before the set-based steps read it: a temporary table
   * has no statistics, and taken for tiny it would be joined by nested loops.
   */
  async analyzeStaging(db: Db): Promise<void> {
    await sql`analyze completion_import_staging`.execute(db);
    // Room to sort a large file's rows by student, course and term in memory rather than in temporary files.
    await sql`set local work_mem = '64MB'`.execute(db);
  }

  /**
   * Confirms self-declared student IDs the file vouches for: a row giving the ID with the e-mail of the account
   * linked to the record, which that account holder has proven is theirs. Never the record of `uploadedBy`, the
   * member of staff who uploaded the file (null for the student system's own client): nobody vouches for a
   * student ID they typed in themselves. Returns the records confirmed.
   */
  async confirmIdentitiesFromStaging(db: Db, uploadedBy: string | null): Promise<string[]> {
    const result = await sql<{ id: string }>`
      update learners l set identity_confirmed = true
      from completion_import_staging s, (${userNames(db)}) u
      where s.problem is null and s.email_key is not null
        and l.student_id = s.student_id and not l.identity_confirmed
        and u.id = l.user_id and lower(btrim(u.email)) = s.email_key and lower(btrim(l.email)) = s.email_key
        and l.user_id is distinct from ${uploadedBy}::uuid
      returning l.id`.execute(db);
    return result.rows.map((r) => r.id);
  }

  /**
   * Decides every staged row's outcome in one statement and writes the report rows. A row is rejected for its own
   * problems, for an unknown student or course, for an e-mail that is not the record's, for an unconfirmed student
   * ID, for a record that is the uploader's own (linked to `uploader.id` or carrying `uploader.email`, trimmed and
   * lower-cased: `isOwnLearnerRecord`'s rule, since nobody imports their own grades; both null for the student
   * system's client, which is nobody's own), or as a repeat of an earlier line naming the same student, course and
   * term; otherwise it is new, corrected or unchanged against the stored completion. A taken row whose completion
   * day is after `today` counts from that day.
   *
   * Repeats are found by grouping (hashing) the keys of the rows that may repeat an earlier one (`maybe_repeat`,
   * from the `RepeatSieve` that read the file: every real repeat and a few per cent of the others, all rows of such a
   * key taken) and joining back the few repeated ones, rather than grouping every row (a million-row aggregate that
   * spilled to disk, about 1.7 of 3.9 CPU s of the deciding part) or a window over the rows sorted by key (sorted a
   * million wide rows on disk). A learner has one student ID, so the rows of one learner, course and term are
   * the rows of one staged student ID, course and term, the key the sieve hashed. Those rows are picked from the
   * staging table first and checked on their own (the same checks, `checkedRows`). Picked from the checked rows
   * instead, they were picked last: the planner expected the checks to reject nearly every row, so it checked all
   * million against learners and courses first (1.4–1.7 s of an 8.7 s statement, by `auto_explain`).
   *
   * The same statement writes one summary row per learner named (`completion_import_learners`: that learner's
   * outcomes and line numbers, what a learner's page and learner removal read instead of an index on the
   * report rows' learner, which cost a third of their insert) and returns the outcomes counted, both from the
   * report rows as written rather than read back: for a million staged rows in a scratch database, 10.7–13.2 CPU s
   * for the report rows with that index and the count after them, 8.6–11.3 s for this (docs/performance.md).
   */
  async recordOutcomes(
    db: Db,
    importId: string,
    today: string,
    uploader: { id: string | null; email: string | null },
  ): Promise<ImportCounts> {
    const checkedRows = (rows: RawBuilder<unknown>) => sql`
        select s.line, s.student_id, s.course, s.term, s.grade, s.credits, s.completed_on,
               case when s.problem is null then l.id end as learner_id,
               coalesce(s.problem, nullif(concat_ws('; ',
                 case when l.id is null then 'no learner has student ID "' || s.student_id || '"' end,
                 case when k.code is null then 'course ' || s.course || ' is not in the course list' end,
                 case when l.id is not null and s.email_key is not null and lower(l.email) <> s.email_key
                   then 'email ' || s.email || ' is not the e-mail on record for student ID ' || s.student_id end,
                 case when l.id is not null and not l.identity_confirmed
                   then 'student ID ' || s.student_id || ' is on a record whose holder typed the ID in, not '
                     || 'confirmed yet (a row giving the ID with the e-mail of that learner’s account confirms '
                     || 'it); nothing was added to that record: check who this student is' end,
                 case when l.id is not null
                   and (l.user_id = ${uploader.id}::uuid or lower(btrim(l.email)) = ${uploader.email}::text)
                   then 'student ID ' || s.student_id || ' is your own learner record: another member of staff '
                     || 'imports its grades' end
               ), '')) as problem
        from ${rows} s
        left join learners l on s.problem is null and l.student_id = s.student_id
        left join (${courseRows(db)}) k on s.problem is null and k.code = s.course`;
    const result = await sql<ImportCounts>`
      with checked as not materialized (${checkedRows(sql`completion_import_staging`)}),
      -- The rows sharing a student ID, course and term with a row the sieve marked, picked before any join.
      maybe_repeated as materialized (
        select * from completion_import_staging
        where (student_id, course, term) in
          (select m.student_id, m.course, m.term from completion_import_staging m where m.maybe_repeat)
      ),
      repeated as (
        select c.learner_id, c.course, c.term, min(c.line) as first_line
        from (${checkedRows(sql`maybe_repeated`)}) c
        where c.problem is null
        group by c.learner_id, c.course, c.term having count(*) > 1
      ),
      ranked as (
        select c.*, coalesce(d.first_line, c.line) as first_line
        from checked c
        left join repeated d
          on c.problem is null and d.learner_id = c.learner_id and d.course = c.course and d.term = c.term
      ),
      decided as (
        select r.line, r.student_id, r.course, r.term, r.learner_id, r.completed_on,
               case
                 when r.problem is not null or r.line <> r.first_line then 'rejected'
                 when stored.id is null then 'accepted'
                 when (stored.grade, stored.credits, stored.completed_on)
                      is not distinct from (r.grade, r.credits, r.completed_on) then 'unchanged'
                 else 'updated'
               end as outcome,
               coalesce(r.problem, case when r.line <> r.first_line then 'duplicate: line ' || r.first_line
                 || ' already gives this student, course and term' end) as reason
        from ranked r
        left join completions stored
          on r.problem is null and r.line = r.first_line
          and stored.learner_id = r.learner_id and stored.course_code = r.course and stored.term = r.term
      ),
      written as (
        insert into completion_import_rows
          (import_id, row_number, outcome, reason, student_id, course, term, learner_id, counts_from)
        select ${importId}::uuid, line, outcome, reason, student_id, course, term, learner_id,
               case when outcome <> 'rejected' and completed_on > ${today}::date then completed_on end
        from decided
        returning row_number, outcome, learner_id, counts_from
      ),
      -- Grouped once, with the rows of no known learner as one more group, so the rows written have one reader.
      per_learner as materialized (
        select learner_id,
               count(*) filter (where outcome = 'accepted')::int as accepted,
               count(*) filter (where outcome = 'updated')::int as updated,
               count(*) filter (where outcome = 'unchanged')::int as unchanged,
               count(*) filter (where outcome = 'rejected')::int as rejected,
               count(counts_from)::int as pending, array_agg(row_number) as row_numbers
        from written group by learner_id
      ),
      summaries as (
        insert into completion_import_learners
          (import_id, learner_id, accepted, updated, unchanged, rejected, row_numbers)
        select ${importId}::uuid, learner_id, accepted, updated, unchanged, rejected, row_numbers
        from per_learner where learner_id is not null
      )
      select coalesce(sum(accepted + updated + unchanged + rejected), 0)::int as "rowsTotal",
             coalesce(sum(accepted), 0)::int as accepted, coalesce(sum(updated), 0)::int as updated,
             coalesce(sum(unchanged), 0)::int as unchanged, coalesce(sum(rejected), 0)::int as rejected,
             coalesce(sum(pending), 0)::int as "pendingTermEnd"
      from per_learner`.execute(db);
    return result.rows[0]!;
  }

  /**
   * The corrections an import is about to make, with the stored values they replace, a page at a time in file
   * order (read before `writeCompletions`, which overwrites them).
   */
  async correctionsPage(db: Db, importId: string, afterRow: number, limit: number): Promise<Correction[]> {
    const result = await sql<Correction>`
      select r.row_number as "rowNumber", c.id, c.grade as "gradeBefore", c.credits as "creditsBefore",
             c.completed_on as "completedOnBefore", s.grade, s.credits, s.completed_on as "completedOn"
      from completion_import_rows r
      join completion_import_staging s on s.line = r.row_number
      join completions c on c.learner_id = r.learner_id and c.course_code = r.course and c.term = r.term
      where r.import_id = ${importId} and r.outcome = 'updated' and r.row_number > ${afterRow}
      order by r.row_number
      limit ${limit}`.execute(db);
    return result.rows;
  }

  /**
   * Makes the imports take turns, until the end of this transaction. Only imports write completions, so an import
   * holding this finds the stored completions it compared its rows against unchanged when it writes: the new ones
   * can be plain inserts rather than upserts, which check the unique key twice (a third of the write's time).
   */
  async lockImports(db: Db): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext('stackable.completion_imports'))`.execute(db);
  }

  /**
   * Writes the import's new and corrected completions from the staging table: one statement each. Needs
   * `lockImports` (see there).
   *
   * A new completion's id is a random prefix drawn once per import followed by the row's line number (with the
   * version and variant bits of a random UUID): unique as a random id is, but ascending in file order, so the
   * primary key grows at one place instead of at a million random ones (which dirtied most of its pages again on
   * every large import), and without `gen_random_uuid()` per row: inserting a million rows took 4.5 CPU s instead
   * of 7–8 (docs/performance.md). Completion ids are not secrets: only audit entries name them.
   *
   * The new completions go in sorted by learner, course and term, the order of the unique key, and are numbered in
   * that order: a file lists its rows student after student, so in file order each row landed on a random page of
   * that index, which outgrows the server's buffers once a few imports are stored and was read, dirtied and written
   * out again almost once per row. Sorted, each page is visited once (half the CPU of the insert, docs/performance.md).
   */
  async writeCompletions(db: Db, importId: string): Promise<void> {
    const idPrefix = newId().replaceAll('-', '').slice(0, 16);
    await sql`
      insert into completions (id, learner_id, course_code, term, grade, credits, completed_on, source)
      select (${idPrefix} || '8' || lpad(to_hex(row_number() over ()), 15, '0'))::uuid, learner_id, course, term,
             grade, credits, completed_on, source
      from (
        select r.learner_id, r.course, r.term, s.grade, s.credits, s.completed_on, coalesce(s.source, 'sis') as source
        from completion_import_rows r
        join completion_import_staging s on s.line = r.row_number
        where r.import_id = ${importId} and r.outcome = 'accepted'
        order by r.learner_id, r.course, r.term
      ) added`.execute(db);
    await sql`
      update completions c
      set grade = s.grade, credits = s.credits, completed_on = s.completed_on, source = coalesce(s.source, 'sis'),
          updated_at = now()
      from completion_import_rows r
      join completion_import_staging s on s.line = r.row_number
      where r.import_id = ${importId} and r.outcome = 'updated'
        and c.learner_id = r.learner_id and c.course_code = r.course and c.term = r.term`.execute(db);
  }

  /**
   * Gives completions kept under another spelling of a term the term's name: `names` maps a spelling, trimmed with
   * single spaces and lower-cased, to the name. Needs `lockImports`. Where the learner already has that course under
   * the name (the key allows one of each), the other spelling stays as it is; of several spellings of one course and
   * term, the latest changed moves.
   */
  async relabelTerms(db: Db, names: ReadonlyMap<string, string>): Promise<void> {
    if (names.size === 0) return;
    await sql`
      with spelling as (
        select unnest(${[...names.keys()]}::text[]) as key, unnest(${[...names.values()]}::text[]) as name),
      moving as (
        select distinct on (c.learner_id, c.course_code, v.name) c.id, v.name
        from completions c
        join spelling v on lower(regexp_replace(btrim(c.term), '[[:space:]]+', ' ', 'g')) = v.key
        where c.term <> v.name
          and not exists (
            select 1 from completions d
            where d.learner_id = c.learner_id and d.course_code = c.course_code and d.term = v.name)
        order by c.learner_id, c.course_code, v.name, c.updated_at desc)
      update completions c set term = m.name, updated_at = now()
      from moving m where c.id = m.id`.execute(db);
  }

  /**
   * Moves the completions of a term dated its old last day to its new one, and returns their learners (each once).
   * Needs `lockImports`. A file gives no date for most rows and the import dates them by the term's last day; a
   * row the student system dated that very day is the same fact, so it moves too.
   */
  async redateTerm(db: Db, term: string, from: string, to: string): Promise<string[]> {
    const { rows } = await sql<{ learner_id: string }>`
      with moved as (
        update completions set completed_on = ${to}::date, updated_at = now()
        where term = ${term} and completed_on = ${from}::date
        returning learner_id)
      select distinct learner_id from moved`.execute(db);
    return rows.map((r) => r.learner_id);
  }

  /**
   * Records the import took a row for that have no account yet but share their e-mail with one: candidates for
   * linking (whether that account's address is proven is for record linking to decide).
   */
  async unlinkedRecordsWithAccountEmail(db: Db, importId: string): Promise<string[]> {
    const result = await sql<{ id: string }>`
      select l.id from learners l
      where l.user_id is null
        and exists (select 1 from (${userNames(db)}) u where lower(u.email) = lower(l.email))
        and exists (select 1 from completion_import_learners r
                    where r.import_id = ${importId} and r.learner_id = l.id
                      and r.accepted + r.updated + r.unchanged > 0)`.execute(db);
    return result.rows.map((r) => r.id);
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

  /** Imports that mention a learner, with what each did to that learner's record (from their summary rows). */
  importsTouching(db: Db, learnerId: string) {
    return db
      .selectFrom('completion_import_learners as r')
      .innerJoin('completion_imports as i', 'i.id', 'r.import_id')
      .select([
        'i.id',
        'i.file_name as fileName',
        'i.uploaded_by_label as uploadedByLabel',
        'i.created_at as createdAt',
        'r.accepted',
        'r.updated',
        'r.unchanged',
        'r.rejected',
      ])
      .where('r.learner_id', '=', learnerId)
      .orderBy('i.created_at', 'desc')
      .limit(50)
      .execute();
  }
}

/**
 * The baseline for bench/learners-import.bench.ts: the completions importer as it was before the staging table
 * (commit d81d28b), kept here only to be measured against in the same run. It reads the file in batches of a
 * thousand rows, each with its own lookups, upsert and report-row insert. Returns the import's id.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { AuditActor, AuditService } from '../../../src/audit/audit.service.ts';
import { latestTermEnd, termCalendar } from '../../../src/learners/academic-term.ts';
import { COMPLETIONS_CSV } from '../../../src/learners/completion-file.ts';
import {
  type Header,
  HeaderProblem,
  readCompletionRow,
  readHeader,
} from '../../../src/learners/completion-row.ts';
import type { ImportChannel } from '../../../src/learners/learners.tables.ts';
import type { RecordLinkingService } from '../../../src/learners/record-linking.service.ts';
import { refuseFile, spoolUpload } from '../../../src/learners/spool-upload.ts';
import { type Clock, isoDate } from '../../../src/platform/clock.ts';
import type { Database, Db, Tx } from '../../../src/platform/db/database.ts';
import { normaliseEmail } from '../../../src/platform/email-address.ts';
import { newId } from '../../../src/platform/ids.ts';
import type {
  CompletionKey,
  CompletionWrite,
  ImportCounts,
  ImportRowWrite,
  RowBatchRepository,
} from './repository.ts';

// The old importer read terms as years and seasons only.
const seasonalTerms = termCalendar([]);

/** Rows validated and written together: one round of lookups and one upsert per batch. */
export const IMPORT_BATCH_SIZE = 1000;

interface PendingRow {
  line: number;
  fields: string[];
}

/** The day an import runs on and the last term end it takes (see latestTermEnd). */
interface ImportDay {
  today: string;
  latestTermEnd: string;
}

/** The institution's academic calendar, read through the import's transaction. */
export type AcademicCalendar = (within: Db) => Promise<{ academic_year_start_month: number }>;

const keyOf = (k: CompletionKey) => `${k.learnerId}\u0000${k.course}\u0000${k.term}`;

/** File names are shown on pages and in the report; keep the last path segment, printable, and short. */
const cleanFileName = (name: string) =>
  (name.split(/[\\/]/).pop() ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200) || 'completions.csv';

const actorFields = (actor: AuditActor) =>
  'id' in actor
    ? { uploadedBy: actor.id, uploadedByLabel: `${actor.name} <${actor.email}>` }
    : { uploadedBy: null, uploadedByLabel: actor.system };

/**
 * The unconfirmed records (self-declared student IDs) that rows of this batch confirm: the student system gives
 * the ID with the e-mail of the account linked to the record, which that account holder has proven is theirs.
 */
function confirmedByThisBatch(
  learners: readonly {
    id: string;
    studentId: string;
    email: string;
    identityConfirmed: boolean;
    accountEmail: string | null;
  }[],
  rows: readonly { studentId: string; email: string | null }[],
): Set<string> {
  const plain = (email: string) => email.trim().toLowerCase();
  const unconfirmed = new Map(learners.filter((l) => !l.identityConfirmed).map((l) => [l.studentId, l]));
  const confirmed = new Set<string>();
  for (const row of rows) {
    const learner = unconfirmed.get(row.studentId);
    if (!learner?.accountEmail || !row.email) continue;
    const email = plain(row.email);
    if (email === plain(learner.accountEmail) && email === plain(learner.email)) confirmed.add(learner.id);
  }
  return confirmed;
}

/**
 * Course completions from the student information system. One function serves the upload page, the API and
 * the command line: the file streams through a CSV parser in batches, every row gets an outcome, and the whole
 * import is one transaction, so a file that turns out to be unreadable half-way leaves nothing behind.
 */
export class RowBatchCompletionImports {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly repository: RowBatchRepository,
    private readonly recordLinking: RecordLinkingService,
    private readonly clock: Clock,
    private readonly calendar: AcademicCalendar,
  ) {}

  /**
   * Imports a completions CSV. Invalid rows are reported, not fatal; a file that is not a readable CSV with the
   * required columns is refused as a whole (VALIDATION_FAILED) and nothing is written.
   */
  async importCompletions(
    actor: AuditActor,
    source: AsyncIterable<Uint8Array | string>,
    fileName: string,
    channel: ImportChannel = 'web',
  ): Promise<string> {
    const name = cleanFileName(fileName);
    const file = await spoolUpload(source);
    try {
      const id = newId();
      await this.database.db.transaction().execute(async (trx) => {
        await this.repository.createImport(trx, {
          id,
          fileName: name,
          sha256: file.sha256,
          channel,
          ...actorFields(actor),
        });
        const counts = await this.#readFile(trx, actor, id, file.path);
        await this.repository.finishImport(trx, id, counts);
        await this.audit.record(trx, actor, {
          action: 'completions.imported',
          entityType: 'completion_import',
          entityId: id,
          after: { fileName: name, sha256: file.sha256, bytes: file.bytes, channel, ...counts },
        });
      });
      return id;
    } finally {
      await file.discard();
    }
  }

  async #readFile(trx: Tx, actor: AuditActor, importId: string, path: string): Promise<ImportCounts> {
    const counts: ImportCounts = {
      rowsTotal: 0,
      accepted: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      pendingTermEnd: 0,
    };
    const today = isoDate(this.clock.now());
    const { academic_year_start_month: startMonth } = await this.calendar(trx);
    const day: ImportDay = { today, latestTermEnd: latestTermEnd(today, startMonth) };
    let header: Header | undefined;
    let batch: PendingRow[] = [];
    const parser = parse({ ...COMPLETIONS_CSV, info: true });
    // Node's pipeline may report the stream torn down behind an error rather than the error itself, so the
    // consumer's own failure is kept and preferred.
    let failure: unknown;
    try {
      await pipeline(createReadStream(path, { encoding: 'utf8' }), parser, async (records) => {
        try {
          for await (const { record, info } of records as AsyncIterable<{
            record: string[];
            info: { lines: number };
          }>) {
            if (!header) {
              header = readHeader(record);
              continue;
            }
            batch.push({ line: info.lines, fields: record });
            if (batch.length >= IMPORT_BATCH_SIZE) {
              await this.#importBatch(trx, actor, importId, header, batch, counts, day);
              batch = [];
            }
          }
        } catch (error) {
          failure = error;
          throw error;
        }
      });
    } catch (error) {
      const cause = failure ?? error;
      if (cause instanceof HeaderProblem) throw refuseFile(cause.reason);
      if (cause instanceof CsvError) {
        throw refuseFile(`it could not be read as CSV (${cause.message.replace(/\.$/, '')})`);
      }
      throw cause;
    }
    if (!header) throw refuseFile('it is empty');
    if (batch.length > 0) await this.#importBatch(trx, actor, importId, header, batch, counts, day);
    if (counts.rowsTotal === 0) throw refuseFile('it has a header row but no completions under it');
    return counts;
  }

  /** Validates one batch against the database, writes what changed, and records an outcome for every row. */
  async #importBatch(
    trx: Tx,
    actor: AuditActor,
    importId: string,
    header: Header,
    batch: readonly PendingRow[],
    counts: ImportCounts,
    day: ImportDay,
  ): Promise<void> {
    const readings = batch.map((pending) => ({
      line: pending.line,
      reading: readCompletionRow(pending.fields, header, {
        terms: seasonalTerms,
        latestTermEnd: day.latestTermEnd,
      }),
    }));
    const valid = readings.flatMap((r) => (r.reading.ok ? [r.reading.row] : []));
    const [learners, courses] = await Promise.all([
      this.repository.learnersByStudentId(trx, [...new Set(valid.map((r) => r.studentId))]),
      this.repository.knownCourses(trx, [...new Set(valid.map((r) => r.courseCode))]),
    ]);
    const learnerByStudentId = new Map(learners.map((l) => [l.studentId, l]));
    const confirming = confirmedByThisBatch(learners, valid);

    // First pass: everything that can be decided from the row and the lookups.
    const results: ImportRowWrite[] = [];
    const candidates: { index: number; key: CompletionKey; write: CompletionWrite }[] = [];
    for (const { line, reading } of readings) {
      const base = {
        rowNumber: line,
        ...reading.identity,
        learnerId: null as string | null,
        countsFrom: null as string | null,
      };
      if (!reading.ok) {
        results.push({ ...base, outcome: 'rejected', reason: reading.reason });
        continue;
      }
      const row = reading.row;
      const learner = learnerByStudentId.get(row.studentId);
      const problems: string[] = [];
      if (!learner) problems.push(`no learner has student ID "${row.studentId}"`);
      if (!courses.has(row.courseCode)) problems.push(`course ${row.courseCode} is not in the course list`);
      if (learner && row.email && normaliseEmail(learner.email) !== normaliseEmail(row.email)) {
        problems.push(`email ${row.email} is not the e-mail on record for student ID ${row.studentId}`);
      }
      if (learner && !learner.identityConfirmed && !confirming.has(learner.id)) {
        // The ID may be someone else's: a completion goes to such a record only once the file names its holder.
        problems.push(
          `student ID ${row.studentId} is on a record whose holder typed the ID in, not confirmed yet ` +
            '(a row giving the ID with the e-mail of that learner’s account confirms it); nothing was added ' +
            'to that record: check who this student is',
        );
      }
      if (!learner || problems.length > 0) {
        results.push({
          ...base,
          learnerId: learner?.id ?? null,
          outcome: 'rejected',
          reason: problems.join('; '),
        });
        continue;
      }
      const key = { learnerId: learner.id, course: row.courseCode, term: row.term };
      const write = {
        id: newId(),
        ...key,
        grade: row.grade,
        credits: row.credits,
        completedOn: row.completedOn,
        source: row.source,
      };
      candidates.push({ index: results.length, key, write });
      results.push({ ...base, learnerId: learner.id, outcome: 'accepted', reason: null });
    }

    // Second pass: repeats within the file, then comparison with what is stored.
    const keys = candidates.map((c) => c.key);
    const [taken, stored] = await Promise.all([
      this.repository.takenInImport(trx, importId, keys),
      this.repository.storedCompletions(trx, keys),
    ]);
    const firstLine = new Map(taken.map((t) => [keyOf(t), t.rowNumber]));
    const storedByKey = new Map(stored.map((s) => [keyOf(s), s]));
    const writes: CompletionWrite[] = [];
    for (const { index, key, write } of candidates) {
      const result = results[index]!;
      const k = keyOf(key);
      const earlier = firstLine.get(k);
      if (earlier !== undefined) {
        result.outcome = 'rejected';
        result.reason = `duplicate: line ${earlier} already gives this student, course and term`;
        continue;
      }
      firstLine.set(k, result.rowNumber);
      // A grade for a term that has not ended is taken and counts from the term's last day (the completion
      // date the row gives or defaults to), with no second import: progress is worked out as of each day.
      if (write.completedOn > day.today) {
        result.countsFrom = write.completedOn;
        counts.pendingTermEnd++;
      }
      const before = storedByKey.get(k);
      if (!before) {
        writes.push(write);
        continue;
      }
      if (
        before.grade === write.grade &&
        before.credits === write.credits &&
        before.completedOn === write.completedOn
      ) {
        result.outcome = 'unchanged';
        continue;
      }
      result.outcome = 'updated';
      writes.push({ ...write, id: before.id });
      await this.audit.record(trx, actor, {
        action: 'completion.corrected',
        entityType: 'completion',
        entityId: before.id,
        before: { grade: before.grade, credits: before.credits, completedOn: before.completedOn },
        after: {
          grade: write.grade,
          credits: write.credits,
          completedOn: write.completedOn,
          importId,
          line: result.rowNumber,
        },
      });
    }

    if (confirming.size > 0) {
      await this.repository.confirmIdentities(trx, [...confirming]);
      for (const learnerId of confirming) {
        await this.audit.record(trx, actor, {
          action: 'learner.identity_confirmed',
          entityType: 'learner',
          entityId: learnerId,
          before: { identityConfirmed: false },
          after: { identityConfirmed: true, importId, by: 'the e-mail in the student system’s file' },
        });
      }
    }
    await this.repository.upsertCompletions(trx, writes);
    await this.repository.insertImportRows(trx, importId, results);
    // The student system has just vouched for these records: one without an account goes to the account that has
    // proven the record's e-mail, as it would when that address is proven later.
    const vouched = new Set(
      results.flatMap((r) => (r.outcome !== 'rejected' && r.learnerId ? [r.learnerId] : [])),
    );
    for (const learner of learners) {
      if (learner.userId === null && vouched.has(learner.id)) {
        await this.recordLinking.linkVerifiedAccountWithin(trx, learner.id);
      }
    }
    for (const result of results) counts[result.outcome]++;
    counts.rowsTotal += results.length;
  }
}

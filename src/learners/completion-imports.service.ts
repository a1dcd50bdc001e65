import { CsvError } from 'csv-parse';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { SavedTerm } from '../catalog/catalog.events.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { newId } from '../platform/ids.ts';
import { latestTermEnd, type RegisteredTerms, termCalendar, termSpellings } from './academic-term.ts';
import { type FileTally, readCompletionFile } from './completion-file.ts';
import type {
  CompletionImportsRepository,
  ImportCounts,
  ImportSummary,
  StagedRow,
  StagedRows,
} from './completion-imports.repository.ts';
import { stagingCopyLine } from './completion-imports.repository.ts';
import { HeaderProblem } from './completion-row.ts';
import type { LearnersEvents } from './learners.events.ts';
import type { ImportChannel, ImportOutcome } from './learners.tables.ts';
import type { RecordLinkingService } from './record-linking.service.ts';
import { refuseFile, spoolUpload } from './spool-upload.ts';

/** Rows sent to the staging table in one statement. */
export const STAGING_BATCH_SIZE = 10_000;

/** Audit entries for corrected completions written in one statement. */
const AUDIT_PAGE_SIZE = 2000;

export interface ImportResult extends ImportSummary {
  /** An earlier import of a file with exactly the same content, if there was one. */
  earlierImport: ImportSummary | null;
}

/** The institution's academic calendar, read through the import's transaction. */
export type AcademicCalendar = (within: Db) => Promise<{ academic_year_start_month: number }>;

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
 * Who uploaded the file, as the import's deciding statement compares it with each row's record: a member of staff's
 * id and address, trimmed and lower-cased; nobody for the student system's client or the command line.
 */
const uploaderOf = (actor: AuditActor) =>
  'id' in actor ? { id: actor.id, email: actor.email.trim().toLowerCase() } : { id: null, email: null };

/**
 * Course completions from the student information system. One function serves the upload page, the API and
 * the command line: the file streams through a CSV parser into a staging table, every row gets an outcome from a
 * few set-based statements, and the whole import is one transaction, so a file that turns out to be unreadable
 * half-way leaves nothing behind.
 */
export class CompletionImportsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly repository: CompletionImportsRepository,
    private readonly recordLinking: RecordLinkingService,
    private readonly clock: Clock,
    private readonly calendar: AcademicCalendar,
    private readonly registeredTerms: RegisteredTerms,
    private readonly events: EventPublisher<LearnersEvents>,
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
  ): Promise<ImportResult> {
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
        // Progress is worked out again for the learners this import changed, before the import commits.
        await this.events.publish(trx, 'completions.imported', { importId: id });
        await this.repository.finishImport(trx, id, counts);
        await this.audit.record(trx, actor, {
          action: 'completions.imported',
          entityType: 'completion_import',
          entityId: id,
          after: { fileName: name, sha256: file.sha256, bytes: file.bytes, channel, ...counts },
        });
      });
      return await this.findImport(id);
    } finally {
      await file.discard();
    }
  }

  async findImport(id: string): Promise<ImportResult> {
    const db = this.database.db;
    const summary = await this.repository.findImport(db, id);
    if (!summary) throw notFound('That import');
    const earlierImport = (await this.repository.findEarlierImportOf(db, summary.sha256, id)) ?? null;
    return {
      ...summary,
      earlierImport: earlierImport && earlierImport.createdAt < summary.createdAt ? earlierImport : null,
    };
  }

  /**
   * The registrar added or changed terms (the catalog's `terms.saved`). Completions kept under another spelling of
   * a term (its code, its old name, or a year and a season, as imports wrote them before the term was listed) take
   * its name, so that a file naming the term finds them rather than adding them again; those dated a moved term's old
   * last day move to the new one, and those learners' progress is worked out again (a grade counts from its date).
   */
  async onTermsSaved(trx: Db, { terms }: { terms: readonly SavedTerm[] }): Promise<void> {
    await this.repository.lockImports(trx);
    await this.repository.relabelTerms(trx, termSpellings(terms));
    const redated = new Set<string>();
    for (const { before, after } of terms) {
      if (!before || before.endsOn === after.endsOn) continue;
      for (const id of await this.repository.redateTerm(trx, after.name, before.endsOn, after.endsOn)) {
        redated.add(id);
      }
    }
    if (redated.size > 0) await this.events.publish(trx, 'completions.redated', { learnerIds: [...redated] });
  }

  /**
   * The registrar's terms, newest first, which the upload page names as the ones a file may give, and the one its
   * sample row uses: the newest that has ended (a file's grades are for terms that have), else the oldest.
   */
  async termsOnPage() {
    const terms = await this.registeredTerms(this.database.db);
    const today = isoDate(this.clock.now());
    return { terms, example: terms.find((t) => t.endsOn <= today) ?? terms.at(-1) };
  }

  listImports(limit = 50) {
    return this.repository.listImports(this.database.db, limit);
  }

  reportRows(
    importId: string,
    page: { outcome?: ImportOutcome; pending?: boolean; afterRow?: number; limit: number },
  ) {
    return this.repository.reportRows(this.database.db, importId, { afterRow: 0, ...page });
  }

  /** Every row of an import's report in file order, read a page at a time so a large report streams. */
  async *allReportRows(importId: string) {
    let afterRow = 0;
    for (;;) {
      const page = await this.repository.reportRows(this.database.db, importId, { afterRow, limit: 5000 });
      yield* page;
      const last = page.at(-1);
      if (!last || page.length < 5000) return;
      afterRow = last.rowNumber;
    }
  }

  importsTouching(learnerId: string) {
    return this.repository.importsTouching(this.database.db, learnerId);
  }

  /**
   * Reads the file once, checking each row on its own and staging it (good or bad) with its line number; then
   * decides and writes every outcome with set-based statements.
   */
  async #readFile(trx: Tx, actor: AuditActor, importId: string, path: string): Promise<ImportCounts> {
    const today = isoDate(this.clock.now());
    const { academic_year_start_month: startMonth } = await this.calendar(trx);
    const limits = {
      terms: termCalendar(await this.registeredTerms(trx)),
      latestTermEnd: latestTermEnd(today, startMonth),
    };
    await this.repository.createStaging(trx);
    const tally: FileTally = { hasHeader: false, rows: 0 };
    const rows = readCompletionFile(path, limits, tally);
    try {
      // PostgreSQL takes the rows in one COPY as they are read; PGlite, which has no COPY from a client's stream,
      // takes them in batches of arrays.
      if (this.database.kind === 'postgres') await this.repository.copyStagingRows(trx, copyChunks(rows));
      else await this.#stageInBatches(trx, rows);
    } catch (error) {
      if (error instanceof HeaderProblem) throw refuseFile(error.reason);
      if (error instanceof CsvError) {
        throw refuseFile(`it could not be read as CSV (${error.message.replace(/\.$/, '')})`);
      }
      throw error;
    }
    if (!tally.hasHeader) throw refuseFile('it is empty');
    if (tally.rows === 0) throw refuseFile('it has a header row but no completions under it');
    return this.#decide(trx, actor, importId, today);
  }

  /** Stages rows a batch of arrays at a time, the next batch read while one is written. */
  async #stageInBatches(trx: Tx, rows: AsyncIterable<StagedRow[]>): Promise<void> {
    let batch = emptyBatch();
    let writing: Promise<void> = Promise.resolve();
    try {
      for await (const part of rows) {
        for (const row of part) addToBatch(batch, row);
        if (batch.line.length < STAGING_BATCH_SIZE) continue;
        await writing;
        writing = this.repository.stageRows(trx, batch);
        // Its failure is taken up at the next await; until then it must not count as unhandled.
        writing.catch(() => undefined);
        batch = emptyBatch();
      }
      await writing;
      await this.repository.stageRows(trx, batch);
    } catch (error) {
      // A statement still running on the transaction's connection must end before the rollback is sent.
      await writing.catch(() => undefined);
      throw error;
    }
  }

  /**
   * The set-based part: confirmations, outcomes, their audit entries, the writes and record linking. Returns the
   * outcomes counted, which nothing after the report rows changes.
   */
  async #decide(trx: Tx, actor: AuditActor, importId: string, today: string): Promise<ImportCounts> {
    // Concurrent imports read and stage their files side by side, then decide and write one after the other.
    await this.repository.lockImports(trx);
    await this.repository.analyzeStaging(trx);
    // Confirmed first, so that the rows of a record the file itself vouches for are taken, wherever they stand.
    const confirmed = await this.repository.confirmIdentitiesFromStaging(
      trx,
      'id' in actor ? actor.id : null,
    );
    await this.audit.recordMany(
      trx,
      actor,
      confirmed.map((learnerId) => ({
        action: 'learner.identity_confirmed',
        entityType: 'learner',
        entityId: learnerId,
        before: { identityConfirmed: false },
        after: { identityConfirmed: true, importId, by: 'the e-mail in the student system’s file' },
      })),
    );
    const counts = await this.repository.recordOutcomes(trx, importId, today, uploaderOf(actor));
    // Audited before the write, which replaces the values the entries keep as "before". A file of new rows only
    // has none to audit: no need to look through its report rows for them.
    for (let afterRow = 0; counts.updated > 0; ) {
      const page = await this.repository.correctionsPage(trx, importId, afterRow, AUDIT_PAGE_SIZE);
      await this.audit.recordMany(
        trx,
        actor,
        page.map((c) => ({
          action: 'completion.corrected',
          entityType: 'completion',
          entityId: c.id,
          before: { grade: c.gradeBefore, credits: c.creditsBefore, completedOn: c.completedOnBefore },
          after: {
            grade: c.grade,
            credits: c.credits,
            completedOn: c.completedOn,
            importId,
            line: c.rowNumber,
          },
        })),
      );
      if (page.length < AUDIT_PAGE_SIZE) break;
      afterRow = page.at(-1)!.rowNumber;
    }
    await this.repository.writeCompletions(trx, importId);
    // The student system has just vouched for these records: one without an account goes to the account that has
    // proven the record's e-mail, as it would when that address is proven later.
    for (const learnerId of await this.repository.unlinkedRecordsWithAccountEmail(trx, importId)) {
      await this.recordLinking.linkVerifiedAccountWithin(trx, learnerId, 'id' in actor ? actor.id : null);
    }
    return counts;
  }
}

/** Staged rows as COPY text, a chunk of lines (the rows of a piece of the file) at a time. */
async function* copyChunks(rows: AsyncIterable<StagedRow[]>): AsyncGenerator<string> {
  for await (const part of rows) {
    let text = '';
    for (const row of part) text += stagingCopyLine(row);
    yield text;
  }
}

/** Adds one staged row to a batch of columns. */
function addToBatch(batch: StagedRows, row: StagedRow): void {
  const [
    line,
    studentId,
    course,
    term,
    problem,
    grade,
    credits,
    completedOn,
    email,
    emailKey,
    source,
    maybeRepeat,
  ] = row;
  batch.line.push(line);
  batch.studentId.push(studentId);
  batch.course.push(course);
  batch.term.push(term);
  batch.problem.push(problem);
  batch.grade.push(grade);
  batch.credits.push(credits);
  batch.completedOn.push(completedOn);
  batch.email.push(email);
  batch.emailKey.push(emailKey);
  batch.source.push(source);
  batch.maybeRepeat.push(maybeRepeat);
}

const emptyBatch = (): StagedRows => ({
  line: [],
  studentId: [],
  course: [],
  term: [],
  problem: [],
  grade: [],
  credits: [],
  completedOn: [],
  email: [],
  emailKey: [],
  source: [],
  maybeRepeat: [],
});

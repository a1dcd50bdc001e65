import { setTimeout as sleep } from 'node:timers/promises';
import { CsvError } from 'csv-parse';
import { z } from 'zod';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { type RegisteredTerms, termCalendar } from '../learners/academic-term.ts';
import type { LearnerRecordsService } from '../learners/learner-records.service.ts';
import type { Actor } from '../platform/actor.ts';
import { type Clock, isoDate } from '../platform/clock.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, forbidden, invalidState, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.ts';
import type { Logger } from '../platform/logger.ts';
import { spoolUpload } from '../platform/spool-upload.ts';
import { yieldToOtherWork } from '../platform/yield.ts';
import { isIssuable, unofferedStatePhrases } from '../programs/program-vocabulary.ts';
import type { ProgressService } from '../progress/progress.service.ts';
import type { AwardIssuer } from './award-issuer.ts';
import { type ConfirmationProblem, confirmationProblem, confirmationToken } from './issue-confirmation.ts';
import {
  commitRefusal,
  mayDo,
  mayListProgram,
  mayRecheckList,
  maySubmitList,
  mayViewList,
  rowProgramFor,
  rowRecordRefusal,
  uploadsAsLead,
} from './issuing.policy.ts';
import {
  type IssuingLearner,
  type IssuingProgram,
  type IssuingRepository,
  pairKey,
} from './issuing.repository.ts';
import type { CreditMode, Office, TrackingRowStatus } from './issuing.tables.ts';
import { officeFor, officeLabels, officesOf } from './offices.ts';
import { type ListLine, ListRefusal, ListShape } from './tracking-list-file.ts';
import {
  defaultStallTiming,
  heartbeatEveryMs,
  keepBeating,
  type StallTiming,
  stallAfterSeconds,
} from './tracking-list-heartbeat.ts';
import { ISSUE_BATCH_SIZE, TrackingListIssuer } from './tracking-list-issuer.ts';
import { readListParts } from './tracking-list-reader.ts';
import type { StoredRow, TrackingListsRepository, TrackingListView } from './tracking-lists.repository.ts';

/** The background job that issues a committed tracking list. */
/** The fingerprint of a list's confirmation page: the rows it issues and the fees it charges and waives. */
const listConfirmationToken = (
  list: Pick<TrackingListView, 'id' | 'counts'>,
  fees: { charged: number; waived: number; totalCents: number },
) => confirmationToken([list.id, list.counts.ready, fees.charged, fees.waived, fees.totalCents]);

export const issueTrackingListJob: JobDefinition<{ listId: string }> = {
  name: 'tracking-list-issue',
  payload: z.object({ listId: z.uuid() }),
  retryLimit: 5,
};

/**
 * A cohort's list is usually hundreds of rows; a whole faculty's graduating year at a large university can reach
 * tens of thousands. Neither the upload nor issuing holds the whole list (a part or a chunk at a time); what the
 * upload keeps for every row is one key for the repeats, and the bounds keep that and one transaction's work
 * sensible: 100,000 rows of about 130 bytes.
 */
export const MAX_LIST_BYTES = 16 * 1024 * 1024;
export const MAX_LIST_ROWS = 100_000;

const shownRows = 1000;

/**
 * Lines of an upload read, judged and stored together: each part's learners, programs, awards and records are
 * looked up in a few statements, and memory holds one part's lines, verdicts and records.
 */
export const UPLOAD_PART_SIZE = 5000;

/** Not-eligible rows judged again per page when a whole list is checked again (as an upload judges a part). */
const RECHECK_PAGE_SIZE = UPLOAD_PART_SIZE;

/** A whole-file refusal, shown on the upload page; nothing is kept. */
export function refuseList(
  reason: string,
  code: 'VALIDATION_FAILED' | 'PAYLOAD_TOO_LARGE' = 'VALIDATION_FAILED',
) {
  return new AppError(code, `The list was not uploaded: ${reason}.`, [{ field: 'file', reason }]);
}

const cleanFileName = (name: string) =>
  (name.split(/[\\/]/).pop() ?? '')
    .split('')
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim()
    .slice(0, 200) || 'tracking-list.csv';

interface Verdict {
  status: TrackingRowStatus;
  reason: string | null;
  learner?: IssuingLearner;
  program?: IssuingProgram;
}

/**
 * Tracking lists: an office uploads the learners of one cohort who completed a program; the upload is a
 * preview with a verdict per row, and nothing is issued until someone in the list's office commits it. The
 * commit runs as a background job, a chunk of rows per transaction (credentials, fees, claim mail and rows
 * marked issued together), so a crash loses at most one chunk and a re-run picks up where it stopped.
 */
export class TrackingListsService {
  readonly #rows: TrackingListIssuer;

  constructor(
    private readonly database: Database,
    issuer: AwardIssuer,
    private readonly progress: ProgressService,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly repository: TrackingListsRepository,
    private readonly issuing: IssuingRepository,
    /** Makes the record of a non-credit learner the student system does not hold, from a list's row. */
    private readonly learnerRecords: Pick<LearnerRecordsService, 'createWithin'>,
    /** The registrar's terms, which a list's term column names. */
    private readonly registeredTerms: RegisteredTerms,
    private readonly stallTiming: StallTiming = defaultStallTiming,
  ) {
    this.#rows = new TrackingListIssuer(issuer, clock, repository, issuing);
  }

  /**
   * Reads an uploaded list and keeps it as a preview: a status and reason for every row. Refuses the whole
   * file when it cannot be read, lacks columns, mixes credit modes or cohorts.
   *
   * The file is copied to a temporary file first (checked as UTF-8 within the size limit), so a slow upload
   * never holds a transaction open. Then one transaction reads it a part at a time (UPLOAD_PART_SIZE lines):
   * looks up the part's programs and learners, judges its rows and stores them, and goes on to the next part, so
   * memory holds one part whatever the list's length. What the whole file must agree on (one credit mode, one
   * cohort) is gathered as it goes (ListShape) and decided at the end; a refusal then, or anywhere before, rolls
   * the transaction back, so a refused file leaves no list and no rows.
   */
  async uploadList(
    actor: Actor,
    content: Uint8Array | AsyncIterable<Uint8Array | string>,
    rawFileName: string,
  ): Promise<string> {
    const offices = officesOf(actor);
    const asLead = uploadsAsLead(actor);
    if (offices.length === 0 && !asLead) {
      throw forbidden(
        'Tracking lists are prepared by program leads and the offices, and committed by the registrar and the credentials office.',
      );
    }
    const file = await spoolUpload(content instanceof Uint8Array ? [content] : content, {
      maxBytes: MAX_LIST_BYTES,
      refuse: refuseList,
    });
    try {
      const id = newId();
      const fileName = cleanFileName(rawFileName);
      const uploadedAt = this.clock.now();
      await this.database.db.transaction().execute(async (trx) => {
        // Stored first, as the rows refer to it; its cohort, mode, office and count are known at the end (nobody
        // sees these stand-ins: the transaction replaces them before it commits).
        await this.repository.insertList(trx, {
          id,
          fileName,
          sha256: file.sha256,
          cohort: 'Being read',
          creditMode: 'non_credit',
          office: officeFor('non_credit'),
          rowsTotal: 0,
          uploadedBy: actor.id,
          uploadedByLabel: `${actor.name} <${actor.email}>`,
          uploadedAt,
          // A lead's list is a draft until the lead submits it; an office's upload is already at the office.
          submittedAt: asLead ? null : uploadedAt,
        });
        const shape = new ListShape();
        const { rows, ready } = await this.#storeRows(trx, actor, id, file.path, shape);
        let creditMode: CreditMode;
        let cohort: string;
        try {
          creditMode = shape.listMode() ?? (offices.includes('credentials_office') ? 'non_credit' : 'credit');
          cohort = shape.cohort();
        } catch (error) {
          if (error instanceof ListRefusal) throw refuseList(error.reason);
          throw error;
        }
        const office = officeFor(creditMode);
        await this.repository.settleList(trx, id, { cohort, creditMode, office, rowsTotal: rows });
        await this.audit.record(trx, actor, {
          action: 'tracking_list.uploaded',
          entityType: 'tracking_list',
          entityId: id,
          after: { fileName, cohort, creditMode, office, rows, ready, preparedByLead: asLead },
        });
      });
      return id;
    } finally {
      await file.discard();
    }
  }

  /**
   * Reads the spooled file a part at a time, judging and storing each part's rows before the next is read; the
   * shape of the file is gathered into `shape`. Once the shape alone refuses the file, the remaining parts are
   * read (a later unreadable line is still the reason given, as before) but not judged or stored.
   */
  async #storeRows(
    trx: Db,
    actor: Actor,
    listId: string,
    path: string,
    shape: ListShape,
  ): Promise<{ rows: number; ready: number }> {
    const parts = readListParts(path, {
      today: isoDate(this.clock.now()),
      terms: termCalendar(await this.registeredTerms(trx)),
      partSize: UPLOAD_PART_SIZE,
      maxRows: MAX_LIST_ROWS,
    });
    // The first line of each student and program seen so far, for the repeats: a key per row of the file, the
    // one thing kept for the whole upload (about 10 MB at 100,000 rows).
    const firstLine = new Map<string, number>();
    let rows = 0;
    let ready = 0;
    try {
      for await (const lines of parts) {
        rows += lines.length;
        const programs = await this.issuing.programsBySlugs(trx, distinct(lines.map((l) => l.programSlug)));
        const programBySlug = new Map(programs.map((p) => [p.slug, p]));
        for (const line of lines) {
          const program = programBySlug.get(line.programSlug);
          shape.add(line, program && program.creditType !== 'hybrid' ? program.creditType : line.creditMode);
        }
        if (shape.isRefused) continue;
        const learners = await this.issuing.learnersByStudentIds(
          trx,
          distinct(lines.map((l) => l.studentId)),
        );
        const learnerByStudentId = new Map(learners.map((l) => [l.studentId, l]));
        const verdicts = await this.#judge(actor, trx, lines, programBySlug, learnerByStudentId, firstLine);
        ready += verdicts.filter((v) => v.status === 'ready').length;
        await this.repository.insertRows(
          trx,
          lines.map((line, at) => {
            const verdict = verdicts[at]!;
            return {
              id: newId(),
              list_id: listId,
              line: line.line,
              student_id: line.studentId.slice(0, 100),
              email: line.email.slice(0, 320),
              first_name: line.firstName.slice(0, 200),
              last_name: line.lastName.slice(0, 200),
              program_slug: line.programSlug.slice(0, 200),
              completion_date: line.completionDate,
              term: line.term.slice(0, 100),
              credit_mode: line.creditMode,
              cohort: line.cohort.slice(0, 200),
              fee_waived: line.feeWaived,
              notes: line.notes,
              learner_id: verdict.learner?.id ?? null,
              program_id: verdict.program?.id ?? null,
              status: verdict.status,
              reason: verdict.reason,
            };
          }),
        );
      }
    } catch (error) {
      if (error instanceof ListRefusal) throw refuseList(error.reason);
      if (error instanceof CsvError)
        throw refuseList(`it could not be read as CSV (${error.message.replace(/\.$/, '')})`);
      throw error;
    }
    return { rows, ready };
  }

  /**
   * Decides every row of a part of the file: an error in the row, not eligible (and why), or ready to issue.
   * `firstLine` holds the first line of each student and program in the parts before, and gains this part's.
   */
  async #judge(
    actor: Actor,
    db: Db,
    lines: readonly ListLine[],
    programBySlug: ReadonlyMap<string, IssuingProgram>,
    learnerByStudentId: ReadonlyMap<string, IssuingLearner>,
    firstLine: Map<string, number>,
  ): Promise<Verdict[]> {
    const verdicts: Verdict[] = lines.map((line) => {
      if (line.problems.length > 0)
        return { status: 'error', reason: `Cannot be read: ${line.problems.join('; ')}.` };
      const program = programBySlug.get(line.programSlug);
      // Before anything about the learner: a lead learns nothing of students outside their own programs.
      const outsideOwnPrograms = program ? !mayListProgram(actor, program) : officesOf(actor).length === 0;
      if (outsideOwnPrograms) {
        return {
          status: 'error',
          reason: `Not one of your programs: you may list learners only for the programs you lead ("${line.programSlug}" is not one).`,
        };
      }
      const learner = learnerByStudentId.get(line.studentId);
      const repeat = `${line.studentId}|${line.programSlug}`;
      const earlier = firstLine.get(repeat);
      if (earlier !== undefined) {
        return { status: 'error', reason: `Repeats line ${earlier} (same student and program).` };
      }
      firstLine.set(repeat, line.line);
      if (program) {
        const problem = modeProblem(program, line.creditMode);
        if (problem) return { status: 'error', reason: problem };
      }
      if (!learner)
        return {
          status: 'not_eligible',
          reason: `Unknown student: no learner has student ID ${line.studentId}.`,
        };
      if (normaliseEmail(learner.email) !== normaliseEmail(line.email)) {
        return {
          status: 'error',
          reason: `The e-mail ${line.email} is not the one on record for student ID ${line.studentId}.`,
        };
      }
      if (!program) {
        return {
          status: 'not_eligible',
          reason: `Program not offered: no micro-credential is called "${line.programSlug}".`,
        };
      }
      if (!isIssuable(program.status)) {
        return {
          status: 'not_eligible',
          reason: `Program not offered: ${program.title} is ${unofferedStatePhrases[program.status] ?? program.status}, not an approved micro-credential.`,
        };
      }
      return { status: 'ready', reason: null, learner, program };
    });

    // Then what needs the database: awards already issued, and the requirements on the learner's record.
    const candidates = verdicts.flatMap((verdict, index) =>
      verdict.status === 'ready'
        ? [{ index, learnerId: verdict.learner!.id, programId: verdict.program!.id }]
        : [],
    );
    const [awards, enrolled] = await Promise.all([
      this.issuing.awardsFor(db, candidates),
      this.issuing.enrolledOn(db, candidates),
    ]);
    const toMeasure = candidates.filter((c) => {
      const issuedAt = awards.get(pairKey(c.learnerId, c.programId));
      if (!issuedAt) return true;
      verdicts[c.index] = {
        ...verdicts[c.index]!,
        status: 'not_eligible',
        reason: `Already issued: this learner received the badge on ${isoDate(issuedAt)}.`,
      };
      return false;
    });
    const measured = await this.progress.measureMany(
      db,
      toMeasure.map((c) => ({
        learnerId: c.learnerId,
        program: verdicts[c.index]!.program!,
        // Not enrolled here (the office's list is the record of the cohort): judged from the completion day.
        enrolledOn: enrolled.get(pairKey(c.learnerId, c.programId)) ?? lines[c.index]!.completionDate!,
      })),
    );
    toMeasure.forEach((c, at) => {
      const progress = measured[at]!;
      if (!progress.met) {
        verdicts[c.index] = {
          ...verdicts[c.index]!,
          status: 'not_eligible',
          reason: `Requirements not met: ${progress.explanation}`,
        };
      }
    });
    return verdicts;
  }

  /** A list with its rows (optionally of one status) and what this person may do with it. */
  async viewList(actor: Actor, listId: string, status?: TrackingRowStatus) {
    const db = this.database.db;
    const list = isUuid(listId) ? await this.repository.find(db, listId) : undefined;
    // A list this person may not open is "not found": a lead's draft is not announced to the office, nor
    // another lead's list to a lead.
    if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
    const rows = (await this.repository.rows(db, list.id, { status, limit: shownRows })).map(
      ({ program, ...row }) => {
        const missingRecord = row.status === 'not_eligible' && !row.hasLearnerRecord;
        const recordRefusal = missingRecord ? rowRecordRefusal(actor, list, row) : undefined;
        return {
          ...row,
          program: rowProgramFor(actor, program),
          /** The row's learner has no record, which this person may create from the row (then it is judged again). */
          canCreateRecord: missingRecord && recordRefusal === undefined,
          /** Why not, said beside a non-credit row whose learner has no record. */
          recordWithheld: missingRecord && list.creditMode === 'non_credit' ? recordRefusal : undefined,
        };
      },
    );
    const isOwner = officesOf(actor).includes(list.office) && list.submittedAt !== null;
    const refusal = commitRefusal(actor, list, {
      awardsActor: await this.repository.awardsPerson(db, list.id, actor),
    });
    const canSubmit = maySubmitList(actor, list) && list.status === 'preview';
    return {
      list,
      rows,
      shownLimit: shownRows,
      isOwner,
      canCommit: refusal === undefined && list.status === 'preview' && list.counts.ready > 0,
      /** Said on the page when this office member may not commit it: they uploaded it, or it awards them a badge. */
      commitWithheld: isOwner && list.status === 'preview' ? refusal : undefined,
      canSubmit: canSubmit && list.counts.ready > 0,
      /** The lead's draft, waiting for them to submit it. */
      isDraft: list.submittedAt === null && list.status === 'preview',
      canResume: isOwner && isResumable(list),
      canDiscard: (isOwner || canSubmit) && list.status === 'preview',
      /** Not-eligible rows may be judged again (after completions were imported or records fixed). */
      canRecheck: mayRecheckList(actor, list) && list.counts.not_eligible > 0,
      /** An issued row links to the office's record of its badge, or for a lead to the badge's public page. */
      opensBadgeRecords: mayDo(actor, 'issue'),
    };
  }

  /**
   * Creates the missing learner record of a non-credit row from the row's name and e-mail (through the learners
   * module, which audits it and links an account that proved the address), then judges again every row of the
   * list that was not eligible for that student ID, in the same transaction. Returns the row's line.
   */
  async createLearnerFromRow(actor: Actor, listId: string, rowId: string): Promise<{ line: number }> {
    if (!isUuid(listId) || !isUuid(rowId)) throw notFound('That row of the tracking list');
    return this.database.db.transaction().execute(async (trx) => {
      const list = await this.repository.find(trx, listId, true);
      if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
      const [row] = await this.repository.storedRows(trx, list.id, { id: rowId });
      if (!row) throw notFound('That row of the tracking list');
      const refusal = rowRecordRefusal(actor, list, { ...row, email: row.line.email });
      if (refusal) throw forbidden(refusal);
      const { line } = row;
      await this.learnerRecords.createWithin(
        trx,
        actor,
        {
          studentId: line.studentId,
          givenName: line.firstName,
          familyName: line.lastName,
          email: line.email,
        },
        `tracking list "${list.cohort}", line ${line.line}`,
      );
      const rows = await this.repository.storedRows(trx, list.id, { notEligibleStudentId: line.studentId });
      await this.#rejudge(actor, trx, list.id, rows, 'tracking_list.row_rechecked');
      return { line: line.line };
    });
  }

  /**
   * Judges every not-eligible row of a preview list again, as they would be judged on a new upload of the same file:
   * after completions were imported or records fixed, the office (or the lead, on their draft) need not upload it
   * anew. One transaction, a page of rows at a time; rows that could not be read or repeat an earlier line stay as
   * they are. Returns how many were checked and how many are ready now.
   */
  async recheckList(actor: Actor, listId: string): Promise<{ checked: number; nowReady: number }> {
    if (!isUuid(listId)) throw notFound('That tracking list');
    return this.database.db.transaction().execute(async (trx) => {
      const list = await this.repository.find(trx, listId, true);
      if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
      if (!mayRecheckList(actor, list)) {
        throw forbidden(
          'Only a list that is still a preview is checked again, by whoever may act on it now.',
        );
      }
      let checked = 0;
      let nowReady = 0;
      for (let afterLine = 0; ; ) {
        const rows = await this.repository.storedRows(trx, list.id, {
          notEligibleAfterLine: afterLine,
          limit: RECHECK_PAGE_SIZE,
        });
        if (rows.length === 0) break;
        const verdicts = await this.#rejudge(actor, trx, list.id, rows);
        checked += rows.length;
        nowReady += verdicts.filter((v) => v.status === 'ready').length;
        afterLine = rows.at(-1)!.line.line;
      }
      await this.audit.record(trx, actor, {
        action: 'tracking_list.rechecked',
        entityType: 'tracking_list',
        entityId: list.id,
        after: { checked, nowReady },
      });
      return { checked, nowReady };
    });
  }

  /**
   * Judges stored not-eligible rows again and writes their verdicts; with `eachAudited`, one audit entry per row
   * under that action. A row is judged on its own (no earlier line is its repeat: repeats were refused at upload and
   * stay so).
   */
  async #rejudge(
    actor: Actor,
    trx: Db,
    listId: string,
    rows: readonly StoredRow[],
    eachAudited?: 'tracking_list.row_rechecked',
  ): Promise<Verdict[]> {
    const lines = rows.map((r) => r.line);
    const programs = await this.issuing.programsBySlugs(trx, distinct(lines.map((l) => l.programSlug)));
    const learners = await this.issuing.learnersByStudentIds(trx, distinct(lines.map((l) => l.studentId)));
    const verdicts = await this.#judge(
      actor,
      trx,
      lines,
      new Map(programs.map((p) => [p.slug, p])),
      new Map(learners.map((l) => [l.studentId, l])),
      new Map(),
    );
    for (const [at, judged] of rows.entries()) {
      const verdict = verdicts[at]!;
      await this.repository.rejudgeRow(trx, judged.id, {
        status: verdict.status,
        reason: verdict.reason,
        learnerId: verdict.learner?.id ?? null,
        programId: verdict.program?.id ?? null,
      });
      if (eachAudited) {
        await this.audit.record(trx, actor, {
          action: eachAudited,
          entityType: 'tracking_list',
          entityId: listId,
          after: { line: judged.line.line, status: verdict.status, reason: verdict.reason },
        });
      }
    }
    return verdicts;
  }

  /** A list's figures alone (status and counts), for the progress its page shows while it is issued. */
  async listFigures(actor: Actor, listId: string) {
    const list = isUuid(listId) ? await this.repository.find(this.database.db, listId) : undefined;
    if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
    return list;
  }

  /**
   * The confirmation before committing: what issuing the list does (credentials signed, fees charged, mail sent),
   * asked of someone who may commit it; anyone else is refused as the commit itself would refuse them.
   */
  async commitConfirmation(actor: Actor, listId: string) {
    const view = await this.viewList(actor, listId);
    if (!view.canCommit) {
      const awardsActor = await this.repository.awardsPerson(this.database.db, view.list.id, actor);
      throw forbidden(
        commitRefusal(actor, view.list, { awardsActor }) ??
          'This list cannot be committed now: it is not a preview with rows ready to issue.',
      );
    }
    const fees = await this.repository.readyFees(this.database.db, view.list.id);
    return { ...view, fees, token: listConfirmationToken(view.list, fees) };
  }

  /** How many lists wait for the offices this person works in, and how many failed there: their home's queue. */
  waitingFor(actor: Actor): Promise<{ waiting: number; failed: number }> {
    return this.repository.countWaiting(this.database.db, officesOf(actor));
  }

  /**
   * The tracking-list page for this person: which office's lists it shows (none for a program lead, who sees the
   * lists they prepared), and the newest of them.
   */
  async listsPage(actor: Actor, asked?: string) {
    const offices = officesOf(actor);
    if (offices.length === 0 && !uploadsAsLead(actor)) {
      throw forbidden('Tracking lists are prepared by program leads and the offices.');
    }
    const office = (asked ?? offices[0]) as Office | undefined;
    if (asked !== undefined && (office === undefined || !offices.includes(office))) {
      throw forbidden("That office's lists are kept by its own staff.");
    }
    const lists = await this.repository.listRecent(
      this.database.db,
      { offices: office ? [office] : [], uploader: actor.id },
      50,
    );
    return { offices, office: office ?? null, lists, isLead: offices.length === 0 };
  }

  /** Recent lists of the offices this person works in (or one of them), and those they uploaded. */
  listLists(actor: Actor, office?: string) {
    const offices = officesOf(actor).filter((o) => office === undefined || o === office);
    return this.repository.listRecent(this.database.db, { offices, uploader: actor.id }, 50);
  }

  /**
   * A program lead submits the list they prepared to its office, which checks and commits it; until then the
   * office does not see it. The lead never commits it: issuing stays with the office.
   */
  async submitList(actor: Actor, listId: string): Promise<void> {
    if (!isUuid(listId)) throw notFound('That tracking list');
    await this.database.db.transaction().execute(async (trx) => {
      const list = await this.repository.find(trx, listId, true);
      if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
      if (!maySubmitList(actor, list)) {
        throw forbidden('Only the program lead who prepared a list submits it, once.');
      }
      if (list.status !== 'preview')
        throw invalidState('Only a list that is still a preview can be submitted.');
      if (list.counts.ready === 0) {
        throw invalidState('No row of this list is ready to issue, so there is nothing to submit.');
      }
      if (!(await this.repository.submit(trx, list.id, this.clock.now()))) {
        throw invalidState('This list changed a moment ago; reload the page and try again.');
      }
      await this.audit.record(trx, actor, {
        action: 'tracking_list.submitted',
        entityType: 'tracking_list',
        entityId: list.id,
        after: { ready: list.counts.ready, office: list.office, cohort: list.cohort },
      });
    });
  }

  /**
   * Commits a previewed list (or resumes one that stopped, or whose worker died): queues the issuing job in the
   * same transaction as the status change, so the list is either waiting for the job or untouched.
   */
  async commitList(actor: Actor, listId: string): Promise<void> {
    await this.#commit(actor, listId);
  }

  /**
   * Commits a list as a person does, from its confirmation page: only when `token` confirms what the page said
   * (rows ready, fees charged and waived) as it stands now. Otherwise nothing is committed and the problem is
   * returned, for the page to be shown again. Resuming a stopped list needs no confirmation: its commit had one.
   */
  async commitConfirmed(actor: Actor, listId: string, token: string | undefined) {
    return this.#commit(actor, listId, async (trx, list) =>
      confirmationProblem(token, listConfirmationToken(list, await this.repository.readyFees(trx, list.id))),
    );
  }

  async #commit(
    actor: Actor,
    listId: string,
    confirm?: (trx: Db, list: TrackingListView) => Promise<ConfirmationProblem | null>,
  ): Promise<ConfirmationProblem | null> {
    if (!isUuid(listId)) throw notFound('That tracking list');
    return this.database.db.transaction().execute(async (trx) => {
      const list = await this.repository.find(trx, listId, true);
      if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
      this.#assertOwner(actor, list.office);
      // Resuming carries on a commit someone else already made; a first commit needs a second person.
      if (isResumable(list)) {
        await this.#resume(trx, actor, list);
        return null;
      }
      if (list.status !== 'preview') throw notCommittable(list, this.stallTiming);
      const refusal = commitRefusal(actor, list, {
        awardsActor: await this.repository.awardsPerson(trx, list.id, actor),
      });
      if (refusal) throw forbidden(refusal);
      if (list.counts.ready === 0) {
        throw invalidState('No row of this list is ready to issue, so there is nothing to commit.');
      }
      const problem = confirm ? await confirm(trx, list) : null;
      if (problem) return problem;
      await this.repository.changeStatus(trx, list.id, ['preview'], {
        status: 'queued',
        committedBy: actor.id,
        committedAt: this.clock.now(),
      });
      await this.jobs.send(issueTrackingListJob, { listId: list.id }, trx, { singletonKey: list.id });
      await this.audit.record(trx, actor, {
        action: 'tracking_list.committed',
        entityType: 'tracking_list',
        entityId: list.id,
        after: { ready: list.counts.ready, office: list.office, cohort: list.cohort },
      });
      return null;
    });
  }

  /**
   * Resumes a list that stopped (failed) or lost its worker (stalled), for an operator at the command line: the
   * same as the office's "Resume issuing", without an office, since whoever runs the command runs the service.
   */
  async resumeList(operator: AuditActor, listId: string): Promise<void> {
    if (!isUuid(listId)) throw notFound('That tracking list');
    await this.database.db.transaction().execute(async (trx) => {
      const list = await this.repository.find(trx, listId, true);
      if (!list) throw notFound('That tracking list');
      if (!isResumable(list)) throw notCommittable(list, this.stallTiming);
      await this.#resume(trx, operator, list);
    });
  }

  /**
   * The watch every working process runs: resumes the lists whose worker stopped beating, or that wait in the
   * queue with no job left to take them up, so a killed process delays a list by about half a minute instead of
   * the queue's quarter-hour job expiry, and a list whose job gave up is not left waiting forever. Returns their
   * ids.
   */
  async resumeStalledLists(): Promise<string[]> {
    return this.database.db.transaction().execute(async (trx) => {
      const stalled = await this.repository.claimStalled(trx);
      for (const listId of stalled) {
        await this.jobs.send(issueTrackingListJob, { listId }, trx, { singletonKey: listId });
        await this.audit.record(trx, stallWatch, {
          action: 'tracking_list.resumed',
          entityType: 'tracking_list',
          entityId: listId,
          after: {
            reason: `no worker has been heard from for ${stallAfterSeconds(this.stallTiming)} seconds`,
          },
        });
      }
      if (stalled.length > 0)
        this.logger.warn({ lists: stalled }, 'resumed tracking lists whose worker stopped');
      return stalled;
    });
  }

  /** Queues a failed or stalled list again; its issued rows stay issued and only the ready ones are taken up. */
  async #resume(trx: Db, actor: AuditActor, list: TrackingListView): Promise<void> {
    // A stalled list stays as it is (its new job takes it up); a failed one waits in 'queued' again. Letting go of
    // a silent holder's claim lets the new job take the list; a holder alive after all stops at its next chunk.
    if (list.isStalled) await this.repository.claimStalled(trx, list.id);
    if (list.status === 'failed') {
      await this.repository.changeStatus(trx, list.id, ['failed'], { status: 'queued', lastError: null });
    }
    await this.jobs.send(issueTrackingListJob, { listId: list.id }, trx, { singletonKey: list.id });
    await this.audit.record(trx, actor, {
      action: 'tracking_list.resumed',
      entityType: 'tracking_list',
      entityId: list.id,
      after: { ready: list.counts.ready, office: list.office, cohort: list.cohort, status: list.status },
    });
  }

  /** Sets a previewed list aside; nothing on it is issued. */
  async discardList(actor: Actor, listId: string): Promise<void> {
    if (!isUuid(listId)) throw notFound('That tracking list');
    await this.database.db.transaction().execute(async (trx) => {
      const list = await this.repository.find(trx, listId, true);
      if (!list || !mayViewList(actor, list)) throw notFound('That tracking list');
      // The lead discards their own draft; a submitted list is the office's to discard.
      if (!maySubmitList(actor, list)) this.#assertOwner(actor, list.office);
      const changed = await this.repository.changeStatus(trx, list.id, ['preview'], { status: 'discarded' });
      if (!changed) throw invalidState('Only a list that has not been committed can be discarded.');
      await this.audit.record(trx, actor, {
        action: 'tracking_list.discarded',
        entityType: 'tracking_list',
        entityId: list.id,
        before: { status: 'preview' },
        after: { status: 'discarded' },
      });
    });
  }

  /**
   * The job: issues the list's ready rows in file order, a chunk per transaction. A chunk is issued set-wise
   * under a savepoint (TrackingListIssuer.issueChunk); if one of its rows is refused, the chunk is undone and its
   * rows issued one by one, each under its own savepoint, so a row the credential service refuses is marked failed
   * (and one issued meanwhile elsewhere, skipped) without undoing the others. Anything else (a crash, a lost
   * connection) rolls the chunk back and fails the job, and pg-boss runs it again: done rows are no longer
   * 'ready', so they are not touched twice.
   *
   * A run first claims the list (tracking-list-heartbeat.ts): a list another live run holds is left to it, so one
   * list is never worked by two runs at once while other processes each work lists of their own; and the run
   * checks its claim before every chunk, so a run the stall watch gave up on stops. Between chunks it lets the
   * process's other work (pages) go first, so a large list does not make the site slow. `rowByRow` issues every
   * row on its own, as before chunks (the benchmark's baseline).
   */
  async processList(listId: string, options: { batchSize?: number; rowByRow?: boolean } = {}): Promise<void> {
    const db = this.database.db;
    const list = await this.repository.find(db, listId);
    if (!list || list.status === 'preview' || list.status === 'done' || list.status === 'discarded') return;
    const run = newId();
    if (!(await this.repository.claim(db, list.id, run))) {
      this.logger.info(
        { listId },
        'tracking list is held by another live worker; this job leaves it to that one',
      );
      return;
    }
    let isHeld = true;
    const stopBeating = keepBeating(
      heartbeatEveryMs(this.stallTiming),
      async () => {
        if (!(await this.repository.beat(db, list.id, run))) isHeld = false;
      },
      (error) => {
        // An outage is logged once by the connection watch; the chunk in progress meets it too and fails the job.
        if (!this.database.connection.noteFailure(error)) {
          this.logger.warn({ err: error, listId }, 'tracking list heartbeat failed');
        }
      },
    );
    const committer = list.committedBy ? await this.repository.findUser(db, list.committedBy) : undefined;
    const actor: AuditActor = committer ? { ...committer, roles: [] } : { system: 'tracking list' };
    const batchSize = options.batchSize ?? ISSUE_BATCH_SIZE;
    let outageSince: number | undefined;
    try {
      for (;;) {
        // Pages waiting on this process are answered before the next chunk starts.
        await yieldToOtherWork();
        let processed: number | 'given up';
        try {
          processed = await db.transaction().execute(async (trx) => {
            if (!isHeld || !(await this.repository.holds(trx, list.id, run))) return 'given up';
            const rows = await this.repository.nextReadyRows(trx, list.id, batchSize);
            if (options.rowByRow) for (const row of rows) await this.#rows.issueRow(trx, actor, list, row);
            else await this.#rows.issueChunk(trx, actor, list, rows);
            return rows.length;
          });
        } catch (error) {
          // A lost database rolls the chunk back (or, if the commit landed, its rows are no longer ready): wait
          // for it here and carry on within seconds of its return, rather than fail the job into the queue's
          // retry delay. A longer outage fails the job as any other error does.
          outageSince ??= Date.now();
          if (!isConnectionFailure(error) || Date.now() - outageSince > OUTAGE_PATIENCE_MS) throw error;
          await sleep(1_000);
          continue;
        }
        outageSince = undefined;
        if (processed === 'given up') {
          this.logger.warn({ listId }, 'tracking list was taken up by another worker; this one stops');
          return;
        }
        if (processed === 0) break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error, listId }, 'tracking list stopped; it resumes on retry');
      // With the database still gone this fails too; the list then stays running until its silence makes it
      // stalled, and the watch takes it up. The job's own error is the one that matters.
      await this.repository
        .release(db, list.id, run, { status: 'failed', lastError: message.slice(0, 500) })
        .catch((cleanup: unknown) => {
          if (!isConnectionFailure(cleanup)) throw cleanup;
        });
      throw error;
    } finally {
      stopBeating();
    }
    await db.transaction().execute(async (trx) => {
      const current = await this.repository.find(trx, list.id, true);
      await this.repository.release(trx, list.id, run);
      if (!current || current.counts.ready > 0) return;
      const finished = await this.repository.changeStatus(trx, list.id, ['running'], {
        status: 'done',
        finishedAt: this.clock.now(),
      });
      if (!finished) return;
      await this.audit.record(trx, actor, {
        action: 'tracking_list.issued',
        entityType: 'tracking_list',
        entityId: list.id,
        after: {
          issued: current.counts.issued,
          skipped: current.counts.skipped,
          failed: current.counts.failed,
        },
      });
    });
  }

  #assertOwner(actor: Actor, office: ReturnType<typeof officeFor>): void {
    if (!officesOf(actor).includes(office)) {
      throw forbidden(`This list is committed by the ${officeLabels[office].toLowerCase()}.`);
    }
  }
}

/** How long a running list waits for a lost database before its job fails and the queue retries it. */
const OUTAGE_PATIENCE_MS = 60_000;

/** Who resumes a stalled list when nobody pressed anything, in the audit log. */
const stallWatch: AuditActor = { system: 'tracking list watch' };

/** A list that stopped on a failure, or whose worker stopped beating: it may be taken up again at once. */
const isResumable = (list: TrackingListView): boolean => list.status === 'failed' || list.isStalled;

/** Why a list that is neither a preview nor resumable cannot be committed now. */
function notCommittable(list: TrackingListView, timing: StallTiming): AppError {
  if (list.status === 'queued' || list.status === 'running') {
    return invalidState(
      `This list is already being issued. If it stops moving, it can be resumed ${stallAfterSeconds(timing)} seconds after its worker was last heard from.`,
    );
  }
  if (list.status === 'preview') return invalidState('This list has not been committed yet.');
  return invalidState(`This list was already ${list.status === 'done' ? 'issued' : 'discarded'}.`);
}

/** The credit mode a line's program imposes, against what the line says: a problem sentence, or null. */
function modeProblem(program: IssuingProgram, said: CreditMode | null): string | null {
  if (program.creditType === 'hybrid') {
    return said
      ? null
      : `${program.title} is offered both for credit and not; credit_mode must say which (credit or non_credit).`;
  }
  if (said && said !== program.creditType) {
    return `${program.title} is ${program.creditType === 'credit' ? 'credit-bearing' : 'non-credit'}, but credit_mode says ${said}.`;
  }
  return null;
}

/** The distinct non-empty values, for a lookup. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}

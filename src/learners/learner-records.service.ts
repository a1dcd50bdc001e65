import type { AuditActor, AuditRecord, AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { conflict, type FieldProblem, forbidden, notFound, refused } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { type LearnerInput, readLearnerInput, repeatsWithin } from './learner-record-input.ts';
import type { LearnerRecordsRepository, StoredLearner } from './learner-records.repository.ts';
import { isOwnRecord, type LearnersAction, mayDo, OWN_RECORD_WRITE_REFUSAL } from './learners.policy.ts';
import { isUniqueViolation } from './learners.service.ts';
import type { RecordLinkingService } from './record-linking.service.ts';

export const LEARNERS_PAGE_SIZE = 50;
export const MAX_LEARNERS_PAGE_SIZE = 200;

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** One record of a write: its values as sent, and where its problems are reported (prefix, index). */
interface SentRecord {
  values: Readonly<Record<string, unknown>>;
  prefix: string;
  index?: number;
}

interface PlannedWrite {
  index: number;
  learner: LearnerInput;
  existing: StoredLearner | undefined;
  /** The stored record's student ID was typed in by its holder and this write proves it theirs. */
  isConfirming: boolean;
}

const compared = ['givenName', 'familyName', 'name', 'email', 'status'] as const;

/** What differs between the stored record and what the student system sent, by field. */
function changesOf(stored: StoredLearner, sent: LearnerInput, isConfirming: boolean) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of compared) {
    if (stored[field] !== sent[field]) {
      before[field] = stored[field];
      after[field] = sent[field];
    }
  }
  if (isConfirming) {
    before.identityConfirmed = false;
    after.identityConfirmed = true;
  }
  return { before, after, isChanged: Object.keys(after).length > 0 };
}

/**
 * Learner records as the student information system keeps them, through the JSON API: pages of them, one by
 * student ID, and idempotent upserts of one or many. A write is all or nothing: any refused record refuses the
 * batch (UNPROCESSABLE, each problem naming its item and field). Records written here without an account are
 * linked to the account that has proven their e-mail, if there is one (`RecordLinkingService`).
 */
export class LearnerRecordsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly recordLinking: RecordLinkingService,
    private readonly repository: LearnerRecordsRepository,
  ) {}

  /** One page of records, `page` from 1, narrowed by any of the filters. */
  async list(
    actor: AuditActor,
    filter: {
      q?: string;
      studentId?: string;
      email?: string;
      name?: string;
      page?: number;
      pageSize?: number;
    },
  ) {
    this.#authorize(actor, 'exchange_records');
    const page = Math.max(1, filter.page ?? 1);
    const pageSize = Math.min(MAX_LEARNERS_PAGE_SIZE, Math.max(1, filter.pageSize ?? LEARNERS_PAGE_SIZE));
    const { rows, total } = await this.repository.page(this.database.db, {
      q: filter.q,
      studentId: filter.studentId,
      email: filter.email,
      name: filter.name,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { learners: rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
  }

  async find(actor: AuditActor, studentId: string): Promise<StoredLearner> {
    this.#authorize(actor, 'exchange_records');
    const [record] = await this.repository.byStudentIds(this.database.db, [studentId]);
    if (!record) throw notFound('That learner');
    return record;
  }

  /** Creates or updates the record with this student ID; sending the same again changes nothing. */
  async upsert(actor: AuditActor, studentId: string, values: Readonly<Record<string, unknown>>) {
    this.#authorize(actor, 'keep_records');
    const [outcome] = await this.#write(actor, [{ values: { ...values, studentId }, prefix: '' }]);
    const [learner] = await this.repository.byStudentIds(this.database.db, [studentId]);
    return { outcome: outcome!, learner: learner! };
  }

  /** Creates or updates every record in one transaction, or none; the outcome of each, in order. */
  async upsertMany(actor: AuditActor, batch: readonly Readonly<Record<string, unknown>>[]) {
    this.#authorize(actor, 'keep_records');
    const outcomes = await this.#write(
      actor,
      batch.map((values, index) => ({ values, prefix: `[${index}].`, index })),
    );
    return batch.map((values, index) => ({
      index,
      studentId: String(values.studentId ?? '').trim(),
      outcome: outcomes[index]!,
    }));
  }

  /**
   * Creates the record of a learner the student system does not hold (a non-credit learner of continuing
   * education), as a member of a records office takes it from a list they keep, inside the caller's transaction.
   * It never changes a record: refused when the student ID or the e-mail is already on one, and, as every write
   * here, when the record would be the person's own. `source` says where it came from, in the audit entry.
   * Returns the new record's id.
   */
  async createWithin(
    trx: Tx,
    actor: Actor,
    values: { studentId: string; givenName: string; familyName: string; email: string },
    source: string,
  ): Promise<string> {
    this.#authorize(actor, 'keep_records');
    const [write] = await this.#plan(trx, actor, [
      { values: { ...values, status: 'non_degree_seeking' }, prefix: '' },
    ]);
    if (!write || write.existing) {
      throw refused(
        [{ field: 'studentId', reason: 'is already on a learner record' }],
        'The learner record was not created: a record with this student ID exists already.',
      );
    }
    const id = newId();
    await this.repository.insert(trx, id, write.learner);
    await this.audit.record(trx, actor, {
      action: 'learner.created',
      entityType: 'learner',
      entityId: id,
      after: { ...write.learner, identityConfirmed: true, by: source },
    });
    // Someone may already have proven this address on an account of their own.
    await this.recordLinking.linkVerifiedAccountWithin(trx, id, actor.id);
    return id;
  }

  async #write(actor: AuditActor, sent: readonly SentRecord[]): Promise<UpsertOutcome[]> {
    try {
      return await this.database.db.transaction().execute(async (trx) => {
        const plan = await this.#plan(trx, actor, sent);
        const outcomes: UpsertOutcome[] = [];
        for (const write of plan) outcomes.push(await this.#apply(trx, actor, write));
        return outcomes;
      });
    } catch (error) {
      // Checked inside the transaction, so only a write running at the same moment can get here.
      if (
        isUniqueViolation(error, 'learners_email_key') ||
        isUniqueViolation(error, 'learners_student_id_key')
      ) {
        throw conflict('Another request changed these learner records at the same moment. Send them again.');
      }
      throw error;
    }
  }

  /** Reads and checks every record against the others and the stored ones; refuses them all if any is wrong. */
  async #plan(trx: Tx, actor: AuditActor, sent: readonly SentRecord[]): Promise<PlannedWrite[]> {
    const problems: FieldProblem[] = [];
    const place = (at: SentRecord, problem: FieldProblem): FieldProblem => ({
      field: `${at.prefix}${problem.field}`,
      reason: problem.reason,
      ...(at.index === undefined ? {} : { index: at.index }),
    });
    const valid: { index: number; learner: LearnerInput }[] = [];
    sent.forEach((at, index) => {
      const reading = readLearnerInput(at.values);
      if (reading.ok) valid.push({ index, learner: reading.learner });
      else problems.push(...reading.problems.map((p) => place(at, p)));
    });
    problems.push(...repeatsWithin(valid).map((p) => place(sent[p.index!]!, p)));

    const [byId, byEmail] = await Promise.all([
      this.repository.byStudentIds(
        trx,
        valid.map((v) => v.learner.studentId),
      ),
      this.repository.byEmails(
        trx,
        valid.map((v) => v.learner.email),
      ),
    ]);
    const recordOf = new Map(byId.map((r) => [r.studentId.toUpperCase(), r]));
    const holderOf = new Map(byEmail.map((r) => [r.email.toLowerCase(), r]));
    const plan: PlannedWrite[] = [];
    for (const { index, learner } of valid) {
      const at = sent[index]!;
      const existing = recordOf.get(learner.studentId.toUpperCase());
      const holder = holderOf.get(learner.email);
      if (holder && holder.id !== existing?.id) {
        problems.push(place(at, { field: 'email', reason: 'is already on another learner record' }));
      }
      const isOwn =
        'id' in actor &&
        ((existing !== undefined && isOwnRecord(actor, existing)) ||
          isOwnRecord(actor, { userId: null, email: learner.email }));
      if (isOwn) {
        // A person writing through the API speaks for the student system; about themselves, another must.
        problems.push(place(at, { field: 'studentId', reason: OWN_RECORD_WRITE_REFUSAL }));
      }
      const isUnconfirmed = existing !== undefined && !existing.identityConfirmed;
      if (isUnconfirmed && existing.email !== learner.email) {
        // The learner typed this ID in; the student system names someone else for it, so it may not be theirs.
        problems.push(
          place(at, {
            field: 'studentId',
            reason:
              'is on a record whose holder typed the ID in, with another e-mail than the one sent; check who ' +
              'this student is before changing it',
          }),
        );
      }
      plan.push({ index, learner, existing, isConfirming: isUnconfirmed });
    }
    if (problems.length > 0) {
      throw refused(
        problems,
        sent.length === 1 && sent[0]!.index === undefined
          ? 'The learner record was not saved: some fields need attention.'
          : 'Some learner records need attention; nothing was saved.',
      );
    }
    return plan;
  }

  async #apply(trx: Tx, actor: AuditActor, write: PlannedWrite): Promise<UpsertOutcome> {
    const { learner, existing } = write;
    let entry: AuditRecord;
    let id: string;
    if (!existing) {
      id = newId();
      await this.repository.insert(trx, id, learner);
      entry = {
        action: 'learner.created',
        entityType: 'learner',
        entityId: id,
        after: { ...learner, identityConfirmed: true, by: 'student system' },
      };
    } else {
      const { before, after, isChanged } = changesOf(existing, learner, write.isConfirming);
      if (!isChanged) return 'unchanged';
      id = existing.id;
      await this.repository.update(trx, id, learner, true);
      entry = {
        action: 'learner.updated',
        entityType: 'learner',
        entityId: id,
        before,
        after: { ...after, studentId: existing.studentId, by: 'student system' },
      };
    }
    await this.audit.record(trx, actor, entry);
    // A record the student system sends may carry the address someone has already proven on their account.
    if (!existing?.userId) {
      await this.recordLinking.linkVerifiedAccountWithin(trx, id, 'id' in actor ? actor.id : null);
    }
    return existing ? 'updated' : 'created';
  }

  /** People need a records office role; an integration was let in by the route's scope. */
  #authorize(actor: AuditActor, action: LearnersAction): void {
    if ('system' in actor) return;
    if (!mayDo(actor, action)) {
      throw forbidden('Only the registrar, the credentials office and administrators keep learner records.');
    }
  }
}

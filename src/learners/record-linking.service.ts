import type { AccountEmailVerified } from '../accounts/accounts.events.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../platform/errors.ts';
import {
  canUnlinkAccount,
  type LinkRefusal,
  linkRefusalMessages,
  linkRefusalOf,
  mayDo,
} from './learners.policy.ts';
import type { LearnerRecord, LearnersRepository } from './learners.repository.ts';
import { isUniqueViolation } from './learners.service.ts';

const STAFF_ONLY = 'Only the registrar, the credentials office and administrators link accounts to records.';

/**
 * Joins learner records to the accounts of the people they describe. Automatically only through a proven
 * address (the account's owner opened a link mailed to it, and the record carries that address); otherwise staff
 * do it, knowingly and audited. One record never has two people, one person never has two records.
 */
export class RecordLinkingService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly repository: LearnersRepository,
  ) {}

  /** Subscriber of `account.email_verified`: the record carrying the proven address becomes the account's. */
  async onEmailVerified(trx: Db, event: AccountEmailVerified): Promise<void> {
    const record = await this.repository.findLearnerByEmail(trx, event.email);
    if (record) await this.#autoLink(trx, record, event.userId, `verified e-mail (${event.how})`);
  }

  /**
   * For a record created or imported without an account: links it to the account that has proven the record's
   * address, if there is one, inside the caller's transaction. `writtenBy` is the member of staff who wrote the
   * record (null for the student system itself): never their own account, as when they link by hand.
   */
  async linkVerifiedAccountWithin(
    trx: Db,
    learnerId: string,
    writtenBy: string | null = null,
  ): Promise<void> {
    const record = await this.repository.findLearnerById(trx, learnerId);
    if (!record || record.userId) return;
    const account = await this.accounts.verifiedAccountByEmail(trx, record.email);
    if (account) await this.#autoLink(trx, record, account.id, 'record with a verified e-mail', writtenBy);
  }

  /**
   * Links the account to the learner record carrying the student ID that the university's identity provider
   * asserts for it, inside the caller's transaction. Never to a record that is someone else's, and never when the
   * account already has a record with another student ID: either conflict is returned for the caller to refuse the
   * sign-in, roll its transaction back and audit why (an audit row written here would roll back with it).
   */
  async linkByStudentIdWithin(
    trx: Db,
    userId: string,
    studentId: string,
    by: string,
  ): Promise<
    'linked' | 'already_linked' | 'no_record' | 'record_has_another_account' | 'student_id_differs'
  > {
    const own = await this.repository.findLearnerByUser(trx, userId);
    if (own) {
      const isSame = own.studentId.trim().toUpperCase() === studentId.trim().toUpperCase();
      return isSame ? 'already_linked' : 'student_id_differs';
    }
    const record = await this.repository.findLearnerByStudentId(trx, studentId);
    if (!record) return 'no_record';
    if (record.userId !== null) return 'record_has_another_account';
    await this.repository.setRecordAccount(trx, record.id, userId);
    await this.audit.record(trx, null, {
      action: 'learner.linked',
      entityType: 'learner',
      entityId: record.id,
      before: { userId: null },
      after: { userId, by },
    });
    return 'linked';
  }

  /** Whether the account is linked to a learner record (a person signing in through the provider, say). */
  async hasRecordWithin(trx: Db, userId: string): Promise<boolean> {
    return (await this.repository.findLearnerByUser(trx, userId)) !== undefined;
  }

  /** The linked account and, for a search, the accounts staff may choose from, with why each may not be linked. */
  async accountPanel(actor: Actor, record: LearnerRecord, search: string | undefined) {
    const canLink = mayDo(actor, 'link_accounts');
    if (!canLink) return { canLink, canUnlink: false, linked: null, candidates: [], search };
    const linked = record.userId ? ((await this.accounts.findUser(record.userId)) ?? null) : null;
    const found = search ? await this.accounts.findAccountsByEmail(search) : [];
    const db = this.database.db;
    const candidates = [];
    for (const account of found) {
      const refusal = await this.#refusal(db, actor, record, account.id, account.isEmailVerified);
      candidates.push({ ...account, refusal: refusal ? describe(refusal) : null });
    }
    return {
      canLink,
      canUnlink: canUnlinkAccount(actor, record),
      linked: linked && { id: linked.id, name: linked.name, email: linked.email },
      candidates,
      search,
    };
  }

  /** The record and the account side by side, for staff to confirm before linking. */
  async linkProposal(actor: Actor, learnerId: string, userId: string) {
    if (!mayDo(actor, 'link_accounts')) throw forbidden(STAFF_ONLY);
    const record = await this.repository.findLearnerById(this.database.db, learnerId);
    if (!record) throw notFound('That learner');
    const account = await this.accounts.findUser(userId);
    if (!account) throw notFound('That account');
    const verified = account.emailVerifiedAt !== null;
    const refusal = await this.#refusal(this.database.db, actor, record, userId, verified);
    return {
      record,
      account: { id: account.id, name: account.name, email: account.email },
      refusal: refusal ? describe(refusal) : null,
    };
  }

  /** Staff link an account to a record after checking the person; refused (and audited) against the rules. */
  async linkAccount(actor: Actor, learnerId: string, userId: string, isConfirmed: boolean): Promise<void> {
    if (!mayDo(actor, 'link_accounts')) throw forbidden(STAFF_ONLY);
    if (!isConfirmed) {
      throw invalid([
        { field: 'confirmed', reason: 'must be ticked once you have checked who this person is' },
      ]);
    }
    const refusal = await this.database.db
      .transaction()
      .execute(async (trx) => {
        const record = await this.repository.findLearnerById(trx, learnerId);
        if (!record) throw notFound('That learner');
        const verified = await this.accounts.isEmailVerified(trx, userId);
        const why = await this.#refusal(trx, actor, record, userId, verified);
        if (why === 'already_linked') return null;
        if (why) {
          await this.#auditRefusal(trx, actor, record, userId, why, 'staff');
          return why;
        }
        await this.repository.setRecordAccount(trx, record.id, userId);
        await this.audit.record(trx, actor, {
          action: 'learner.linked',
          entityType: 'learner',
          entityId: record.id,
          before: { userId: null },
          after: { userId, by: 'staff' },
        });
        return null;
      })
      .catch((error: unknown) => {
        // Another request linked the account to a record in between: the unique key keeps one record each.
        if (isUniqueViolation(error, 'learners_user_id_key')) return 'account_has_another_record' as const;
        throw error;
      });
    if (refusal) throw conflict(describe(refusal));
  }

  /** Staff unlink a record's account (a wrong link); the account keeps everything else. */
  async unlinkAccount(actor: Actor, learnerId: string, isConfirmed: boolean): Promise<void> {
    if (!mayDo(actor, 'link_accounts')) throw forbidden(STAFF_ONLY);
    if (!isConfirmed) {
      throw invalid([{ field: 'confirmUnlink', reason: 'must be ticked to unlink the account' }]);
    }
    await this.database.db.transaction().execute(async (trx) => {
      const record = await this.repository.findLearnerById(trx, learnerId);
      if (!record) throw notFound('That learner');
      if (!record.userId) return;
      if (!canUnlinkAccount(actor, record)) throw forbidden(linkRefusalMessages.own_account);
      await this.repository.setRecordAccount(trx, record.id, null);
      await this.audit.record(trx, actor, {
        action: 'learner.unlinked',
        entityType: 'learner',
        entityId: record.id,
        before: { userId: record.userId },
        after: { userId: null, by: 'staff' },
      });
    });
  }

  async #refusal(
    db: Db,
    actor: Pick<Actor, 'id'> | null,
    record: LearnerRecord,
    userId: string,
    verified: boolean,
  ) {
    const accountRecord = await this.repository.findLearnerByUser(db, userId);
    return linkRefusalOf({
      recordId: record.id,
      recordUserId: record.userId,
      userId,
      accountRecordId: accountRecord?.id ?? null,
      isEmailVerified: verified,
      actorId: actor?.id ?? null,
    });
  }

  async #autoLink(
    trx: Db,
    record: LearnerRecord,
    userId: string,
    because: string,
    writtenBy: string | null = null,
  ): Promise<void> {
    const verified = await this.accounts.isEmailVerified(trx, userId);
    const why = await this.#refusal(
      trx,
      writtenBy === null ? null : { id: writtenBy },
      record,
      userId,
      verified,
    );
    if (why === 'already_linked') return;
    if (why) return this.#auditRefusal(trx, null, record, userId, why, because);
    await this.repository.setRecordAccount(trx, record.id, userId);
    await this.audit.record(trx, null, {
      action: 'learner.linked',
      entityType: 'learner',
      entityId: record.id,
      before: { userId: null },
      after: { userId, by: because },
    });
  }

  async #auditRefusal(
    trx: Db,
    actor: Actor | null,
    record: LearnerRecord,
    userId: string,
    why: LinkRefusal,
    by: string,
  ): Promise<void> {
    await this.audit.record(trx, actor, {
      action: 'learner.link_refused',
      entityType: 'learner',
      entityId: record.id,
      after: { userId, linkedTo: record.userId, reason: why, by },
    });
  }
}

const describe = (refusal: LinkRefusal): string =>
  refusal === 'already_linked'
    ? 'This account is already linked to this record.'
    : linkRefusalMessages[refusal];

import type { Db } from '../platform/db/database.ts';
import type { ImportedBadgesTable } from './backpack.tables.ts';
import type { ImportedBadgeFacts } from './imported-badge.ts';

const listed = [
  'id',
  'format',
  'source',
  'title',
  'claimed_issuer_name as claimedIssuerName',
  'signer',
  'trust_level as trustLevel',
  'trust_message as trustMessage',
  'issued_on as issuedOn',
  'recipient_confirmed as recipientConfirmed',
  'checks',
  'checked_at as checkedAt',
  'created_at as createdAt',
] as const;

/** SQL for the badges learners bring from other issuers; every read is by their owner. */
export class ImportedBadgesRepository {
  /** Adds an imported badge; false when this learner already has it (same fingerprint). */
  async insert(
    db: Db,
    row: { id: string; userId: string; source: ImportedBadgesTable['source']; content: Buffer; now: Date },
    facts: ImportedBadgeFacts,
  ): Promise<boolean> {
    const result = await db
      .insertInto('imported_badges')
      .values({
        id: row.id,
        user_id: row.userId,
        source: row.source,
        content: row.content,
        checked_at: row.now,
        ...columnsOf(facts),
        fingerprint: facts.fingerprint,
      })
      .onConflict((oc) => oc.columns(['user_id', 'fingerprint']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  listOf(db: Db, userId: string) {
    return db
      .selectFrom('imported_badges')
      .select(listed)
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  findOwned(db: Db, userId: string, id: string) {
    return db
      .selectFrom('imported_badges')
      .select([...listed, 'content', 'fingerprint'])
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async update(db: Db, id: string, facts: ImportedBadgeFacts, now: Date): Promise<void> {
    await db
      .updateTable('imported_badges')
      .set({ ...columnsOf(facts), checked_at: now })
      .where('id', '=', id)
      .execute();
  }

  async remove(db: Db, userId: string, id: string): Promise<boolean> {
    const result = await db
      .deleteFrom('imported_badges')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

/** What a check may change: everything the verifier found, never the fingerprint or the bytes. */
const columnsOf = (facts: ImportedBadgeFacts) => ({
  format: facts.format,
  title: facts.title,
  claimed_issuer_name: facts.claimedIssuerName,
  signer: facts.signer,
  trust_level: facts.trustLevel,
  trust_message: facts.trustMessage,
  issued_on: facts.issuedOn,
  recipient_confirmed: facts.recipientConfirmed,
  checks: JSON.stringify(facts.checks),
});

export type ImportedBadgeListing = Awaited<ReturnType<ImportedBadgesRepository['listOf']>>[number];

import { type CompiledQuery, type InferResult, sql } from 'kysely';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { CompiledBatchLookup, CompiledLookup } from '../platform/db/compiled-lookup.ts';
import type { Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { programNames } from '../programs/programs.queries.ts';
import type { Acceptance, MailTemplateKind, RevocationCategory } from './backpack.tables.ts';

const lower = normaliseEmail;

/** SQL for backpack items, claim tokens and mail templates. */
export class BackpackRepository {
  /** Adds a badge to the backpack records; false when it is already there (an issuing job ran twice). */
  async insertItem(
    db: Db,
    item: { credentialId: string; learnerEmail: string; learnerName: string | null; programTitle: string },
  ): Promise<boolean> {
    const result = await db
      .insertInto('backpack_items')
      .values({
        credential_id: item.credentialId,
        learner_email: item.learnerEmail.trim(),
        learner_name: item.learnerName,
        program_title: item.programTitle,
      })
      .onConflict((oc) => oc.column('credential_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Adds many badges at once; returns the rows added (those already there are skipped, as above). */
  insertItems(
    db: Db,
    items: readonly {
      credentialId: string;
      learnerEmail: string;
      learnerName: string | null;
      programTitle: string;
    }[],
  ) {
    return db
      .insertInto('backpack_items')
      .values(
        items.map((item) => ({
          credential_id: item.credentialId,
          learner_email: item.learnerEmail.trim(),
          learner_name: item.learnerName,
          program_title: item.programTitle,
        })),
      )
      .onConflict((oc) => oc.column('credential_id').doNothing())
      .returningAll()
      .execute();
  }

  findItem(db: Db, credentialId: string) {
    return this.#item.first(db, credentialId);
  }

  // Claims and status changes read one item, in their transaction: compiled once (see CompiledLookup).
  readonly #item = new CompiledLookup((db, credentialId) =>
    db.selectFrom('backpack_items').selectAll().where('credential_id', '=', credentialId),
  );

  /** The items of the credentials in `credentialIds` (lower-case UUIDs) that have one, in no particular order. */
  findItems(db: Db, credentialIds: readonly string[]) {
    return this.#items.rows(db, credentialIds);
  }

  // Every badge page reads its item, and pages requested together share one read (see CompiledBatchLookup).
  readonly #items = new CompiledBatchLookup((db, credentialIds) =>
    db
      .selectFrom('backpack_items')
      .selectAll()
      .where('credential_id', '=', sql<string>`any(${credentialIds}::uuid[])`),
  );

  /**
   * Credentials' facts for verification reports, public or hidden (the verifier needs the status of both), with
   * the earner's name choice if recorded; one row per id found, in no particular order. `credentialIds` must be
   * UUIDs (a uuid array is the query's one parameter).
   */
  async badgeSummaries(db: Db, credentialIds: readonly string[]) {
    // Built and compiled once: every verification of one of our badges asks it, and building the query (two
    // published subqueries and a join) cost Kysely more CPU than PostgreSQL took to answer it.
    this.#badgeSummaries ??= badgeSummariesQuery(db, SUMMARY_IDS).compile();
    const compiled = this.#badgeSummaries;
    const parameters = compiled.parameters.map((value) => (value === SUMMARY_IDS ? credentialIds : value));
    const { rows } = await db.executeQuery<BadgeSummaryRow>({ ...compiled, parameters });
    return rows;
  }

  #badgeSummaries: CompiledQuery<BadgeSummaryRow> | undefined;

  lockItem(db: Db, credentialId: string) {
    return db
      .selectFrom('backpack_items')
      .selectAll()
      .where('credential_id', '=', credentialId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** A person's badges: those they claimed and those still waiting under any of their addresses. */
  itemsOf(db: Db, userId: string, emails: readonly string[]) {
    const addresses = emails.length > 0 ? emails.map(lower) : [''];
    return db
      .selectFrom('backpack_items')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('claimed_by_user_id', '=', userId),
          eb.and([eb('claimed_at', 'is', null), eb(sql`lower(learner_email)`, 'in', addresses)]),
        ]),
      )
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  /** Badges still waiting to be claimed under an address. */
  unclaimedFor(db: Db, email: string) {
    return db
      .selectFrom('backpack_items')
      .selectAll()
      .where(sql`lower(learner_email)`, '=', lower(email))
      .where('claimed_at', 'is', null)
      .execute();
  }

  async markClaimed(db: Db, credentialId: string, userId: string, at: Date): Promise<boolean> {
    const result = await db
      .updateTable('backpack_items')
      // Claiming is the learner taking the badge: it counts as accepting it (see migration 0047).
      .set({ claimed_at: at, claimed_by_user_id: userId, acceptance: 'accepted', acceptance_changed_at: at })
      .where('credential_id', '=', credentialId)
      .where('claimed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setAcceptance(db: Db, credentialId: string, acceptance: Acceptance, at: Date): Promise<void> {
    await db
      .updateTable('backpack_items')
      .set({ acceptance, acceptance_changed_at: at })
      .where('credential_id', '=', credentialId)
      .execute();
  }

  async setShowName(db: Db, credentialId: string, showName: boolean): Promise<void> {
    await db
      .updateTable('backpack_items')
      .set({ show_name: showName })
      .where('credential_id', '=', credentialId)
      .execute();
  }

  async setRevocationCategory(
    db: Db,
    credentialId: string,
    category: RevocationCategory | null,
  ): Promise<void> {
    await db
      .updateTable('backpack_items')
      .set({ revocation_category: category })
      .where('credential_id', '=', credentialId)
      .execute();
  }

  // ---- claim tokens ----

  async insertToken(
    db: Db,
    token: { tokenHash: string; credentialId: string; createdAt: Date; expiresAt: Date },
  ): Promise<void> {
    await db
      .insertInto('claim_tokens')
      .values({
        token_hash: token.tokenHash,
        credential_id: token.credentialId,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  async insertTokens(
    db: Db,
    tokens: readonly { tokenHash: string; credentialId: string; createdAt: Date; expiresAt: Date }[],
  ): Promise<void> {
    if (tokens.length === 0) return;
    await db
      .insertInto('claim_tokens')
      .values(
        tokens.map((token) => ({
          token_hash: token.tokenHash,
          credential_id: token.credentialId,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
        })),
      )
      .execute();
  }

  findToken(db: Db, tokenHash: string) {
    return db.selectFrom('claim_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Marks a live token used and returns its badge; the update is the claim, so a token works once. */
  async spendToken(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
    const row = await db
      .updateTable('claim_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('credential_id')
      .executeTakeFirst();
    return row?.credential_id;
  }

  /** Ends every unused link of a badge (a new one replaces them, or the badge was claimed another way). */
  async expireTokensOf(db: Db, credentialId: string, now: Date): Promise<void> {
    await db
      .updateTable('claim_tokens')
      .set({ expires_at: now })
      .where('credential_id', '=', credentialId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
  }

  async latestTokenAt(db: Db, credentialId: string): Promise<Date | undefined> {
    const row = await db
      .selectFrom('claim_tokens')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return row?.at ? new Date(row.at) : undefined;
  }

  // ---- mail templates ----

  findTemplate(db: Db, kind: MailTemplateKind) {
    return db.selectFrom('mail_templates').selectAll().where('kind', '=', kind).executeTakeFirst();
  }

  async saveTemplate(
    db: Db,
    kind: MailTemplateKind,
    template: { subject: string; text: string; html: string },
    userId: string,
    at: Date,
  ): Promise<void> {
    const values = {
      subject: template.subject,
      text_body: template.text,
      html_body: template.html,
      updated_at: at,
      updated_by: userId,
    };
    await db
      .insertInto('mail_templates')
      .values({ kind, ...values })
      .onConflict((oc) => oc.column('kind').doUpdateSet(values))
      .execute();
  }

  async deleteTemplate(db: Db, kind: MailTemplateKind): Promise<void> {
    await db.deleteFrom('mail_templates').where('kind', '=', kind).execute();
  }
}

/** Stands for the credential ids in the compiled badge summaries; no list of ids is this one. */
const SUMMARY_IDS: readonly string[] = ['badge-summaries:credential-ids'];

function badgeSummariesQuery(db: Db, credentialIds: readonly string[]) {
  return db
    .selectFrom(credentialStatuses(db).as('c'))
    .innerJoin(programNames(db).as('p'), 'p.id', 'c.program_id')
    .leftJoin('backpack_items as b', 'b.credential_id', 'c.id')
    .select([
      'c.id',
      'c.recipient_name',
      'c.status',
      'c.is_public',
      'c.has_jwt',
      'p.slug as program_slug',
      'b.show_name',
      'b.acceptance',
    ])
    .where('c.id', '=', sql<string>`any(${credentialIds}::uuid[])`);
}

type BadgeSummaryRow = NonNullable<InferResult<ReturnType<typeof badgeSummariesQuery>>[number]>;

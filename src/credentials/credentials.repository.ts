import { sql } from 'kysely';
import { backpackClaims } from '../backpack/backpack.queries.ts';
import { courseRows, departmentNames } from '../catalog/catalog.queries.ts';
import { learnerRows } from '../learners/learners.queries.ts';
import { CompiledBatchLookup } from '../platform/db/compiled-lookup.ts';
import type { Db } from '../platform/db/database.ts';
import { LISTED_STATES } from '../programs/program-vocabulary.ts';
import { programCourseRows, programRecords } from '../programs/programs.queries.ts';
import type { StatusPurpose } from './credential-types.ts';
import { credentialStatuses } from './credentials.queries.ts';
import type { CredentialStatusName, CredentialsTable, RevocationCategory } from './credentials.tables.ts';

/** Bytes from either driver (pg gives a Buffer, PGlite a Uint8Array), as a private copy. */
const bytesOf = (value: Uint8Array): Uint8Array => new Uint8Array(value);
/** Rows per multi-row insert: well under PostgreSQL's 65,535 bound parameters (19 columns a row). */
const INSERT_CHUNK = 500;

/** SQL for issuer keys, status lists and issued credentials. */
export class CredentialsRepository {
  // ---- issuer keys ----

  activeKey(db: Db) {
    return db.selectFrom('issuer_keys').selectAll().where('retired_at', 'is', null).executeTakeFirst();
  }

  allKeys(db: Db) {
    return db.selectFrom('issuer_keys').selectAll().orderBy('created_at').orderBy('key_id').execute();
  }

  findKey(db: Db, id: string) {
    return db.selectFrom('issuer_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findKeyByPublicKey(db: Db, publicKeyMultibase: string) {
    return db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('public_key_multibase', '=', publicKeyMultibase)
      .executeTakeFirst();
  }

  async countKeys(db: Db): Promise<number> {
    const row = await db
      .selectFrom('issuer_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Inserts a key; returns false when another process made the active key first (the one-active index). */
  async insertKey(
    db: Db,
    key: { id: string; keyId: string; publicKeyMultibase: string; privateKeySealed: string },
  ): Promise<boolean> {
    const result = await db
      .insertInto('issuer_keys')
      .values({
        id: key.id,
        key_id: key.keyId,
        public_key_multibase: key.publicKeyMultibase,
        private_key_sealed: key.privateKeySealed,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async retireKey(db: Db, id: string, at: Date): Promise<void> {
    await db.updateTable('issuer_keys').set({ retired_at: at }).where('id', '=', id).execute();
  }

  // ---- status lists ----

  /** A list of this issuer and purpose with room left, locked for the caller's transaction. */
  async lockOpenList(db: Db, issuerDid: string, purpose: StatusPurpose) {
    return db
      .selectFrom('status_lists')
      .select(['id', 'size', 'allocated'])
      .where('issuer_did', '=', issuerDid)
      .where('purpose', '=', purpose)
      .where(sql<boolean>`allocated < size`)
      .orderBy('created_at')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
  }

  async insertList(
    db: Db,
    list: { id: string; issuerDid: string; purpose: StatusPurpose; size: number; bits: Uint8Array },
  ): Promise<void> {
    await db
      .insertInto('status_lists')
      .values({
        id: list.id,
        issuer_did: list.issuerDid,
        purpose: list.purpose,
        size: list.size,
        bits: list.bits,
      })
      .execute();
  }

  /**
   * The entries of a list held by a credential: all of them, or (with `among`) those of the candidates.
   *
   * The candidates are looked up one by one on the list's unique key (a lateral lookup with a limit is never turned
   * into a join): asked as `index in (…)`, the planner read every credential of the list whenever its statistics
   * did not yet count the list's own (a new list fills faster than autovacuum analyzes it): on PostgreSQL, 2.6 ms a
   * call at the start of a 40,000-row tracking list and 15 ms at its end, the list taken for 173 credentials.
   */
  async takenIndexes(
    db: Db,
    listId: string,
    purpose: StatusPurpose,
    among?: readonly number[],
  ): Promise<Set<number>> {
    if (among?.length === 0) return new Set();
    const [list, index] =
      purpose === 'revocation'
        ? (['revocation_list_id', 'revocation_index'] as const)
        : (['suspension_list_id', 'suspension_index'] as const);
    if (among === undefined) {
      const rows = await db
        .selectFrom('credentials')
        .select(`${index} as index`)
        .where(list, '=', listId)
        .execute();
      return new Set(rows.flatMap((row) => (row.index === null ? [] : [row.index])));
    }
    const { rows } = await sql<{ index: number }>`
      select k.i as index from unnest(${[...among]}::int[]) as k(i)
      cross join lateral (
        select 1 from credentials c where c.${sql.ref(list)} = ${listId} and c.${sql.ref(index)} = k.i limit 1
      ) held`.execute(db);
    return new Set(rows.map((row) => row.index));
  }

  async countAllocation(db: Db, listId: string, entries = 1): Promise<void> {
    await db
      .updateTable('status_lists')
      .set((eb) => ({ allocated: eb('allocated', '+', entries) }))
      .where('id', '=', listId)
      .execute();
  }

  /** The list's bits, locked until the caller's transaction ends. */
  async lockBits(db: Db, listId: string): Promise<Uint8Array> {
    const row = await db
      .selectFrom('status_lists')
      .select('bits')
      .where('id', '=', listId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return bytesOf(row.bits);
  }

  async saveBits(db: Db, listId: string, bits: Uint8Array): Promise<void> {
    await db
      .updateTable('status_lists')
      .set((eb) => ({ bits, version: eb('version', '+', 1) }))
      .where('id', '=', listId)
      .execute();
  }

  /** A list's version, which moves with every change of its bits; undefined for an unknown list. */
  async listVersion(db: Db, listId: string): Promise<number | undefined> {
    const row = await db
      .selectFrom('status_lists')
      .select('version')
      .where('id', '=', listId)
      .executeTakeFirst();
    return row?.version;
  }

  async findList(db: Db, listId: string) {
    const row = await db.selectFrom('status_lists').selectAll().where('id', '=', listId).executeTakeFirst();
    return row && { ...row, bits: bytesOf(row.bits) };
  }

  /** Keeps a signed copy, unless a newer version was signed meanwhile by another request or process. */
  async saveSignedList(db: Db, listId: string, signed: object, version: number): Promise<void> {
    await db
      .updateTable('status_lists')
      .set({ signed_json: JSON.stringify(signed), signed_version: version })
      .where('id', '=', listId)
      .where((eb) => eb.or([eb('signed_version', 'is', null), eb('signed_version', '<=', version)]))
      .execute();
  }

  // ---- credentials ----

  async insertCredential(
    db: Db,
    row: Omit<CredentialsTable, 'status' | 'is_public' | 'issued_at' | 'json'> & { json: object },
  ): Promise<void> {
    await db
      .insertInto('credentials')
      .values({ ...row, json: JSON.stringify(row.json) })
      .execute();
  }

  /** Many credentials in a few statements (a bulk issue writes hundreds per transaction). */
  async insertCredentials(
    db: Db,
    rows: readonly (Omit<CredentialsTable, 'status' | 'is_public' | 'issued_at' | 'json'> & {
      json: object;
    })[],
  ): Promise<void> {
    for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
      await db
        .insertInto('credentials')
        .values(rows.slice(at, at + INSERT_CHUNK).map((row) => ({ ...row, json: JSON.stringify(row.json) })))
        .execute();
    }
  }

  findCredential(db: Db, id: string) {
    return db
      .selectFrom('credentials as c')
      .innerJoin(programRecords(db).as('p'), 'p.id', 'c.program_id')
      .selectAll('c')
      .select(['p.slug as program_slug', 'p.title as program_title', 'p.status as program_status'])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /**
   * What badge pages show and check of credentials, the rows of those found in `ids` (lower-case UUIDs) in no
   * particular order: each one's JSON, standing, dates and program, and whether a VC-JWT copy exists (not the copy:
   * the page links to it, and reading kilobytes of text to test for null costs both sides on every page).
   */
  findShown(db: Db, ids: readonly string[]) {
    return this.#shown.rows(db, ids);
  }

  // Every badge page reads it, and pages requested together share one read: compiled once (see CompiledBatchLookup).
  readonly #shown = new CompiledBatchLookup((db, ids) =>
    db
      .selectFrom('credentials as c')
      .innerJoin(programRecords(db).as('p'), 'p.id', 'c.program_id')
      .select([
        'c.id',
        'c.json',
        'c.status',
        'c.status_changed_at',
        'c.is_public',
        'c.recipient_name',
        'c.valid_from',
        'c.valid_until',
        (eb) => eb('c.jwt', 'is not', null).as('has_jwt'),
        'p.slug as program_slug',
      ])
      .where('c.id', '=', sql<string>`any(${ids}::uuid[])`),
  );

  /**
   * What the verifier needs of one of our badges, public or hidden, without its (large) signed forms: the
   * registered status for every badge, and the facts a report shows when it is public.
   */
  findSummary(db: Db, id: string) {
    return db
      .selectFrom(credentialStatuses(db).as('c'))
      .innerJoin(programRecords(db).as('p'), 'p.id', 'c.program_id')
      .select(['c.id', 'c.recipient_name', 'c.status', 'c.is_public', 'c.has_jwt', 'p.slug as program_slug'])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /** The wallet copies re-issued from a credential, locked for a status change. */
  lockCopiesOf(db: Db, id: string) {
    return db
      .selectFrom('credentials')
      .select(['id', 'status', 'revocation_list_id', 'revocation_index'])
      .where('copy_of', '=', id)
      .orderBy('issued_at')
      .forUpdate()
      .execute();
  }

  lockCredential(db: Db, id: string) {
    return db.selectFrom('credentials').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async updateStatus(
    db: Db,
    id: string,
    change: { status: CredentialStatusName; reason: string; at: Date },
  ): Promise<void> {
    await db
      .updateTable('credentials')
      .set({ status: change.status, status_reason: change.reason, status_changed_at: change.at })
      .where('id', '=', id)
      .execute();
  }

  async setPublic(db: Db, id: string, isPublic: boolean): Promise<void> {
    await db.updateTable('credentials').set({ is_public: isPublic }).where('id', '=', id).execute();
  }

  /**
   * The credential a program's Open Badges 2.0 BadgeClass is read from: its most recently issued one, so the class
   * describes the achievement as it was last awarded. None before the first award, so drafts publish nothing.
   */
  latestCredentialOfProgram(db: Db, programId: string) {
    return db
      .selectFrom('credentials')
      .select(['id', 'json'])
      .where('program_id', '=', programId)
      .orderBy('issued_at', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  /** The category a revocation may be shown publicly under (kept by the backpack), or null. */
  async publicRevocationCategory(db: Db, credentialId: string): Promise<RevocationCategory | null> {
    const row = await db
      .selectFrom(backpackClaims(db).as('b'))
      .select('b.revocation_category')
      .where('b.credential_id', '=', credentialId)
      .executeTakeFirst();
    return row?.revocation_category ?? null;
  }

  // ---- programs and learners, read only ----

  findProgram(db: Db, by: { id: string } | { slug: string }) {
    const query = db
      .selectFrom(programRecords(db).as('p'))
      .innerJoin(departmentNames(db).as('d'), 'd.code', 'p.department_code')
      .selectAll('p')
      .select('d.name as department');
    return (
      'id' in by ? query.where('p.id', '=', by.id) : query.where('p.slug', '=', by.slug)
    ).executeTakeFirst();
  }

  /** The office that issues a program's badges, for credentials issued outside an office's award. */
  async programIssuingOffice(db: Db, programId: string): Promise<'registrar' | 'credentials_office'> {
    const row = await db
      .selectFrom(programRecords(db).as('p'))
      .select('issuing_office')
      .where('id', '=', programId)
      .executeTakeFirstOrThrow();
    return row.issuing_office;
  }

  findListedProgram(db: Db, slug: string) {
    return (
      db
        .selectFrom(programRecords(db).as('p'))
        .select(['id', 'slug', 'title', 'level', 'status', 'credits_max', 'credit_type', 'updated_at'])
        .where('slug', '=', slug)
        // Badge artwork is public for the catalog's listed programs, never for drafts or proposals.
        .where('status', 'in', LISTED_STATES)
        .executeTakeFirst()
    );
  }

  courseTitles(db: Db, programId: string) {
    return db
      .selectFrom(programCourseRows(db).as('pc'))
      .innerJoin(courseRows(db).as('c'), 'c.code', 'pc.course_code')
      .select(['c.code', 'c.title'])
      .where('pc.program_id', '=', programId)
      .orderBy('pc.position')
      .execute();
  }

  /** The learner record a credential was awarded to: its linked account, if any, and its address. */
  async holderOf(
    db: Db,
    learnerId: string | null,
  ): Promise<{ holderUserId: string | null; holderEmail: string | null }> {
    if (learnerId === null) return { holderUserId: null, holderEmail: null };
    const row = await db
      .selectFrom(learnerRows(db).as('l'))
      .select(['user_id', 'email'])
      .where('id', '=', learnerId)
      .executeTakeFirst();
    return { holderUserId: row?.user_id ?? null, holderEmail: row?.email ?? null };
  }

  /** The addresses of the learner records linked to an account. */
  async linkedLearnerEmails(db: Db, userId: string): Promise<string[]> {
    const rows = await db
      .selectFrom(learnerRows(db).as('l'))
      .select('email')
      .where('user_id', '=', userId)
      .execute();
    return rows.map((row) => row.email);
  }

  /** The ids among `ids` that are learners of this institution. */
  async existingLearners(db: Db, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom(learnerRows(db).as('l'))
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    return new Set(rows.map((row) => row.id));
  }
}

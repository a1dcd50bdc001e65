import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { ClaimMapping, IdentityProvidersTable, SsoAttemptsTable, SsoProtocol } from './sso.tables.ts';

/** A provider as stored (the client secret still sealed). */
export type ProviderRow = Selectable<IdentityProvidersTable>;
export type AttemptRow = Selectable<SsoAttemptsTable>;

/** The fields an administrator sets on a provider. */
export interface ProviderFields {
  slug: string;
  button_label: string;
  protocol: SsoProtocol;
  discovery_url: string | null;
  client_id: string | null;
  idp_metadata_url: string | null;
  idp_metadata_xml: string | null;
  mapping: ClaimMapping;
  email_domains: string[];
  is_enabled: boolean;
}

/** SQL for identity providers, linked identities, sign-in attempts and the sign-in settings. */
export class SsoRepository {
  listProviders(db: Db): Promise<ProviderRow[]> {
    return db.selectFrom('identity_providers').selectAll().orderBy('button_label').orderBy('id').execute();
  }

  findProvider(db: Db, by: { id: string } | { slug: string }): Promise<ProviderRow | undefined> {
    const query = db.selectFrom('identity_providers').selectAll();
    return (
      'id' in by ? query.where('id', '=', by.id) : query.where('slug', '=', by.slug)
    ).executeTakeFirst();
  }

  async insertProvider(
    db: Db,
    id: string,
    fields: ProviderFields,
    sealedSecret: string | null,
  ): Promise<void> {
    await db
      .insertInto('identity_providers')
      .values({ id, ...fields, mapping: JSON.stringify(fields.mapping), client_secret_sealed: sealedSecret })
      .execute();
  }

  /** Changes a provider's settings; the sealed secret only when a new one is given (`undefined` keeps it). */
  async updateProvider(
    db: Db,
    id: string,
    fields: ProviderFields,
    sealedSecret: string | undefined,
    at: Date,
  ): Promise<void> {
    await db
      .updateTable('identity_providers')
      .set({
        ...fields,
        mapping: JSON.stringify(fields.mapping),
        updated_at: at,
        ...(sealedSecret === undefined ? {} : { client_secret_sealed: sealedSecret }),
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteProvider(db: Db, id: string): Promise<void> {
    await db.deleteFrom('identity_providers').where('id', '=', id).execute();
  }

  async findIdentity(db: Db, providerId: string, subject: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('sso_identities')
      .select('user_id')
      .where('provider_id', '=', providerId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_id;
  }

  /** Whether the account is linked to some other identity at this provider. */
  async hasOtherIdentity(db: Db, providerId: string, userId: string, subject: string): Promise<boolean> {
    const row = await db
      .selectFrom('sso_identities')
      .select('subject')
      .where('provider_id', '=', providerId)
      .where('user_id', '=', userId)
      .where('subject', '<>', subject)
      .executeTakeFirst();
    return row !== undefined;
  }

  async linkIdentity(db: Db, providerId: string, subject: string, userId: string, at: Date): Promise<void> {
    await db
      .insertInto('sso_identities')
      .values({ provider_id: providerId, subject, user_id: userId, last_sign_in_at: at })
      .execute();
  }

  async touchIdentity(db: Db, providerId: string, subject: string, at: Date): Promise<void> {
    await db
      .updateTable('sso_identities')
      .set({ last_sign_in_at: at })
      .where('provider_id', '=', providerId)
      .where('subject', '=', subject)
      .execute();
  }

  async countIdentities(db: Db, providerId: string): Promise<number> {
    const row = await db
      .selectFrom('sso_identities')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('provider_id', '=', providerId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertAttempt(db: Db, attempt: Omit<AttemptRow, 'used_at' | 'created_at'>): Promise<void> {
    await db.insertInto('sso_attempts').values(attempt).execute();
  }

  /** Spends a live attempt and returns it; a second call, or one after it expired, finds nothing. */
  claimAttempt(db: Db, id: string, now: Date): Promise<AttemptRow | undefined> {
    return db
      .updateTable('sso_attempts')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  /** Removes attempts that ended a day ago or more (kept that long only to tell a replay from a stranger). */
  async forgetOldAttempts(db: Db, before: Date): Promise<void> {
    await db.deleteFrom('sso_attempts').where('expires_at', '<', before).execute();
  }

  async settings(db: Db) {
    const row = await db
      .selectFrom('sso_settings')
      .select(['staff_passwords_off as staffPasswordsOff', 'break_glass_user_id as breakGlassUserId'])
      .executeTakeFirst();
    return row ?? { staffPasswordsOff: false, breakGlassUserId: null };
  }

  async saveSettings(
    db: Db,
    settings: { staffPasswordsOff: boolean; breakGlassUserId: string | null },
    at: Date,
  ): Promise<void> {
    await db
      .updateTable('sso_settings')
      .set({
        staff_passwords_off: settings.staffPasswordsOff,
        break_glass_user_id: settings.breakGlassUserId,
        updated_at: at,
      })
      .execute();
  }

  /** The site's SAML key pair, if made yet. */
  serviceProviderKeys(db: Db) {
    return db
      .selectFrom('saml_service_provider')
      .select(['private_key_sealed', 'certificate'])
      .executeTakeFirst();
  }

  /** Keeps a new key pair unless another process kept one first; either way the stored one is returned. */
  async keepServiceProviderKeys(db: Db, keys: { private_key_sealed: string; certificate: string }) {
    await db
      .insertInto('saml_service_provider')
      .values(keys)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return (await this.serviceProviderKeys(db))!;
  }

  /**
   * Remembers an accepted assertion until it expires; false when it was already accepted (a replay). Expired ones
   * are forgotten on the way, since their time conditions alone refuse them from then on.
   */
  async rememberAssertion(
    db: Db,
    providerId: string,
    assertionId: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    await db.deleteFrom('saml_assertions_seen').where('expires_at', '<', now).execute();
    const row = await db
      .insertInto('saml_assertions_seen')
      .values({ provider_id: providerId, assertion_id: assertionId, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['provider_id', 'assertion_id']).doNothing())
      .returning('assertion_id')
      .executeTakeFirst();
    return row !== undefined;
  }
}

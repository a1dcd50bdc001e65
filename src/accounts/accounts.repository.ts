import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import type { Role } from '../platform/roles.ts';

export interface UserWithRoles {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'invited' | 'disabled';
  passwordHash: string | null;
  roles: Role[];
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Null until the owner opens a link mailed to the address: such an address proves nothing about its owner. */
  emailVerifiedAt: Date | null;
}

/** A search of names and e-mails as plain text: a typed % or _ matches itself, not any characters. */
function matches(search: string | undefined) {
  const text = search?.trim().toLowerCase();
  if (!text) return sql<boolean>`true`;
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`(lower(u.email) like ${like} or lower(u.name) like ${like})`;
}
/** What a one-time link is for. */
export type TokenPurpose = 'reset' | 'invite' | 'verify';

/** SQL for people, their roles, sessions and one-time tokens. */
export class AccountsRepository {
  #userQuery(db: Db) {
    return db
      .selectFrom('users as u')
      .select([
        'u.id',
        'u.email',
        'u.name',
        'u.status',
        'u.password_hash as passwordHash',
        'u.last_login_at as lastLoginAt',
        'u.created_at as createdAt',
        'u.email_verified_at as emailVerifiedAt',
        sql<
          Role[]
        >`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id), '{}')`.as(
          'roles',
        ),
      ]);
  }

  findUserByEmail(db: Db, email: string): Promise<UserWithRoles | undefined> {
    return this.#userQuery(db).where(sql`lower(u.email)`, '=', normaliseEmail(email)).executeTakeFirst();
  }

  /**
   * The account that signs in with this address: its primary address, or one of its extra addresses once proven
   * (an unproven extra address opens nothing).
   */
  findUserBySignInAddress(db: Db, email: string): Promise<UserWithRoles | undefined> {
    const address = normaliseEmail(email);
    return this.#userQuery(db)
      .where((eb) =>
        eb.or([
          eb(sql`lower(u.email)`, '=', address),
          eb(
            'u.id',
            'in',
            eb
              .selectFrom('account_emails')
              .select('user_id')
              .where(sql`lower(email)`, '=', address)
              .where('verified_at', 'is not', null),
          ),
        ]),
      )
      .executeTakeFirst();
  }

  findUserById(db: Db, id: string): Promise<UserWithRoles | undefined> {
    return this.#userQuery(db).where('u.id', '=', id).executeTakeFirst();
  }

  listUsers(db: Db, search: string | undefined): Promise<UserWithRoles[]> {
    return this.#userQuery(db).where(matches(search)).orderBy('u.name').limit(500).execute();
  }

  /** One page of people, by name, matching a search of names and e-mails. */
  listUsersPage(
    db: Db,
    search: string | undefined,
    page: { limit: number; offset: number },
  ): Promise<UserWithRoles[]> {
    return this.#userQuery(db)
      .where(matches(search))
      .orderBy('u.name')
      .orderBy('u.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  }

  async countUsers(db: Db, search: string | undefined): Promise<number> {
    const row = await db
      .selectFrom('users as u')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(matches(search))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Serialises changes that could take the last administrator away: two administrators demoting each other at
   * the same moment must not both see the other still in place. Held until the transaction ends.
   */
  async lockAdministrators(trx: Db): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext('stackable.administrators'))`.execute(trx);
  }

  async countActiveAdministrators(db: Db): Promise<number> {
    const row = await db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('r.role', '=', 'admin')
      .where('u.status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Whether anyone holds the administrator role, whatever the state of their account. */
  async hasAnyAdministrator(db: Db): Promise<boolean> {
    const row = await db
      .selectFrom('user_roles')
      .select('user_id')
      .where('role', '=', 'admin')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setStatus(db: Db, userId: string, status: 'active' | 'invited' | 'disabled'): Promise<void> {
    await db.updateTable('users').set({ status }).where('id', '=', userId).execute();
  }

  /** Spends every unused link of a person (all, or of one purpose), so an older one can no longer be followed. */
  async spendTokensOf(db: Db, userId: string, now: Date, purpose?: 'reset' | 'invite'): Promise<void> {
    let query = db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null);
    if (purpose) query = query.where('purpose', '=', purpose);
    await query.execute();
  }

  async insertUser(
    db: Db,
    user: {
      id: string;
      email: string;
      name: string;
      passwordHash: string | null;
      status: 'active' | 'invited';
      emailVerifiedAt: Date | null;
    },
  ): Promise<void> {
    await db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email.trim(),
        name: user.name.trim(),
        password_hash: user.passwordHash,
        status: user.status,
        email_verified_at: user.emailVerifiedAt,
      })
      .execute();
  }

  /** Accounts whose address contains `fragment`, for staff linking a learner record. */
  findUsersByEmail(db: Db, fragment: string, limit: number): Promise<UserWithRoles[]> {
    const like = `%${normaliseEmail(fragment).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.#userQuery(db)
      .where(sql`lower(u.email)`, 'like', like)
      .orderBy('u.email')
      .limit(limit)
      .execute();
  }

  /** Marks the address proven at `at`, once; true when this call proved it. */
  async markEmailVerified(db: Db, userId: string, at: Date): Promise<boolean> {
    const row = await db
      .updateTable('users')
      .set({ email_verified_at: at })
      .where('id', '=', userId)
      .where('email_verified_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Adds one role unless the person has it already; true when it was added. */
  async addRole(db: Db, userId: string, role: Role): Promise<boolean> {
    const row = await db
      .insertInto('user_roles')
      .values({ user_id: userId, role })
      .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
      .returning('role')
      .executeTakeFirst();
    return row !== undefined;
  }

  async replaceRoles(db: Db, userId: string, roles: readonly Role[]): Promise<void> {
    await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    if (roles.length === 0) return;
    await db
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: userId, role })))
      .execute();
  }

  async setPassword(db: Db, userId: string, passwordHash: string): Promise<void> {
    await db
      .updateTable('users')
      .set({ password_hash: passwordHash, status: 'active' })
      .where('id', '=', userId)
      .execute();
  }

  /** Removes the password: the account then opens only through single sign-on or a reset link. */
  async clearPassword(db: Db, userId: string): Promise<void> {
    await db.updateTable('users').set({ password_hash: null }).where('id', '=', userId).execute();
  }

  async recordLogin(db: Db, userId: string, at: Date): Promise<void> {
    await db.updateTable('users').set({ last_login_at: at }).where('id', '=', userId).execute();
  }

  async insertSession(
    db: Db,
    s: { id: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
  ): Promise<void> {
    await db
      .insertInto('sessions')
      .values({ id: s.id, user_id: s.userId, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
      .execute();
  }

  /**
   * A live session and the account holding it, in one query: every signed-in request asks this first, and on a
   * busy machine each round trip to the database costs as much as the rest of a small page.
   */
  findLiveSessionHolder(db: Db, id: string, now: Date) {
    return this.#userQuery(db)
      .innerJoin('sessions as s', 's.user_id', 'u.id')
      .select(['s.id as sessionId', 's.last_seen_at as sessionLastSeenAt'])
      .where('s.id', '=', id)
      .where('s.expires_at', '>', now)
      .executeTakeFirst();
  }

  async extendSession(db: Db, id: string, now: Date, expiresAt: Date): Promise<void> {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where('id', '=', id)
      .execute();
  }

  async deleteSession(db: Db, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteSessionsOf(db: Db, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Removes every address an account holds besides its primary one, confirmed or waiting; returns them. */
  async deleteExtraAddressesOf(db: Db, userId: string): Promise<string[]> {
    const rows = await db
      .deleteFrom('account_emails')
      .where('user_id', '=', userId)
      .returning('email')
      .execute();
    return rows.map((row) => row.email);
  }

  async insertToken(
    db: Db,
    t: { tokenHash: string; userId: string; purpose: TokenPurpose; expiresAt: Date; sentTo?: string },
  ): Promise<void> {
    await db
      .insertInto('account_tokens')
      .values({
        token_hash: t.tokenHash,
        user_id: t.userId,
        purpose: t.purpose,
        expires_at: t.expiresAt,
        sent_to: t.sentTo ?? null,
      })
      .execute();
  }

  /** Marks a live token used and returns its user; a token works once (the update is the claim). */
  async claimToken(db: Db, tokenHash: string, purpose: TokenPurpose, now: Date): Promise<string | undefined> {
    return (await this.claimTokenSentTo(db, tokenHash, purpose, now))?.user_id;
  }

  /** As `claimToken`, also saying where the link was mailed when that was not the primary address. */
  claimTokenSentTo(db: Db, tokenHash: string, purpose: TokenPurpose, now: Date) {
    return db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['user_id', 'sent_to'])
      .executeTakeFirst();
  }

  findLiveToken(db: Db, tokenHash: string, purpose: TokenPurpose, now: Date) {
    return db
      .selectFrom('account_tokens')
      .select('user_id as userId')
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Spends every live link of this purpose the person holds, so only the newest one mailed works. */
  async expireTokensOf(db: Db, userId: string, purpose: TokenPurpose, now: Date): Promise<void> {
    await db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
}

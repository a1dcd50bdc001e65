import { type Kysely, sql } from 'kysely';

/**
 * Learners sign themselves up (issue 14).
 * - An account's e-mail is proven once its owner opens a link mailed to it. Until now every active account came to
 *   life that way (an invitation, a badge claim) or from an operator, so those count as proven from their creation;
 *   an invitation not yet accepted is proven when it is.
 * - One-time links gain the purpose `verify`.
 * - Sign-up and resend mails are counted per address (a hash of the normalised address, so unknown and known
 *   addresses are counted alike and none is kept in clear), so nobody can fill a stranger's inbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column email_verified_at timestamptz;
    update users set email_verified_at = created_at where status = 'active';

    alter table account_tokens drop constraint account_tokens_purpose_check;
    alter table account_tokens add constraint account_tokens_purpose_check
      check (purpose in ('reset', 'invite', 'verify'));

    create table sign_up_attempts (
      address_key text primary key check (length(address_key) = 64),
      attempts integer not null check (attempts > 0),
      window_started_at timestamptz not null
    );
  `.execute(db);
}

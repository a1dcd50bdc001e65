import { type Kysely, sql } from 'kysely';

/**
 * Going live (issue 14).
 * - A `signer` role: department chairs and deans who only sign proposals, so leads can find them.
 * - One-time setup tokens for the first administrator. The server prints the token when it starts with no
 *   administrator; only its hash is kept, here rather than in memory, so any app process accepts it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table user_roles drop constraint user_roles_role_check;
    alter table user_roles add constraint user_roles_role_check
      check (role in ('learner', 'program_lead', 'approver', 'signer', 'credentials_office',
                      'registrar', 'bursar', 'admin'));

    create table setup_tokens (
      token_hash text primary key check (length(token_hash) = 64),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
  `.execute(db);
}

import { type Kysely, sql } from 'kysely';

/** Accounts, sessions, one-time tokens, the audit log and the mail outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key,
      email text not null,
      name text not null,
      password_hash text,
      status text not null default 'active' check (status in ('active', 'invited', 'disabled')),
      created_at timestamptz not null default now(),
      last_login_at timestamptz
    );
    create unique index users_email_key on users (lower(email));

    create table user_roles (
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('learner', 'program_lead', 'approver', 'credentials_office',
                                         'registrar', 'bursar', 'admin')),
      granted_at timestamptz not null default now(),
      primary key (user_id, role)
    );

    create table sessions (
      id text primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index sessions_user_idx on sessions (user_id);

    create table account_tokens (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null check (purpose in ('reset', 'invite')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_id uuid,
      actor_label text not null,
      action text not null,
      entity_type text not null,
      entity_id text,
      before jsonb,
      after jsonb,
      ip text
    );
    create index audit_log_at_idx on audit_log (at desc);
    create index audit_log_entity_idx on audit_log (entity_type, entity_id);

    -- The audit log is append-only: the database itself refuses edits and deletions.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_no_change before update or delete on audit_log
      for each row execute function audit_log_append_only();

    create table mail_outbox (
      id uuid primary key,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      kind text not null,
      status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index mail_outbox_created_idx on mail_outbox (created_at desc);
  `.execute(db);
}

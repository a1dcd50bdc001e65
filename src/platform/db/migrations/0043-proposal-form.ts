import { type Kysely, sql } from 'kysely';

/**
 * The proposal as the university's form has it (issue 17, point 4): how a program is delivered and for whom;
 * the proposal's rationale and assessment; which required fields a draft saved unfinished still lacks; and
 * consultation as a step, with named consultees (people with an account, or someone outside named by e-mail)
 * and their responses.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Null for programs approved before the form asked; the pages then say nothing about it.
    alter table programs add column delivery_mode text
      check (delivery_mode in ('online', 'in_person', 'hybrid'));
    alter table programs add column audience text not null default '';

    alter table proposals add column rationale text not null default '';
    alter table proposals add column assessment_plan text not null default '';
    -- Form fields a draft was saved without (their names); completeness is checked when signatures are asked.
    alter table proposals add column missing_fields jsonb not null default '[]';

    create table proposal_consultations (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      -- An account holder answers on their own; someone outside has only a name and an address.
      consultee_user_id uuid references users (id),
      name text not null check (length(name) between 1 and 200),
      email text not null check (length(email) between 3 and 320),
      topic text not null default '',
      response text check (response in ('support', 'concerns', 'comment')),
      response_text text not null default '',
      responded_at timestamptz,
      -- Who typed the response in: the consultee, or the lead on their behalf.
      recorded_by uuid references users (id),
      recorded_by_name text,
      created_at timestamptz not null default now(),
      unique (program_id, email)
    );
    create index proposal_consultations_user_idx on proposal_consultations (consultee_user_id);
  `.execute(db);
}

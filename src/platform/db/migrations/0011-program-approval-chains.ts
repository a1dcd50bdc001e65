import { type Kysely, sql } from 'kysely';

/**
 * The approval chain each proposal is reviewed under. An administrator may change the institution's chains at
 * any time; a proposal already under review keeps the copy taken when its review began, so its approvals still
 * line up with the steps it was asked to pass.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table program_approval_chains (
      program_id uuid not null references programs (id) on delete cascade,
      chain_key text not null,
      name text not null check (length(name) between 1 and 120),
      steps jsonb not null check (jsonb_typeof(steps) = 'array' and jsonb_array_length(steps) > 0),
      started_at timestamptz not null default now(),
      primary key (program_id, chain_key)
    );

    -- Proposals under review today keep the chain as it stands now.
    insert into program_approval_chains (program_id, chain_key, name, steps)
      select p.id, c.key, c.name, c.steps
        from programs p join approval_chains c on c.key = 'pilot'
       where p.status in ('submitted', 'changes_requested');
    insert into program_approval_chains (program_id, chain_key, name, steps)
      select p.id, c.key, c.name, c.steps
        from programs p join approval_chains c on c.key = 'full_proposal'
       where p.status = 'full_proposal_review';
  `.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * The post-pilot full proposal as a document of its own (issue 17, point 4): the lead's structured answers,
 * saved while incomplete and frozen when submitted (with the pilot's figures as they stood), and the documents
 * uploaded with it, kept in the database like the proposal's syllabus and MOU.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table full_proposals (
      program_id uuid primary key references programs (id) on delete cascade,
      pilot_outcome text not null default '',
      enrolment_evidence text not null default '',
      proposed_changes text not null default '',
      resources text not null default '',
      assessment_plan text not null default '',
      -- The pilot's enrolment figures when it was submitted; empty while it is a draft (they still move).
      figures jsonb not null default '{}',
      updated_by uuid references users (id),
      updated_at timestamptz not null default now(),
      -- Null while the lead prepares it, and again once a returned proposal is being reworked.
      submitted_by uuid references users (id),
      submitted_at timestamptz
    );

    create table full_proposal_documents (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      filename text not null check (length(filename) between 1 and 255),
      -- Decided from the file's bytes (PDF, DOCX or ODT), never from its name or the browser's claim.
      content_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      content bytea not null,
      uploaded_by uuid references users (id),
      uploaded_by_name text not null,
      uploaded_at timestamptz not null default now()
    );
    create index full_proposal_documents_program_idx on full_proposal_documents (program_id, uploaded_at);
  `.execute(db);
}

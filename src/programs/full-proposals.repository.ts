import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { FullProposalAnswers } from './full-proposal.ts';

/** The SQL of the post-pilot full proposal: its answers and its documents (tables of migration 0052). */
export class FullProposalsRepository {
  findProposal(db: Db, programId: string) {
    return db
      .selectFrom('full_proposals as f')
      .leftJoin(userNames(db).as('u'), 'u.id', 'f.submitted_by')
      .select([
        'f.pilot_outcome',
        'f.enrolment_evidence',
        'f.proposed_changes',
        'f.resources',
        'f.assessment_plan',
        'f.figures',
        'f.updated_at',
        'f.submitted_at',
        'u.name as submitted_by_name',
      ])
      .where('f.program_id', '=', programId)
      .executeTakeFirst();
  }

  /** Writes the lead's answers; a submitted proposal is never overwritten (the service refuses it first). */
  async saveAnswers(
    db: Db,
    programId: string,
    answers: FullProposalAnswers,
    by: string,
    at: Date,
  ): Promise<void> {
    await db
      .insertInto('full_proposals')
      .values({ program_id: programId, ...answers, updated_by: by, updated_at: at })
      .onConflict((oc) =>
        oc
          .column('program_id')
          .doUpdateSet({ ...answers, updated_by: by, updated_at: at })
          .where('full_proposals.submitted_at', 'is', null),
      )
      .execute();
  }

  async markSubmitted(db: Db, programId: string, by: string, at: Date, figures: unknown): Promise<void> {
    await db
      .updateTable('full_proposals')
      .set({ submitted_by: by, submitted_at: at, figures: JSON.stringify(figures) })
      .where('program_id', '=', programId)
      .execute();
  }

  /** A returned proposal is the lead's to rework: open again, its figures live again. */
  async reopen(db: Db, programId: string): Promise<void> {
    await db
      .updateTable('full_proposals')
      .set({ submitted_by: null, submitted_at: null, figures: '{}' })
      .where('program_id', '=', programId)
      .execute();
  }

  listDocuments(db: Db, programId: string) {
    return db
      .selectFrom('full_proposal_documents')
      .select(['id', 'filename', 'content_type', 'size_bytes', 'uploaded_by_name', 'uploaded_at'])
      .where('program_id', '=', programId)
      .orderBy('uploaded_at')
      .orderBy('id')
      .execute();
  }

  async countDocuments(db: Db, programId: string): Promise<number> {
    const row = await db
      .selectFrom('full_proposal_documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  findDocument(db: Db, programId: string, documentId: string) {
    return db
      .selectFrom('full_proposal_documents')
      .select(['id', 'filename', 'content_type', 'size_bytes', 'sha256', 'content'])
      .where('program_id', '=', programId)
      .where('id', '=', documentId)
      .executeTakeFirst();
  }

  async insertDocument(
    db: Db,
    document: {
      id: string;
      programId: string;
      filename: string;
      contentType: string;
      content: Uint8Array;
      sha256: string;
      uploadedBy: string;
      uploadedByName: string;
      uploadedAt: Date;
    },
  ): Promise<void> {
    await db
      .insertInto('full_proposal_documents')
      .values({
        id: document.id,
        program_id: document.programId,
        filename: document.filename,
        content_type: document.contentType,
        size_bytes: document.content.byteLength,
        sha256: document.sha256,
        content: document.content,
        uploaded_by: document.uploadedBy,
        uploaded_by_name: document.uploadedByName,
        uploaded_at: document.uploadedAt,
      })
      .execute();
  }

  /** Removes one document; returns what was removed, for the audit entry, or undefined if there was none. */
  deleteDocument(db: Db, programId: string, documentId: string) {
    return db
      .deleteFrom('full_proposal_documents')
      .where('program_id', '=', programId)
      .where('id', '=', documentId)
      .returning(['filename', 'size_bytes', 'sha256'])
      .executeTakeFirst();
  }
}

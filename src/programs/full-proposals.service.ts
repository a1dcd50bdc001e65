import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { formatDay } from '../platform/http/moment.ts';
import { newId } from '../platform/ids.ts';
import type { ApprovalChain } from './approval-chain.ts';
import type { ApprovalChainsService } from './approval-chains.service.ts';
import {
  checkDocument,
  cleanAnswers,
  draftProblems,
  evidenceDraft,
  type FullProposalAnswers,
  fullProposalSectionNames,
  maxDocuments,
  submitProblems,
} from './full-proposal.ts';
import { FullProposalsRepository } from './full-proposals.repository.ts';
import { calendarDateIn } from './pilot-calendar.ts';
import type { LifecycleStep } from './program-lifecycle.service.ts';
import { ProgramReviewsRepository } from './program-reviews.repository.ts';
import { isApproved } from './program-vocabulary.ts';
import { fullProposalEditRefusal, mayReadFullProposal } from './programs.policy.ts';
import type { ProgramRow, ProgramsRepository } from './programs.repository.ts';
import type { RecordFigures } from './review-figures.ts';

/** An upload as the route read it from the form. */
export interface DocumentUpload {
  filename: string;
  content: Uint8Array;
  truncated: boolean;
}

/**
 * The post-pilot full proposal: the lead prepares it during the pilot (answers saved while incomplete, documents
 * uploaded and removed), submits it through the lifecycle, and the bodies that decide read it. Access is the
 * programs policy's `mayReadFullProposal` and `fullProposalEditRefusal`.
 */
export class FullProposalsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly institution: InstitutionService,
    private readonly clock: Clock,
    private readonly chains: ApprovalChainsService,
    private readonly programs: ProgramsRepository,
    private readonly repository = new FullProposalsRepository(),
    private readonly figures = new ProgramReviewsRepository(),
  ) {}

  /** The full proposal as its page shows it, with what this person may do; refused to anyone else. */
  async view(actor: Actor, programId: string) {
    return this.#view(actor, await this.#readable(this.database.db, actor, programId));
  }

  /** The page's content for a program this person has been found to be allowed to read. */
  async #view(actor: Actor, program: ProgramRow) {
    const db = this.database.db;
    const programId = program.id;
    const [saved, documents] = await Promise.all([
      this.repository.findProposal(db, programId),
      this.repository.listDocuments(db, programId),
    ]);
    const isSubmitted = Boolean(saved?.submitted_at);
    const today = await this.#today();
    const since = program.pilot_started_on ?? today;
    const figures: RecordFigures | null = isSubmitted
      ? (((saved?.figures ?? {}) as { records?: RecordFigures }).records ?? null)
      : program.pilot_started_on
        ? await this.figures.recordFigures(db, programId, since, today)
        : null;
    const answers = Object.fromEntries(
      fullProposalSectionNames.map((name) => [name, saved?.[name] ?? '']),
    ) as FullProposalAnswers;
    // A first draft of the evidence, from the records, until the lead writes their own.
    if (!saved && figures)
      answers.enrolment_evidence = evidenceDraft(figures, formatDay(since), formatDay(today));
    const refusal = fullProposalEditRefusal(
      actor,
      { leadUserId: program.lead_user_id, status: program.status },
      isSubmitted,
    );
    return {
      program: {
        id: program.id,
        title: program.title,
        status: program.status,
        leadName: program.lead_name,
        pilotStartedOn: program.pilot_started_on,
      },
      answers,
      figures,
      figuresAsOf: isSubmitted ? null : today,
      documents,
      isStarted: saved !== undefined || documents.length > 0,
      submittedAt: saved?.submitted_at ?? null,
      submittedBy: saved?.submitted_by_name ?? null,
      canEdit: refusal === undefined,
    };
  }

  /**
   * The full proposal for the program page, when this person may read it and the program has reached its pilot
   * (a retired one keeps it, as a record); undefined otherwise (the page then says nothing of it).
   */
  async forProgramPage(
    actor: Actor,
    /** The program and its full approval chain as the page already read them (ProgramPagesService.programPage). */
    program: ProgramRow,
    fullChain: ApprovalChain,
  ): Promise<FullProposalView | undefined> {
    if (!isApproved(program.status)) return undefined;
    if (!mayReadFullProposal(actor, readersOf(program, fullChain))) return undefined;
    return this.#view(actor, program);
  }

  /** Saves the lead's answers as they are: incomplete is fine until it is submitted. */
  async saveDraft(actor: Actor, programId: string, raw: Partial<Record<string, unknown>>): Promise<void> {
    const answers = cleanAnswers(raw);
    const problems = draftProblems(answers);
    if (problems.length > 0) throw invalid(problems);
    await this.#changing(actor, programId, async (trx) => {
      await this.repository.saveAnswers(trx, programId, answers, actor.id, this.clock.now());
      await this.audit.record(trx, actor, {
        action: 'program.full_proposal_saved',
        entityType: 'program',
        entityId: programId,
        after: { answered: fullProposalSectionNames.filter((name) => answers[name] !== '') },
      });
    });
  }

  /** Adds a document after checking it by its bytes; the audit entry names it and its fingerprint. */
  async uploadDocument(actor: Actor, programId: string, upload: DocumentUpload | undefined): Promise<void> {
    const checked = checkDocument(upload);
    if (!checked.ok) throw invalid([checked.problem], 'The document was not uploaded.');
    const { document } = checked;
    await this.#changing(actor, programId, async (trx) => {
      if ((await this.repository.countDocuments(trx, programId)) >= maxDocuments) {
        throw invalid(
          [{ field: 'document', reason: `cannot be added: a full proposal carries at most ${maxDocuments}` }],
          'The document was not uploaded.',
        );
      }
      const id = newId();
      await this.repository.insertDocument(trx, {
        id,
        programId,
        ...document,
        uploadedBy: actor.id,
        uploadedByName: actor.name,
        uploadedAt: this.clock.now(),
      });
      await this.audit.record(trx, actor, {
        action: 'program.full_proposal_document_uploaded',
        entityType: 'program',
        entityId: programId,
        after: {
          document: id,
          filename: document.filename,
          bytes: document.content.byteLength,
          sha256: document.sha256,
        },
      });
    });
  }

  async removeDocument(actor: Actor, programId: string, documentId: string): Promise<void> {
    await this.#changing(actor, programId, async (trx) => {
      const removed = await this.repository.deleteDocument(trx, programId, documentId);
      if (!removed) throw notFound('That document');
      await this.audit.record(trx, actor, {
        action: 'program.full_proposal_document_removed',
        entityType: 'program',
        entityId: programId,
        before: { document: documentId, filename: removed.filename, sha256: removed.sha256 },
      });
    });
  }

  /** One document's bytes, for those who may read the full proposal. */
  async downloadDocument(actor: Actor, programId: string, documentId: string) {
    const db = this.database.db;
    await this.#readable(db, actor, programId);
    const document = await this.repository.findDocument(db, programId, documentId);
    if (!document) throw notFound('That document');
    return document;
  }

  /**
   * The lifecycle's effect of submitting: refuses an incomplete full proposal with a problem per field, else
   * freezes it with the pilot's figures as they stand. Runs inside the submitting transaction.
   */
  async markSubmitted(step: LifecycleStep): Promise<void> {
    const { trx, loaded, actor, at } = step;
    const programId = loaded.program.id;
    const saved = await this.repository.findProposal(trx, programId);
    const answers = cleanAnswers(saved ?? {});
    const problems = submitProblems(answers, await this.repository.countDocuments(trx, programId));
    if (problems.length > 0) {
      throw invalid(problems, 'The full proposal is not complete yet; finish it on its page, then submit.');
    }
    const today = calendarDateIn(at, step.timeZone);
    const since = loaded.program.pilot_started_on ?? today;
    const records = await this.figures.recordFigures(trx, programId, since, today);
    await this.repository.markSubmitted(trx, programId, actor.id, at, { records, from: since, to: today });
    step.detail.documents = await this.repository.countDocuments(trx, programId);
  }

  /** The lifecycle's effect of returning it to the pilot: the lead may rework and resubmit it. */
  reopen(trx: Db, programId: string): Promise<void> {
    return this.repository.reopen(trx, programId);
  }

  /** The program, when this person may read its full proposal; forbidden otherwise. */
  async #readable(db: Db, actor: Actor, programId: string): Promise<ProgramRow> {
    const program = await this.programs.findProgram(db, programId);
    if (!program) throw notFound('That program');
    if (!(await this.#mayRead(db, actor, program))) {
      throw forbidden('This program’s full proposal is not one you prepare or decide.');
    }
    return program;
  }

  async #mayRead(db: Db, actor: Actor, program: ProgramRow): Promise<boolean> {
    const chains = await this.chains.forProgram(db, program.id);
    return mayReadFullProposal(actor, readersOf(program, chains.full));
  }

  /** Runs a change to the full proposal in one transaction, with the program locked and the policy asked. */
  async #changing(actor: Actor, programId: string, work: (trx: Db) => Promise<void>): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      if (!(await this.programs.lockProgram(trx, programId))) throw notFound('That program');
      const program = await this.programs.findProgram(trx, programId);
      if (!program) throw notFound('That program');
      const saved = await this.repository.findProposal(trx, programId);
      const refusal = fullProposalEditRefusal(
        actor,
        { leadUserId: program.lead_user_id, status: program.status },
        Boolean(saved?.submitted_at),
      );
      if (refusal) {
        throw program.lead_user_id === actor.id ? invalidState(refusal) : forbidden(refusal);
      }
      await work(trx);
    });
  }

  async #today(): Promise<string> {
    const institution = await this.institution.get();
    return calendarDateIn(this.clock.now(), this.institution.displayOf(institution).timeZone);
  }
}

export interface FullProposalView extends Awaited<ReturnType<FullProposalsService['view']>> {}

/** Who besides the office may read a program's full proposal: its lead, and the people its full chain names. */
function readersOf(program: ProgramRow, fullChain: ApprovalChain) {
  return {
    leadUserId: program.lead_user_id,
    namedDeciderIds: fullChain.steps.flatMap((s) => (s.person ? [s.person.id] : [])),
  };
}

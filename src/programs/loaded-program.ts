/**
 * One program with everything its workflow decisions depend on, read in one go (inside the deciding
 * transaction when there is one), and the pure rules about who may see and edit it.
 */

import type { Actor } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { type AppError, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { type ApprovalChain, nextStep } from './approval-chain.ts';
import type { ConsultationRow } from './consultations.repository.ts';
import { retirementInForce } from './program-retirements.repository.ts';
import type { ProgramFacts } from './program-state.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { isOpenForEnrolment, programStateLabels } from './program-vocabulary.ts';
import { maySeeProgram } from './programs.policy.ts';
import type { ProgramRow, ProgramsRepository } from './programs.repository.ts';
import { reinstateRefusal } from './reinstatement.ts';
import { readWorkflowRecord } from './workflow-record.repository.ts';

const maxComment = 5000;

export interface LoadedProgram {
  program: ProgramRow;
  courses: string[];
  proposal: Awaited<ReturnType<ProgramsRepository['findProposal']>>;
  signers: Awaited<ReturnType<ProgramsRepository['listSigners']>>;
  files: Awaited<ReturnType<ProgramsRepository['listFiles']>>;
  approvals: Awaited<ReturnType<ProgramsRepository['listApprovalSteps']>>;
  /** The retirement in force, when the program is retired (and was retired since they were recorded). */
  retirement: Awaited<ReturnType<typeof retirementInForce>>;
  /** The people consulted on the proposal and their responses. */
  consultations: ConsultationRow[];
}

export async function loadProgram(db: Db, programId: string): Promise<LoadedProgram> {
  const record = await readWorkflowRecord(db, programId);
  if (!record) throw notFound('That program');
  const retirement = record.program.status === 'retired' ? await retirementInForce(db, programId) : undefined;
  return { ...record, retirement };
}

/** The approvals that still count on one chain (a returned full proposal clears its earlier approvals). */
export const liveApprovals = (approvals: LoadedProgram['approvals'], chainKey: string) =>
  approvals.filter((a) => a.chain_key === chainKey && a.decision === 'approved' && a.cleared_at === null);

export function factsOf(
  loaded: LoadedProgram,
  fullChain: ApprovalChain,
  pilotChain?: ApprovalChain,
): ProgramFacts {
  return {
    pilotNextStep:
      pilotChain && loaded.program.status === 'submitted'
        ? nextStep(
            pilotChain,
            liveApprovals(loaded.approvals, pilotChain.key).map((a) => a.step_key),
          )
        : undefined,
    status: loaded.program.status,
    leadUserId: loaded.program.lead_user_id,
    signers: loaded.signers,
    hasMou: loaded.files.some((f) => f.kind === 'mou'),
    mouRequired: Boolean(loaded.proposal?.is_interdisciplinary || loaded.proposal?.has_third_party),
    fullChainDone: liveApprovals(loaded.approvals, fullChain.key).map((a) => a.step_key),
    ...(loaded.retirement
      ? {
          retirement: {
            from: loaded.retirement.from_status,
            reinstateRefusal: reinstateRefusal(loaded.retirement),
          },
        }
      : {}),
  };
}

export function assertCanView(actor: Actor, loaded: LoadedProgram): void {
  const signerIds = loaded.signers.map((s) => s.user_id);
  const consulteeIds = loaded.consultations.flatMap((c) =>
    c.consultee_user_id ? [c.consultee_user_id] : [],
  );
  if (maySeeProgram(actor, { leadUserId: loaded.program.lead_user_id, signerIds, consulteeIds })) return;
  throw forbidden('This program is not one you lead, sign or review.');
}

export function cannotEdit(status: ProgramState): AppError {
  if (status === 'draft') return forbidden('Only the program lead edits a draft proposal.');
  return invalidState(
    isOpenForEnrolment(status)
      ? 'Only the program lead or the credentials office can edit an offered program'
      : `A program cannot be edited while it is "${programStateLabels[status]}"`,
  );
}

/** A decision's comment, trimmed; blank becomes undefined. */
export function cleanComment(comment: string | undefined): string | undefined {
  const text = comment?.trim();
  if (text && text.length > maxComment) {
    throw invalid([{ field: 'comment', reason: `must be at most ${maxComment} characters` }]);
  }
  return text || undefined;
}

/**
 * A decision on one step of an approval chain, as both chains' step tables store it: the proposal's
 * (`approval_steps`) and a proposed change's (`program_modification_steps`). One shape, so a column added to
 * the decisions is written the same way for both.
 */
export interface StepDecision {
  id: string;
  stepKey: string;
  stepName: string;
  decision: 'approved' | 'returned';
  decidedBy: string;
  decidedByName: string;
  comment: string | null;
  at: Date;
}

/** The decision's columns; each repository adds what ties it to its own record. */
export const stepDecisionColumns = (step: StepDecision) => ({
  id: step.id,
  step_key: step.stepKey,
  step_name: step.stepName,
  decision: step.decision,
  decided_by: step.decidedBy,
  decided_by_name: step.decidedByName,
  comment: step.comment,
  decided_at: step.at,
});

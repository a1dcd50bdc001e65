/**
 * Changes an administrator makes to an approval chain, as pure functions: each takes the chain as it is and
 * returns the chain as it will be, or says what is wrong in words that can be shown beside the field.
 */
import type { FieldProblem } from '../platform/errors.ts';
import type { ApprovalChain, ApprovalStep, ApprovalStepRole } from './approval-chain.ts';

/** Who may record a step's decision, in the order the form offers them. */
export const stepRoleLabels: Readonly<Record<ApprovalStepRole, string>> = {
  approver: 'Approvers (governing bodies)',
  credentials_office: 'Credentials office',
  admin: 'Administrators',
};

export const maxNameLength = 120;

export type ChainEdit =
  | { kind: 'rename_chain'; name: string }
  /** `position` is where the new step goes, 1 for first; past the end (or absent) means last. */
  | {
      kind: 'add_step';
      name: string;
      role: string;
      position?: number | undefined;
      /** The e-mail address of a person named for the step; blank or absent for the role's holders. */
      personEmail?: string | undefined;
    }
  | { kind: 'update_step'; stepKey: string; name: string; role: string; personEmail?: string | undefined }
  | { kind: 'move_step'; stepKey: string; direction: 'up' | 'down' }
  | { kind: 'remove_step'; stepKey: string };

export type EditResult =
  | { ok: true; chain: ApprovalChain }
  | { ok: false; kind: 'invalid'; problems: FieldProblem[] }
  | { ok: false; kind: 'missing_step' }
  | { ok: false; kind: 'last_step' };

const isRole = (role: string): role is ApprovalStepRole => Object.hasOwn(stepRoleLabels, role);

function checkName(name: string, field: string, others: readonly ApprovalStep[]): FieldProblem[] {
  if (name === '') return [{ field, reason: 'is required' }];
  if (name.length > maxNameLength) return [{ field, reason: `must be at most ${maxNameLength} characters` }];
  if (others.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
    return [{ field, reason: 'is already the name of another step in this chain' }];
  }
  return [];
}

function checkStep(name: string, role: string, others: readonly ApprovalStep[]): FieldProblem[] {
  return [
    ...checkName(name, 'name', others),
    ...(isRole(role) ? [] : [{ field: 'role', reason: 'must be one of the roles offered' }]),
  ];
}

/**
 * A key for a new step, made from its name so stored decisions stay readable ('faculty_senate'), and unique
 * within the chain. Keys never change afterwards: a renamed step keeps the decisions already recorded for it.
 */
export function stepKeyFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'step';
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

/**
 * `person` is the account the edit's `personEmail` names, looked up by the caller (undefined: none named, so a
 * step edited without one decides by role again).
 */
export function applyChainEdit(
  chain: ApprovalChain,
  edit: ChainEdit,
  person?: { id: string; name: string; email: string },
): EditResult {
  const steps = [...chain.steps];
  const invalid = (problems: FieldProblem[]): EditResult => ({ ok: false, kind: 'invalid', problems });
  const done = (next: readonly ApprovalStep[], name = chain.name): EditResult => ({
    ok: true,
    chain: { key: chain.key, name, steps: next },
  });

  if (edit.kind === 'rename_chain') {
    const name = edit.name.trim();
    const problems = checkName(name, 'chain_name', []);
    return problems.length > 0 ? invalid(problems) : done(steps, name);
  }
  if (edit.kind === 'add_step') {
    const name = edit.name.trim();
    const problems = checkStep(name, edit.role, steps);
    if (edit.position !== undefined && (!Number.isInteger(edit.position) || edit.position < 1)) {
      problems.push({ field: 'position', reason: 'must be one of the places offered' });
    }
    if (problems.length > 0) return invalid(problems);
    const step: ApprovalStep = {
      key: stepKeyFor(
        name,
        steps.map((s) => s.key),
      ),
      name,
      role: edit.role as ApprovalStepRole,
      ...(person ? { person } : {}),
    };
    const at = Math.min(edit.position ?? steps.length + 1, steps.length + 1) - 1;
    steps.splice(at, 0, step);
    return done(steps);
  }

  const index = steps.findIndex((s) => s.key === edit.stepKey);
  if (index < 0) return { ok: false, kind: 'missing_step' };
  const current = steps[index]!;
  switch (edit.kind) {
    case 'update_step': {
      const name = edit.name.trim();
      const problems = checkStep(
        name,
        edit.role,
        steps.filter((_, i) => i !== index),
      );
      if (problems.length > 0) return invalid(problems);
      const { person: _previous, ...rest } = current;
      steps[index] = { ...rest, name, role: edit.role as ApprovalStepRole, ...(person ? { person } : {}) };
      return done(steps);
    }
    case 'move_step': {
      const to = edit.direction === 'up' ? index - 1 : index + 1;
      // Moving the first step up (or the last down) leaves the chain as it is.
      if (to < 0 || to >= steps.length) return done(steps);
      [steps[index], steps[to]] = [steps[to]!, current];
      return done(steps);
    }
    case 'remove_step':
      if (steps.length === 1) return { ok: false, kind: 'last_step' };
      steps.splice(index, 1);
      return done(steps);
  }
}

/** True when two chains have the same name and the same steps in the same order. */
export function isSameChain(a: ApprovalChain, b: ApprovalChain): boolean {
  return (
    a.name === b.name &&
    a.steps.length === b.steps.length &&
    a.steps.every((s, i) => {
      const t = b.steps[i]!;
      return s.key === t.key && s.name === t.name && s.role === t.role && s.person?.id === t.person?.id;
    })
  );
}

import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { ApprovalStep } from './approval-chain.ts';
import { maxNameLength, stepRoleLabels } from './approval-chain-edits.ts';
import type { ApprovalChainsService } from './approval-chains.service.ts';
import { formatMoment } from './format.ts';

type ChainList = Awaited<ReturnType<ApprovalChainsService['listChains']>>;
type ChainDetail = Awaited<ReturnType<ApprovalChainsService['findChain']>>;

/** Which form on the page a problem belongs to, with what was typed, so it is shown again beside its fields. */
export interface FailedForm {
  form: 'chain_name' | 'add' | { step: string };
  values: Record<string, string>;
  errors: FieldProblem[];
  message: string;
}

const roleOptions = Object.entries(stepRoleLabels).map(([value, label]) => ({ value, label }));

const whatForUse: Record<string, string> = {
  pilot: 'Approves a submitted proposal to run as a pilot.',
  full_proposal: 'Approves a pilot’s full proposal, making the program established.',
  modification:
    'Approves a change to a pilot or established program (its fee, courses, requirements, credits, outcomes or anything else on its badge) before the change is published.',
};

/** Who records each chain's decisions, as the code decides it (programs.policy.ts and program-state.ts). */
const whoDecides: Record<string, string> = {
  pilot:
    'Steps are decided in order. A step that names a person is decided by that person alone; otherwise by the people holding its role, and the credentials office may record the body’s decision on its behalf. The program’s own lead never decides a step.',
  full_proposal:
    'Steps are decided in order. A step that names a person is decided by that person alone; otherwise only by the people holding its role (the credentials office does not record decisions on this chain for others). The program’s own lead never decides a step.',
  modification:
    'Steps are decided in order. A step that names a person is decided by that person alone; otherwise by the people holding its role, and the credentials office may record the body’s decision on its behalf. Neither the person who proposed the change nor the program’s lead decides it.',
};

/** When a change to this chain starts to apply. */
const whenApplies: Record<string, string> = {
  pilot: 'A change applies to proposals submitted (or resubmitted) afterwards.',
  full_proposal: 'A change applies to full proposals submitted afterwards.',
  modification: 'A change applies to program changes submitted (or resubmitted) afterwards.',
};

const keptNote = (count: number, key?: string) => {
  const what = key === 'modification' ? 'program change' : 'proposal';
  return count === 0
    ? `No ${what} is under review on this chain right now.`
    : `${count} ${what}${count === 1 ? ' is' : 's are'} under review on this chain; ${
        count === 1 ? 'it keeps' : 'they keep'
      } the steps as they were when it was submitted, whatever changes here.`;
};

/** When a person last changed a chain, and who; a chain as it was set up says so rather than show the install time. */
function LastChange({ change }: { change: ChainList[number]['lastChange'] }) {
  return change ? (
    <>
      Last changed {formatMoment(change.at)} by {change.by}.
    </>
  ) : (
    <>Not changed since setup.</>
  );
}

/** For administrators: the approval chains of the institution. */
export function ApprovalChainsPage({ ctx, chains }: { ctx: PageContext; chains: ChainList }) {
  return (
    <Layout ctx={ctx} title="Approval chains">
      <h1>Approval chains</h1>
      <p>
        The governing bodies that approve programs and changes to them, in the order they decide. A change to
        a chain applies to what is submitted afterwards; whatever is already under review keeps its steps.
      </p>
      <ul class="cards">
        {chains.map(({ chain, lastChange, keptCopies }) => (
          <li key={chain.key} class="card">
            <h2>
              <a href={`/admin/approval-chains/${chain.key}`}>{chain.name}</a>
            </h2>
            <p>{whatForUse[chain.key]}</p>
            <ol>
              {chain.steps.map((step) => (
                <li key={step.key}>
                  {step.name}{' '}
                  <span class="muted">({step.person ? step.person.name : stepRoleLabels[step.role]})</span>
                </li>
              ))}
            </ol>
            <p class="muted">{keptNote(keptCopies, chain.key)}</p>
            <p class="muted">
              <LastChange change={lastChange} />
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The id of a field of one form on the page, so every form's fields and error links stay distinct. */
const fieldId = (form: FailedForm['form'], field: string): string =>
  form === 'chain_name' ? 'chain_name' : form === 'add' ? `add-${field}` : `step-${form.step}-${field}`;

const isForm = (failed: FailedForm | undefined, form: FailedForm['form']): failed is FailedForm =>
  failed !== undefined && JSON.stringify(failed.form) === JSON.stringify(form);

function TextControl(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  error: FieldProblem | undefined;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type="text"
        value={props.value}
        maxLength={maxNameLength}
        required
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      />
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.label} {props.error.reason}.
        </p>
      ) : null}
    </div>
  );
}

function SelectControl(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  error: FieldProblem | undefined;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.name}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.label} {props.error.reason}.
        </p>
      ) : null}
    </div>
  );
}

const fieldLabels: Record<string, string> = {
  chain_name: 'Name of the chain',
  name: 'Approving body',
  role: 'Decision recorded by',
  person: 'Named person (optional e-mail address)',
  position: 'Place in the chain',
};

/** The optional person a step names: they alone decide it. */
function PersonControl(props: {
  id: string;
  value: string;
  named?: string | undefined;
  error: FieldProblem | undefined;
}) {
  const hintId = `${props.id}-hint`;
  return (
    <div>
      <label for={props.id}>{fieldLabels.person}</label>
      <span class="hint" id={hintId}>
        {props.named ? `Now ${props.named}. ` : ''}Leave blank for anyone holding the role.
      </span>
      <input
        id={props.id}
        name="person"
        type="email"
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${hintId} ${props.id}-error` : hintId}
      />
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {fieldLabels.person} {props.error.reason}.
        </p>
      ) : null}
    </div>
  );
}

/** One step: its own form to rename it or change who records it, and buttons to move or remove it. */
function StepItem(props: {
  ctx: PageContext;
  chainKey: string;
  step: ApprovalStep;
  number: number;
  count: number;
  failed: FailedForm | undefined;
}) {
  const { ctx, chainKey, step, number, count } = props;
  const form = { step: step.key };
  const failed = isForm(props.failed, form) ? props.failed : undefined;
  const error = (field: string) => failed?.errors.find((e) => e.field === field);
  const base = `/admin/approval-chains/${chainKey}/steps/${step.key}`;
  const which = `step ${number}, ${step.name}`;
  return (
    <li>
      <h3>
        Step {number}: {step.name}
      </h3>
      <form method="post" action={base} id={`step-form-${step.key}`}>
        <CsrfField token={ctx.csrfToken} />
        <div class="form-row">
          <TextControl
            id={fieldId(form, 'name')}
            name="name"
            label={fieldLabels.name!}
            value={failed?.values.name ?? step.name}
            error={error('name')}
          />
          <SelectControl
            id={fieldId(form, 'role')}
            name="role"
            label={fieldLabels.role!}
            value={failed?.values.role ?? step.role}
            options={roleOptions}
            error={error('role')}
          />
          <PersonControl
            id={fieldId(form, 'person')}
            value={failed?.values.person ?? step.person?.email ?? ''}
            named={step.person?.name}
            error={error('person')}
          />
        </div>
      </form>
      {/* The save button sits with the step's other buttons; its form attribute ties it to the fields above. */}
      <div class="chain-step-actions">
        <button type="submit" form={`step-form-${step.key}`}>
          Save step {number}
        </button>
        {number > 1 ? (
          <StepButton ctx={ctx} action={`${base}/move`} direction="up" which={which} label="Move up" />
        ) : null}
        {number < count ? (
          <StepButton ctx={ctx} action={`${base}/move`} direction="down" which={which} label="Move down" />
        ) : null}
        {count > 1 ? (
          <StepButton ctx={ctx} action={`${base}/remove`} which={which} label="Remove" danger />
        ) : null}
      </div>
    </li>
  );
}

/** One of a step's own small forms (move it, remove it); `which` names the step to screen readers. */
function StepButton(props: {
  ctx: PageContext;
  action: string;
  label: string;
  which: string;
  direction?: 'up' | 'down';
  danger?: boolean;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.ctx.csrfToken} />
      {props.direction ? <input type="hidden" name="direction" value={props.direction} /> : null}
      <button type="submit" class={`button-small ${props.danger ? 'button-danger' : 'button-secondary'}`}>
        {props.label}
        <span class="visually-hidden"> {props.which}</span>
      </button>
    </form>
  );
}

/** For administrators: one chain's name and ordered steps, each change saved (and audited) on its own. */
export function ApprovalChainPage(props: {
  ctx: PageContext;
  detail: ChainDetail;
  notice?: string | undefined;
  failed?: FailedForm | undefined;
}) {
  const { ctx, detail, failed } = props;
  const { chain } = detail;
  const base = `/admin/approval-chains/${chain.key}`;
  const nameFailed = isForm(failed, 'chain_name') ? failed : undefined;
  const addFailed = isForm(failed, 'add') ? failed : undefined;
  const addError = (field: string) => addFailed?.errors.find((e) => e.field === field);
  const positions = [
    { value: '', label: 'At the end' },
    ...chain.steps.map((s, i) => ({ value: String(i + 1), label: `Before step ${i + 1}: ${s.name}` })),
  ];
  return (
    <Layout ctx={ctx} title={`Edit ${chain.name}`}>
      <p>
        <a href="/admin/approval-chains">All approval chains</a>
      </p>
      <h1>Edit {chain.name}</h1>
      {/* What the last action did comes first, where a screen reader and the eye land after the heading. */}
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      {failed ? (
        <Notice kind="bad">
          <h2>There is a problem</h2>
          <p>{failed.message}</p>
          {failed.errors.length > 0 ? (
            <ul>
              {failed.errors.map((e) => (
                <li key={`${e.field}:${e.reason}`}>
                  <a href={`#${fieldId(failed.form, e.field)}`}>
                    {fieldLabels[e.field] ?? e.field} {e.reason}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <p>{whatForUse[chain.key]}</p>
      <p>
        {whoDecides[chain.key]} {whenApplies[chain.key]}
      </p>
      <Notice kind="info" as="p">
        {keptNote(detail.keptCopies, chain.key)}
      </Notice>
      <p class="muted">
        <LastChange change={detail.lastChange} />
      </p>

      <h2>Name</h2>
      <form method="post" action={`${base}/name`} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <TextControl
          id="chain_name"
          name="chain_name"
          label={fieldLabels.chain_name!}
          value={nameFailed?.values.chain_name ?? chain.name}
          error={nameFailed?.errors.find((e) => e.field === 'chain_name')}
        />
        <p>
          <button type="submit" class="button-secondary">
            Save the name
          </button>
        </p>
      </form>

      <h2>Steps, in order</h2>
      <ol class="chain-steps">
        {chain.steps.map((step, index) => (
          <StepItem
            key={step.key}
            ctx={ctx}
            chainKey={chain.key}
            step={step}
            number={index + 1}
            count={chain.steps.length}
            failed={failed}
          />
        ))}
      </ol>

      <h2>Add a step</h2>
      <form method="post" action={`${base}/steps`} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <TextControl
          id={fieldId('add', 'name')}
          name="name"
          label={fieldLabels.name!}
          value={addFailed?.values.name ?? ''}
          error={addError('name')}
        />
        <SelectControl
          id={fieldId('add', 'role')}
          name="role"
          label={fieldLabels.role!}
          value={addFailed?.values.role ?? 'approver'}
          options={roleOptions}
          error={addError('role')}
        />
        <PersonControl
          id={fieldId('add', 'person')}
          value={addFailed?.values.person ?? ''}
          error={addError('person')}
        />
        <SelectControl
          id={fieldId('add', 'position')}
          name="position"
          label={fieldLabels.position!}
          value={addFailed?.values.position ?? ''}
          options={positions}
          error={addError('position')}
        />
        <p>
          <button type="submit">Add the step</button>
        </p>
      </form>
    </Layout>
  );
}

import { CsrfField } from '../platform/http/forms.tsx';
import { formatCents } from '../platform/money.ts';
import { formatMoment } from './format.ts';
import { modificationEventLabels, modificationStateLabels } from './lifecycle.ts';
import { changedFieldLabels } from './program-fields.ts';
import type { ProgramModificationsService } from './program-modifications.service.ts';
import { creditTypeLabels } from './program-vocabulary.ts';

export type ProposedChangeView = NonNullable<Awaited<ReturnType<ProgramModificationsService['view']>>>;

/** One value as a reviewer reads it: money as money, lists one per line, anything else as written. */
function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (field === 'feeCents' && typeof value === 'number') return formatCents(value);
  if (field === 'validityYears' && typeof value === 'number')
    return value === 1 ? '1 year' : `${value} years`;
  if (field === 'creditType' && typeof value === 'string') {
    return creditTypeLabels[value as keyof typeof creditTypeLabels] ?? value;
  }
  if (Array.isArray(value)) {
    return value
      .map((v) => (typeof v === 'object' && v !== null ? (v.name ?? JSON.stringify(v)) : String(v)))
      .join('; ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The program's open change on its page: what would change (before and after), the chain's steps, and the
 * decisions this person may take. The approved version above stays what the catalog shows until it is approved.
 */
export function ProposedChange({
  change,
  programId,
  csrfToken,
}: {
  change: ProposedChangeView;
  programId: string;
  csrfToken: string;
}) {
  const actions = (
    [
      ['submit', change.can.submit],
      ['approve_step', change.can.approve],
      ['return', change.can.return],
      ['withdraw', change.can.withdraw],
    ] as const
  ).filter(([, allowed]) => allowed);
  return (
    <section aria-labelledby="change-title" class="card">
      <h2 id="change-title">Proposed change</h2>
      <p>
        <strong>{modificationStateLabels[change.status]}</strong>, proposed by{' '}
        {change.proposedBy ?? 'a former user'} from version {change.baseVersion}. The approved version stays
        public and issuable until the change is approved.
      </p>
      {change.note ? <p>What changed, in the proposer’s words: {change.note}</p> : null}
      {change.returnComment && change.status === 'draft' ? (
        <p>Returned with this comment: {change.returnComment}</p>
      ) : null}
      <table>
        <caption>Fields that would change</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Approved now</th>
            <th scope="col">Proposed</th>
          </tr>
        </thead>
        <tbody>
          {change.fields.map((f) => (
            <tr key={f.field}>
              <th scope="row">{changedFieldLabels[f.field] ?? f.field}</th>
              <td>{valueText(f.field, f.before)}</td>
              <td>{valueText(f.field, f.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {change.steps.length > 0 ? (
        <>
          <h3>Approval</h3>
          <ol>
            {change.steps.map((s) => (
              <li key={s.name}>
                {s.name}
                {s.person ? ` (${s.person})` : ''}:{' '}
                {s.state === 'approved'
                  ? `approved by ${s.decidedBy ?? 'someone'}${s.decidedAt ? `, ${formatMoment(s.decidedAt)}` : ''}`
                  : s.state === 'next'
                    ? 'waiting for this decision'
                    : 'after the step before'}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {change.withheld ? <p>{change.withheld}</p> : null}
      {actions.length > 0 ? (
        <form method="post" action={`/programs/${programId}/change`} class="stack wide">
          <CsrfField token={csrfToken} />
          {change.can.approve || change.can.return ? (
            <div>
              <label for="change-comment">Comment on the change</label>
              <span class="hint" id="change-comment-hint">
                Required to return the change; optional to approve it.
              </span>
              <textarea id="change-comment" name="comment" rows={3} aria-describedby="change-comment-hint" />
            </div>
          ) : null}
          <div class="button-row">
            {actions.map(([event]) => (
              <button
                key={event}
                type="submit"
                name="action"
                value={event}
                class={event === 'withdraw' || event === 'return' ? 'button-secondary' : undefined}
              >
                {modificationEventLabels[event]}
              </button>
            ))}
          </div>
        </form>
      ) : null}
    </section>
  );
}

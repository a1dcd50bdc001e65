import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import type { DatedObligation } from './pilot-obligations.ts';
import { NEEDS_ANOTHER_APPROVER } from './programs.policy.ts';

function ObligationTable({
  caption,
  rows,
  late,
}: {
  caption: string;
  rows: DatedObligation[];
  late: boolean;
}) {
  if (rows.length === 0) return <p>None.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Program</th>
            <th scope="col">What is due</th>
            <th scope="col">Lead</th>
            <th scope="col">Due</th>
            <th scope="col">{late ? 'Days late' : 'Days left'}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.subjectId}>
              <th scope="row">
                <a href={`/programs/${o.programId}`}>{o.title}</a>
              </th>
              <td>{o.kind === 'pilot_decision' ? o.label : <a href={o.path}>{o.label}</a>}</td>
              <td>{o.leadName ?? '—'}</td>
              <td class="nowrap">{formatDay(o.dueOn)}</td>
              <td>{o.days}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The credentials office's view of review obligations (pilots and established programs) late or close. */
export function OverduePage(props: {
  ctx: PageContext;
  today: string;
  overdue: DatedObligation[];
  dueSoon: DatedObligation[];
  /** Proposals under review whose next step only their own lead could decide. */
  stalled: readonly {
    id: string;
    title: string;
    step?: { name: string } | undefined;
    lead_name: string | null;
  }[];
}) {
  return (
    <Layout ctx={props.ctx} title="Overdue and upcoming reviews">
      <p>
        <a href="/programs">All programs</a>
      </p>
      <h1>Overdue and upcoming reviews</h1>
      <p>
        Pilots’ annual reviews and post-pilot decisions, and established programs’ periodic reviews, as of{' '}
        <span class="nowrap">{props.today}</span>. Leads get e-mail reminders 30, 7 and 1 day before each
        date, once when it has passed, and a weekly summary while anything is overdue.
      </p>
      <h2>Overdue ({props.overdue.length})</h2>
      <ObligationTable caption="Overdue reviews and decisions" rows={props.overdue} late />
      <h2>Due within 30 days ({props.dueSoon.length})</h2>
      <ObligationTable caption="Reviews and decisions due within 30 days" rows={props.dueSoon} late={false} />
      <h2>
        {NEEDS_ANOTHER_APPROVER} ({props.stalled.length})
      </h2>
      {props.stalled.length === 0 ? (
        <p>Every review under way has someone other than its author who may decide the next step.</p>
      ) : (
        <>
          <p>
            Only the program's own lead holds the role that decides the next step: give it to someone else.
          </p>
          <ul>
            {props.stalled.map((p) => (
              <li key={p.id}>
                <a href={`/programs/${p.id}`}>{p.title}</a>: {p.step?.name ?? 'pilot decision'}, proposed by{' '}
                {p.lead_name ?? 'the lead'}
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

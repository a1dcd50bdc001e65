import type { MailStatus } from '../platform/db/schema.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { countOf } from '../platform/words.ts';
import type { MailLane } from './mail-lanes.ts';

interface MailRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  kind: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  lane?: MailLane;
}

/** The filters, with the dead letters named as what staff look for. */
const FILTERS: readonly { status: MailStatus | null; label: string }[] = [
  { status: null, label: 'all' },
  { status: 'queued', label: 'waiting' },
  { status: 'sending', label: 'sending' },
  { status: 'retrying', label: 'retrying' },
  { status: 'sent', label: 'sent' },
  { status: 'failed', label: 'failed (dead letters)' },
];

function StatusCell({ mail }: { mail: MailRow }) {
  const attempts = mail.attempts > 0 ? ` (${countOf(mail.attempts, 'attempt')})` : '';
  return (
    <>
      {mail.status}
      {attempts}
      {mail.status === 'retrying' && mail.next_attempt_at ? (
        <div>Next attempt {formatMoment(mail.next_attempt_at)}</div>
      ) : null}
      {mail.last_error ? <div class="muted">{mail.last_error}</div> : null}
    </>
  );
}

/** Outgoing mail: the developer's inbox (no SMTP), and for staff every message's state and the dead letters. */
export function MailListPage(props: {
  ctx: PageContext;
  title: string;
  intro: string;
  rows: MailRow[];
  base: string;
  counts?: Partial<Record<MailStatus, number>>;
  /** Offer "Send again" on failed messages (staff who may resend). */
  canResend?: boolean;
  /** What was just done, confirmed at the top. */
  notice?: string;
}) {
  const { ctx, rows, counts } = props;
  const showLane = rows.some((m) => m.lane);
  const columns = 4 + (showLane ? 1 : 0) + (props.canResend ? 1 : 0);
  return (
    <Layout ctx={ctx} title={props.title}>
      <h1>{props.title}</h1>
      {props.notice ? (
        <Notice kind="ok" as="p">
          {props.notice}
        </Notice>
      ) : null}
      <p>{props.intro}</p>
      <nav aria-label="Filter messages">
        <p>
          Show:{' '}
          {FILTERS.map((filter, at) => (
            <>
              {at > 0 ? ' · ' : ''}
              <a href={filter.status ? `${props.base}?status=${filter.status}` : props.base}>
                {filter.label}
              </a>
              {counts && filter.status ? ` (${counts[filter.status] ?? 0})` : ''}
            </>
          ))}
        </p>
      </nav>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Messages</caption>
          <thead>
            <tr>
              {/* The time carries its zone (the institution's), so the heading names none. */}
              <th scope="col">Created</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              {showLane ? <th scope="col">Queue</th> : null}
              <th scope="col">Status</th>
              {props.canResend ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns}>No messages.</td>
              </tr>
            ) : (
              rows.map((m) => (
                <tr key={m.id}>
                  <td class="nowrap">{formatMoment(m.created_at)}</td>
                  <td>{m.to_address}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre class="mail-body">{m.text_body}</pre>
                    </details>
                  </td>
                  {showLane ? <td>{m.lane === 'account' ? 'Account' : 'Bulk'}</td> : null}
                  <td>
                    <StatusCell mail={m} />
                  </td>
                  {props.canResend ? (
                    <td>
                      {m.status === 'failed' ? (
                        <form method="post" action={`${props.base}/${m.id}/resend`}>
                          <CsrfField token={ctx.csrfToken} />
                          <button type="submit">
                            Send again<span class="visually-hidden"> to {m.to_address}</span>
                          </button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

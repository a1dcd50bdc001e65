import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';

interface MailRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

/** Outgoing mail: the developer's inbox (no SMTP) and the staff view of failed deliveries. */
export function MailListPage(props: {
  ctx: PageContext;
  title: string;
  intro: string;
  rows: MailRow[];
  base: string;
}) {
  const { ctx, rows } = props;
  return (
    <Layout ctx={ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.intro}</p>
      <p>
        Show: <a href={props.base}>all</a> · <a href={`${props.base}?status=queued`}>waiting</a> ·{' '}
        <a href={`${props.base}?status=failed`}>failed</a>
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Messages</caption>
          <thead>
            <tr>
              <th scope="col">Created (UTC)</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4}>No messages.</td>
              </tr>
            ) : (
              rows.map((m) => (
                <tr key={m.id}>
                  <td>{m.created_at.toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{m.to_address}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre class="mail-body">{m.text_body}</pre>
                    </details>
                  </td>
                  <td>
                    {m.status}
                    {m.attempts > 0 ? ` (${m.attempts} attempt${m.attempts === 1 ? '' : 's'})` : ''}
                    {m.last_error ? <div class="muted">{m.last_error}</div> : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

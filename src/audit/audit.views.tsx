import { Pager } from '../platform/http/filters.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';

interface Row {
  id: number;
  at: Date;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditQuery {
  action?: string;
  entityType?: string;
  actor?: string;
  from?: string;
  to?: string;
  page: number;
}

const show = (value: unknown) =>
  value === null || value === undefined ? '' : JSON.stringify(value, null, 1);

function linkFor(query: AuditQuery, page: number) {
  const params = new URLSearchParams();
  for (const key of ['action', 'entityType', 'actor', 'from', 'to'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  params.set('page', String(page));
  return `/admin/audit?${params}`;
}

/** The audit log browser: filter by action, record type, person and dates. */
export function AuditPage(props: {
  ctx: PageContext;
  rows: Row[];
  actions: string[];
  query: AuditQuery;
  pageSize: number;
}) {
  const { ctx, rows, query } = props;
  return (
    <Layout ctx={ctx} title="Audit log">
      <h1>Audit log</h1>
      <p>Every decision and sign-in, newest first. Entries cannot be edited or removed.</p>
      <form method="get" action="/admin/audit" class="filters" aria-label="Filter the audit log">
        <div>
          <label for="action">Action</label>
          <select id="action" name="action">
            <option value="">Any action</option>
            {props.actions.map((a) => (
              <option key={a} value={a} selected={a === query.action}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="entityType">Record type</label>
          <input id="entityType" name="entityType" type="text" value={query.entityType ?? ''} />
        </div>
        <div>
          <label for="actor">Person</label>
          <input id="actor" name="actor" type="text" value={query.actor ?? ''} />
        </div>
        <div>
          <label for="from">From</label>
          <input id="from" name="from" type="date" value={query.from ?? ''} />
        </div>
        <div>
          <label for="to">To</label>
          <input id="to" name="to" type="date" value={query.to ?? ''} />
        </div>
        <button type="submit" class="button button-secondary">
          Filter
        </button>
      </form>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Audit entries</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Record</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5}>No entries match these filters.</td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>
                    {r.actor_label}
                    {r.ip ? <div class="muted">{r.ip}</div> : null}
                  </td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    {r.entity_type}
                    {r.entity_id ? <div class="muted">{r.entity_id}</div> : null}
                  </td>
                  <td>
                    {r.before !== null || r.after !== null ? (
                      <details>
                        <summary>Before and after</summary>
                        <pre>{`before: ${show(r.before)}\nafter: ${show(r.after)}`}</pre>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pager
        label="Pages"
        page={query.page}
        // The log is not counted (it only grows); a full page means there may be older entries.
        pages={rows.length === props.pageSize ? query.page + 1 : query.page}
        href={(page) => linkFor(query, page)}
        previous="Newer entries"
        next="Older entries"
      />
    </Layout>
  );
}

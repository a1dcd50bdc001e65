import { FilterSearch, FilterSelect, Pager } from '../platform/http/filters.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { actionLabel, entityTypeLabel, entityTypeLabels } from './action-labels.ts';

interface Row {
  id: number;
  at: Date;
  actor_label: string;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  entity_name: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditQuery {
  action?: string;
  entityType?: string;
  actor?: string;
  program?: string;
  from?: string;
  to?: string;
  page: number;
}

const show = (value: unknown) =>
  value === null || value === undefined ? '' : JSON.stringify(value, null, 1);

/** The person as people know them: their name, without the address kept beside it in the log. */
const personOf = (row: Row) => row.actor_name ?? row.actor_label.replace(/ <[^>]*>$/, '');

function linkFor(query: AuditQuery, page: number) {
  const params = new URLSearchParams();
  for (const key of ['action', 'entityType', 'actor', 'program', 'from', 'to'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  params.set('page', String(page));
  return `/admin/audit?${params}`;
}

/** Where a record named in the log can be opened. */
function recordHref(row: Row): string | undefined {
  if (!row.entity_id) return undefined;
  if (row.entity_type === 'program') return `/programs/${row.entity_id}`;
  return undefined;
}

/** The audit log browser: filter by person, program, action, record type and days; newest first, paged. */
export function AuditPage(props: {
  ctx: PageContext;
  rows: Row[];
  actions: string[];
  programs: readonly { id: string; title: string }[];
  query: AuditQuery;
  pageSize: number;
}) {
  const { ctx, rows, query } = props;
  const actionOptions = props.actions
    .map((a) => ({ value: a, label: actionLabel(a) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const typeOptions = Object.entries(entityTypeLabels)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <Layout ctx={ctx} title="Audit log">
      <h1>Audit log</h1>
      <p>Every decision and sign-in, newest first. Entries cannot be edited or removed.</p>
      <form method="get" action="/admin/audit" class="filters" aria-label="Filter the audit log">
        <FilterSearch name="actor" label="Person (name or e-mail)" value={query.actor} />
        <FilterSelect
          name="program"
          label="Program"
          any="Any program"
          options={props.programs.map((p) => ({ value: p.id, label: p.title }))}
          value={query.program}
        />
        <FilterSelect
          name="action"
          label="Action"
          any="Any action"
          options={actionOptions}
          value={query.action}
        />
        <FilterSelect
          name="entityType"
          label="Record type"
          any="Any record"
          options={typeOptions}
          value={query.entityType}
        />
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
          <caption class="visually-hidden">Audit entries, page {query.page}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Record</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5}>No entries match these filters.</td>
              </tr>
            ) : (
              rows.map((r) => {
                const href = recordHref(r);
                return (
                  <tr key={r.id}>
                    <td class="nowrap">{formatMoment(r.at)}</td>
                    <td>{personOf(r)}</td>
                    <td>{actionLabel(r.action)}</td>
                    <td>
                      {entityTypeLabel(r.entity_type)}
                      {r.entity_name ? (
                        <>: {href ? <a href={href}>{r.entity_name}</a> : <span>{r.entity_name}</span>}</>
                      ) : null}
                    </td>
                    <td>
                      <details>
                        <summary>
                          Details<span class="visually-hidden"> of entry {r.id}</span>
                        </summary>
                        <dl class="facts">
                          <dt>Recorded as</dt>
                          <dd>
                            <code>{r.action}</code>
                          </dd>
                          <dt>By</dt>
                          <dd>{r.actor_label}</dd>
                          {r.ip ? (
                            <>
                              <dt>From address</dt>
                              <dd>{r.ip}</dd>
                            </>
                          ) : null}
                          {r.entity_id ? (
                            <>
                              <dt>Record identifier</dt>
                              <dd>
                                <code>{r.entity_id}</code>
                              </dd>
                            </>
                          ) : null}
                        </dl>
                        {r.before !== null || r.after !== null ? (
                          <pre>{`before: ${show(r.before)}\nafter: ${show(r.after)}`}</pre>
                        ) : null}
                      </details>
                    </td>
                  </tr>
                );
              })
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

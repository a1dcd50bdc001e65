import { apiScopes } from '../platform/api-scopes.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { ChoicesField, CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { ApiClientsService, RevealedSecret } from './api-clients.service.ts';

type Overview = Awaited<ReturnType<ApiClientsService['overview']>>;

/** The create form, refused, shown again with what was typed. */
export interface FailedClientForm {
  values: { name: string; scopes: readonly string[] };
  errors: FieldProblem[];
  message: string;
}

const labels = { name: 'Name', scopes: 'Scopes' };
const when = (value: Date | null) => (value ? formatMoment(new Date(value)) : 'Never');

/** The secret, once: the page that shows it is the only place it ever appears. */
function RevealedPanel({ revealed }: { revealed: RevealedSecret & { isNew: boolean } }) {
  return (
    <Notice kind="info" as="section" aria-labelledby="secret-heading">
      <h2 id="secret-heading">
        {revealed.isNew ? `${revealed.name} is created` : `${revealed.name} has a new secret`}: copy the
        secret now
      </h2>
      <p>
        The secret is shown only on this page and is not kept anywhere readable: store it in the integration's
        configuration now. If it is lost, rotate it to get a new one.
        {revealed.isNew ? '' : ' The old secret and the tokens it obtained no longer work.'}
      </p>
      <dl>
        <dt>Client id</dt>
        <dd>
          <code>{revealed.clientId}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>
          <code>{revealed.secret}</code>
        </dd>
      </dl>
    </Notice>
  );
}

/** For administrators: the integrations allowed to call the API, and a form to add one. */
export function ApiClientsPage(props: {
  ctx: PageContext;
  overview: Overview;
  notice?: string;
  revealed?: RevealedSecret & { isNew: boolean };
  failed?: FailedClientForm;
}) {
  const { ctx, overview, failed } = props;
  return (
    <Layout ctx={ctx} title="API clients">
      <h1>API clients</h1>
      <p>
        Integrations such as the student information system call the API with an access token they obtain from{' '}
        <code>/oauth/token</code> using a client id and secret made here. Each client may do only what its
        scopes allow; the audit log names the client for everything it does. The API is described at{' '}
        <a href="/docs">/docs</a>.
      </p>
      {props.notice ? (
        <Notice kind="info" as="p" role="status">
          {props.notice}
        </Notice>
      ) : null}
      {props.revealed ? <RevealedPanel revealed={props.revealed} /> : null}
      {failed ? (
        <ErrorSummary errors={failed.errors} labels={labels}>
          <p>{failed.message}</p>
        </ErrorSummary>
      ) : null}

      <section aria-labelledby="clients-heading">
        <h2 id="clients-heading">Clients</h2>
        {overview.clients.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table>
            <caption class="visually-hidden">API clients and their scopes</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client id</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                {overview.canManage ? (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {overview.clients.map((client) => (
                <tr key={client.id}>
                  <td>{client.name}</td>
                  <td>
                    <code>{client.client_id}</code>
                  </td>
                  <td>{client.scopes.join(', ')}</td>
                  <td>{when(client.created_at)}</td>
                  <td>{when(client.last_used_at)}</td>
                  <td>{client.isRevoked ? `Revoked ${when(client.revoked_at)}` : 'Active'}</td>
                  {overview.canManage ? (
                    <td>
                      {client.isRevoked ? null : (
                        <>
                          <form method="post" action={`/admin/api-clients/${client.id}/rotate`}>
                            <CsrfField token={ctx.csrfToken} />
                            <button type="submit" class="button-secondary">
                              Rotate the secret of {client.name}
                            </button>
                          </form>
                          <form method="post" action={`/admin/api-clients/${client.id}/revoke`}>
                            <CsrfField token={ctx.csrfToken} />
                            <button type="submit" class="button-secondary">
                              Revoke {client.name}
                            </button>
                          </form>
                        </>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {overview.canManage ? (
        <section aria-labelledby="create-heading">
          <h2 id="create-heading">Add a client</h2>
          <form method="post" action="/admin/api-clients" class="stack">
            <CsrfField token={ctx.csrfToken} />
            <Field
              name="name"
              label={labels.name}
              hint="Which system this is, e.g. Student information system (nightly grades)."
              value={failed?.values.name}
              errors={failed?.errors}
              required
            />
            <ChoicesField
              kind="checkbox"
              name="scopes"
              label={labels.scopes}
              hint="Grant only what the integration needs."
              options={overview.scopes.map((scope) => ({
                value: scope,
                label: `${scope}: ${apiScopes[scope]}`,
              }))}
              chosen={failed?.values.scopes ?? []}
              errors={failed?.errors}
            />
            <div>
              <button type="submit">Add the client</button>
            </div>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { countOf } from '../platform/words.ts';
import type { TrustedIssuersService } from './trusted-issuers.service.ts';

type Overview = Awaited<ReturnType<TrustedIssuersService['overview']>>;

/** A form that was refused, shown again with what was typed and the problems beside its fields. */
export interface FailedTrustForm {
  form: 'issuer' | 'registry';
  values: Record<string, string>;
  errors: FieldProblem[];
  message: string;
}

const moment = (value: Date | string) => formatMoment(new Date(value));

/** For administrators: the issuers whose badges this site shows as coming from a known issuer. */
export function TrustedIssuersPage(props: {
  ctx: PageContext;
  overview: Overview;
  notice?: string;
  failed?: FailedTrustForm;
}) {
  const { ctx, overview, failed } = props;
  const issuerForm = failed?.form === 'issuer' ? failed : undefined;
  const registryForm = failed?.form === 'registry' ? failed : undefined;
  return (
    <Layout ctx={ctx} title="Trusted issuers">
      <h1>Trusted issuers</h1>
      <p>
        The verify page says a badge was issued by this institution only when one of its own keys signed it. A
        badge signed by a DID listed here is shown as coming from a known issuer, under the name given here;
        anyone else is shown as an issuer that is not known, whatever name the badge gives itself.
      </p>
      {props.notice ? (
        <Notice kind="info" as="p" role="status">
          {props.notice}
        </Notice>
      ) : null}
      {failed ? (
        <Notice kind="bad">
          <h2>That was not saved</h2>
          <p>{failed.message}</p>
        </Notice>
      ) : null}

      <section aria-labelledby="added-heading">
        <h2 id="added-heading">Issuers added here</h2>
        {overview.added.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table>
            <caption class="visually-hidden">Issuers added by an administrator</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">DID</th>
                <th scope="col">Note</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {overview.added.map((issuer) => (
                <tr key={issuer.id}>
                  <td>{issuer.name}</td>
                  <td>
                    <code>{issuer.did}</code>
                  </td>
                  <td>{issuer.note}</td>
                  <td>{moment(issuer.created_at)}</td>
                  <td>
                    <form method="post" action="/admin/trusted-issuers/remove">
                      <CsrfField token={ctx.csrfToken} />
                      <input type="hidden" name="did" value={issuer.did} />
                      <button type="submit" class="button-secondary" aria-label={`Remove ${issuer.name}`}>
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>Add an issuer</h3>
        <form method="post" action="/admin/trusted-issuers" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <Field
            name="did"
            label="DID"
            hint="The issuer's DID exactly as its badges are signed, e.g. did:web:badges.partner.edu."
            value={issuerForm?.values.did}
            errors={issuerForm?.errors}
            required
          />
          <Field
            name="name"
            id="issuer-name"
            label="Name"
            hint="Shown as the issuer of its badges."
            value={issuerForm?.values.name}
            errors={issuerForm?.errors}
            required
          />
          <Field
            name="note"
            id="issuer-note"
            label="Note"
            hint="Why it is trusted, for other administrators (optional)."
            value={issuerForm?.values.note}
            errors={issuerForm?.errors}
          />
          <div>
            <button type="submit">Add the issuer</button>
          </div>
        </form>
      </section>

      <section aria-labelledby="registries-heading">
        <h2 id="registries-heading">Registries</h2>
        <p>
          Lists of issuers kept by others, in the Digital Credentials Consortium's registry format. Each is
          fetched over HTTPS when added and when refreshed, and kept here as fetched.
          {overview.networkAllowed
            ? ''
            : ' This server may not reach other sites (STACKABLE_ALLOW_NETWORK is off), so registries cannot be fetched.'}
        </p>
        {overview.registries.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul class="cards">
            {overview.registries.map((registry) => (
              <li key={registry.id} class="card">
                <h3>{registry.name}</h3>
                <p>
                  <code>{registry.url}</code>
                </p>
                <p>
                  {registry.fetched_at
                    ? `Fetched ${moment(registry.fetched_at)}; lists ${countOf(registry.entry_count, 'issuer')}.`
                    : 'Not fetched yet.'}
                </p>
                {registry.last_error ? (
                  <p class="field-error">The last refresh failed: {registry.last_error}</p>
                ) : null}
                <form method="post" action={`/admin/trusted-issuers/registries/${registry.id}/refresh`}>
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit" disabled={!overview.networkAllowed}>
                    Refresh {registry.name}
                  </button>
                </form>
                <form method="post" action={`/admin/trusted-issuers/registries/${registry.id}/remove`}>
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit" class="button-secondary">
                    Remove {registry.name}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h3>Add a registry</h3>
        <form method="post" action="/admin/trusted-issuers/registries" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <Field
            name="name"
            id="registry-name"
            label="Registry name"
            value={registryForm?.values.name}
            errors={registryForm?.errors}
            required
          />
          <Field
            name="url"
            id="registry-url"
            label="Registry address"
            hint="An https:// address of the registry's JSON file."
            value={registryForm?.values.url}
            errors={registryForm?.errors}
            required
          />
          <div>
            <button type="submit">Add the registry</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

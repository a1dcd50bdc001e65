import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, SelectField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { certificates, type FailedProviderForm, labels, ProviderForm } from './sso-provider-form.tsx';
import type { PresentedProvider, SsoProvidersService } from './sso-providers.service.ts';

export type { FailedProviderForm } from './sso-provider-form.tsx';

type Overview = Awaited<ReturnType<SsoProvidersService['overview']>>;

/** For administrators: the identity providers, the password switch, and the addresses to register. */
export function SsoSettingsPage(props: {
  ctx: PageContext;
  overview: Overview;
  notice?: string;
  failed?: FailedProviderForm;
  settingsErrors?: FieldProblem[];
}) {
  const { ctx, overview } = props;
  return (
    <Layout ctx={ctx} title="Single sign-on">
      <h1>Single sign-on</h1>
      <p>
        People sign in with their university account through the identity providers below. Register this site
        with each provider using these addresses (see the single sign-on guide in the documentation):
      </p>
      <dl>
        <dt>Redirect address (OpenID Connect)</dt>
        <dd>
          <code>{overview.redirectUri}</code>
        </dd>
        <dt>SP metadata address (SAML 2.0)</dt>
        <dd>
          <code>{overview.samlMetadataPattern}</code>, one for each SAML provider (shown on its page)
        </dd>
      </dl>
      {props.notice ? (
        <Notice kind="info" as="p" role="status">
          {props.notice}
        </Notice>
      ) : null}
      <section aria-labelledby="providers-heading">
        <h2 id="providers-heading">Identity providers</h2>
        {overview.providers.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table>
            <caption class="visually-hidden">Identity providers</caption>
            <thead>
              <tr>
                <th scope="col">Button</th>
                <th scope="col">Protocol</th>
                <th scope="col">Domains</th>
                <th scope="col">Client secret</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {overview.providers.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={`/admin/sso/providers/${p.id}`}>{p.buttonLabel}</a>
                  </td>
                  <td>{p.protocol === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'}</td>
                  <td>{p.emailDomains.join(', ') || 'Any'}</td>
                  <td>{p.protocol === 'oidc' ? (p.hasClientSecret ? 'Set' : 'Not set') : 'Not used'}</td>
                  <td>{p.isEnabled ? 'On the sign-in page' : 'Hidden'}</td>
                  <td>
                    {overview.canTest ? (
                      <a class="button button-secondary" href={`/admin/sso/providers/${p.id}/test`}>
                        Test sign-in with {p.buttonLabel}
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {overview.canManage ? (
        <section aria-labelledby="passwords-heading">
          <h2 id="passwords-heading">Local passwords for staff</h2>
          <p>
            When they are off, staff (everyone with a role beyond learner) must sign in through an identity
            provider. The break-glass administrator keeps a local password for the day the provider is down;
            learners keep theirs.
          </p>
          <ErrorSummary errors={props.settingsErrors ?? []} labels={labels} />
          <form method="post" action="/admin/sso/settings" class="stack">
            <CsrfField token={ctx.csrfToken} />
            <SelectField
              name="staffPasswordsOff"
              label={labels.staffPasswordsOff!}
              value={overview.settings.staffPasswordsOff ? 'off' : 'on'}
              options={[
                { value: 'on', label: 'Allowed' },
                { value: 'off', label: 'Off: staff use single sign-on' },
              ]}
              errors={props.settingsErrors}
            />
            <SelectField
              name="breakGlassUserId"
              label={labels.breakGlassUserId!}
              hint="An active administrator with a local password."
              value={overview.settings.breakGlassUserId ?? ''}
              placeholder="Nobody chosen"
              options={overview.administrators.map((a) => ({ value: a.id, label: `${a.name} (${a.email})` }))}
              errors={props.settingsErrors}
            />
            <div>
              <button type="submit">Save the password setting</button>
            </div>
          </form>
        </section>
      ) : null}

      {overview.canManage ? (
        <section aria-labelledby="add-heading">
          <h2 id="add-heading">Add an identity provider</h2>
          <ErrorSummary errors={props.failed?.errors ?? []} labels={labels}>
            {props.failed ? <p>{props.failed.message}</p> : null}
          </ErrorSummary>
          <ProviderForm
            ctx={ctx}
            action="/admin/sso/providers"
            failed={props.failed}
            submit="Add the provider"
          />
        </section>
      ) : null}
    </Layout>
  );
}

/** One provider's settings, to change or remove it. */
export function SsoProviderPage(props: {
  ctx: PageContext;
  provider: PresentedProvider;
  canManage: boolean;
  failed?: FailedProviderForm;
  notice?: string;
  samlUrls: { entityId: string; acs: string; logout: string };
}) {
  const { ctx, provider } = props;
  return (
    <Layout ctx={ctx} title={`Single sign-on: ${provider.buttonLabel}`}>
      <p>
        <a href="/admin/sso">Single sign-on</a>
      </p>
      <h1>{provider.buttonLabel}</h1>
      {provider.protocol === 'saml' ? <SamlAddresses urls={props.samlUrls} provider={provider} /> : null}
      {props.notice ? (
        <Notice kind="ok" as="p">
          {props.notice}
        </Notice>
      ) : null}
      <ErrorSummary errors={props.failed?.errors ?? []} labels={labels}>
        {props.failed ? <p>{props.failed.message}</p> : null}
      </ErrorSummary>
      {props.canManage ? (
        <>
          <ProviderForm
            ctx={ctx}
            action={`/admin/sso/providers/${provider.id}`}
            provider={provider}
            failed={props.failed}
            submit="Save the provider"
          />
          <h2>Remove</h2>
          <p>People who signed in through it keep their accounts; they sign in another way afterwards.</p>
          <form method="post" action={`/admin/sso/providers/${provider.id}/delete`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="button-secondary">
              Remove {provider.buttonLabel}
            </button>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

/** What to give a SAML provider for this site, and what its metadata said. */
function SamlAddresses(props: {
  urls: { entityId: string; acs: string; logout: string };
  provider: PresentedProvider;
}) {
  const { urls, provider } = props;
  return (
    <section aria-labelledby="saml-heading">
      <h2 id="saml-heading">Give the provider this site's metadata</h2>
      <dl>
        <dt>SP metadata address (also the entity id)</dt>
        <dd>
          <a href={urls.entityId}>
            <code>{urls.entityId}</code>
          </a>
        </dd>
        <dt>Assertion consumer service (HTTP-POST)</dt>
        <dd>
          <code>{urls.acs}</code>
        </dd>
        <dt>Single logout service (HTTP-Redirect)</dt>
        <dd>
          <code>{urls.logout}</code>
        </dd>
        <dt>Provider</dt>
        <dd>
          {provider.idp
            ? `${provider.idp.entityId}: ${certificates(provider.idp.signingCertificates)}, single logout ${provider.idp.hasLogout ? 'offered: signing out here signs out there too, and the other way round' : 'not offered by the provider'}`
            : 'Its metadata could not be read: paste it again.'}
        </dd>
      </dl>
    </section>
  );
}

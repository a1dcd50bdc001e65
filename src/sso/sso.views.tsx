import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field, SelectField, TextAreaField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { ExternalProfile } from './claims-mapping.ts';
import type { ProviderInput } from './provider-input.ts';
import type { PresentedProvider, SsoProvidersService } from './sso-providers.service.ts';

type Overview = Awaited<ReturnType<SsoProvidersService['overview']>>;

/** The provider form, refused, shown again with what was typed (never the secret). */
export interface FailedProviderForm {
  values: Omit<ProviderInput, 'clientSecret'>;
  errors: FieldProblem[];
  message: string;
}

const labels: Record<string, string> = {
  slug: 'Short name',
  buttonLabel: 'Name on the sign-in button',
  protocol: 'Protocol',
  discoveryUrl: 'Discovery address',
  clientId: 'Client id',
  clientSecret: 'Client secret',
  studentIdClaim: 'Student ID claim or attribute',
  groupsClaim: 'Groups claim or attribute',
  roleMap: 'Roles from groups',
  emailDomains: 'E-mail domains',
  staffPasswordsOff: 'Local passwords for staff',
  breakGlassUserId: 'Break-glass administrator',
};

/** What was stored, as the form's starting values. */
function valuesOf(provider: PresentedProvider | undefined): Omit<ProviderInput, 'clientSecret'> {
  if (!provider) return { slug: '', buttonLabel: '', protocol: 'oidc', isEnabled: true };
  return {
    slug: provider.slug,
    buttonLabel: provider.buttonLabel,
    protocol: provider.protocol,
    discoveryUrl: provider.discoveryUrl ?? '',
    clientId: provider.clientId ?? '',
    studentIdClaim: provider.studentIdClaim ?? '',
    groupsClaim: provider.groupsClaim ?? '',
    roleMap: provider.roleMap.map((entry) => `${entry.group} = ${entry.role}`).join('\n'),
    emailDomains: provider.emailDomains.join(', '),
    isEnabled: provider.isEnabled,
  };
}

/** The fields of one provider, for adding and for changing it. */
function ProviderForm(props: {
  ctx: PageContext;
  action: string;
  provider?: PresentedProvider;
  failed?: FailedProviderForm;
  submit: string;
}) {
  const values = props.failed?.values ?? valuesOf(props.provider);
  const errors = props.failed?.errors;
  const hasSecret = props.provider?.hasClientSecret ?? false;
  return (
    <form method="post" action={props.action} class="stack">
      <CsrfField token={props.ctx.csrfToken} />
      <Field
        name="buttonLabel"
        label={labels.buttonLabel!}
        hint="What people see, e.g. University account."
        value={values.buttonLabel}
        errors={errors}
        required
      />
      <Field
        name="slug"
        label={labels.slug!}
        hint="Lower-case letters, digits and hyphens, e.g. campus. It appears in addresses."
        value={values.slug}
        errors={errors}
        required
      />
      <SelectField
        name="protocol"
        label={labels.protocol!}
        value={values.protocol}
        hint="SAML 2.0 is not available yet; Shibboleth IdP 4 and later also speak OpenID Connect."
        options={[{ value: 'oidc', label: 'OpenID Connect (Entra ID, Okta, Google, Keycloak, Shibboleth)' }]}
        errors={errors}
      />
      <fieldset>
        <legend>OpenID Connect</legend>
        <Field
          name="discoveryUrl"
          label={labels.discoveryUrl!}
          hint="The issuer's address or its /.well-known/openid-configuration."
          value={values.discoveryUrl}
          errors={errors}
        />
        <Field name="clientId" label={labels.clientId!} value={values.clientId} errors={errors} />
        <Field
          name="clientSecret"
          type="password"
          autocomplete="off"
          label={hasSecret ? 'Replace the client secret' : labels.clientSecret!}
          hint={
            hasSecret
              ? 'A secret is set. It is never shown; leave this empty to keep it, or type a new one to replace it.'
              : 'Not set. Leave empty for a public client (PKCE only).'
          }
          errors={errors}
        />
      </fieldset>
      <fieldset>
        <legend>What the provider sends</legend>
        <Field
          name="studentIdClaim"
          label={labels.studentIdClaim!}
          hint="Leave empty when the provider sends no student ID. The learner record with it is linked."
          value={values.studentIdClaim}
          errors={errors}
        />
        <Field
          name="groupsClaim"
          label={labels.groupsClaim!}
          hint="Default: groups."
          value={values.groupsClaim}
          errors={errors}
        />
        <TextAreaField
          name="roleMap"
          label={labels.roleMap!}
          hint="One rule a line: group = role, e.g. badge-office = credentials_office. Roles named here follow the groups at every sign-in; other roles stay as granted here. Empty: roles are granted here only."
          value={values.roleMap}
          rows={3}
          mono
          errors={errors}
        />
        <Field
          name="emailDomains"
          label={labels.emailDomains!}
          hint="The university's domains this provider answers for, separated by commas, e.g. example.edu. Only addresses in them are trusted to match existing accounts."
          value={values.emailDomains}
          errors={errors}
        />
      </fieldset>
      <p>
        <label>
          <input type="checkbox" name="isEnabled" value="on" checked={values.isEnabled !== false} /> Show this
          provider on the sign-in page
        </label>
      </p>
      <div>
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

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
      </dl>
      {props.notice ? (
        <p class="notice notice-info" role="status">
          {props.notice}
        </p>
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
                    {overview.canTest && p.protocol === 'oidc' ? (
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
}) {
  const { ctx, provider } = props;
  return (
    <Layout ctx={ctx} title={`Single sign-on: ${provider.buttonLabel}`}>
      <p>
        <a href="/admin/sso">Single sign-on</a>
      </p>
      <h1>{provider.buttonLabel}</h1>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
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

/** What a test sign-in received, for the administrator who ran it: nobody was signed in. */
export function SsoTestResultPage(props: {
  ctx: PageContext;
  provider: { id: string; label: string };
  claims: Record<string, unknown>;
  profile: ExternalProfile | null;
}) {
  const { ctx, profile } = props;
  const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return (
    <Layout ctx={ctx} title="Test sign-in">
      <p>
        <a href={`/admin/sso/providers/${props.provider.id}`}>{props.provider.label}</a>
      </p>
      <h1>Test sign-in: what {props.provider.label} sent</h1>
      <p class="notice notice-ok" role="status">
        The provider's answer was valid. Nobody was signed in and no account was changed.
      </p>
      <h2>As Stackable reads it</h2>
      {profile ? (
        <dl>
          <dt>Identifier</dt>
          <dd>{profile.subject}</dd>
          <dt>E-mail address</dt>
          <dd>
            {profile.email ?? 'None sent'}
            {profile.email
              ? profile.isEmailVerified
                ? ' (trusted)'
                : ' (not trusted: not verified, or outside the domains)'
              : ''}
          </dd>
          <dt>Name</dt>
          <dd>{profile.name}</dd>
          <dt>Student ID</dt>
          <dd>{profile.studentId ?? 'None'}</dd>
          <dt>Groups</dt>
          <dd>{profile.groups.join(', ') || 'None'}</dd>
          <dt>Roles the groups give</dt>
          <dd>
            {profile.managedRoles.length === 0
              ? 'Roles are not mapped from groups'
              : profile.grantedRoles.join(', ') || 'None'}
          </dd>
        </dl>
      ) : (
        <p>The answer carried no identifier, so nobody could be signed in with it.</p>
      )}
      <h2>Everything received</h2>
      <table>
        <caption class="visually-hidden">Claims received from the provider</caption>
        <thead>
          <tr>
            <th scope="col">Claim</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.claims).map(([name, value]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{shown(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** A sign-in through a provider that did not succeed: what happened and what to do. */
export function SsoFailurePage(props: { ctx: PageContext; message: string }) {
  return (
    <Layout ctx={props.ctx} title="You are not signed in">
      <h1>You are not signed in</h1>
      <div class="notice notice-bad" role="alert">
        <p>{props.message}</p>
      </div>
      <p>
        <a href="/login">Back to the sign-in page</a>
      </p>
    </Layout>
  );
}

/**
 * One identity provider's settings as a form, for adding and for changing it: the shared fields of
 * platform/http/forms.tsx, one part for each protocol.
 */
import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, Field, SelectField, TextAreaField } from '../platform/http/forms.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { countOf } from '../platform/words.ts';
import type { ProviderInput } from './provider-input.ts';
import type { PresentedProvider } from './sso-providers.service.ts';

/** The provider form, refused, shown again with what was typed (never the secret). */
export interface FailedProviderForm {
  values: Omit<ProviderInput, 'clientSecret'>;
  errors: FieldProblem[];
  message: string;
}

export const labels: Record<string, string> = {
  slug: 'Short name',
  buttonLabel: 'Name on the sign-in button',
  protocol: 'Protocol',
  discoveryUrl: 'Discovery address',
  clientId: 'Client id',
  clientSecret: 'Client secret',
  idpMetadataUrl: 'Metadata address',
  idpMetadataXml: 'Metadata',
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
    idpMetadataUrl: provider.idpMetadataUrl ?? '',
    studentIdClaim: provider.studentIdClaim ?? '',
    groupsClaim: provider.groupsClaim ?? '',
    roleMap: provider.roleMap.map((entry) => `${entry.group} = ${entry.role}`).join('\n'),
    emailDomains: provider.emailDomains.join(', '),
    isEnabled: provider.isEnabled,
  };
}

/** The fields of one provider, for adding and for changing it. */
export function ProviderForm(props: {
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
        hint="Fill in the part below for the protocol chosen; the other part is ignored."
        options={[
          { value: 'saml', label: 'SAML 2.0 (Shibboleth, InCommon and eduGAIN members, Entra ID, Okta)' },
          { value: 'oidc', label: 'OpenID Connect (Entra ID, Okta, Google, Keycloak)' },
        ]}
        errors={errors}
      />
      <fieldset>
        <legend>SAML 2.0</legend>
        <Field
          name="idpMetadataUrl"
          label={labels.idpMetadataUrl!}
          hint="Where the provider publishes its metadata (https). It is read again at every save, which picks up new signing certificates."
          value={values.idpMetadataUrl}
          errors={errors}
        />
        <TextAreaField
          name="idpMetadataXml"
          label={labels.idpMetadataXml!}
          hint={
            props.provider?.idp
              ? `Stored: ${props.provider.idp.entityId}, ${certificates(props.provider.idp.signingCertificates)}. Leave empty to keep it, or paste new metadata to replace it.`
              : 'Or paste the provider’s metadata XML here when it has no address.'
          }
          value={values.idpMetadataXml}
          rows={4}
          mono
          errors={errors}
        />
      </fieldset>
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
          hint="Leave empty when the provider sends no student ID. The learner record with it is linked. SAML attributes by name or urn:oid form."
          value={values.studentIdClaim}
          errors={errors}
        />
        <Field
          name="groupsClaim"
          label={labels.groupsClaim!}
          hint="Default: groups (OpenID Connect); eduPersonAffiliation, else eduPersonScopedAffiliation (SAML)."
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

/** '1 signing certificate', '2 signing certificates': what the stored metadata publishes. */
export const certificates = (count: number) => countOf(count, 'signing certificate');

import type { FieldProblem } from '../platform/errors.ts';
import {
  ChoicesField,
  CsrfField,
  ErrorSummary,
  Field,
  SelectField,
  TextAreaField,
} from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { UploadForm } from '../platform/http/upload-form.tsx';
import type { InstitutionService } from './institution.service.ts';
import { type ProfileField, type ProfileInput, profileLabels, vcJwtChoices } from './institution-profile.ts';
import { MAX_LOGO_BYTES, PNG_SIDES } from './logo-file.ts';
import { defaultAnswers } from './program-answers.ts';

type Profile = Awaited<ReturnType<InstitutionService['profile']>>;

/** A signing key as the screen lists it: public facts only. */
export interface SigningKeySummary {
  keyId: string;
  algorithm: string;
  createdAt: Date;
  retiredAt: Date | null;
}

/** What went wrong with the last post, shown again beside the form it came from. */
export interface FailedProfileForm {
  form: 'profile' | 'logo';
  values?: ProfileInput;
  errors: FieldProblem[];
  message: string;
}

const months = Array.from({ length: 12 }, (_, i) => ({
  value: String(i + 1),
  label: new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, i, 1)),
}));

const reviewRhythms = Array.from({ length: 10 }, (_, i) => ({
  value: String(i + 1),
  label: i === 0 ? '1 year' : `${i + 1} years`,
}));

function ProfileForm(props: { csrfToken: string; values: ProfileInput; errors: FieldProblem[] }) {
  const { values, errors } = props;
  const text = (name: ProfileField, hint?: string, type: 'text' | 'email' = 'text') => (
    <Field
      name={name}
      label={profileLabels[name]}
      hint={hint}
      type={type}
      value={values[name]}
      errors={errors}
      required={['name', 'shortName', 'url', 'email', 'timeZone', 'primaryColour', 'accentColour'].includes(
        name,
      )}
    />
  );
  const long = (name: ProfileField, hint: string) => (
    <TextAreaField
      name={name}
      label={profileLabels[name]}
      hint={hint}
      value={values[name]}
      errors={errors}
      rows={4}
    />
  );
  return (
    <form method="post" action="/admin/institution" class="stack wide">
      <CsrfField token={props.csrfToken} />
      <fieldset>
        <legend>Names</legend>
        {text('name', 'As it appears on badges and the site, e.g. Lakeside Technical Institute.')}
        {text('shortName', 'Up to 12 characters; it sits across the top of each badge, e.g. LTI.')}
      </fieldset>
      <fieldset>
        <legend>Contact</legend>
        {text('url', 'The institution’s own website, https://…')}
        {text(
          'admissionsUrl',
          'Optional: where new students apply, https://… The program pages’ “Apply for admission” opens it; left empty, they say to write to the contact e-mail below to ask how to apply.',
        )}
        {text('email', 'Where learners and employers write about badges.', 'email')}
        {text('phone', 'Optional.')}
        {long('address', 'Optional.')}
      </fieldset>
      <fieldset>
        <legend>Public pages</legend>
        {long(
          'introduction',
          'A short paragraph on the public home page; badges carry it as the issuer’s description.',
        )}
        {text('timeZone', 'An IANA name, e.g. America/Los_Angeles or Europe/Paris. Dates are shown in it.')}
        <SelectField
          name="academicYearStartMonth"
          label={profileLabels.academicYearStartMonth}
          hint="Pilot years and reviews are counted from the first day of this month."
          value={values.academicYearStartMonth}
          options={months}
          errors={errors}
          required
        />
        <SelectField
          name="periodicReviewYears"
          label={profileLabels.periodicReviewYears}
          hint="An established program’s review is due at the end of the academic year in which this many years since its last review run out."
          value={values.periodicReviewYears}
          options={reviewRhythms}
          errors={errors}
          required
        />
      </fieldset>
      <fieldset>
        <legend>Brand colours</legend>
        {text(
          'primaryColour',
          'Hex, e.g. #1d4b3a. White text sits on it, so it must give white text a contrast of at least 4.5:1.',
        )}
        {text(
          'accentColour',
          'Hex, e.g. #e0a526. Badges write on it in white or dark text, whichever reads better; one must reach 4.5:1.',
        )}
      </fieldset>
      <fieldset>
        <legend>Badge fees</legend>
        {text('defaultFee', 'The fee a new proposal starts with, e.g. 10 or 25.50.')}
        {text('currency', 'An ISO 4217 code, e.g. USD, EUR or CAD.')}
        {long('feePolicy', 'Optional: waivers, refunds and who to ask. Shown with the fee on program pages.')}
      </fieldset>
      <fieldset>
        <legend>Answers on program pages</legend>
        {long(
          'transcriptAnswer',
          `Leave empty for the built-in answer: “${defaultAnswers.transcriptCredit}”`,
        )}
        {long('financialAidAnswer', `Leave empty for the built-in answer: “${defaultAnswers.financialAid}”`)}
      </fieldset>
      <fieldset>
        <legend>Badge formats</legend>
        <SelectField
          name="vcJwt"
          label={profileLabels.vcJwt}
          hint="Every badge is issued as JSON-LD with a Data Integrity proof. A VC-JWT copy suits wallets and systems that read JSON Web Tokens; its key is made on first use and published with the others."
          value={values.vcJwt}
          options={vcJwtChoices}
          errors={errors}
          required
        />
      </fieldset>
      <ChoicesField
        name="allowSuspension"
        kind="radio"
        label={profileLabels.allowSuspension}
        hint={
          'Open Badges 3.0 gives a badge one status entry, and every badge’s is its revocation entry. A ' +
          'suspension is therefore kept in this site’s register: this site’s verifier and badge pages show it, ' +
          'other verifiers do not (they see the badge as valid until it is revoked). Badges stay within Open ' +
          'Badges 3.0 either way.'
        }
        options={[
          { value: 'false', label: 'Off: badges can be revoked, not suspended' },
          { value: 'true', label: 'On: staff can also suspend a badge and reinstate it' },
        ]}
        chosen={[values.allowSuspension]}
        errors={errors}
      />
      <div>
        <button type="submit">Save the profile</button>
      </div>
    </form>
  );
}

function SigningKeys(props: { csrfToken: string; keys: SigningKeySummary[]; canManage: boolean }) {
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">Signing keys</h2>
      <p>
        New badges are signed with the key in use. Rotating starts a new key and retires the current one;
        badges it signed keep verifying. Private keys never leave the server and are not shown here.
      </p>
      {props.keys.length === 0 ? (
        <p>No key yet: the first is made when the first badge is issued.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Signing keys</caption>
            <thead>
              <tr>
                <th scope="col">Key id</th>
                <th scope="col">Algorithm</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {props.keys.map((key) => (
                <tr key={key.keyId}>
                  <td>
                    <code>{key.keyId}</code>
                  </td>
                  <td>{key.algorithm}</td>
                  <td>{formatMoment(key.createdAt)}</td>
                  <td>{key.retiredAt ? `Retired ${formatMoment(key.retiredAt)}` : 'In use'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.canManage ? (
        <form method="post" action="/admin/institution/keys/rotate">
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="button-secondary">
            Rotate the signing key
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** For administrators: the institution's profile, its logo and its signing keys. */
export function InstitutionProfilePage(props: {
  ctx: PageContext;
  profile: Profile;
  keys: SigningKeySummary[];
  notice?: string;
  failed?: FailedProfileForm;
}) {
  const { ctx, profile, failed } = props;
  const profileFailure = failed?.form === 'profile' ? failed : undefined;
  const logoFailure = failed?.form === 'logo' ? failed : undefined;
  return (
    <Layout ctx={ctx} title="Institution profile">
      <h1>Institution profile</h1>
      {profile.isSetUp ? null : (
        <Notice kind="warn" role="status">
          <p>
            <strong>Not set up yet.</strong> Pages show a placeholder name, and no badge can be issued until
            this profile is saved.
          </p>
        </Notice>
      )}
      {props.notice ? (
        <Notice kind="info" as="p" role="status">
          {props.notice}
        </Notice>
      ) : null}
      <p>
        These details name the issuer inside every new badge and appear on the public pages. Badges already
        issued keep the details they were issued with.
      </p>
      {profileFailure ? (
        <ErrorSummary errors={profileFailure.errors} labels={profileLabels}>
          <p>{profileFailure.message}</p>
        </ErrorSummary>
      ) : null}
      {profile.canEdit ? (
        <ProfileForm
          csrfToken={ctx.csrfToken}
          values={profileFailure?.values ?? profile.values}
          errors={profileFailure?.errors ?? []}
        />
      ) : null}

      <section aria-labelledby="logo-heading">
        <h2 id="logo-heading">Logo</h2>
        {profile.logo ? (
          <p>
            <img src={profile.logo.path} alt={`The current logo of ${profile.values.name}`} height={96} />
          </p>
        ) : (
          <p>No logo yet.</p>
        )}
        {profile.canEdit ? (
          <>
            <UploadForm
              csrfToken={ctx.csrfToken}
              action="/admin/institution/logo"
              label="Logo file"
              accept=".png,.svg,image/png,image/svg+xml"
              hint={`A PNG (${PNG_SIDES.min} to ${PNG_SIDES.max} pixels a side) or an SVG, at most ${MAX_LOGO_BYTES / 1024} KB. Scripts, links to other files and anything else an image does not need are removed from an SVG.`}
              button="Upload the logo"
              problem={
                logoFailure
                  ? logoFailure.errors.map((e) => `The file ${e.reason}.`).join(' ') || logoFailure.message
                  : undefined
              }
              problemHeading="The logo was not saved"
            />
            {profile.logo ? (
              <form method="post" action="/admin/institution/logo/remove">
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" class="button-secondary">
                  Remove the logo
                </button>
              </form>
            ) : null}
          </>
        ) : null}
      </section>

      <SigningKeys csrfToken={ctx.csrfToken} keys={props.keys} canManage={profile.canManageKeys} />
    </Layout>
  );
}

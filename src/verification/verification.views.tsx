import { credentialStandingLabels } from '../credentials/credential-status.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { EXPIRED_VERDICT, presentedKindOf, verdictWords } from './check-labels.ts';
import { CheckList } from './check-list.tsx';
import { credentialContentsOf, kindWords, mainTypeOf } from './credential-kind.ts';
import type { VerificationReport } from './verification.service.ts';

const sourceNames = {
  png: 'a baked PNG image',
  svg: 'a baked SVG image',
  json: 'JSON',
  jwt: 'a VC-JWT',
  link: 'a link to a badge of this institution',
} as const;

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function moment(value: unknown): string | undefined {
  const raw = text(value);
  return raw && !Number.isNaN(Date.parse(raw)) ? formatMoment(new Date(raw)) : undefined;
}

export interface VerifyPageProps {
  ctx: PageContext;
  publicUrl: string;
  report?: VerificationReport;
  /** A problem with the request itself (too large, nothing given), shown instead of a result. */
  error?: string;
  pasted?: string;
  reference?: string;
  /** The address the person verifying asked to compare with the recipient, shown back in the forms. */
  email?: string;
}

/** The public verification page: a result (when there is one) above the three ways to give a badge. */
export function VerifyPage(props: VerifyPageProps) {
  const { ctx, report } = props;
  return (
    <Layout
      ctx={ctx}
      title={report ? titleOf(report) : 'Verify a badge'}
      description="Check that a digital badge is genuine, unchanged and still in good standing."
    >
      <h1>Verify a badge</h1>
      <p>
        Check that a digital badge is genuine: signed by its issuer, unchanged since, within its dates and
        neither revoked nor suspended. Nothing you give here is stored.
      </p>
      {props.error ? (
        <Notice kind="bad">
          <h2>We could not check that</h2>
          <p>{props.error}</p>
        </Notice>
      ) : null}
      {report ? (
        <VerificationResultView
          report={report}
          publicUrl={props.publicUrl}
          currentLogo={ctx.institutionLogoPath}
        />
      ) : null}
      <VerifyForms ctx={ctx} pasted={props.pasted} reference={props.reference} email={props.email} />
    </Layout>
  );
}

const SIGNATURE_ONLY = 'Signature valid, issuer not known';

function titleOf(report: VerificationReport): string {
  const { label } = kindWords[presentedKindOf(report)];
  const verdict = verdictWords(report);
  if (verdict === SIGNATURE_ONLY) return `${label} signed by an issuer that is not known`;
  if (verdict === EXPIRED_VERDICT) return `${label} expired`;
  return report.verified ? `${label} verified` : `${label} not verified`;
}

/** Who signed it, as the facts list says it: only our own DIDs are "this institution". */
function signerWords(trust: VerificationReport['issuerTrust']): string {
  const calls = trust.claimedName ? `calls itself '${trust.claimedName}'` : 'gives no name';
  switch (trust.level) {
    case 'ours':
      return trust.name ?? 'this institution';
    case 'known':
      return `${trust.name} (${trust.signer}), a known issuer`;
    case 'unknown':
      return `${trust.signer}, not a known issuer (it ${calls})`;
    default:
      return `Not confirmed: no valid signature (the badge ${calls})`;
  }
}

/** The optional address to compare with the badge's recipient; each form has its own field. */
function RecipientEmailField(props: { form: string; email?: string }) {
  const id = `${props.form}-email`;
  return (
    <div>
      <label for={id}>
        Recipient's e-mail address (optional)
        <span class="hint" id={`${id}-hint`}>
          To check the badge was awarded to this address. It is compared with the badge and not stored.
        </span>
      </label>
      <input
        id={id}
        name="email"
        type="email"
        autocomplete="off"
        value={props.email ?? ''}
        aria-describedby={`${id}-hint`}
      />
    </div>
  );
}

function VerifyForms(props: { ctx: PageContext; pasted?: string; reference?: string; email?: string }) {
  // The token travels in the form's body, never in its address (the route reads the form whole: see csrf.ts).
  const csrf = <CsrfField token={props.ctx.csrfToken} />;
  return (
    <div class="verify-forms">
      <section aria-labelledby="verify-file">
        <h2 id="verify-file">Check a badge file</h2>
        <form method="post" action="/verify" enctype="multipart/form-data" class="stack">
          {csrf}
          <div>
            <label for="badge-file">
              Badge file
              <span class="hint" id="badge-file-hint">
                A badge image (PNG or SVG) with the badge inside it (Open Badges 3.0 or 2.0), or a JSON or JWT
                file. Up to 5 MB.
              </span>
            </label>
            <input
              id="badge-file"
              name="file"
              type="file"
              required
              accept=".png,.svg,.json,.jwt,.txt,image/png,image/svg+xml,application/json"
              aria-describedby="badge-file-hint"
            />
          </div>
          <RecipientEmailField form="badge-file" email={props.email} />
          <div>
            <button type="submit">Verify the file</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="verify-text">
        <h2 id="verify-text">Or paste the badge</h2>
        <form method="post" action="/verify" enctype="multipart/form-data" class="stack">
          {csrf}
          <div>
            <label for="badge-text">
              Badge JSON or VC-JWT
              <span class="hint" id="badge-text-hint">
                Paste the whole badge, starting with {'{'} for JSON or ey for a JWT.
              </span>
            </label>
            <textarea
              id="badge-text"
              name="text"
              required
              spellcheck={false}
              aria-describedby="badge-text-hint"
              value={props.pasted ?? ''}
            />
          </div>
          <RecipientEmailField form="badge-text" email={props.email} />
          <div>
            <button type="submit">Verify the text</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="verify-link">
        <h2 id="verify-link">Or look up a badge of ours</h2>
        <form method="get" action="/verify" class="stack">
          <div>
            <label for="badge-reference">
              Badge id or address
              <span class="hint" id="badge-reference-hint">
                The address of the badge, or its id (urn:uuid:…), as shown where the badge was shared; or the
                address of an Open Badges 2.0 assertion.
              </span>
            </label>
            <input
              id="badge-reference"
              name="credential"
              type="text"
              required
              value={props.reference ?? ''}
              aria-describedby="badge-reference-hint"
            />
          </div>
          <RecipientEmailField form="badge-reference" email={props.email} />
          <div>
            <button type="submit">Look it up</button>
          </div>
        </form>
      </section>
    </div>
  );
}

function VerificationResultView(props: {
  report: VerificationReport;
  publicUrl: string;
  currentLogo: string | null;
}) {
  const { report, publicUrl } = props;
  const format = report.checks[0];
  if (format?.status === 'failed') {
    return (
      <Notice kind="bad" as="section" aria-labelledby="result-heading">
        <h2 id="result-heading">Not verified: the badge could not be read</h2>
        <p>{format.message}</p>
      </Notice>
    );
  }
  const trust = report.issuerTrust;
  const verdict = verdictWords(report);
  const expired = verdict === EXPIRED_VERDICT;
  const tone = report.verified
    ? 'notice-ok'
    : verdict === SIGNATURE_ONLY || expired
      ? 'notice-warn'
      : 'notice-bad';
  const kind = presentedKindOf(report);
  const { noun } = kindWords[kind];
  const failed = report.checks.filter((check) => check.status === 'failed' && check.id !== 'issuer');
  // The issuer check says what the signer line above already says.
  const warnings = report.checks.filter((check) => check.status === 'warning' && check.id !== 'issuer');
  return (
    <section aria-labelledby="result-heading" class="verify-result">
      <div class={`notice ${tone}`} role="status">
        <h2 id="result-heading">{verdict}</h2>
        <p class="verify-signer">
          <strong>{trust.message}</strong>
        </p>
        {report.verified ? (
          <p>
            This {noun} is genuine: it has not been changed since it was signed, and it is in good standing.
          </p>
        ) : expired ? (
          <p>
            This {noun} is genuine: it has not been changed since it was signed and it was not revoked. It has
            expired, so it no longer attests to the achievement as current. {failed[0]?.message}
          </p>
        ) : verdict === SIGNATURE_ONLY ? (
          <p>
            The {noun} has not been changed since this signer signed it, but nobody this site knows vouches
            for the signer: what the {noun} says about its issuer is only the signer's claim.
          </p>
        ) : failed.length > 0 ? (
          <>
            <p>This {noun} did not pass verification:</p>
            <ul>
              {failed.map((check) => (
                <li key={check.id}>{check.message}</li>
              ))}
            </ul>
          </>
        ) : (
          <p>Do not rely on what this {noun} says about its issuer.</p>
        )}
        {warnings.length > 0 ? (
          <p>
            <strong>Please note:</strong> {warnings.map((check) => check.message).join(' ')}
          </p>
        ) : null}
      </div>
      <BadgeFacts report={report} publicUrl={publicUrl} currentLogo={props.currentLogo} />
      <h3>What was checked</h3>
      <CheckList checks={report.checks} kind={kind} />
      <details>
        <summary>Show the {noun} data</summary>
        <p class="muted">
          Given as {report.source ? sourceNames[report.source] : 'an unknown form'}; the credential reads:
        </p>
        <pre>{JSON.stringify(report.credential, null, 2)}</pre>
      </details>
    </section>
  );
}

/**
 * Our institution's logo beside "Issued by" on a badge we signed: the one the badge names (badges keep the logo they
 * were issued with), or the current one for a badge issued before there was a logo. Never another issuer's image.
 */
function ourIssuerLogo(credential: Json, publicUrl: string, currentLogo: string | null): string | null {
  const image = asObject(credential.issuer).image;
  const named = text(image) ?? text(asObject(image).id);
  const prefix = `${publicUrl}/institution/logo/`;
  return named?.startsWith(prefix) ? named.slice(publicUrl.length) : currentLogo;
}

function BadgeFacts(props: { report: VerificationReport; publicUrl: string; currentLogo: string | null }) {
  const { report, publicUrl } = props;
  const credential = asObject(report.credential);
  const subject = asObject(credential.credentialSubject);
  // An Open Badges 2.0 assertion carries its achievement as `badge` (its BadgeClass) and its dates as issuedOn/expires.
  const achievement = credential.badge ? asObject(credential.badge) : asObject(subject.achievement);
  const validFrom = credential.validFrom ?? credential.issuedOn;
  const validUntil = credential.validUntil ?? credential.expires;
  const imageUrl =
    text(asObject(credential.image).id) ?? text(asObject(achievement.image).id) ?? text(achievement.image);
  // Only the artwork of a badge we signed is shown: the page loads nothing from other sites, and a badge signed by
  // anyone else may not borrow ours to look like one of ours.
  const isOurs = report.issuerTrust.level === 'ours';
  const localImage =
    isOurs && imageUrl?.startsWith(`${publicUrl}/`) ? imageUrl.slice(publicUrl.length) : undefined;
  const ours = report.ours;
  const contents = credentialContentsOf(credential);
  const kind = presentedKindOf(report);
  const issuerLogo = isOurs ? ourIssuerLogo(credential, publicUrl, props.currentLogo) : null;
  return (
    <div class="badge-facts">
      {localImage ? (
        <img src={localImage} alt={text(asObject(credential.image).caption) ?? ''} width={160} height={160} />
      ) : null}
      <dl class="facts">
        <dt>{kindWords[kind].label}</dt>
        <dd>{text(credential.name) ?? text(achievement.name) ?? 'Unnamed credential'}</dd>
        {kind === 'credential' ? (
          <>
            <dt>Type</dt>
            <dd>
              <code>{mainTypeOf(credential)}</code>
            </dd>
          </>
        ) : null}
        {text(achievement.description) ? (
          <>
            <dt>About</dt>
            <dd>{text(achievement.description)}</dd>
          </>
        ) : null}
        {contents.endorses ? (
          <>
            <dt>Endorses</dt>
            <dd>
              <code>{contents.endorses.id}</code>
              {contents.endorses.comment ? `: “${contents.endorses.comment}”` : null}
            </dd>
          </>
        ) : null}
        {contents.learner ? (
          <>
            <dt>Learner</dt>
            <dd>{contents.learner}</dd>
          </>
        ) : null}
        {contents.achievements ? (
          <>
            <dt>Achievements</dt>
            <dd>
              {contents.achievements.length === 0 ? (
                'None listed'
              ) : (
                <ul>
                  {contents.achievements.map((name) => (
                    <li key={name}>{name}</li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        ) : null}
        <dt>Issued by</dt>
        <dd>
          {issuerLogo ? <img class="issuer-logo" src={issuerLogo} alt="" height={40} /> : null}
          {signerWords(report.issuerTrust)}
        </dd>
        {ours?.recipientName ? (
          <>
            <dt>Awarded to</dt>
            <dd>{ours.recipientName}</dd>
          </>
        ) : null}
        {moment(validFrom) ? (
          <>
            <dt>Valid from</dt>
            <dd>{moment(validFrom)}</dd>
          </>
        ) : null}
        <dt>{isPast(validUntil, report) ? 'Expired' : 'Expires'}</dt>
        <dd>{moment(validUntil) ?? 'Never'}</dd>
        {ours ? (
          <>
            <dt>Standing</dt>
            <dd>{credentialStandingLabels[ours.status]}</dd>
          </>
        ) : null}
        <dt>{kind === 'open-badge' ? 'Badge id' : 'Credential id'}</dt>
        <dd>
          <code>{text(credential.id) ?? 'none'}</code>
        </dd>
      </dl>
      {ours ? (
        <p class="badge-downloads">
          Download this badge: <a href={`/credentials/${ours.id}/baked.png`}>PNG image</a> ·{' '}
          <a href={`/credentials/${ours.id}/baked.svg`}>SVG image</a> ·{' '}
          <a href={`/credentials/${ours.id}`}>JSON</a> ·{' '}
          {ours.hasJwt ? (
            <>
              <a href={`/credentials/${ours.id}.jwt`}>VC-JWT</a> ·{' '}
            </>
          ) : null}
          <a href={`/catalog/${ours.programSlug}`}>About this micro-credential</a>
        </p>
      ) : null}
    </div>
  );
}

/** Whether the report found the badge past its validUntil (the dates check, judged at the verifier's clock). */
function isPast(validUntil: unknown, report: VerificationReport): boolean {
  return (
    validUntil !== undefined && report.checks.some((check) => check.id === 'dates' && check.expired === true)
  );
}

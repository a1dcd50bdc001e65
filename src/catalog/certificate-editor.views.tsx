import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { badgesPhrase, creditsPhrase } from './catalog.format.ts';
import type { CertificateForm } from './certificate-content.ts';
import type {
  BadgeOption,
  CertificateEditorService,
  CertificateEditorView,
} from './certificate-editor.service.ts';
import { CertificateFields, labels } from './certificate-fields.tsx';

type Listing = Awaited<ReturnType<CertificateEditorService['list']>>;

const Crumbs = ({ current }: { current?: string }) => (
  <p class="muted">
    <a href="/certificates">Certificates</a>
    {current ? ` › ${current}` : ''}
  </p>
);

/** `/certificates`: every certificate, published or not, for the offices that look after them. */
export function CertificateListPage({ ctx, listing }: { ctx: PageContext; listing: Listing }) {
  return (
    <Layout ctx={ctx} title="Certificates">
      <h1>Certificates</h1>
      <p>
        Certificates that badges stack into. A change is saved as a draft; the public pathway page shows the
        published version until the draft is published.
      </p>
      {listing.canEdit ? (
        <p>
          <a class="button" href="/certificates/new">
            New certificate
          </a>
        </p>
      ) : null}
      {listing.certificates.length === 0 ? (
        <p>No certificates yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Certificates and their versions</caption>
          <thead>
            <tr>
              <th scope="col">Certificate</th>
              <th scope="col">Published</th>
              <th scope="col">Draft</th>
            </tr>
          </thead>
          <tbody>
            {listing.certificates.map((c) => (
              <tr key={c.slug}>
                <td>
                  <a href={`/certificates/${c.slug}`}>{c.draftTitle ?? c.title}</a>
                </td>
                <td>{c.publishedVersion === null ? 'Not yet' : `Version ${c.publishedVersion}`}</td>
                <td>{c.draftVersion === null ? 'None' : `Version ${c.draftVersion}, not published`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** `/certificates/new`. */
export function NewCertificatePage(props: {
  ctx: PageContext;
  badges: BadgeOption[];
  form?: CertificateForm;
  errors?: FieldProblem[];
}) {
  const errors = props.errors ?? [];
  return (
    <Layout ctx={props.ctx} title="New certificate">
      <Crumbs current="New" />
      <h1>New certificate</h1>
      <p>It is saved as a draft that only staff see, until it is published.</p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/certificates" class="stack">
        <CsrfField token={props.ctx.csrfToken} />
        <CertificateFields form={props.form ?? {}} badges={props.badges} errors={errors} canChangeSlug />
        <div>
          <button type="submit">Save the draft</button>
        </div>
      </form>
    </Layout>
  );
}

const who = (name: string | null, at: Date) =>
  `${name ?? 'Before versioning'}, ${formatMoment(new Date(at))}`;

/** `/certificates/<slug>`: the next draft's form, how its credits add up, publishing, and every version. */
export function CertificateEditorPage(props: {
  ctx: PageContext;
  view: CertificateEditorView;
  notice?: string;
  form?: CertificateForm;
  errors?: FieldProblem[];
  /** A refusal that concerns no one field (nothing to publish, say). */
  problem?: string;
}) {
  const { ctx, view } = props;
  const errors = props.errors ?? [];
  const form = props.form ?? view.form;
  const { plan } = view;
  return (
    <Layout ctx={ctx} title={`${view.form.title} · Certificates`}>
      <Crumbs current={view.form.title} />
      <h1>{view.form.title}</h1>
      <p>
        {view.publishedVersion === null ? (
          'Not published yet: the public does not see this certificate.'
        ) : (
          <>
            Version {view.publishedVersion} is published at{' '}
            <a href={`/catalog/certificates/${view.slug}`}>its pathway page</a>.
          </>
        )}{' '}
        {view.draftVersion === null ? 'No draft is open.' : `Version ${view.draftVersion} is a draft.`}
      </p>
      {props.notice ? (
        <Notice kind="ok" as="p">
          {props.notice}
        </Notice>
      ) : null}
      <ErrorSummary errors={errors} labels={labels}>
        {props.problem ? <p>{props.problem}</p> : null}
      </ErrorSummary>

      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">How the credits add up</h2>
        <p>
          Badges: {badgesPhrase(plan.badgesNeeded, plan.badgesOffered)}, at least{' '}
          {creditsPhrase(plan.badgeCredits)}. Required courses: {creditsPhrase(plan.requiredCourseCredits)}.
          Electives to choose: {creditsPhrase(plan.electiveCredits)} of{' '}
          {creditsPhrase(plan.electiveCreditsOffered)} listed. Total: {creditsPhrase(plan.total)}.
        </p>
        {plan.isReachable ? null : (
          <Notice kind="warn" as="p">
            What is offered now cannot make up the total: add badges or electives, or lower the credits
            required.
          </Notice>
        )}
      </section>

      {view.canPublish ? (
        <form method="post" action={`/certificates/${view.slug}/publish`}>
          <CsrfField token={ctx.csrfToken} />
          <button type="submit">Publish version {view.draftVersion}</button>
        </form>
      ) : null}

      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">
          {view.draftVersion === null ? 'Start the next version' : `Draft version ${view.draftVersion}`}
        </h2>
        <form method="post" action={`/certificates/${view.slug}`} class="stack">
          <CsrfField token={ctx.csrfToken} />
          {view.canEdit ? (
            <CertificateFields
              form={form}
              badges={view.badges}
              errors={errors}
              canChangeSlug={view.canChangeSlug}
            />
          ) : (
            // Those who may only read see the same fields, switched off.
            <fieldset disabled class="read-only">
              <legend class="visually-hidden">Certificate details (read only)</legend>
              <CertificateFields form={form} badges={view.badges} errors={errors} canChangeSlug={false} />
            </fieldset>
          )}
          {view.canEdit ? (
            <div>
              <button type="submit">Save the draft</button>
            </div>
          ) : null}
        </form>
      </section>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Every version of this certificate, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Title</th>
                <th scope="col">What changed</th>
                <th scope="col">Last saved</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {view.versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    {v.version}
                    {v.isCurrent ? ' (current)' : v.publishedAt === null ? ' (draft)' : ''}
                  </td>
                  <td>{v.title}</td>
                  <td>{v.note}</td>
                  <td>{who(v.updatedBy, v.updatedAt)}</td>
                  <td>{v.publishedAt ? who(v.publishedBy, v.publishedAt) : 'Not published'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}

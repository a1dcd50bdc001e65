import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import { awardStatusLabels } from './award-status.ts';
import { CertificatesProgress } from './certificate-progress.views.tsx';
import type { ProgressService } from './progress.service.ts';
import {
  Checklist,
  formatDay,
  PendingGrades,
  ProgressMeter,
  SavedNotice,
  StateTag,
} from './progress-parts.tsx';

type Dashboard = Awaited<ReturnType<ProgressService['learnerDashboard']>>;
type DashboardEnrolment = Dashboard['enrolments'][number];

/** `/progress`: every enrolment of the signed-in learner with a bar, the explanation and the next step. */
export function LearnerProgressPage(props: { ctx: PageContext; data: Dashboard; notice?: string }) {
  const { ctx, data } = props;
  return (
    <Layout ctx={ctx} title="My progress">
      <h1>My progress</h1>
      <SavedNotice message={props.notice} />
      {data.learner === null ? (
        <Notice kind="info">
          <p>
            Your account is not linked to a learner record yet, so there is no progress to show. If you have
            enrolled, the credentials office can link your record.
          </p>
        </Notice>
      ) : data.enrolments.length === 0 ? (
        <p>
          You are not enrolled in a micro-credential yet. <a href="/catalog">Find one in the catalog</a>.
        </p>
      ) : (
        <>
          <p>
            Your progress is worked out from your record as of {formatDay(data.asOf)}: grades from the student
            system, experiences signed off by faculty and approved course substitutions.
          </p>
          <div class="progress-list">
            {data.enrolments.map((item) => (
              <EnrolmentCard key={item.enrolment.enrolmentId} item={item} csrfToken={ctx.csrfToken} />
            ))}
          </div>
          <CertificatesProgress certificates={data.certificates} />
        </>
      )}
    </Layout>
  );
}

function EnrolmentCard({ item, csrfToken }: { item: DashboardEnrolment; csrfToken: string }) {
  const { program, progress, enrolment } = item;
  const headingId = `program-${program.slug}`;
  return (
    <section class="card progress-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <a href={`/catalog/${program.slug}`}>{program.title}</a>
      </h2>
      <p class="muted">
        Enrolled {formatDay(enrolment.enrolledOn)} · <StateTag state={progress.status} /> · Badge:{' '}
        {awardStatusLabels[item.awardStatus]}
      </p>
      <ProgressMeter percent={progress.percent} label={`Progress toward ${program.title}`} />
      <p>{progress.explanation}</p>
      <Checklist items={progress.requirements} />
      <PendingGrades grades={progress.pendingGrades} />
      <h3>What is next</h3>
      <NextStep item={item} csrfToken={csrfToken} />
    </section>
  );
}

/**
 * The fee, said before the learner asks for the badge (and while the request waits): issuing charges it to their
 * student account, and their account page lists it afterwards.
 */
function FeeNotice({ feeCents }: { feeCents: number }) {
  return feeCents > 0 ? (
    <p class="fee-notice">
      Fee: <strong>{formatCents(feeCents)}</strong>, charged to your student account when the badge is issued.
      It then appears on <a href="/billing/my-account">your account</a>.
    </p>
  ) : (
    <p class="fee-notice">There is no fee for this badge.</p>
  );
}

function NextStep({ item, csrfToken }: { item: DashboardEnrolment; csrfToken: string }) {
  const { program, progress, request, credential, awardStatus } = item;
  // The badge's own status (awardStatusOf) decides, so this page says what the backpack and staff pages say.
  // A revoked badge may be asked for again: until a new request is made, the page says it was revoked and offers
  // the request; a newer request (waiting, approved or returned) is then shown as any other.
  const revokedOnly = awardStatus === 'revoked' && (!request || request.status === 'issued');
  if (revokedOnly && !progress.met) {
    return (
      <p>
        Your badge was revoked and no longer counts. The credentials office can tell you why and whether it
        can be issued again.
      </p>
    );
  }
  if (awardStatus === 'suspended') {
    return <p>Your badge is suspended for now. The credentials office can tell you why.</p>;
  }
  if ((awardStatus === 'issued' || awardStatus === 'claimed') && credential) {
    return (
      <p>
        Your badge was issued on {formatDay(credential.issuedAt)}.{' '}
        {awardStatus === 'claimed' ? (
          <>
            It is in your <a href="/backpack">backpack</a>.
          </>
        ) : (
          <>
            Claim it from the e-mail we sent you or in your <a href="/backpack">backpack</a>.
          </>
        )}
      </p>
    );
  }
  if (request?.status === 'approved') {
    return (
      <p>
        Badge request: <strong>approved</strong>
        {request.decidedByName ? ` by ${request.decidedByName}` : ''}
        {request.decidedAt ? ` on ${formatDay(request.decidedAt)}` : ''}. The credentials office issues it
        next and will e-mail you when it is ready.
      </p>
    );
  }
  if (request?.status === 'requested') {
    return (
      <>
        <p>
          Badge request: <strong>waiting for a decision</strong>. You asked on{' '}
          {formatDay(request.requestedAt)}; your program lead is checking your record.
        </p>
        <FeeNotice feeCents={program.feeCents} />
        <form method="post" action={`/progress/requests/${request.id}/withdraw`} class="inline-form">
          <CsrfField token={csrfToken} />
          <button type="submit" class="button-secondary button-small">
            Withdraw my request<span class="visually-hidden"> for {program.title}</span>
          </button>
        </form>
      </>
    );
  }
  return (
    <>
      {request?.status === 'returned' ? (
        <Notice kind="warn">
          <p>
            Your badge request was <strong>returned</strong> on{' '}
            {formatDay(request.decidedAt ?? request.requestedAt)}
            {request.decidedByName ? ` by ${request.decidedByName}` : ''} with this comment:
          </p>
          <blockquote>{request.comment}</blockquote>
        </Notice>
      ) : null}
      {progress.status === 'unreadable' ? (
        <p>Please contact the program lead: the requirements need fixing before progress can be shown.</p>
      ) : progress.met ? (
        <form method="post" action="/progress/requests" class="stack">
          <CsrfField token={csrfToken} />
          <input type="hidden" name="program" value={program.slug} />
          <p>
            {revokedOnly
              ? 'Your badge was revoked and no longer counts. Every requirement is met: you may ask for it again, and your program lead and the credentials office will check your record.'
              : 'Every requirement is met. Ask for your badge and your program lead will check your record.'}
          </p>
          <FeeNotice feeCents={program.feeCents} />
          <div>
            <button type="submit">
              Request my badge<span class="visually-hidden"> for {program.title}</span>
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>Still needed before you can request the badge:</p>
          <ul>
            {progress.missing.map((need) => (
              <li key={need}>{need}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

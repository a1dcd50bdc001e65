import { NewPasswordFields, newPasswordLabels, SignInFields } from '../accounts/account-fields.tsx';
import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { ClaimLink } from './claims.service.ts';

type LiveLink = Extract<ClaimLink, { state: 'live' }>;
type DeadLink = Exclude<ClaimLink, { state: 'live' }>;

function Intro({ link }: { link: LiveLink }) {
  return (
    <p>
      Your <strong>{link.programTitle}</strong> badge is ready. It goes into your backpack, from where you can
      download it, add it to LinkedIn and share a page where anyone can verify it.
    </p>
  );
}

const accountLabels = { name: 'Your name', ...newPasswordLabels('Choose a password') };

/** No account yet for the address the badge went to: choose a password and the badge is yours. */
export function ClaimAccountPage(props: {
  ctx: PageContext;
  token: string;
  link: LiveLink;
  name?: string;
  errors?: FieldProblem[];
}) {
  const { ctx, link } = props;
  return (
    <Layout ctx={ctx} title="Claim your badge">
      <h1>Claim your badge</h1>
      <Intro link={link} />
      <p>
        Set up your account to keep it. Your account uses the address the badge was sent to:{' '}
        <strong>{link.learnerEmail}</strong>.
      </p>
      <ErrorSummary errors={props.errors ?? []} labels={accountLabels} />
      <form method="post" action="/claim/account" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <Field
          name="name"
          label={accountLabels.name}
          hint="As it should appear on your badge's public page."
          value={props.name ?? link.learnerName ?? ''}
          required
          autocomplete="name"
          errors={props.errors}
        />
        <NewPasswordFields label={accountLabels.password} errors={props.errors} />
        <div>
          <button type="submit">Create my account and claim the badge</button>
        </div>
      </form>
    </Layout>
  );
}

/** An account exists for the address: sign in, and the sign-in brings the learner back here. */
export function ClaimSignInPage(props: { ctx: PageContext; token: string; link: LiveLink }) {
  const { ctx, link } = props;
  return (
    <Layout ctx={ctx} title="Sign in to claim your badge">
      <h1>Sign in to claim your badge</h1>
      <Intro link={link} />
      <p>
        You already have an account with {link.learnerEmail}. Sign in and the badge goes straight into it.
      </p>
      <form method="post" action="/login" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="next" value={`/claim?token=${props.token}`} />
        <SignInFields email={link.learnerEmail} />
        <div>
          <button type="submit">Sign in and claim</button>
        </div>
      </form>
      <p>
        <a href="/password/forgot">Forgotten your password?</a>
      </p>
    </Layout>
  );
}

/**
 * An address shown to someone who is not its owner: the first letter of the mailbox and of the domain, enough for
 * the real recipient to recognise it, too little for anyone else to learn it.
 */
export function maskAddress(email: string): string {
  const [mailbox = '', domain = ''] = email.trim().split('@');
  return `${mailbox.slice(0, 1)}…@${domain.slice(0, 1)}…`;
}

/**
 * Signed in with another address than the badge went to: nothing is claimed. Signing out brings the visitor back
 * to the link, where its owner can sign in or set up their account.
 */
export function ClaimWrongAccountPage(props: {
  ctx: PageContext;
  token: string;
  link: LiveLink;
  signedInAs: string;
}) {
  const { ctx, link } = props;
  return (
    <Layout ctx={ctx} title="This badge was sent to someone else">
      <h1>This badge was sent to someone else</h1>
      <Notice kind="warn" role="alert">
        <p>
          This badge was sent to <strong>{maskAddress(link.learnerEmail)}</strong>; you are signed in as{' '}
          <strong>{props.signedInAs}</strong>. A badge goes only into the account of the person it was sent
          to, so nothing was added to your backpack.
        </p>
      </Notice>
      <p>
        If the badge is yours, sign out and open the link again, then sign in with the address it was sent to.
      </p>
      <form method="post" action="/logout" class="button-row">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="next" value={`/claim?token=${props.token}`} />
        <button type="submit">Sign out and open the link again</button>
      </form>
      <p>
        <a href="/backpack">Go to my backpack</a>
      </p>
    </Layout>
  );
}

const deadLinkWords: Record<DeadLink['state'], { title: string; body: string }> = {
  invalid: {
    title: 'This claim link does not work',
    body: 'The link is incomplete or was never issued. Copy the whole address from the e-mail, or ask for a new link below.',
  },
  used: {
    title: 'This claim link was already used',
    body: 'Each link works once. If you claimed the badge, sign in to find it in your backpack.',
  },
  expired: {
    title: 'This claim link has expired',
    body: 'Claim links work for 30 days. Ask for a new one below and we will e-mail it to you.',
  },
  claimed: {
    title: 'This badge has already been claimed',
    body: 'It is in a backpack already. If it is yours, sign in to see it.',
  },
  revoked: {
    title: 'This badge was revoked',
    body: 'It can no longer be claimed. If you have questions, write to the credentials office.',
  },
};

/** Why a claim link cannot be used, and the way forward: a new link, or sign in. */
export function ClaimProblemPage(props: { ctx: PageContext; link: DeadLink; errors?: FieldProblem[] }) {
  const { ctx, link } = props;
  const words = deadLinkWords[link.state];
  const offerResend = link.state === 'expired' || link.state === 'invalid';
  return (
    <Layout ctx={ctx} title={words.title}>
      <h1>{words.title}</h1>
      <Notice kind="warn" role="alert">
        <p>{words.body}</p>
      </Notice>
      {offerResend ? (
        <ResendForm ctx={ctx} email={link.state === 'expired' ? link.learnerEmail : undefined} />
      ) : (
        <p>
          <a href="/backpack" class="button">
            Go to my backpack
          </a>
        </p>
      )}
    </Layout>
  );
}

const resendLabels = { email: 'E-mail address the badge was sent to' };

function ResendForm(props: { ctx: PageContext; email?: string; errors?: FieldProblem[] }) {
  return (
    <form method="post" action="/claim/resend" class="stack">
      <CsrfField token={props.ctx.csrfToken} />
      <Field
        name="email"
        label={resendLabels.email}
        type="email"
        value={props.email}
        required
        autocomplete="email"
        errors={props.errors}
      />
      <div>
        <button type="submit">Send me a new link</button>
      </div>
    </form>
  );
}

/** Asking for a new claim link; the answer never says whether the address is known. */
export function ResendPage(props: {
  ctx: PageContext;
  sent?: boolean;
  email?: string;
  errors?: FieldProblem[];
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Get a new claim link">
      <h1>Get a new claim link</h1>
      {props.sent ? (
        <Notice kind="ok">
          <p>
            If a badge is waiting to be claimed under that address, a new link is on its way. It works once,
            within 30 days. Nothing arriving? Check your spam folder, or write to the credentials office.
          </p>
        </Notice>
      ) : (
        <>
          <p>Enter the address your badge was sent to, and we will e-mail a fresh link to claim it.</p>
          <ErrorSummary errors={props.errors ?? []} labels={resendLabels} />
          <ResendForm ctx={ctx} email={props.email} errors={props.errors} />
        </>
      )}
    </Layout>
  );
}

import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { NewPasswordFields, newPasswordLabels } from './account-fields.tsx';

const signUpLabels = { name: 'Full name', email: 'E-mail address', ...newPasswordLabels('Password') };

/** A query string carrying `next`, or nothing when there is none. */
export const withNext = (path: string, next: string | undefined) =>
  next ? `${path}?next=${encodeURIComponent(next)}` : path;

/** `/signup`: a learner creates an account; the address is confirmed by mail before it counts. */
export function SignUpPage(props: {
  ctx: PageContext;
  next?: string | undefined;
  errors?: FieldProblem[];
  /** A refusal that is not about one field (too many mails to the address). */
  problem?: string;
  draft?: { name?: string; email?: string };
}) {
  const { ctx, next } = props;
  return (
    <Layout ctx={ctx} title="Create an account">
      <h1>Create an account</h1>
      <p>
        With an account you can enrol in micro-credentials and keep the badges you earn. Already have one?{' '}
        <a href={withNext('/login', next)}>Sign in</a>.
      </p>
      <ErrorSummary errors={props.errors ?? []} labels={signUpLabels}>
        {props.problem ? <p>{props.problem}</p> : null}
      </ErrorSummary>
      <form method="post" action="/signup" class="stack">
        <CsrfField token={ctx.csrfToken} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field
          name="name"
          label={signUpLabels.name}
          value={props.draft?.name}
          required
          autocomplete="name"
          errors={props.errors}
        />
        <Field
          name="email"
          label={signUpLabels.email}
          type="email"
          value={props.draft?.email}
          hint="We send a link to this address; your account works for enrolling once you open it."
          required
          autocomplete="email"
          errors={props.errors}
        />
        <NewPasswordFields label={signUpLabels.password} errors={props.errors} />
        <div>
          <button type="submit">Create my account</button>
        </div>
      </form>
    </Layout>
  );
}

/** What everyone sees after signing up, whether or not the address already had an account. */
export function SignUpSentPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Check your e-mail">
      <h1>Check your e-mail</h1>
      <Notice kind="ok">
        <p>
          We have sent a message to the address you gave. Open the link in it to confirm the address and carry
          on where you left off. The link works once, within 24 hours.
        </p>
      </Notice>
      <p>
        Nothing there after a few minutes? Look in your spam folder. You can also <a href="/login">sign in</a>{' '}
        and ask for a new link.
      </p>
    </Layout>
  );
}

/** `/signup/verify`: the button that spends the link (opening the page does not, so mail scanners cannot). */
export function VerifyEmailPage(props: {
  ctx: PageContext;
  token: string;
  next?: string | undefined;
  live: boolean;
  /** Whether the page asks for the account's password: always, unless this browser is signed in as its owner. */
  askPassword: boolean;
  errors?: FieldProblem[];
}) {
  const { ctx } = props;
  // The problem names the field by what it holds; its label is an instruction.
  const labels = { password: 'The password' };
  return (
    <Layout ctx={ctx} title="Confirm your e-mail address">
      <h1>Confirm your e-mail address</h1>
      {props.live ? (
        <>
          <ErrorSummary errors={props.errors ?? []} labels={labels} />
          <form method="post" action="/signup/verify" class="stack">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="token" value={props.token} />
            {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
            {props.askPassword ? (
              <>
                <p>
                  Enter the password you chose when you created the account; you will be signed in and can
                  carry on.
                </p>
                <Field
                  name="password"
                  label="The password you chose"
                  errorLabel={labels.password}
                  type="password"
                  required
                  autocomplete="current-password"
                  errors={props.errors}
                />
              </>
            ) : (
              <p>Confirm that this address is yours; you will be signed in and can carry on.</p>
            )}
            <div>
              <button type="submit">Confirm my e-mail address</button>
            </div>
          </form>
          {props.askPassword ? (
            <p>
              Did not create this account, or forgot the password? Do not confirm it:{' '}
              <a href="/password/forgot">choose a new password</a> instead, and the account is yours alone.
            </p>
          ) : null}
        </>
      ) : (
        <Notice kind="warn" role="alert">
          <p>
            This link has expired or was already used.{' '}
            <a href={withNext('/login', '/signup/pending')}>Sign in</a> to ask for a new one, or{' '}
            <a href="/signup">create an account</a> if you have none.
          </p>
        </Notice>
      )}
    </Layout>
  );
}

/**
 * `/signup/pending`: a signed-in person whose address is not confirmed yet, sent here when they try to enrol or
 * ask for something. They may ask for a new link.
 */
export function VerifyFirstPage(props: {
  ctx: PageContext;
  next?: string | undefined;
  sent?: boolean;
  problem?: string;
}) {
  const { ctx } = props;
  const email = ctx.actor?.email ?? '';
  return (
    <Layout ctx={ctx} title="Confirm your e-mail address first">
      <h1>Confirm your e-mail address first</h1>
      {props.sent ? (
        <Notice kind="ok">
          <p>A new link is on its way to {email}. Earlier links no longer work.</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={[]}>{props.problem ? <p>{props.problem}</p> : null}</ErrorSummary>
      <p>
        Before you can enrol or send a request, open the link we mailed to {email}. It shows the address is
        yours, so nobody can enrol or collect records in your name.
      </p>
      <form method="post" action="/signup/resend" class="stack">
        <CsrfField token={ctx.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <div>
          <button type="submit">Send me a new link</button>
        </div>
      </form>
    </Layout>
  );
}

import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { NewPasswordFields, newPasswordLabels, SignInFields } from './account-fields.tsx';
import { withNext } from './sign-up.views.tsx';

/** A way to sign in through the university's identity provider (the sso module lists them). */
export interface SignInChoice {
  slug: string;
  label: string;
}

/** The single sign-on buttons: links that start the round trip through the provider (see sso.routes.ts). */
function SignInChoices(props: { choices: readonly SignInChoice[]; next?: string }) {
  if (props.choices.length === 0) return null;
  const query = props.next ? `?${new URLSearchParams({ next: props.next })}` : '';
  return (
    <section aria-labelledby="sso-heading" class="stack">
      <h2 id="sso-heading">With your university account</h2>
      <p>Staff and students of the university: use your university account.</p>
      {props.choices.map((choice) => (
        <p key={choice.slug}>
          <a class="button" href={`/sso/${choice.slug}/start${query}`}>
            Sign in with {choice.label}
          </a>
        </p>
      ))}
      <h2>With a password</h2>
    </section>
  );
}

export function LoginPage(props: {
  ctx: PageContext;
  email?: string;
  next?: string;
  failed?: string;
  notice?: string;
  choices?: readonly SignInChoice[];
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Sign in">
      <h1>Sign in</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={[]}>{props.failed ? <p>{props.failed}</p> : null}</ErrorSummary>
      <SignInChoices choices={props.choices ?? []} next={props.next} />
      <form method="post" action="/login" class="stack">
        <CsrfField token={ctx.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <SignInFields email={props.email} />
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
      <p>
        <a href="/password/forgot">Forgotten your password?</a>
      </p>
      <p>
        New here? <a href={withNext('/signup', props.next)}>Create an account</a>
      </p>
    </Layout>
  );
}

export function ForgotPasswordPage(props: { ctx: PageContext; sent?: boolean; errors?: FieldProblem[] }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Reset your password">
      <h1>Reset your password</h1>
      {props.sent ? (
        <Notice kind="ok">
          <p>
            If that address belongs to an account, a reset link is on its way. It works once, within one hour.
          </p>
        </Notice>
      ) : (
        <>
          <p>
            Enter the e-mail address of your account and we will send you a link to choose a new password.
          </p>
          <ErrorSummary errors={props.errors ?? []} labels={{ email: 'E-mail address' }} />
          <form method="post" action="/password/forgot" class="stack">
            <CsrfField token={ctx.csrfToken} />
            <Field
              name="email"
              label="E-mail address"
              type="email"
              required
              autocomplete="email"
              errors={props.errors}
            />
            <div>
              <button type="submit">Send the link</button>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}

/** Choosing a password from a link: used for resets and for accepting an invitation. */
export function ChoosePasswordPage(props: {
  ctx: PageContext;
  purpose: 'reset' | 'invite';
  token: string;
  live: boolean;
  /** The address the invited account is for, shown to the invitee; null on a reset and on a dead link. */
  accountEmail: string | null;
  errors?: FieldProblem[];
}) {
  const { ctx, accountEmail } = props;
  const title = props.purpose === 'reset' ? 'Choose a new password' : 'Set up your account';
  const action = props.purpose === 'reset' ? '/password/reset' : '/invitation';
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {props.live ? (
        <>
          <ErrorSummary errors={props.errors ?? []} labels={newPasswordLabels('New password')} />
          <form method="post" action={action} class="stack">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="token" value={props.token} />
            {accountEmail ? (
              <>
                <p>
                  This account is for <strong>{accountEmail}</strong>. You will sign in with this address and
                  the password you choose here.
                </p>
                {/* For password managers, which save the password under this name; people read the line above. */}
                <input
                  type="email"
                  name="username"
                  value={accountEmail}
                  autocomplete="username"
                  readonly
                  hidden
                />
              </>
            ) : null}
            <NewPasswordFields label="New password" errors={props.errors} />
            <div>
              <button type="submit">Save the password</button>
            </div>
          </form>
        </>
      ) : (
        <Notice kind="warn" role="alert">
          <p>
            This link has expired or was already used.{' '}
            {props.purpose === 'reset' ? (
              <a href="/password/forgot">Ask for a new link</a>
            ) : (
              'Ask the person who invited you to send a new invitation.'
            )}
          </p>
        </Notice>
      )}
    </Layout>
  );
}

import type { Role } from '../platform/db/schema.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { FilterSearch } from '../platform/http/filters.tsx';
import { CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { type PageContext, roleLabels } from '../platform/http/page-context.ts';
import { NewPasswordFields, newPasswordLabels, SignInFields } from './account-fields.tsx';
import type { UserWithRoles } from './accounts.repository.ts';
import { allRoles } from './accounts.service.ts';
import { withNext } from './sign-up.views.tsx';

export function LoginPage(props: {
  ctx: PageContext;
  email?: string;
  next?: string;
  failed?: string;
  notice?: string;
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Sign in">
      <h1>Sign in</h1>
      {props.notice ? (
        <div class="notice notice-ok" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      <ErrorSummary errors={[]}>{props.failed ? <p>{props.failed}</p> : null}</ErrorSummary>
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
        <div class="notice notice-ok" role="status">
          <p>
            If that address belongs to an account, a reset link is on its way. It works once, within one hour.
          </p>
        </div>
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
  errors?: FieldProblem[];
}) {
  const { ctx } = props;
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
            <NewPasswordFields label="New password" errors={props.errors} />
            <div>
              <button type="submit">Save the password</button>
            </div>
          </form>
        </>
      ) : (
        <div class="notice notice-warn" role="alert">
          <p>
            This link has expired or was already used.{' '}
            {props.purpose === 'reset' ? (
              <a href="/password/forgot">Ask for a new link</a>
            ) : (
              'Ask the person who invited you to send a new invitation.'
            )}
          </p>
        </div>
      )}
    </Layout>
  );
}

/** The roles as checkboxes named `roles`, in the order of `allRoles`. */
function RoleChoices(props: { legend: string; hideLegend?: boolean; chosen: readonly Role[] }) {
  return (
    <fieldset>
      <legend class={props.hideLegend ? 'visually-hidden' : undefined}>{props.legend}</legend>
      <div class="tags">
        {allRoles.map((role) => (
          <label key={role} class="tag">
            <input type="checkbox" name="roles" value={role} checked={props.chosen.includes(role)} />{' '}
            {roleLabels[role]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const inviteLabels = { name: 'Full name', email: 'E-mail address', roles: 'Roles' };

export function UsersPage(props: {
  ctx: PageContext;
  users: UserWithRoles[];
  search?: string;
  notice?: string;
  errors?: FieldProblem[];
  draft?: { email?: string; name?: string; roles?: Role[] };
}) {
  const { ctx, users } = props;
  return (
    <Layout ctx={ctx} title="People and roles">
      <h1>People and roles</h1>
      <p>
        <a href="/admin/audit">Audit log</a> · <a href="/admin/mail">Outgoing mail</a>
      </p>
      {props.notice ? (
        <div class="notice notice-ok" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      <form method="get" action="/admin/users" class="filters">
        <FilterSearch name="q" label="Find a person" value={props.search} />
        <button type="submit" class="button-secondary button">
          Search
        </button>
      </form>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Accounts and their roles</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Roles</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.status}</td>
                <td>
                  <form method="post" action={`/admin/users/${u.id}/roles`}>
                    <CsrfField token={ctx.csrfToken} />
                    <RoleChoices legend={`Roles of ${u.name}`} hideLegend chosen={u.roles} />
                    <button type="submit" class="button button-small button-secondary">
                      Save roles<span class="visually-hidden"> of {u.name}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="invite">Invite someone</h2>
      <ErrorSummary errors={props.errors ?? []} labels={inviteLabels} />
      <form method="post" action="/admin/users" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <Field
          name="name"
          label={inviteLabels.name}
          value={props.draft?.name}
          required
          errors={props.errors}
        />
        <Field
          name="email"
          label={inviteLabels.email}
          type="email"
          value={props.draft?.email}
          required
          errors={props.errors}
        />
        <RoleChoices legend={inviteLabels.roles} chosen={props.draft?.roles ?? []} />
        <div>
          <button type="submit">Send the invitation</button>
        </div>
      </form>
    </Layout>
  );
}

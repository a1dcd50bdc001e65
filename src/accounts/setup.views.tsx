import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { NewPasswordFields, newPasswordLabels } from './account-fields.tsx';

const labels = { name: 'Full name', email: 'E-mail address', ...newPasswordLabels('Password') };

/** The first-run page: the person who started the server becomes its first administrator. */
export function SetupPage(props: {
  ctx: PageContext;
  token: string;
  draft?: { name?: string; email?: string };
  errors?: FieldProblem[];
}) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Set up the first administrator">
      <h1>Set up the first administrator</h1>
      <p>
        Nobody administers this service yet. The account you create here can invite everyone else and give
        them their roles. This page closes for good once it is done.
      </p>
      <ErrorSummary errors={props.errors ?? []} labels={labels} />
      <form method="post" action="/setup" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <Field
          name="name"
          label={labels.name}
          value={props.draft?.name}
          required
          autocomplete="name"
          errors={props.errors}
        />
        <Field
          name="email"
          label={labels.email}
          type="email"
          value={props.draft?.email}
          required
          autocomplete="username"
          errors={props.errors}
        />
        <NewPasswordFields label="Password" errors={props.errors} />
        <div>
          <button type="submit">Create the administrator</button>
        </div>
      </form>
    </Layout>
  );
}

import type { FieldProblem } from '../errors.ts';
import { fieldWords } from './forms.tsx';
import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';

const headings: Record<number, string> = {
  400: 'Something in the request needs fixing',
  401: 'Please sign in',
  403: 'You do not have access to this page',
  404: 'We could not find that page',
  413: 'That upload is too large',
  429: 'Too many attempts',
  500: 'Something went wrong on our side',
  503: 'The service is starting up or briefly unavailable',
};

/** The friendly error page people see; the API gets problem+json instead. */
export function ErrorPage(props: {
  ctx: PageContext;
  status: number;
  message: string;
  fields: FieldProblem[];
}) {
  const { ctx, status, message, fields } = props;
  const heading = headings[status] ?? (status >= 500 ? headings[500]! : headings[400]!);
  return (
    <Layout ctx={ctx} title={heading}>
      <div class={`notice ${status >= 500 ? 'notice-bad' : 'notice-warn'}`} role="alert">
        <h1>{heading}</h1>
        <p>{message}</p>
        {fields.length > 0 ? (
          <ul>
            {fields.map((f) => (
              <li key={f.field}>
                <strong>{fieldWords(f.field)}</strong> {f.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p>
        {status === 401 ? (
          <a class="button" href={`/login?next=${encodeURIComponent(ctx.path)}`}>
            Sign in
          </a>
        ) : (
          <a href="/">Go to the home page</a>
        )}{' '}
        {status === 404 ? (
          <>
            or <a href="/catalog">browse the catalog</a>.
          </>
        ) : null}
      </p>
      <p class="muted">Error code {status}</p>
    </Layout>
  );
}

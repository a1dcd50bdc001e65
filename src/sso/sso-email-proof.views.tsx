import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';

/** After a provider that did not vouch for the address: a link went to it; nothing is linked yet. */
export function EmailProofSentPage(props: { ctx: PageContext; email: string }) {
  return (
    <Layout ctx={props.ctx} title="Confirm your e-mail address">
      <h1>Confirm your e-mail address</h1>
      <div class="notice" role="status">
        <p>
          An account here already uses <strong>{props.email}</strong>, and the university's sign-in service
          did not confirm that the address is yours. We have sent a link to that address.
        </p>
      </div>
      <p>
        Open the link <strong>in this browser</strong> within 30 minutes to link your university sign-in to
        the account. Until then you are not signed in, and nothing has changed.
      </p>
      <p>
        <a href="/login">Back to the sign-in page</a>
      </p>
    </Layout>
  );
}

/** The mailed link, opened: a button confirms, so that a mail scanner following the link links nothing. */
export function EmailProofConfirmPage(props: {
  ctx: PageContext;
  token: string;
  email: string;
  providerLabel: string;
}) {
  return (
    <Layout ctx={props.ctx} title="Link your university sign-in">
      <h1>Link your university sign-in</h1>
      <p>
        Link the <strong>{props.providerLabel}</strong> sign-in you just used to the account with the address{' '}
        <strong>{props.email}</strong>? From then on that sign-in opens this account.
      </p>
      <p>
        If you did not just try to sign in with {props.providerLabel}, close this page: nothing will be
        linked.
      </p>
      <form method="post" action="/sso/link">
        <CsrfField token={props.ctx.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">Link and sign in</button>
      </form>
    </Layout>
  );
}

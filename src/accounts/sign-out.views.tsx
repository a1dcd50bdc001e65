import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';

/**
 * Signed out here; on to the identity provider, which ends its own session. A page rather than a redirect: the
 * site's Content Security Policy lets a form lead only to this site, and browsers hold the redirect after the
 * sign-out form to that. The page moves on at once, and the link does the same for anyone whose browser does not.
 */
export function SignedOutContinuePage(props: { ctx: PageContext; url: string }) {
  return (
    <Layout
      ctx={props.ctx}
      title="Signing you out at the university"
      head={<meta http-equiv="refresh" content={`0;url=${props.url}`} />}
    >
      <h1>You are signed out here</h1>
      <p>
        <a href={props.url}>Continue to sign out at the university</a>
      </p>
    </Layout>
  );
}

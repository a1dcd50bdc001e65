import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { ExternalProfile } from './claims-mapping.ts';

/** What a test sign-in received, for the administrator who ran it: nobody was signed in. */
export function SsoTestResultPage(props: {
  ctx: PageContext;
  provider: { id: string; label: string };
  claims: Record<string, unknown>;
  profile: ExternalProfile | null;
}) {
  const { ctx, profile } = props;
  const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return (
    <Layout ctx={ctx} title="Test sign-in">
      <p>
        <a href={`/admin/sso/providers/${props.provider.id}`}>{props.provider.label}</a>
      </p>
      <h1>Test sign-in: what {props.provider.label} sent</h1>
      <Notice kind="ok" as="p">
        The provider's answer was valid. Nobody was signed in and no account was changed.
      </Notice>
      <h2>As Stackable reads it</h2>
      {profile ? (
        <dl>
          <dt>Identifier</dt>
          <dd>{profile.subject}</dd>
          <dt>E-mail address</dt>
          <dd>
            {profile.email ?? 'None sent'}
            {profile.email
              ? profile.isEmailVerified
                ? ' (trusted)'
                : ' (not trusted: not verified, or outside the domains)'
              : ''}
          </dd>
          <dt>Name</dt>
          <dd>{profile.name}</dd>
          <dt>Student ID</dt>
          <dd>{profile.studentId ?? 'None'}</dd>
          <dt>Groups</dt>
          <dd>{profile.groups.join(', ') || 'None'}</dd>
          <dt>Roles the groups give</dt>
          <dd>
            {profile.managedRoles.length === 0
              ? 'Roles are not mapped from groups'
              : profile.grantedRoles.join(', ') || 'None'}
          </dd>
        </dl>
      ) : (
        <p>The answer carried no identifier, so nobody could be signed in with it.</p>
      )}
      <h2>Everything received</h2>
      <table>
        <caption class="visually-hidden">Claims received from the provider</caption>
        <thead>
          <tr>
            <th scope="col">Claim</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.claims).map(([name, value]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{shown(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** A sign-in (or a provider's sign-out message) that did not succeed: what happened and what to do. */
export function SsoFailurePage(props: { ctx: PageContext; message: string; heading?: string }) {
  const heading = props.heading ?? 'You are not signed in';
  return (
    <Layout ctx={props.ctx} title={heading}>
      <h1>{heading}</h1>
      <Notice kind="bad">
        <p>{props.message}</p>
      </Notice>
      <p>
        <a href="/login">Back to the sign-in page</a>
      </p>
    </Layout>
  );
}

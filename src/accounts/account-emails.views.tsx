import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { AccountAddress, AddressLink } from './account-emails.service.ts';

function addressState(address: AccountAddress): string {
  if (address.isVerified) return address.isPrimary ? 'Primary, confirmed' : 'Confirmed';
  if (address.isPrimary) return 'Primary, not confirmed yet';
  return address.isWaiting ? 'Waiting for confirmation' : 'Link expired: add it again for a new link';
}

/** The person's addresses: which is primary, which are confirmed, and a form to add another. */
export function AddressesPage(props: {
  ctx: PageContext;
  addresses: AccountAddress[];
  notice?: string;
  errors?: FieldProblem[];
  email?: string;
}) {
  const { ctx, addresses } = props;
  const errors = props.errors ?? [];
  return (
    <Layout ctx={ctx} title="My e-mail addresses">
      <h1>My e-mail addresses</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={errors.filter((e) => e.field !== 'address')} labels={{ email: 'E-mail address' }}>
        {errors
          .filter((e) => e.field === 'address')
          .map((e) => (
            <p key={e.reason}>That address {e.reason}.</p>
          ))}
      </ErrorSummary>
      <p>
        Sign in with any confirmed address, and keep badges sent to your university, personal or work address
        together. Before you leave the university, add a personal address and make it primary: the primary
        address is where we write to you.
      </p>
      <table>
        <caption class="visually-hidden">Your addresses</caption>
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {addresses.map((address) => (
            <tr key={address.email}>
              <td>{address.email}</td>
              <td>{addressState(address)}</td>
              <td>
                {address.id && address.canMakePrimary ? (
                  <form method="post" action={`/account/emails/${address.id}/primary`} class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="button-secondary button-small">
                      Make primary<span class="visually-hidden"> ({address.email})</span>
                    </button>
                  </form>
                ) : null}{' '}
                {address.id && address.canRemove ? (
                  <form method="post" action={`/account/emails/${address.id}/remove`} class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="button-secondary button-small">
                      Remove<span class="visually-hidden"> ({address.email})</span>
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add an address</h2>
      <form method="post" action="/account/emails" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <Field
          name="email"
          type="email"
          label="E-mail address"
          autocomplete="email"
          hint="We send a link to this address. Open it while signed in here to confirm the address."
          value={props.email}
          errors={errors}
          required
        />
        <div>
          <button type="submit">Send the confirmation link</button>
        </div>
      </form>
    </Layout>
  );
}

/** Asks the owner to confirm an address from its link (a mail scanner opening the link confirms nothing). */
export function ConfirmAddressPage(props: { ctx: PageContext; token: string; link: AddressLink }) {
  const { ctx, link } = props;
  return (
    <Layout ctx={ctx} title="Confirm an e-mail address">
      <h1>Confirm an e-mail address</h1>
      {link.state === 'live' ? (
        <form method="post" action="/account/emails/confirm" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="token" value={props.token} />
          <p>
            Add <strong>{link.email}</strong> to the account of {ctx.actor?.name ?? 'the person signed in'}?
            You will be able to sign in with it, and badges sent to it will be in your backpack.
          </p>
          <div>
            <button type="submit">Confirm this address</button>
          </div>
        </form>
      ) : (
        <Notice kind="bad">
          <p>
            This link has expired, was already used, or was sent for another account. Sign in to the account
            that asked for it, or add the address again from <a href="/account/emails">your addresses</a>.
          </p>
        </Notice>
      )}
    </Layout>
  );
}

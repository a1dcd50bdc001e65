import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatMoment } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { MadeOffer, WalletPageView } from './wallet.service.ts';
import type { DeliveryRoute } from './wallet.tables.ts';

const routeNames: Record<DeliveryRoute, string> = {
  vc_api: 'VC-API exchange',
  oid4vci: 'OpenID for Verifiable Credential Issuance',
};

function Deliveries({ deliveries }: { deliveries: WalletPageView['deliveries'] }) {
  if (deliveries.length === 0) return null;
  return (
    <>
      <h2>Already in your wallets</h2>
      <ul>
        {deliveries.map((delivery) => (
          <li key={delivery.holderDid + delivery.deliveredAt.toISOString()}>
            {formatMoment(delivery.deliveredAt)}, by {routeNames[delivery.by]}, to{' '}
            <code class="wallet-did">{delivery.holderDid}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

/** `/backpack/:id/wallet`: what adding a badge to a wallet does, and the button that makes an offer. */
export function WalletPage(props: { ctx: PageContext; view: WalletPageView }) {
  const { ctx, view } = props;
  return (
    <Layout ctx={ctx} title={`Add ${view.title} to a wallet`}>
      <p>
        <a href="/backpack">Back to my backpack</a>
      </p>
      <h1>Add {view.title} to a wallet</h1>
      <p>
        A digital wallet app on your phone, such as the Learner Credential Wallet, can keep this badge with
        your other credentials. The wallet proves it holds its own key, and {ctx.institutionName} signs a copy
        of the badge made out to that key. The copy is checked like the badge itself and is revoked with it.
      </p>
      {view.canOffer ? (
        <form method="post" action={`/backpack/${view.credentialId}/wallet/offers`}>
          <CsrfField token={ctx.csrfToken} />
          <p>The offer works once and for 15 minutes. Only you see it.</p>
          <button type="submit">Show a wallet offer</button>
        </form>
      ) : (
        <Notice kind="info">
          <p>{view.refusal}</p>
        </Notice>
      )}
      <Deliveries deliveries={view.deliveries} />
    </Layout>
  );
}

/** The offer, shown once to the learner who asked: the QR code and link for OID4VCI, the exchange for VC-API. */
export function WalletOfferPage(props: { ctx: PageContext; offer: MadeOffer }) {
  const { ctx, offer } = props;
  const progress = `/backpack/${offer.credentialId}/wallet/offers/${offer.id}`;
  return (
    <Layout
      ctx={ctx}
      title={`Wallet offer for ${offer.title}`}
      head={<script src="/wallet/offer-progress.js" defer />}
    >
      <p>
        <a href={`/backpack/${offer.credentialId}/wallet`}>Back to the wallet page</a>
      </p>
      <h1>Wallet offer for {offer.title}</h1>
      <p>
        This offer works once, until {formatMoment(offer.expiresAt)}. Do not share it: whoever uses it first
        receives the badge.
      </p>
      <div class="wallet-offer">
        <figure class="backpack-qr wallet-qr">
          {/* Our own QR renderer's SVG, carrying its own title for screen readers. */}
          <div dangerouslySetInnerHTML={{ __html: offer.offerQrSvg }} />
          <figcaption>Scan with your wallet app</figcaption>
        </figure>
        <div>
          <h2>On this phone</h2>
          <p>
            <a class="button" href={offer.offerLink}>
              Open in my wallet app
            </a>
          </p>
          <h2>For a wallet that asks for an exchange address</h2>
          <div class="share-link">
            <label for="exchange-url">VC-API exchange address</label>
            <input id="exchange-url" type="text" value={offer.exchangeUrl} readOnly />
          </div>
        </div>
      </div>
      <div
        class="notice notice-info wallet-progress"
        role="status"
        data-wallet-progress={`${progress}/progress`}
      >
        <p>Waiting for your wallet to take the badge…</p>
      </div>
      <p>
        <a href={progress}>Check whether the badge has reached your wallet</a>
      </p>
    </Layout>
  );
}

/** Whether an offer has reached a wallet: the page to check by hand without JavaScript. */
export function WalletProgressPage(props: {
  ctx: PageContext;
  credentialId: string;
  progress: { delivered: boolean; holderDid: string | null; expired: boolean };
}) {
  const { ctx, credentialId, progress } = props;
  return (
    <Layout ctx={ctx} title="Wallet offer">
      <h1>Wallet offer</h1>
      <div class={`notice wallet-progress ${progress.delivered ? 'notice-ok' : 'notice-info'}`} role="status">
        <p>{progressSentence(progress)}</p>
      </div>
      <p>
        <a href={`/backpack/${credentialId}/wallet`}>Back to the wallet page</a>
      </p>
    </Layout>
  );
}

/** The one sentence the page and its script show. */
export function progressSentence(progress: {
  delivered: boolean;
  holderDid: string | null;
  expired: boolean;
}) {
  if (progress.delivered) return `Delivered: the badge is in your wallet (${progress.holderDid}).`;
  if (progress.expired) return 'This offer expired before a wallet took it. Ask for a new one.';
  return 'Not delivered yet: your wallet has not taken the badge. Check again after you accept it there.';
}

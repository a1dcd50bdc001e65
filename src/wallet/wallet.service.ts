import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { IssuedCredential } from '../credentials/award-credentials.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { VC_V2_CONTEXT } from '../credentials/local-contexts.ts';
import { renderQrSvg } from '../credentials/qr-code.ts';
import type { AwardIssuer } from '../issuing/award-issuer.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { invalidState, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { checkPresentationProof } from '../verification/check-presentation-proof.ts';
import { isObject } from '../verification/read-presented-badge.ts';
import { credentialOfferLink } from './oid4vci-metadata.ts';
import {
  type DeliveryStep,
  deliveryRefusal,
  holdsBadge,
  type WalletBadge,
  walletOfferRefusal,
} from './wallet.policy.ts';
import { WalletRepository } from './wallet.repository.ts';
import type { DeliveryRoute, WalletOfferRow } from './wallet.tables.ts';
import { hashWalletSecret, newWalletSecret } from './wallet-secrets.ts';

/** How long an offer on the learner's screen may be taken up by a wallet. */
export const OFFER_MINUTES = 15;

/** The learner's "Add to a wallet" page: the badge, whether an offer may be made, and where it went before. */
export interface WalletPageView {
  credentialId: string;
  title: string;
  canOffer: boolean;
  /** Why no offer may be made, when one may not. */
  refusal: string | null;
  deliveries: { holderDid: string; deliveredAt: Date; by: DeliveryRoute }[];
}

/** An offer as shown once to the learner who asked for it: its secrets exist only in this answer. */
export interface MadeOffer {
  id: string;
  credentialId: string;
  title: string;
  /** `openid-credential-offer://…` with the pre-authorized code (OID4VCI). */
  offerLink: string;
  offerQrSvg: string;
  /** The VC-API exchange address a wallet posts to. */
  exchangeUrl: string;
  expiresAt: Date;
}

/** What a wallet's route gets back when a delivery is refused, in its own protocol's terms. */
export type Refuse = (message: string) => Error;

/**
 * Delivers a learner's badges into standards wallets: the learner's offers, and the deliveries a wallet completes
 * through a VC-API exchange (here) or OpenID for Verifiable Credential Issuance (`oid4vci-issuer.ts`, through
 * `deliver`). Every delivery is a copy re-issued to the wallet's DID by the issuing module's one award path.
 */
export class WalletService {
  readonly #loader = createDocumentLoader();

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly credentials: CredentialsService,
    private readonly awards: AwardIssuer,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string },
    /** The addresses a person has proven (the accounts module's answer): a waiting badge is theirs under these. */
    private readonly provenAddresses: (userId: string) => Promise<readonly string[]>,
    private readonly repository = new WalletRepository(),
  ) {}

  /** The Data Integrity `domain` a wallet's DID Authentication must be made for: this site's origin. */
  get domain(): string {
    return new URL(this.settings.publicUrl).origin;
  }

  async #badge(credentialId: string): Promise<{ badge: WalletBadge; title: string } | null> {
    if (!isUuid(credentialId)) return null;
    const row = await this.credentials.find(credentialId);
    if (!row) return null;
    const holding = (await this.repository.holdingOf(this.database.db, row.id)) ?? null;
    return { badge: { holding, status: row.status, isCopy: row.copy_of !== null }, title: row.program_title };
  }

  /** The badge's wallet page for its holder; anyone else is told it does not exist. */
  async walletPage(actor: Actor, credentialId: string): Promise<WalletPageView> {
    const found = await this.#badge(credentialId);
    const addresses = found ? await this.provenAddresses(actor.id) : [];
    if (!found || !holdsBadge(actor, found.badge, addresses)) throw notFound('That badge');
    const refusal = walletOfferRefusal(actor, found.badge, addresses);
    const deliveries = await this.repository.deliveriesOf(this.database.db, credentialId.toLowerCase());
    return {
      credentialId: credentialId.toLowerCase(),
      title: found.title,
      canOffer: refusal === null,
      refusal,
      deliveries: deliveries.map((row) => ({
        holderDid: row.holder_did!,
        deliveredAt: row.delivered_at!,
        by: row.delivered_by!,
      })),
    };
  }

  /** A new offer for one of the person's active badges: a pre-authorized code and an exchange, hashed at rest. */
  async makeOffer(actor: Actor, credentialId: string): Promise<MadeOffer> {
    const found = await this.#badge(credentialId);
    const addresses = found ? await this.provenAddresses(actor.id) : [];
    if (!found || !holdsBadge(actor, found.badge, addresses)) throw notFound('That badge');
    const refusal = walletOfferRefusal(actor, found.badge, addresses);
    if (refusal) throw invalidState(refusal);
    const code = newWalletSecret();
    const exchange = newWalletSecret();
    const now = this.clock.now();
    const offer = {
      id: newId(),
      credential_id: credentialId.toLowerCase(),
      user_id: actor.id,
      code_hash: hashWalletSecret(code),
      exchange_hash: hashWalletSecret(exchange),
      challenge: newId(),
      created_at: now,
      expires_at: new Date(now.getTime() + OFFER_MINUTES * 60_000),
    };
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.insertOffer(trx, offer);
      await this.audit.record(trx, actor, {
        action: 'wallet.offer_made',
        entityType: 'credential',
        entityId: offer.credential_id,
        after: { offerId: offer.id, expiresAt: offer.expires_at.toISOString() },
      });
    });
    const offerLink = credentialOfferLink(this.settings.publicUrl, code);
    return {
      id: offer.id,
      credentialId: offer.credential_id,
      title: found.title,
      offerLink,
      offerQrSvg: await renderQrSvg(offerLink),
      exchangeUrl: `${this.settings.publicUrl}/wallet/exchanges/${exchange}`,
      expiresAt: offer.expires_at,
    };
  }

  /** Whether the person's offer has reached a wallet yet (the offer page asks while the learner waits). */
  async offerProgress(actor: Actor, credentialId: string, offerId: string) {
    if (!isUuid(credentialId) || !isUuid(offerId)) throw notFound('That offer');
    const offer = await this.repository.offerOf(
      this.database.db,
      offerId,
      actor.id,
      credentialId.toLowerCase(),
    );
    if (!offer) throw notFound('That offer');
    return {
      delivered: offer.delivered_at !== null,
      holderDid: offer.holder_did,
      deliveredBy: offer.delivered_by,
      expired: offer.delivered_at === null && offer.expires_at <= this.clock.now(),
    };
  }

  /** The VC-API exchange's first answer: a request for a DID Authentication presentation. */
  async presentationRequest(exchangeSecret: string) {
    const offer = await this.#usableExchange(exchangeSecret);
    return {
      verifiablePresentationRequest: {
        query: [
          {
            type: 'DIDAuthentication',
            acceptedMethods: [{ method: 'key' }],
            acceptedCryptosuites: [{ cryptosuite: 'eddsa-rdfc-2022' }],
          },
        ],
        challenge: offer.challenge,
        domain: this.domain,
      },
    };
  }

  /**
   * The VC-API exchange's second step: the wallet's DID Authentication presentation (eddsa-rdfc-2022, signed by
   * a did:key for authentication, with our challenge and domain, by the holder it names) buys the badge re-issued
   * to that DID, handed back in a presentation.
   */
  async completeExchange(exchangeSecret: string, presentation: unknown) {
    const offer = await this.#usableExchange(exchangeSecret);
    if (!isObject(presentation)) throw invalidState('The exchange needs a verifiablePresentation object.');
    const { checks, signer } = await checkPresentationProof(
      presentation,
      { challenge: offer.challenge, domain: this.domain },
      this.#loader,
    );
    const failed = checks.find((check) => check.status !== 'passed');
    if (failed || signer === null) {
      throw invalidState(`The DID Authentication is refused: ${failed?.message ?? 'it names no signer.'}`);
    }
    if (!signer.startsWith('did:key:')) {
      throw invalidState('The wallet must authenticate with a did:key DID.');
    }
    const issued = await this.deliver(
      { by: 'vc_api', column: 'exchange_hash', hash: hashWalletSecret(exchangeSecret), step: 'exchange' },
      signer,
      invalidState,
    );
    return {
      verifiablePresentation: {
        '@context': [VC_V2_CONTEXT],
        type: ['VerifiablePresentation'],
        verifiableCredential: [issued.credential],
      },
    };
  }

  async #usableExchange(exchangeSecret: string): Promise<WalletOfferRow> {
    const offer = await this.repository.offerBy(
      this.database.db,
      'exchange_hash',
      hashWalletSecret(exchangeSecret),
    );
    if (!offer) throw notFound('That exchange');
    const refusal = deliveryRefusal(offer, 'exchange', this.clock.now());
    if (refusal) throw invalidState(refusal);
    return offer;
  }

  /**
   * Re-issues the offer's badge to the DID a wallet proved it holds and marks the offer used, in one transaction
   * holding the offer's row, so two wallets racing for one offer get one copy between them. The badge must still
   * be active. `refuse` words a refusal in the calling protocol's terms.
   */
  async deliver(
    use: {
      by: DeliveryRoute;
      column: 'exchange_hash' | 'access_token_hash';
      hash: string;
      step: DeliveryStep;
    },
    holderDid: string,
    refuse: Refuse,
  ): Promise<IssuedCredential> {
    const seen = await this.repository.offerBy(this.database.db, use.column, use.hash);
    if (!seen) throw refuse('That offer is unknown.');
    // Read before the transaction: inside it only its own handle may be used.
    const original = await this.credentials.find(seen.credential_id);
    if (original?.status !== 'active') throw refuse('The badge is no longer active, so it is not delivered.');
    return this.database.db.transaction().execute(async (trx: Db) => {
      const offer = await this.repository.lockOfferBy(trx, use.column, use.hash);
      const now = this.clock.now();
      const refusal = offer ? deliveryRefusal(offer, use.step, now) : 'That offer is unknown.';
      if (!offer || refusal) throw refuse(refusal ?? 'That offer is unknown.');
      const actor: AuditActor = { system: `wallet delivery (offer ${offer.id})` };
      const issued = await this.awards.issueCopyToHolder(trx, actor, {
        credentialId: offer.credential_id,
        holderDid,
      });
      await this.repository.markDelivered(trx, offer.id, {
        at: now,
        by: use.by,
        holderDid,
        credentialId: issued.id,
      });
      return issued;
    });
  }
}

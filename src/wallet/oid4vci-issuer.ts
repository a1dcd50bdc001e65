import { createDocumentLoader } from '../credentials/document-loader.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { checkKeyProof } from './key-proof.ts';
import { Oid4vciError } from './oid4vci-errors.ts';
import { OPEN_BADGE_LDP_VC, PRE_AUTHORIZED_GRANT } from './oid4vci-metadata.ts';
import { deliveryRefusal } from './wallet.policy.ts';
import { WalletRepository } from './wallet.repository.ts';
import type { WalletService } from './wallet.service.ts';
import { hashWalletSecret, isFreshNonce, newNonce, newWalletSecret } from './wallet-secrets.ts';

/** How long the access token a pre-authorized code buys is good for. */
export const ACCESS_TOKEN_SECONDS = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The OID4VCI 1.0 pre-authorized code flow: the token endpoint spends a learner's code for a short access token,
 * the nonce endpoint hands out c_nonces, and the credential endpoint checks the wallet's JWT key proof and
 * delivers the badge re-issued to the proof's DID through `WalletService.deliver`.
 */
export class Oid4vciIssuer {
  readonly #loader = createDocumentLoader();

  constructor(
    private readonly database: Database,
    private readonly wallet: WalletService,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string; secret: string },
    private readonly repository = new WalletRepository(),
  ) {}

  /** Token endpoint: `grant_type` pre-authorized_code and the code from the offer, once. */
  async grantToken(form: Record<string, unknown>) {
    if (form.grant_type !== PRE_AUTHORIZED_GRANT) {
      throw new Oid4vciError('unsupported_grant_type', `Only ${PRE_AUTHORIZED_GRANT} is supported.`);
    }
    const code = form['pre-authorized_code'];
    if (typeof code !== 'string' || code === '' || code.length > 200) {
      throw new Oid4vciError('invalid_request', 'pre-authorized_code is required.');
    }
    const token = newWalletSecret();
    const hash = hashWalletSecret(code);
    await this.database.db.transaction().execute(async (trx) => {
      const offer = await this.repository.lockOfferBy(trx, 'code_hash', hash);
      const now = this.clock.now();
      const refusal = offer ? deliveryRefusal(offer, 'token', now) : 'The pre-authorized code is unknown.';
      if (!offer || refusal) throw new Oid4vciError('invalid_grant', refusal ?? 'Unknown code.');
      await this.repository.spendCode(trx, offer.id, {
        hash: hashWalletSecret(token),
        expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000),
        at: now,
      });
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
  }

  /** Nonce endpoint: a fresh c_nonce for the key proof. */
  nonce() {
    return { c_nonce: newNonce(this.settings.secret, this.clock.now()) };
  }

  /**
   * Credential endpoint: the access token from the token endpoint and a credential request for our one
   * configuration with one JWT key proof (`proofs.jwt`, or the older single `proof`); answers the badge
   * re-issued to the proof's DID as `credentials[0].credential`.
   */
  async issueCredential(accessToken: string | undefined, body: unknown) {
    if (!accessToken)
      throw new Oid4vciError('invalid_token', 'An access token from the token endpoint is required.');
    const tokenHash = hashWalletSecret(accessToken);
    const offer = await this.repository.offerBy(this.database.db, 'access_token_hash', tokenHash);
    const refusal = offer
      ? deliveryRefusal(offer, 'credential', this.clock.now())
      : 'The access token is unknown.';
    if (!offer || refusal) throw new Oid4vciError('invalid_token', refusal ?? 'Unknown token.');
    if (!isRecord(body))
      throw new Oid4vciError('invalid_credential_request', 'The request must be a JSON object.');
    if (body.credential_configuration_id !== OPEN_BADGE_LDP_VC) {
      throw new Oid4vciError(
        'unknown_credential_configuration',
        `credential_configuration_id must be ${OPEN_BADGE_LDP_VC}.`,
      );
    }
    const jwt = proofJwtOf(body);
    const now = this.clock.now();
    const proof = await checkKeyProof(
      jwt,
      {
        audience: this.settings.publicUrl,
        isFreshNonce: (nonce) => isFreshNonce(this.settings.secret, nonce, now),
        now,
      },
      this.#loader,
    );
    if (!proof.ok) throw new Oid4vciError(proof.error, proof.description);
    const issued = await this.wallet.deliver(
      { by: 'oid4vci', column: 'access_token_hash', hash: tokenHash, step: 'credential' },
      proof.holderDid,
      (message) => new Oid4vciError('credential_request_denied', message),
    );
    return { credentials: [{ credential: issued.credential }] };
  }
}

/** The one JWT key proof of a credential request: `proofs: { jwt: [proof] }`, or `proof: { proof_type, jwt }`. */
function proofJwtOf(body: Record<string, unknown>): string {
  const { proofs, proof } = body;
  if (proofs !== undefined && proof !== undefined) {
    throw new Oid4vciError('invalid_credential_request', 'Send proofs or proof, not both.');
  }
  if (isRecord(proofs)) {
    const list = proofs.jwt;
    if (Object.keys(proofs).length !== 1 || !Array.isArray(list) || list.length !== 1) {
      throw new Oid4vciError(
        'invalid_credential_request',
        'proofs must hold exactly one jwt proof: { "jwt": [ … ] }.',
      );
    }
    if (typeof list[0] === 'string') return list[0];
  } else if (isRecord(proof) && proof.proof_type === 'jwt' && typeof proof.jwt === 'string') {
    return proof.jwt;
  }
  throw new Oid4vciError('invalid_proof', 'A JWT key proof is required (proofs.jwt).');
}

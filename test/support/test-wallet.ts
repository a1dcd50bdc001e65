// A standards wallet for the tests, built from the libraries wallets use (Digital Bazaar's / the DCC's
// ed25519-multikey, data-integrity, eddsa-rdfc-2022 and vc, and jose for the OID4VCI key proof), talking to the
// app only over HTTP: it holds a did:key, signs DID Authentication presentations and key proofs, and walks the
// VC-API exchange and the OID4VCI pre-authorized code flow the way a wallet app would.
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import * as vc from '@digitalcredentials/vc';
import { importJWK, SignJWT } from 'jose';

/** One HTTP exchange as the wallet makes it: an absolute URL, JSON or a form, and the parsed JSON answer. */
export type WalletHttp = (request: {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  // biome-ignore lint/suspicious/noExplicitAny: a wallet reads whatever JSON the issuer answers, field by field.
}) => Promise<{ status: number; json: Record<string, any> }>;

/** Over real HTTP (a served app). */
export const fetchHttp: WalletHttp = async ({ method, url, headers, body }) => {
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
};

/** Through the app's own HTTP stack in process (`fastify.inject`), for database tests. */
export const injectHttp =
  (app: {
    http: { inject: (options: object) => Promise<{ statusCode: number; body: string }> };
  }): WalletHttp =>
  async ({ method, url, headers, body }) => {
    const { pathname, search } = new URL(url);
    const response = await app.http.inject({ method, url: pathname + search, headers, payload: body });
    return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : {} };
  };

const documentLoader = securityLoader().build();
const json = { 'content-type': 'application/json' };

export class TestWallet {
  private constructor(
    readonly did: string,
    readonly keyId: string,
    private readonly keyPair: Awaited<ReturnType<typeof Ed25519Multikey.from>>,
  ) {}

  /** A wallet with a new Ed25519 did:key. */
  static async create(): Promise<TestWallet> {
    const generated = await Ed25519Multikey.generate();
    const did = `did:key:${generated.publicKeyMultibase}`;
    const keyId = `${did}#${generated.publicKeyMultibase}`;
    const keyPair = await Ed25519Multikey.from({
      type: 'Multikey',
      id: keyId,
      controller: did,
      publicKeyMultibase: generated.publicKeyMultibase,
      secretKeyMultibase: generated.secretKeyMultibase,
    });
    return new TestWallet(did, keyId, keyPair);
  }

  /** A DID Authentication presentation answering a challenge for a domain; `holder` may name someone else. */
  async didAuthentication(request: { challenge: string; domain: string }, holder = this.did) {
    const suite = new DataIntegrityProof({ signer: this.keyPair.signer(), cryptosuite: eddsaRdfc2022 });
    return vc.signPresentation({
      presentation: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiablePresentation'],
        holder,
      },
      suite,
      documentLoader,
      challenge: request.challenge,
      domain: request.domain,
    });
  }

  /** An OID4VCI JWT key proof (Appendix F.1) for an issuer and nonce. */
  async keyProof(claims: { audience: string; nonce: string; issuedAt?: number }): Promise<string> {
    // An Ed25519 private JWK is the 32-byte seed (`d`) and the public key (`x`); the library keeps seed + public.
    const jwk = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(this.keyPair.publicKey).toString('base64url'),
      d: Buffer.from(this.keyPair.secretKey!.subarray(0, 32)).toString('base64url'),
    };
    return new SignJWT({ nonce: claims.nonce })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: this.keyId })
      .setAudience(claims.audience)
      .setIssuedAt(claims.issuedAt ?? Math.floor(Date.now() / 1000))
      .sign(await importJWK(jwk, 'EdDSA'));
  }

  /**
   * The OID4VCI pre-authorized code flow from an `openid-credential-offer://` link: issuer metadata, authorization
   * server metadata, token, nonce, credential. Returns every answer, so tests can look at each step.
   */
  async collectOffer(offerLink: string, http: WalletHttp) {
    const offer = JSON.parse(new URL(offerLink).searchParams.get('credential_offer') ?? 'null');
    const issuer: string = offer.credential_issuer;
    const metadata = await http({ method: 'GET', url: `${issuer}/.well-known/openid-credential-issuer` });
    const server = await http({ method: 'GET', url: `${issuer}/.well-known/oauth-authorization-server` });
    const grant = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'];
    const token = await http({
      method: 'POST',
      url: server.json.token_endpoint,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': grant['pre-authorized_code'],
      }).toString(),
    });
    if (token.status !== 200) return { offer, metadata, token, credential: null };
    const nonce = await http({ method: 'POST', url: metadata.json.nonce_endpoint });
    const proof = await this.keyProof({ audience: issuer, nonce: nonce.json.c_nonce });
    const credential = await http({
      method: 'POST',
      url: metadata.json.credential_endpoint,
      headers: { ...json, authorization: `Bearer ${token.json.access_token}` },
      body: JSON.stringify({
        credential_configuration_id: offer.credential_configuration_ids[0],
        proofs: { jwt: [proof] },
      }),
    });
    return { offer, metadata, token, credential };
  }

  /** The VC-API exchange: ask, authenticate with the challenge and domain asked for, receive. */
  async completeExchange(exchangeUrl: string, http: WalletHttp, options: { holder?: string } = {}) {
    const request = await http({ method: 'POST', url: exchangeUrl, headers: json, body: '{}' });
    const vpr = request.json.verifiablePresentationRequest;
    const verifiablePresentation = await this.didAuthentication(vpr, options.holder);
    const answer = await http({
      method: 'POST',
      url: exchangeUrl,
      headers: json,
      body: JSON.stringify({ verifiablePresentation }),
    });
    return { request, answer };
  }
}

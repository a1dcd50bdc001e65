import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CompactSign, exportSPKI, generateKeyPair } from 'jose';
import { bakePng } from '../../src/credentials/bake-png.ts';
import { startHttpsIssuer } from './https-issuer.ts';
import { pngOf } from './uploads.ts';

const OB2 = 'https://w3id.org/openbadges/v2';

const hashed = (email: string, salt: string) =>
  `sha256$${createHash('sha256')
    .update(email + salt)
    .digest('hex')}`;

/**
 * Another institution issuing Open Badges 2.0 from its own HTTPS site (a CA of its own): an issuer profile with an
 * RS256 key, a revocation list and one badge class, "Safe Welding". It hands out hosted assertions and signed ones
 * baked into PNG images, to any recipient address, salted and hashed as 2.0 issuers do.
 */
export async function startOb2Issuer(name = 'Harbour Community College') {
  const issuer = await startHttpsIssuer();
  const pair = await generateKeyPair('RS256', { extractable: true });
  const issuerId = `${issuer.origin}/issuer`;
  const keyId = issuer.serve('/keys/1', {
    '@context': OB2,
    type: 'CryptographicKey',
    id: `${issuer.origin}/keys/1`,
    owner: issuerId,
    publicKeyPem: await exportSPKI(pair.publicKey),
  });
  issuer.serve('/issuer', {
    '@context': OB2,
    type: 'Issuer',
    id: issuerId,
    name,
    url: issuer.origin,
    email: 'badges@issuer.example',
    publicKey: keyId,
    revocationList: `${issuer.origin}/revocations`,
    verification: { type: 'VerificationObject', startsWith: `${issuer.origin}/assertions/` },
  });
  issuer.serve('/revocations', {
    '@context': OB2,
    type: 'RevocationList',
    id: `${issuer.origin}/revocations`,
    revokedAssertions: [],
  });
  const badge = issuer.serve('/badges/welding', {
    '@context': OB2,
    type: 'BadgeClass',
    id: `${issuer.origin}/badges/welding`,
    name: 'Safe Welding',
    description: 'Welds safely under supervision.',
    image: `${issuer.origin}/badges/welding.png`,
    criteria: { narrative: 'Passed the practical test.' },
    issuer: issuerId,
  });
  let n = 0;

  /** An assertion to `to` with the given verification, salted and hashed as 2.0 issuers do; not yet served. */
  const anAssertion = (id: string, verification: object, to: string, changes: object = {}) => {
    const salt = randomBytes(8).toString('hex');
    return {
      '@context': OB2,
      type: 'Assertion',
      id,
      recipient: { type: 'email', hashed: true, salt, identity: hashed(to, salt) },
      badge,
      issuedOn: '2025-06-01T10:00:00Z',
      verification,
      ...changes,
    };
  };

  /** A hosted assertion to `to`, served at its own address (with `status`, 200 unless said). */
  const hostedAssertion = (to: string, changes: object = {}, status?: number) => {
    n += 1;
    const path = `/assertions/${n}`;
    const assertion = anAssertion(`${issuer.origin}${path}`, { type: 'hosted' }, to, changes);
    issuer.serve(path, assertion, status);
    return assertion;
  };

  /** A signed (JWS, RS256) assertion to `to`, naming `creator` as its key (the issuer's own unless said). */
  const signedAssertion = async (to: string, changes: object = {}, creator = keyId) => {
    const assertion = anAssertion(`urn:uuid:${randomUUID()}`, { type: 'SignedBadge', creator }, to, changes);
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(assertion)))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(pair.privateKey as CryptoKey);
    return { assertion, jws };
  };

  return {
    ...issuer,
    /** The issuer profile's address. */
    issuerId,
    /** The address of the issuer's own signing key (its profile lists it, and names the profile as its owner). */
    keyId,
    /** The address of the badge class every assertion here awards. */
    badgeId: badge,
    anAssertion,
    hostedAssertion,
    signedAssertion,
    /** A hosted assertion to `to`, served at its own address; returns that address. */
    hostedBadge(to: string, changes: object = {}): string {
      return hostedAssertion(to, changes).id;
    },
    /** Serves the assertion at `address` again, changed (revoked, say). */
    rehost(address: string, to: string, changes: object): void {
      issuer.serve(new URL(address).pathname, anAssertion(address, { type: 'hosted' }, to, changes));
    },
    /** Answers 410 Gone at `address` from now on, as a 2.0 issuer marks a hosted badge it revoked. */
    withdraw(address: string): void {
      issuer.serve(new URL(address).pathname, { revoked: true }, 410);
    },
    /** A signed (JWS) assertion to `to`, baked into a PNG image as 2.0 bakes it. */
    async signedBadgeImage(to: string): Promise<Buffer> {
      const { jws } = await signedAssertion(to);
      return Buffer.from(bakePng(pngOf(1, 1), jws, 'openbadges'));
    },
  };
}

export type Ob2Issuer = Awaited<ReturnType<typeof startOb2Issuer>>;

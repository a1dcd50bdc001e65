/**
 * VC-JWT signing with Node's own Ed25519 and a key object made once: the same compact JWT as
 * signCredentialJwt (jose), byte for byte, since Ed25519 is deterministic and both serialize the header
 * and the claims with JSON.stringify in the same field order. jose imports the JWK on every call, which
 * costs more than the signature itself; a bulk run signs thousands.
 */
import { createPrivateKey, type KeyObject, sign as signBytes } from 'node:crypto';
import { jwtClaimsFor } from '../credential-jwt.ts';
import type { SigningKey, UnsignedOpenBadgeCredential } from '../credential-types.ts';
import { prepareSigner } from '../prepared-signer.ts';
import { assertSignableBy, assertValidBadge } from '../validate-credential.ts';

export interface FastJwtSigner {
  /** Signs as signCredentialJwt does, with the same refusals (foreign issuer, schema problems). */
  sign(unsigned: UnsignedOpenBadgeCredential): Promise<string>;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A JWT signer for one key; the key's halves are checked once, through prepareSigner. */
export function createFastJwtSigner(key: SigningKey): FastJwtSigner {
  let prepared: Promise<{ header: string; privateKey: KeyObject }> | undefined;
  const load = () => {
    if (!prepared) {
      prepared = prepareSigner(key).then(({ privateJwk, verificationMethod }) => ({
        // Field order as signCredentialJwt sets them.
        header: base64url({ alg: 'EdDSA', typ: 'JWT', kid: verificationMethod }),
        privateKey: createPrivateKey({ key: { ...privateJwk }, format: 'jwk' }),
      }));
      prepared.catch(() => {
        prepared = undefined;
      });
    }
    return prepared;
  };

  const sign = async (unsigned: UnsignedOpenBadgeCredential): Promise<string> => {
    assertSignableBy(unsigned, key.did);
    assertValidBadge(unsigned);
    const { header, privateKey } = await load();
    const input = `${header}.${base64url({ ...jwtClaimsFor(unsigned), vc: unsigned })}`;
    return `${input}.${signBytes(null, Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
  };

  return { sign };
}

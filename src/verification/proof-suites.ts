import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { createVerifyCryptosuite as ecdsaSd2023 } from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';

/** Verification-only suites hold no key, so one of each serves every verification. */
export const eddsaVerifySuite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

/**
 * The W3C ECDSA cryptosuites, for other issuers' P-256 (and P-384) keys. Stackable signs with neither. An
 * ecdsa-sd-2023 proof is verified only in its derived (disclosed) form, as the suite says a verifier receives it;
 * a base proof is the issuer's message to the holder and fails.
 */
export const ecdsaVerifySuites = {
  'ecdsa-rdfc-2019': new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }),
  'ecdsa-sd-2023': new DataIntegrityProof({ cryptosuite: ecdsaSd2023() }),
} as const;

let ed25519Signature2020: Promise<object | null> | undefined;

/**
 * The older Ed25519Signature2020 suite, which many existing badges use. Its package is a dependency, but it is
 * loaded on demand (most verifications never need it) and resolves to null should it be missing from an
 * installation; such proofs are then reported as not checkable.
 */
export function loadEd25519Signature2020Suite(): Promise<object | null> {
  ed25519Signature2020 ??= import('@digitalcredentials/ed25519-signature-2020').then(
    (module) => new module.Ed25519Signature2020(),
    () => null,
  );
  return ed25519Signature2020;
}

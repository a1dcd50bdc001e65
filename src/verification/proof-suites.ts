import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';

/** Verification-only suites hold no key, so one of each serves every verification. */
export const eddsaVerifySuite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

/** The W3C ECDSA cryptosuites Stackable verifies (it signs with neither). */
export const ECDSA_CRYPTOSUITES = ['ecdsa-rdfc-2019', 'ecdsa-sd-2023'] as const;
export type EcdsaCryptosuite = (typeof ECDSA_CRYPTOSUITES)[number];

const ecdsaSuites = new Map<EcdsaCryptosuite, Promise<object>>();

/**
 * A verification suite for other issuers' P-256 (and P-384) keys. Loaded on first use: the libraries bring their own
 * JSON-LD processor, about a third of a second to import, and most verifications never need it. An ecdsa-sd-2023
 * proof is verified only in its derived (disclosed) form, as the suite says a verifier receives it.
 */
export function loadEcdsaSuite(name: EcdsaCryptosuite): Promise<object> {
  let suite = ecdsaSuites.get(name);
  if (!suite) {
    suite =
      name === 'ecdsa-rdfc-2019'
        ? import('@digitalbazaar/ecdsa-rdfc-2019-cryptosuite').then(
            ({ cryptosuite }) => new DataIntegrityProof({ cryptosuite }),
          )
        : import('@digitalbazaar/ecdsa-sd-2023-cryptosuite').then(
            ({ createVerifyCryptosuite }) =>
              new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() }),
          );
    ecdsaSuites.set(name, suite);
  }
  return suite;
}

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

import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';

/** Verification-only suites hold no key, so one of each serves every verification. */
export const eddsaVerifySuite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

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

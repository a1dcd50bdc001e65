/**
 * Checks signatures made with this installation's own keys the fast way (fast-sign/fast-verifier.ts): no
 * DID to resolve, canonical forms from the template cache. A document signed by anyone else, or not in a
 * way this check knows, is answered `not-ours`, for the full verifier to decide.
 */
import { createCanonicalizer } from './fast-sign/canonicalizer.ts';
import { createFastVerifier, type FastVerdict, type FastVerifier } from './fast-sign/fast-verifier.ts';
import type { IssuerIdentity } from './issuer-identity.ts';

export class OwnProofs {
  readonly #canonicalizer = createCanonicalizer();
  #current: { keys: string; verifier: FastVerifier } | undefined;
  /**
   * Valid verdicts on documents that cannot change (frozen by deepFreeze, as the status lists this
   * installation serves are): every badge check reads two lists, which need not be verified again each time. Keys are
   * only ever added, so a valid verdict stays valid.
   */
  readonly #validFrozen = new WeakMap<object, FastVerdict>();

  constructor(private readonly identity: IssuerIdentity) {}

  /** The verdict on a badge's or status list's eddsa-rdfc-2022 proof, if one of our keys made it. */
  async verify(document: unknown): Promise<FastVerdict> {
    const frozen =
      typeof document === 'object' && document !== null && deeplyFrozen.has(document) ? document : undefined;
    const known = frozen && this.#validFrozen.get(frozen);
    if (known) return known;
    const keys = await this.identity.trustedKeys();
    const names = keys.map((key) => `${key.did}#${key.keyId}`).join(' ');
    if (this.#current?.keys !== names) {
      this.#current = {
        keys: names,
        verifier: createFastVerifier(keys, { canonicalizer: this.#canonicalizer }),
      };
    }
    const verdict = await this.#current.verifier.verify(document);
    if (frozen && verdict.status === 'valid') this.#validFrozen.set(frozen, verdict);
    return verdict;
  }
}

/** Documents deepFreeze froze whole: asking is one lookup, where walking the document would cost a pass. */
const deeplyFrozen = new WeakSet<object>();

/** Freezes a JSON value and everything in it, so it can be shared and its verdict kept. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !deeplyFrozen.has(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
    deeplyFrozen.add(value);
  }
  return value;
}

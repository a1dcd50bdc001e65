/**
 * Checks signatures made with this installation's own keys the fast way (fast-sign/fast-verifier.ts): no
 * DID to resolve, canonical forms from the template cache. A document signed by anyone else, or not in a
 * way this check knows, is answered `not-ours`, for the full verifier to decide.
 */
import { createHash } from 'node:crypto';
import { BoundedMap } from '../platform/bounded-map.ts';
import {
  createFastVerifier,
  type FastVerdict,
  type FastVerifier,
  type TrustedKey,
} from './fast-sign/fast-verifier.ts';
import { sharedCanonicalizer } from './fast-sign/shared-canonicalizer.ts';
import type { IssuerIdentity } from './issuer-identity.ts';

export class OwnProofs {
  readonly #canonicalizer = sharedCanonicalizer();
  #current: { list: readonly TrustedKey[]; verifier: FastVerifier } | undefined;
  /**
   * Valid verdicts on documents that cannot change (frozen by deepFreeze, as the status lists this
   * installation serves are): every badge check reads two lists, which need not be verified again each time. Keys are
   * only ever added, so a valid verdict stays valid.
   */
  readonly #validFrozen = new WeakMap<object, FastVerdict>();
  /**
   * Valid verdicts by the SHA-256 of the document's exact JSON text (proof included), for documents sent again
   * (the same badge checked by many verifiers). Equal text is an equal document, so its canonical form and
   * signature are the ones already checked; a changed byte is another key and is checked in full. It answers
   * only whether the signature holds: status, dates and our register are read on every verification, so a
   * revocation shows at once. Emptied when the set of keys changes. The oldest first: a full map drops the verdict
   * remembered longest ago. None when the settings remember no verdicts (the benches' cold verification).
   */
  readonly #validByText: BoundedMap<string, FastVerdict> | null;
  #remembered = { hits: 0, misses: 0 };

  constructor(
    private readonly identity: IssuerIdentity,
    settings: { rememberValid?: number } = {},
  ) {
    const capacity = settings.rememberValid ?? REMEMBERED_VALID;
    this.#validByText = capacity > 0 ? new BoundedMap(capacity) : null;
  }

  /** How often a valid verdict was found by the document's text, since this process started (for the benches). */
  get remembered(): { hits: number; misses: number; size: number } {
    return { ...this.#remembered, size: this.#validByText?.size ?? 0 };
  }

  /** The verdict on a badge's or status list's eddsa-rdfc-2022 proof, if one of our keys made it. */
  async verify(document: unknown): Promise<FastVerdict> {
    const frozen =
      typeof document === 'object' && document !== null && isDeeplyFrozen(document) ? document : undefined;
    const known = frozen && this.#validFrozen.get(frozen);
    if (known) return known;
    const keys = await this.identity.trustedKeys();
    // The identity hands back the same frozen list for as long as its keys stay the same.
    if (this.#current?.list !== keys) {
      this.#current = {
        list: keys,
        verifier: createFastVerifier(keys, { canonicalizer: this.#canonicalizer }),
      };
      this.#validByText?.clear();
    }
    const byText = frozen ? null : this.#validByText;
    const digest = byText ? textDigestOf(document) : null;
    const remembered = digest && byText?.get(digest);
    if (remembered) {
      this.#remembered.hits += 1;
      return remembered;
    }
    if (digest) this.#remembered.misses += 1;
    const verdict = await this.#current.verifier.verify(document);
    if (verdict.status === 'valid') {
      if (frozen) this.#validFrozen.set(frozen, verdict);
      else if (digest) byText?.set(digest, verdict);
    }
    return verdict;
  }
}

/** Valid verdicts remembered by document text per process, unless configured (~150 bytes each). */
const REMEMBERED_VALID = 10_000;

/**
 * SHA-256 of the document's JSON text, or null when it has none (not an object, or not JSON at all). JSON.stringify
 * keeps the order of the members, so the same members in another order are another key: a miss, never a wrong hit.
 */
function textDigestOf(document: unknown): string | null {
  if (typeof document !== 'object' || document === null) return null;
  try {
    return createHash('sha256').update(JSON.stringify(document)).digest('base64');
  } catch {
    return null;
  }
}

/** Documents deepFreeze froze whole: asking is one lookup, where walking the document would cost a pass. */
const deeplyFrozen = new WeakSet<object>();

/** Whether deepFreeze froze this value whole, so nothing in it can change any more. */
export const isDeeplyFrozen = (value: object): boolean => deeplyFrozen.has(value);

/** Freezes a JSON value and everything in it, so it can be shared and its verdict kept. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !deeplyFrozen.has(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
    deeplyFrozen.add(value);
  }
  return value;
}

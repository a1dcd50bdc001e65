/**
 * The bytes an eddsa-rdfc-2022 proof signs: SHA-256 of the canonical proof options followed by SHA-256
 * of the canonical document (without its proof), as the Data Integrity suite computes them.
 */
import { createHash } from 'node:crypto';
import type { Canonicalizer } from './canonicalizer.ts';

export const EDDSA_RDFC_2022 = 'eddsa-rdfc-2022';
export const DATA_INTEGRITY_PROOF = 'DataIntegrityProof';

/** Remembers the hash of recent proof options: a signer's differ only in `created`, once a second. */
export class ProofOptionsHashes {
  private readonly hashes = new Map<string, Promise<Buffer>>();
  constructor(private readonly capacity = 8) {}

  get(key: string, compute: () => Promise<Buffer>): Promise<Buffer> {
    let hash = this.hashes.get(key);
    if (!hash) {
      if (this.hashes.size >= this.capacity) this.hashes.delete(this.hashes.keys().next().value ?? '');
      hash = compute();
      this.hashes.set(key, hash);
      hash.catch(() => this.hashes.delete(key));
    }
    return hash;
  }
}

/**
 * The data to sign or verify. As the suite does, the proof options are canonicalized under the
 * document's own `@context` (a context the proof carries itself takes precedence).
 */
export async function proofSigningInput(
  canonicalizer: Canonicalizer,
  document: { '@context'?: unknown },
  proof: object,
  recent?: ProofOptionsHashes,
): Promise<Buffer> {
  // Everything in the proof except its value is signed, whatever fields it has.
  const { proofValue: _ignored, ...options } = proof as Record<string, unknown>;
  const proofOptions = { '@context': document['@context'], ...options };
  const hashOptions = async () => sha256(await canonicalizer.canonize(proofOptions));
  const cacheKey = recent && exactJson(proofOptions);
  const [proofHash, documentNQuads] = await Promise.all([
    recent && cacheKey ? recent.get(cacheKey, hashOptions) : hashOptions(),
    canonicalizer.canonize(document),
  ]);
  return Buffer.concat([proofHash, sha256(documentNQuads)]);
}

/**
 * The JSON text of proof options, or null when it would not tell them apart: JSON drops a field whose
 * value is undefined (or a function), which JSON-LD does not treat exactly like a missing one.
 */
function exactJson(value: object): string | null {
  let hasUndefined = false;
  const text = JSON.stringify(value, (_key, field: unknown) => {
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') hasUndefined = true;
    return field;
  });
  return hasUndefined ? null : text;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** XML Schema dateTime without fractions, as the suite writes `created`: 2026-05-01T09:00:00Z. */
export function proofTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, -5)}Z`;
}

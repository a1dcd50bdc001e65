/**
 * The bytes an eddsa-rdfc-2022 proof signs: SHA-256 of the canonical proof options followed by SHA-256
 * of the canonical document (without its proof), as the Data Integrity suite computes them.
 */
import type { Canonicalizer } from './canonicalizer.ts';
import { sha256Bytes } from './sha256.ts';

export const EDDSA_RDFC_2022 = 'eddsa-rdfc-2022';
export const DATA_INTEGRITY_PROOF = 'DataIntegrityProof';

/** Remembers the hash of recent proof options: a signer's differ only in `created`, once a second. */
export class ProofOptionsHashes {
  private readonly hashes = new Map<string, Promise<Buffer>>();
  // The same hashes once computed, for callers that cannot wait.
  private readonly ready = new Map<string, Buffer>();
  constructor(private readonly capacity = 8) {}

  get(key: string, compute: () => Promise<Buffer>): Promise<Buffer> {
    let hash = this.hashes.get(key);
    if (!hash) {
      if (this.hashes.size >= this.capacity) {
        const oldest = this.hashes.keys().next().value ?? '';
        this.hashes.delete(oldest);
        this.ready.delete(oldest);
      }
      hash = compute();
      this.hashes.set(key, hash);
      hash.then(
        (value) => {
          if (this.hashes.get(key) === hash) this.ready.set(key, value);
        },
        () => this.hashes.delete(key),
      );
    }
    return hash;
  }

  /** The hash for `key` if it has been computed and is still kept. */
  peek(key: string): Buffer | undefined {
    return this.ready.get(key);
  }
}

/** The proof options an eddsa-rdfc-2022 proof signs: the proof without its value, under the document's context. */
function proofOptionsOf(document: { '@context'?: unknown }, proof: object): Record<string, unknown> {
  // Everything in the proof except its value is signed, whatever fields it has.
  const { proofValue: _ignored, ...options } = proof as Record<string, unknown>;
  return { '@context': document['@context'], ...options };
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
  const proofOptions = proofOptionsOf(document, proof);
  const hashOptions = async () => sha256Bytes(await canonicalizer.canonize(proofOptions));
  const cacheKey = recent && exactJson(proofOptions);
  const [proofHash, documentNQuads] = await Promise.all([
    recent && cacheKey ? recent.get(cacheKey, hashOptions) : hashOptions(),
    canonicalizer.canonize(document),
  ]);
  return Buffer.concat([proofHash, sha256Bytes(documentNQuads)]);
}

/**
 * proofSigningInput at once, when the proof options' hash is kept in `recent` and the document's template
 * is ready; otherwise undefined, and proofSigningInput is the way (it also fills the caches).
 */
export function proofSigningInputIfReady(
  canonicalizer: Canonicalizer,
  document: { '@context'?: unknown },
  proof: object,
  recent: ProofOptionsHashes,
): Buffer | undefined {
  const cacheKey = exactJson(proofOptionsOf(document, proof));
  const proofHash = cacheKey === null ? undefined : recent.peek(cacheKey);
  if (proofHash === undefined) return undefined;
  const documentNQuads = canonicalizer.canonizeIfReady(document);
  if (documentNQuads === undefined) return undefined;
  return Buffer.concat([proofHash, sha256Bytes(documentNQuads)], 64);
}

/**
 * The JSON text of proof options, or null when it would not tell them apart: JSON drops a field whose
 * value is undefined (or a function), which JSON-LD does not treat exactly like a missing one.
 */
function exactJson(value: Record<string, unknown>): string | null {
  // The usual proof options, strings and a list of context URLs, need no search for such fields.
  let plain = true;
  for (const name of Object.keys(value)) {
    const field = value[name];
    if (typeof field === 'string') continue;
    if (Array.isArray(field) && isStringList(field)) continue;
    plain = false;
    break;
  }
  if (plain) return JSON.stringify(value);
  let hasUndefined = false;
  const text = JSON.stringify(value, (_key, field: unknown) => {
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') hasUndefined = true;
    return field;
  });
  return hasUndefined ? null : text;
}

/** Every index holds a string (a hole does not). */
function isStringList(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i += 1) if (typeof list[i] !== 'string') return false;
  return true;
}

/** XML Schema dateTime without fractions, as the suite writes `created`: 2026-05-01T09:00:00Z. */
export function proofTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, -5)}Z`;
}

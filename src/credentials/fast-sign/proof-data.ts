/**
 * The bytes an eddsa-rdfc-2022 proof signs: SHA-256 of the canonical proof options followed by SHA-256
 * of the canonical document (without its proof), as the Data Integrity suite computes them.
 */
import type { Canonicalizer } from './canonicalizer.ts';
import { sha256Bytes } from './sha256.ts';

export const EDDSA_RDFC_2022 = 'eddsa-rdfc-2022';
export const DATA_INTEGRITY_PROOF = 'DataIntegrityProof';

/** Proof options as remembered: strings and lists of strings only (see plainOptions). */
type PlainOptions = Record<string, string | readonly string[]>;

interface RememberedHash {
  options: PlainOptions;
  hash: Promise<Buffer>;
  /** The hash once computed, for callers that cannot wait. */
  ready?: Buffer;
}

/**
 * Remembers the hash of recent proof options: a signer's differ only in `created`, once a second. Options are
 * found by their `created` and then compared field by field, in order: the same answer as looking them up by
 * their JSON text, which every verification used to write out (a few µs) only to find the hash it had already.
 * Options holding anything but strings and lists of strings are not remembered; their hash is computed each time.
 */
export class ProofOptionsHashes {
  private readonly byCreated = new Map<string, RememberedHash[]>();
  // Every remembered hash, oldest first, with its `created`.
  private readonly order = new Map<RememberedHash, string>();
  constructor(private readonly capacity = 8) {}

  get(options: Record<string, unknown>, compute: () => Promise<Buffer>): Promise<Buffer> {
    const plain = plainOptions(options);
    if (!plain) return compute();
    const found = this.#find(plain);
    if (found) return found.hash;
    if (this.order.size >= this.capacity) this.#forget(this.order.keys().next().value!);
    const created = createdOf(plain);
    const entry: RememberedHash = { options: snapshot(plain), hash: compute() };
    const same = this.byCreated.get(created);
    if (same) same.push(entry);
    else this.byCreated.set(created, [entry]);
    this.order.set(entry, created);
    entry.hash.then(
      (value) => {
        entry.ready = value;
      },
      () => this.#forget(entry),
    );
    return entry.hash;
  }

  /** The hash for these options if it has been computed and is still kept. */
  peek(options: Record<string, unknown>): Buffer | undefined {
    const plain = plainOptions(options);
    return plain ? this.#find(plain)?.ready : undefined;
  }

  #find(options: PlainOptions): RememberedHash | undefined {
    const same = this.byCreated.get(createdOf(options));
    if (same) for (const entry of same) if (sameOptions(entry.options, options)) return entry;
    return undefined;
  }

  #forget(entry: RememberedHash): void {
    const created = this.order.get(entry);
    if (created === undefined) return;
    this.order.delete(entry);
    const same = this.byCreated.get(created)!;
    same.splice(same.indexOf(entry), 1);
    if (same.length === 0) this.byCreated.delete(created);
  }
}

const createdOf = (options: PlainOptions): string =>
  typeof options.created === 'string' ? options.created : '';

/**
 * The options, when every field is a string or a list of strings (the usual proof options: a list of context URLs
 * and strings); else null. For these, equal fields in equal order mean equal JSON text. JSON drops a field whose
 * value is undefined, which JSON-LD does not treat exactly like a missing one, so such options are never matched.
 */
function plainOptions(options: Record<string, unknown>): PlainOptions | null {
  for (const name of Object.keys(options)) {
    const field = options[name];
    if (typeof field === 'string') continue;
    if (Array.isArray(field) && isStringList(field)) continue;
    return null;
  }
  return options as PlainOptions;
}

/** Equal names in the same order, each with an equal string or an equal list of strings. */
function sameOptions(a: PlainOptions, b: PlainOptions): boolean {
  const names = Object.keys(a);
  const others = Object.keys(b);
  if (names.length !== others.length) return false;
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i]!;
    if (name !== others[i]) return false;
    const x = a[name]!;
    const y = b[name]!;
    if (x === y) continue;
    if (typeof x === 'string' || typeof y === 'string' || x.length !== y.length) return false;
    for (let j = 0; j < x.length; j += 1) if (x[j] !== y[j]) return false;
  }
  return true;
}

/** A copy the caller cannot change afterwards (the context list is the document's own). */
function snapshot(options: PlainOptions): PlainOptions {
  const copy: PlainOptions = {};
  for (const name of Object.keys(options)) {
    const field = options[name]!;
    copy[name] = typeof field === 'string' ? field : field.slice();
  }
  return copy;
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
  const [proofHash, documentNQuads] = await Promise.all([
    recent ? recent.get(proofOptions, hashOptions) : hashOptions(),
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
  const proofHash = recent.peek(proofOptionsOf(document, proof));
  if (proofHash === undefined) return undefined;
  const documentNQuads = canonicalizer.canonizeIfReady(document);
  if (documentNQuads === undefined) return undefined;
  return Buffer.concat([proofHash, sha256Bytes(documentNQuads)], 64);
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

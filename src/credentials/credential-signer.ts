/**
 * How the credentials service signs what it builds: the eddsa-rdfc-2022 proof through the fast signer
 * and the VC-JWT (when the institution issues them) through Node's crypto (fast-sign/), both what the reference
 * libraries write. Nothing needs the reference signer as a separate path: a credential shape the template cache
 * cannot handle (a new shape the JSON-LD processor refuses, tied blank nodes, repeated statements,
 * values that are not plain JSON) is canonicalized by the reference code inside the canonicalizer, so
 * it is signed exactly, or refused with the JSON-LD processor's own error, as signCredential would.
 */
import { availableParallelism } from 'node:os';
import { BoundedMap } from '../platform/bounded-map.ts';
import { AppError } from '../platform/errors.ts';
import type {
  JwtSigningKey,
  SignedOpenBadgeCredential,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from './credential-types.ts';
import type { Canonicalizer, CanonicalizerStats } from './fast-sign/canonicalizer.ts';
import { createFastJwtSigner, type FastJwtSigner } from './fast-sign/fast-jwt.ts';
import { createFastSigner, type FastSigner } from './fast-sign/fast-signer.ts';
import { sharedCanonicalizer } from './fast-sign/shared-canonicalizer.ts';
import { createSigningPool, type SigningPool } from './fast-sign/signing-pool.ts';
import { signCredential, signCredentialJwt } from './sign-credential.ts';

export interface SignedForms {
  credential: SignedOpenBadgeCredential;
  /** The VC-JWT, or null when no JWT key was given (the institution issues JSON-LD only). */
  jwt: string | null;
}

// An installation signs with one key at a time (a few after rotations); the cap only bounds a runaway.
const MAX_KEYS = 8;
/** Below this many credentials, starting threads costs more than it saves. */
const POOL_THRESHOLD = 64;
/** Credentials per part of a bulk signing (and per message to a thread). */
const PART_SIZE = 50;
/** Threads are stopped after this long without bulk work, and started again when it comes. */
const POOL_IDLE_MS = 30_000;

export interface CredentialSignerOptions {
  /**
   * Threads for bulk signing; 0 signs on this thread. By default one, or two on machines with four cores
   * or more: bulk signing overlaps the database writes of the same chunk (see signInParts), and the
   * database, not signing, sets the pace once a thread signs beside it.
   */
  threads?: number;
  /**
   * Sign with the reference libraries instead (signCredential, signCredentialJwt): the same bytes, a
   * hundred times slower. For the benchmarks' baseline and for comparing the two.
   */
  reference?: boolean;
}

/** Signs credentials in both formats, with the thread's one template cache shared by every key. */
export class CredentialSigner {
  readonly #canonicalizer: Canonicalizer = sharedCanonicalizer();
  readonly #byKey = new BoundedMap<string, { proof: FastSigner; jwt: FastJwtSigner | null }>(MAX_KEYS);
  readonly #threads: number;
  readonly #reference: boolean;
  #pool: { cacheKey: string; pool: SigningPool; idle?: NodeJS.Timeout } | undefined;

  constructor(options: CredentialSignerOptions = {}) {
    this.#reference = options.reference ?? false;
    this.#threads = this.#reference
      ? 0
      : (options.threads ?? Math.min(2, Math.max(1, availableParallelism() - 1)));
  }

  /**
   * How many documents took the template path and how many the reference code, by reason: counted for every signer
   * and own-proof check of this thread, which share one template cache (fast-sign/shared-canonicalizer.ts).
   */
  get stats(): CanonicalizerStats {
    return this.#canonicalizer.stats;
  }

  /**
   * Signs one credential with a Data Integrity proof, and as a VC-JWT when given a JWT key. Refuses, as
   * signCredential does, a credential that breaks the OB 3.0 schema or names another issuer, and passes on the
   * JSON-LD processor's error for a term no context defines.
   */
  async sign(
    unsigned: UnsignedOpenBadgeCredential,
    key: SigningKey,
    jwtKey: JwtSigningKey | null = null,
  ): Promise<SignedForms> {
    if (this.#reference) {
      const credential = await signCredential(unsigned, key);
      return { credential, jwt: jwtKey ? await signCredentialJwt(unsigned, jwtKey) : null };
    }
    const signers = this.#signersFor(key, jwtKey);
    const credential = await signers.proof.sign(unsigned);
    return { credential, jwt: signers.jwt ? await signers.jwt.sign(unsigned) : null };
  }

  /**
   * Signs many credentials both ways, in order: the same output and refusals as `sign`, spread over worker
   * threads when there are enough of them to be worth it (a tracking list's chunk).
   */
  async signMany(
    unsigned: readonly UnsignedOpenBadgeCredential[],
    key: SigningKey,
    jwtKey: JwtSigningKey | null = null,
  ): Promise<SignedForms[]> {
    return (await Promise.all(this.signInParts(unsigned, key, jwtKey))).flat();
  }

  /**
   * Starts signing many credentials and returns one promise per part (PART_SIZE credentials, in order),
   * each settled as its part is signed, so the caller can store the first parts while the others are
   * still being signed: by worker threads for enough credentials, otherwise on this thread, between the
   * caller's own awaits.
   */
  signInParts(
    unsigned: readonly UnsignedOpenBadgeCredential[],
    key: SigningKey,
    jwtKey: JwtSigningKey | null = null,
  ): Promise<SignedForms[]>[] {
    if (unsigned.length < POOL_THRESHOLD || this.#threads === 0) {
      const parts: Promise<SignedForms[]>[] = [];
      let previous: Promise<unknown> = Promise.resolve();
      for (let start = 0; start < unsigned.length; start += PART_SIZE) {
        const slice = unsigned.slice(start, start + PART_SIZE);
        const part = previous.then(async () => {
          const signed: SignedForms[] = [];
          for (const credential of slice) signed.push(await this.sign(credential, key, jwtKey));
          return signed;
        });
        // Whoever awaits a part still sees its failure; one nobody awaits (its caller gave up) is no crash.
        part.catch(() => undefined);
        parts.push(part);
        previous = part;
      }
      return parts;
    }
    const pool = this.#poolFor(key, jwtKey);
    const parts = pool.signInBatches(unsigned);
    void Promise.all(parts).then(
      () => this.#scheduleIdleClose(),
      (error: unknown) => {
        // A refusal is the caller's to handle; anything else (a thread that died) gets fresh threads next time.
        if (error instanceof AppError) this.#scheduleIdleClose();
        else void this.#closePool();
      },
    );
    return parts;
  }

  /** Stops the signing threads, if any are running. */
  async close(): Promise<void> {
    await this.#closePool();
  }

  #poolFor(key: SigningKey, jwtKey: JwtSigningKey | null): SigningPool {
    const cacheKey = keyOf(key, jwtKey);
    if (this.#pool?.cacheKey !== cacheKey) {
      void this.#closePool();
      this.#pool = {
        cacheKey,
        pool: createSigningPool(key, { threads: this.#threads, batchSize: PART_SIZE, unref: true, jwtKey }),
      };
    }
    clearTimeout(this.#pool.idle);
    return this.#pool.pool;
  }

  #scheduleIdleClose(): void {
    const current = this.#pool;
    if (!current) return;
    clearTimeout(current.idle);
    current.idle = setTimeout(() => {
      if (this.#pool === current) void this.#closePool();
    }, POOL_IDLE_MS);
    current.idle.unref();
  }

  async #closePool(): Promise<void> {
    const current = this.#pool;
    this.#pool = undefined;
    if (!current) return;
    clearTimeout(current.idle);
    await current.pool.close();
  }

  #signersFor(key: SigningKey, jwtKey: JwtSigningKey | null) {
    const cacheKey = keyOf(key, jwtKey);
    let signers = this.#byKey.get(cacheKey);
    if (!signers) {
      signers = {
        proof: createFastSigner(key, { canonicalizer: this.#canonicalizer }),
        jwt: jwtKey ? createFastJwtSigner(jwtKey) : null,
      };
      this.#byKey.set(cacheKey, signers);
    }
    return signers;
  }
}

const keyOf = (key: SigningKey, jwtKey: JwtSigningKey | null) =>
  [
    key.did,
    key.keyId,
    key.publicKeyMultibase,
    key.secretKeyMultibase,
    jwtKey?.kid ?? '-',
    jwtKey?.algorithm,
  ].join(' ');

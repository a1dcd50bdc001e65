/**
 * Bulk signing across CPU cores: worker threads, each with its own fast signer and template cache.
 * Signing is CPU-bound, so a tracking list of thousands of badges finishes about as many times faster
 * as there are cores. One pool per key; close it when the job is done.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type FieldProblem } from '../../platform/errors.ts';
import { threadEntry } from '../../platform/thread-entry.ts';
import type {
  JwtSigningKey,
  SignedOpenBadgeCredential,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from '../credential-types.ts';
import type { BatchReply, BatchRequest, WorkerKeys } from './signing-worker.ts';

export interface SigningPool {
  readonly threads: number;
  /**
   * Signs every credential (same checks and output as FastSigner.sign), keeping the input order.
   * Rejects with the first failure; credentials are best validated before they are sent.
   */
  signMany(credentials: readonly UnsignedOpenBadgeCredential[]): Promise<SignedOpenBadgeCredential[]>;
  /**
   * The same, each credential also signed as a VC-JWT (as createFastJwtSigner signs it) when the pool was given a
   * `jwtKey`; `jwt` is null otherwise.
   */
  signManyWithJwt(credentials: readonly UnsignedOpenBadgeCredential[]): Promise<PoolSigned[]>;
  /**
   * Starts signing (with VC-JWTs, given a `jwtKey`) and returns one promise per batch of `batchSize`, in input order,
   * each settled as its batch finishes: the caller can store the first batches while later ones are signed.
   */
  signInBatches(credentials: readonly UnsignedOpenBadgeCredential[]): Promise<PoolSigned[]>[];
  /** Credentials per batch. */
  readonly batchSize: number;
  /** Stops the threads; pending work is abandoned. */
  close(): Promise<void>;
}

export interface SigningPoolOptions {
  /** Worker threads; defaults to the number of cores Node may use. */
  threads?: number;
  /** Credentials per message to a thread: large enough that messaging costs little. */
  batchSize?: number;
  /** Let the process exit while the pool is idle (a long-lived pool inside the app). */
  unref?: boolean;
  /** The key VC-JWTs are signed with; without it no VC-JWTs are made. */
  jwtKey?: JwtSigningKey | null;
}

export interface PoolSigned {
  credential: SignedOpenBadgeCredential;
  jwt: string | null;
}

/**
 * A thread's young generation, where each batch's short-lived objects live. V8's default lets it grow to tens of
 * megabytes that the thread then keeps; signing 2,000 badges in batches of 100, a thread held 82 MB with the
 * default and 68-73 MB with 8 MB, for the same CPU time (2.2 s against 1.9-2.2 s, loaded machine).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** Starts the threads for one key. */
export function createSigningPool(key: SigningKey, options: SigningPoolOptions = {}): SigningPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 50);
  // The compiled copy of this file is .js with its worker beside it (platform/thread-entry.ts).
  const entry = threadEntry(new URL('./signing-worker.ts', import.meta.url), import.meta.url);
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(entry, {
      workerData: { key, jwtKey: options.jwtKey ?? null } satisfies WorkerKeys,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    // An idle pool never keeps the process alive; work in progress does, through its pending promise.
    if (options.unref) worker.unref();
    return worker;
  });
  const waiting = new Map<number, { resolve: (reply: BatchReply) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  for (const worker of workers) {
    worker.on('message', (reply: BatchReply) => {
      waiting.get(reply.id)?.resolve(reply);
      waiting.delete(reply.id);
    });
    worker.on('error', (error) => {
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    });
  }

  const send = (
    worker: Worker,
    credentials: UnsignedOpenBadgeCredential[],
    jwt: boolean,
  ): Promise<BatchReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, credentials, jwt } satisfies BatchRequest);
    });

  /**
   * Starts every batch: each thread takes the next one as soon as it finishes one, so a slow batch holds
   * up no one, and batches finish roughly in order. One promise per batch; after a failure no new batch
   * is started and the rest reject with the same error.
   */
  const startBatches = (
    credentials: readonly UnsignedOpenBadgeCredential[],
    jwt: boolean,
  ): Promise<SignedBatch>[] => {
    const batches: UnsignedOpenBadgeCredential[][] = [];
    for (let start = 0; start < credentials.length; start += batchSize) {
      batches.push(credentials.slice(start, start + batchSize));
    }
    const outcomes = batches.map(() => deferred<SignedBatch>());
    let next = 0;
    let failure: unknown;
    const drain = async (worker: Worker): Promise<void> => {
      while (next < batches.length) {
        const index = next++;
        const outcome = outcomes[index]!;
        if (failure !== undefined) {
          outcome.reject(failure);
          continue;
        }
        try {
          const reply = await send(worker, batches[index]!, jwt && Boolean(options.jwtKey));
          if (!reply.ok) throw rebuildError(reply.error);
          outcome.resolve({
            credentials: reply.signed as SignedOpenBadgeCredential[],
            jwts: reply.jwts ?? [],
          });
        } catch (error) {
          failure ??= error;
          outcome.reject(error);
        }
      }
    };
    for (const worker of workers) void drain(worker);
    return outcomes.map(({ promise }) => {
      // Whoever awaits a batch still sees its failure; one nobody awaits (its caller gave up) is no crash.
      promise.catch(() => undefined);
      return promise;
    });
  };

  const signMany = async (
    credentials: readonly UnsignedOpenBadgeCredential[],
  ): Promise<SignedOpenBadgeCredential[]> =>
    (await Promise.all(startBatches(credentials, false))).flatMap((batch) => batch.credentials);

  const signManyWithJwt = async (credentials: readonly UnsignedOpenBadgeCredential[]) =>
    (await Promise.all(startBatches(credentials, true))).flatMap(withJwts);

  const signInBatches = (credentials: readonly UnsignedOpenBadgeCredential[]) =>
    startBatches(credentials, true).map((batch) => batch.then(withJwts));

  const close = async (): Promise<void> => {
    await Promise.all(workers.map((worker) => worker.terminate()));
  };

  return { threads, batchSize, signMany, signManyWithJwt, signInBatches, close };
}

interface SignedBatch {
  credentials: SignedOpenBadgeCredential[];
  jwts: string[];
}

const withJwts = (batch: SignedBatch): PoolSigned[] =>
  batch.credentials.map((credential, index) => ({ credential, jwt: batch.jwts[index] ?? null }));

function rebuildError(error: { message: string; code?: string; fields?: unknown[] }): Error {
  if (error.code) {
    return new AppError(error.code as ErrorCode, error.message, (error.fields ?? []) as FieldProblem[]);
  }
  return new Error(error.message);
}

/** A promise with its settle functions (Promise.withResolvers, which Node 20 lacks). */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

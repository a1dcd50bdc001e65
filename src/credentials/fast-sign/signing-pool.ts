/**
 * Bulk signing across CPU cores: worker threads, each with its own fast signer and template cache.
 * Signing is CPU-bound, so a tracking list of thousands of badges finishes about as many times faster
 * as there are cores. One pool per key; close it when the job is done.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type FieldProblem } from '../../platform/errors.ts';
import type {
  SignedOpenBadgeCredential,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from '../credential-types.ts';
import type { BatchReply, BatchRequest } from './signing-worker.ts';

export interface SigningPool {
  readonly threads: number;
  /**
   * Signs every credential (same checks and output as FastSigner.sign), keeping the input order.
   * Rejects with the first failure; credentials are best validated before they are sent.
   */
  signMany(credentials: readonly UnsignedOpenBadgeCredential[]): Promise<SignedOpenBadgeCredential[]>;
  /** Stops the threads; pending work is abandoned. */
  close(): Promise<void>;
}

export interface SigningPoolOptions {
  /** Worker threads; defaults to the number of cores Node may use. */
  threads?: number;
  /** Credentials per message to a thread: large enough that messaging costs little. */
  batchSize?: number;
}

// Workers do not inherit the tsx loader; this module starts it, then loads the TypeScript worker.
const WORKER_URL = new URL('./signing-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(WORKER_URL)});`;

/** Starts the threads for one key. */
export function createSigningPool(key: SigningKey, options: SigningPoolOptions = {}): SigningPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 50);
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`), { workerData: key }),
  );
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

  const send = (worker: Worker, credentials: UnsignedOpenBadgeCredential[]): Promise<BatchReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, credentials } satisfies BatchRequest);
    });

  const signMany = async (
    credentials: readonly UnsignedOpenBadgeCredential[],
  ): Promise<SignedOpenBadgeCredential[]> => {
    const batches: UnsignedOpenBadgeCredential[][] = [];
    for (let start = 0; start < credentials.length; start += batchSize) {
      batches.push(credentials.slice(start, start + batchSize));
    }
    const results: SignedOpenBadgeCredential[][] = new Array(batches.length);
    let next = 0;
    let failed = false;
    // Each thread takes the next batch as soon as it finishes one, so a slow batch holds up no one;
    // after a failure no new batches are started.
    const drain = async (worker: Worker): Promise<void> => {
      while (!failed && next < batches.length) {
        const index = next++;
        const reply = await send(worker, batches[index]!);
        if (!reply.ok) {
          failed = true;
          throw rebuildError(reply.error);
        }
        results[index] = reply.signed as SignedOpenBadgeCredential[];
      }
    };
    await Promise.all(workers.map(drain));
    return results.flat();
  };

  const close = async (): Promise<void> => {
    await Promise.all(workers.map((worker) => worker.terminate()));
  };

  return { threads, signMany, close };
}

function rebuildError(error: { message: string; code?: string; fields?: unknown[] }): Error {
  if (error.code) {
    return new AppError(error.code as ErrorCode, error.message, (error.fields ?? []) as FieldProblem[]);
  }
  return new Error(error.message);
}

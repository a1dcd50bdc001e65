/**
 * One thread of the signing pool (signing-pool.ts): signs the batches it is sent with a fast signer for
 * the key it was started with (and, when asked, as VC-JWTs too), one at a time, and posts back the
 * signed credentials or the failure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../../platform/background-priority.ts';
import { AppError } from '../../platform/errors.ts';
import type { JwtSigningKey, SigningKey, UnsignedOpenBadgeCredential } from '../credential-types.ts';
import { createFastJwtSigner } from './fast-jwt.ts';
import { createFastSigner } from './fast-signer.ts';

export interface BatchRequest {
  id: number;
  credentials: UnsignedOpenBadgeCredential[];
  /** Also sign each credential as a VC-JWT. */
  jwt?: boolean;
}

/** What a thread is started with: the Data Integrity key, and the VC-JWT key when VC-JWTs are made. */
export interface WorkerKeys {
  key: SigningKey;
  jwtKey: JwtSigningKey | null;
}

export type BatchReply =
  | { id: number; ok: true; signed: object[]; jwts?: string[] }
  | { id: number; ok: false; error: { message: string; code?: string; fields?: unknown[] } };

const port = parentPort;
if (!port) throw new Error('signing-worker.ts runs only as a worker thread.');
// Bulk signing is background work: pages come first (platform/background-priority.ts).
lowerThisThreadsPriority();
const keys = workerData as WorkerKeys;
const signer = createFastSigner(keys.key);
const jwtSigner = keys.jwtKey ? createFastJwtSigner(keys.jwtKey) : null;

port.on('message', async ({ id, credentials, jwt }: BatchRequest) => {
  let reply: BatchReply;
  try {
    const signed: object[] = [];
    for (const credential of credentials) signed.push(await signer.sign(credential));
    const jwts: string[] = [];
    if (jwt && jwtSigner) for (const credential of credentials) jwts.push(await jwtSigner.sign(credential));
    reply = { id, ok: true, signed, ...(jwt && jwtSigner ? { jwts } : {}) };
  } catch (error) {
    reply = {
      id,
      ok: false,
      error:
        error instanceof AppError
          ? { message: error.publicMessage, code: error.code, fields: error.fields }
          : { message: error instanceof Error ? error.message : String(error) },
    };
  }
  port.postMessage(reply);
});

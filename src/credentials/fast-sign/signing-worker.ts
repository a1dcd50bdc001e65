/**
 * One thread of the signing pool (signing-pool.ts): signs the batches it is sent with a fast signer for
 * the key it was started with (and, when asked, as VC-JWTs too), one at a time, and posts back the
 * signed credentials or the failure.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
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

/**
 * Niceness of a signing thread. Against a request thread at 0, Linux gives it about a quarter of a contested
 * core; 10 would give it a tenth, too little on a machine busy with other programs (a CI runner, a shared host):
 * there a list's first chunk once waited most of a minute, though load alone may have done that.
 */
const BACKGROUND_NICENESS = 5;

const port = parentPort;
if (!port) throw new Error('signing-worker.ts runs only as a worker thread.');
yieldCoresToRequests();
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

/**
 * Bulk signing is background work: this thread runs at a lower CPU priority than the thread answering requests,
 * so a large tracking list being signed does not make pages slow on a machine with few cores (issue 15). When
 * nothing else wants the cores it signs as fast as before. Linux keeps a priority per thread, and renicing this
 * thread's own id touches nothing else; elsewhere (no /proc/thread-self) the thread keeps the process's priority.
 */
function yieldCoresToRequests(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, BACKGROUND_NICENESS);
  } catch {
    // Not Linux, or not allowed: signing at the process's priority is only less polite, never wrong.
  }
}

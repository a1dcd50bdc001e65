import { createHash, randomInt } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { StatusSlot } from './build-credential.ts';
import type { StatusPurpose } from './credential-types.ts';
import type { CredentialsRepository } from './credentials.repository.ts';
import type { IssuerIdentity } from './issuer-identity.ts';
import { signStatusListCredential } from './sign-credential.ts';
import {
  buildStatusListCredential,
  createBitstring,
  DEFAULT_LIST_SIZE,
  encodeList,
  pickRandomFreeIndex,
  setBit,
} from './status-list.ts';

/** A signed status list ready to serve, with a validator for HTTP caching. */
export interface ServedStatusList {
  credential: object;
  etag: string;
}

// Random draws almost always land on a free entry; only a crowded list needs the full set of taken ones.
const RANDOM_DRAWS = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The Bitstring Status Lists in the database: hands out random free entries to new credentials, flips
 * bits inside the caller's transaction, and signs a list again when its bits have changed since the
 * copy last served.
 */
export class StatusListStore {
  constructor(
    private readonly database: Database,
    private readonly repository: CredentialsRepository,
    private readonly identity: IssuerIdentity,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string; listSize?: number },
  ) {}

  /** The stable public address of a list. */
  urlOf(listId: string): string {
    return `${this.settings.publicUrl}/credentials/status/${listId}`;
  }

  /** The list id in one of our list addresses, or null for anyone else's. */
  listIdOf(url: string): string | null {
    const prefix = `${this.settings.publicUrl}/credentials/status/`;
    if (!url.startsWith(prefix)) return null;
    const id = url.slice(prefix.length);
    return UUID.test(id) ? id : null;
  }

  /**
   * Reserves a random unused entry of an open list for `issuerDid` (a new list when all are full). The
   * list row stays locked until the transaction ends, so two issuers never take the same entry.
   */
  async allocate(
    trx: Db,
    issuerDid: string,
    purpose: StatusPurpose,
  ): Promise<StatusSlot & { listId: string }> {
    let list = await this.repository.lockOpenList(trx, issuerDid, purpose);
    if (!list) {
      const size = this.settings.listSize ?? DEFAULT_LIST_SIZE;
      const id = newId();
      await this.repository.insertList(trx, { id, issuerDid, purpose, size, bits: createBitstring(size) });
      list = await this.repository.lockOpenList(trx, issuerDid, purpose);
      if (!list) throw new Error('A new status list could not be opened.');
    }
    const index = await this.#freeIndex(trx, list.id, list.size, purpose);
    await this.repository.countAllocation(trx, list.id);
    return { listId: list.id, listUrl: this.urlOf(list.id), index };
  }

  /** Sets or clears one entry's bit; the list's version moves on, so the next read re-signs it. */
  async setBit(trx: Db, listId: string, index: number, on: boolean): Promise<void> {
    const bits = await this.repository.lockBits(trx, listId);
    setBit(bits, index, on);
    await this.repository.saveBits(trx, listId, bits);
  }

  /** The signed list as served, re-signed first when its bits changed since the stored copy. */
  async signed(listId: string): Promise<ServedStatusList | null> {
    const db = this.database.db;
    const list = await this.repository.findList(db, listId);
    if (!list) return null;
    let credential = list.signed_json;
    if (!credential || list.signed_version !== list.version) {
      const key = await this.identity.signingKeyForDid(list.issuer_did);
      if (!key) {
        throw new Error(`Status list ${listId} belongs to ${list.issuer_did}, which has no key here.`);
      }
      const unsigned = buildStatusListCredential({
        id: this.urlOf(list.id),
        issuer: list.issuer_did,
        purpose: list.purpose,
        encodedList: encodeList(list.bits),
        // The list's own start rather than the signing moment, so a verifier whose clock runs a little
        // behind never finds a freshly re-signed list "not yet valid".
        validFrom: new Date(Math.min(list.created_at.getTime(), this.clock.now().getTime())),
      });
      credential = await signStatusListCredential(unsigned, key);
      await this.repository.saveSignedList(db, list.id, credential, list.version);
    }
    const digest = createHash('sha256').update(JSON.stringify(credential)).digest('base64url').slice(0, 16);
    return { credential, etag: `"${list.version}-${digest}"` };
  }

  async #freeIndex(trx: Db, listId: string, size: number, purpose: StatusPurpose): Promise<number> {
    for (let draw = 0; draw < RANDOM_DRAWS; draw++) {
      const candidate = randomInt(size);
      if (!(await this.repository.isIndexTaken(trx, listId, purpose, candidate))) return candidate;
    }
    const taken = await this.repository.takenIndexes(trx, listId, purpose);
    return pickRandomFreeIndex(taken, size, () => randomInt(2 ** 32) / 2 ** 32);
  }
}

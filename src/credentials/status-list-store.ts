import { createHash, randomInt } from 'node:crypto';
import { BoundedMap } from '../platform/bounded-map.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { StatusSlot } from './build-credential.ts';
import type { StatusPurpose } from './credential-types.ts';
import type { CredentialsRepository } from './credentials.repository.ts';
import type { IssuerIdentity } from './issuer-identity.ts';
import { deepFreeze } from './own-proofs.ts';
import { signStatusListCredential } from './sign-credential.ts';
import {
  buildStatusListCredential,
  createBitstring,
  DEFAULT_LIST_SIZE,
  encodeList,
  pickRandomFreeIndex,
  STATUS_LIST_TTL_MS,
  setBit,
} from './status-list.ts';

/** A signed status list ready to serve, with a validator for HTTP caching. */
export interface ServedStatusList {
  credential: object;
  etag: string;
}

// Random draws almost always land on a free entry; only a crowded list needs the full set of taken ones.
const RANDOM_DRAWS = 16;
/**
 * How long a served list is trusted without asking the database whether its version moved. A change made
 * in this process drops its copy at once; one made by another process shows within this time.
 */
const SERVED_FRESH_MS = 1000;
const MAX_SERVED = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The Bitstring Status Lists in the database: hands out random free entries to new credentials, flips
 * bits inside the caller's transaction, and signs a list again when its bits have changed since the
 * copy last served.
 */
export class StatusListStore {
  /** Signed lists as last served, by list id: verifying a badge reads two of them. */
  readonly #served = new BoundedMap<string, { version: number; served: ServedStatusList; checkedAt: number }>(
    MAX_SERVED,
  );

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
    const list = await this.#openList(trx, issuerDid, purpose);
    const index = await this.#freeIndex(trx, list.id, list.size, purpose);
    await this.repository.countAllocation(trx, list.id);
    return { listId: list.id, listUrl: this.urlOf(list.id), index };
  }

  /**
   * Reserves `count` distinct random unused entries at once (a bulk issue), from the open list and as many
   * new lists as it takes. Same locking as `allocate`; a few queries however many entries.
   */
  async allocateMany(
    trx: Db,
    issuerDid: string,
    purpose: StatusPurpose,
    count: number,
  ): Promise<(StatusSlot & { listId: string })[]> {
    const slots: (StatusSlot & { listId: string })[] = [];
    while (slots.length < count) {
      const list = await this.#openList(trx, issuerDid, purpose);
      const wanted = Math.min(list.size - list.allocated, count - slots.length);
      const indexes = await this.#freeIndexes(trx, list, purpose, wanted);
      await this.repository.countAllocation(trx, list.id, wanted);
      const listUrl = this.urlOf(list.id);
      for (const index of indexes) slots.push({ listId: list.id, listUrl, index });
    }
    return slots;
  }

  /** Sets or clears one entry's bit; the list's version moves on, so the next read re-signs it. */
  async setBit(trx: Db, listId: string, index: number, on: boolean): Promise<void> {
    const bits = await this.repository.lockBits(trx, listId);
    setBit(bits, index, on);
    await this.repository.saveBits(trx, listId, bits);
    this.#served.delete(listId);
  }

  /**
   * The signed list as served, re-signed first when its bits changed since the stored copy. The copy last
   * served is kept while the list's version stands (checked at most every SERVED_FRESH_MS).
   */
  async signed(listId: string): Promise<ServedStatusList | null> {
    const cached = this.#served.get(listId);
    const now = Date.now();
    if (cached && now - cached.checkedAt < SERVED_FRESH_MS) return cached.served;
    if (cached && (await this.repository.listVersion(this.database.db, listId)) === cached.version) {
      cached.checkedAt = now;
      return cached.served;
    }
    const fresh = await this.#load(listId);
    if (fresh) {
      this.#served.set(listId, { ...fresh, checkedAt: now });
    }
    return fresh?.served ?? null;
  }

  async #load(listId: string): Promise<{ version: number; served: ServedStatusList } | null> {
    const db = this.database.db;
    const list = await this.repository.findList(db, listId);
    if (!list) return null;
    let credential = list.signed_json;
    // A copy signed before lists carried their ttl is signed again once, with it.
    if (!credential || list.signed_version !== list.version || !carriesTtl(credential)) {
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
    // Shared by every request that reads it until the list changes, so nobody may change it.
    return {
      version: list.version,
      served: { credential: deepFreeze(credential), etag: `"${list.version}-${digest}"` },
    };
  }

  async #openList(trx: Db, issuerDid: string, purpose: StatusPurpose) {
    const open = await this.repository.lockOpenList(trx, issuerDid, purpose);
    if (open) return open;
    const size = this.settings.listSize ?? DEFAULT_LIST_SIZE;
    await this.repository.insertList(trx, {
      id: newId(),
      issuerDid,
      purpose,
      size,
      bits: createBitstring(size),
    });
    const list = await this.repository.lockOpenList(trx, issuerDid, purpose);
    if (!list) throw new Error('A new status list could not be opened.');
    return list;
  }

  /**
   * `wanted` free entries in random order: random candidates checked in one query per round (a few more
   * than needed, for the ones found taken); a crowded list falls back to reading every taken entry.
   */
  async #freeIndexes(
    trx: Db,
    list: { id: string; size: number; allocated: number },
    purpose: StatusPurpose,
    wanted: number,
  ): Promise<number[]> {
    const picked = new Set<number>();
    const freeShare = Math.max(0.05, 1 - list.allocated / list.size);
    for (let round = 0; round < RANDOM_DRAWS && picked.size < wanted; round++) {
      const need = wanted - picked.size;
      const draws = Math.min(list.size - picked.size, Math.ceil((need / freeShare) * 1.1) + 4);
      const candidates = new Set<number>();
      for (let attempt = 0; candidates.size < draws && attempt < draws * 4; attempt++) {
        const candidate = randomInt(list.size);
        if (!picked.has(candidate)) candidates.add(candidate);
      }
      const taken = await this.repository.takenIndexes(trx, list.id, purpose, [...candidates]);
      for (const candidate of candidates) {
        if (picked.size === wanted) break;
        if (!taken.has(candidate)) picked.add(candidate);
      }
    }
    if (picked.size < wanted) {
      const used = await this.repository.takenIndexes(trx, list.id, purpose);
      for (const index of picked) used.add(index);
      while (picked.size < wanted) {
        const index = pickRandomFreeIndex(used, list.size, () => randomInt(2 ** 32) / 2 ** 32);
        used.add(index);
        picked.add(index);
      }
    }
    return [...picked];
  }

  async #freeIndex(trx: Db, listId: string, size: number, purpose: StatusPurpose): Promise<number> {
    for (let draw = 0; draw < RANDOM_DRAWS; draw++) {
      const candidate = randomInt(size);
      const taken = await this.repository.takenIndexes(trx, listId, purpose, [candidate]);
      if (!taken.has(candidate)) return candidate;
    }
    const taken = await this.repository.takenIndexes(trx, listId, purpose);
    return pickRandomFreeIndex(taken, size, () => randomInt(2 ** 32) / 2 ** 32);
  }
}

const carriesTtl = (credential: object): boolean =>
  (credential as { credentialSubject?: { ttl?: unknown } }).credentialSubject?.ttl === STATUS_LIST_TTL_MS;

import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import {
  conflict,
  type FieldProblem,
  forbidden,
  invalid,
  invalidState,
  notFound,
} from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { readDccRegistry } from './dcc-registry.ts';
import { type Fetcher, fetchLimitedText } from './fetch-text.ts';
import { foldName, type KnownIssuer } from './issuer-trust.ts';
import { TrustedIssuersRepository } from './trusted-issuers.repository.ts';
import { mayDo, type VerificationAction } from './verification.policy.ts';

/** A lookup of the signers we trust, by DID. */
export type KnownIssuerLookup = (did: string) => KnownIssuer | null;

export interface NewTrustedIssuer {
  did: string;
  name: string;
  note?: string;
}

/** What refreshing a registry did: how many issuers it lists now, or why the copy kept from before stands. */
export type RefreshOutcome = { ok: true; count: number } | { ok: false; problem: string };

/**
 * Verifications in other app processes see a change within this time; this one sees it at once. Short, since a
 * removed issuer must stop being trusted soon, and the table is small enough to read often.
 */
const CACHE_MS = 15_000;
const DID = /^did:[a-z0-9]+:\S+$/;
const ADDED_BY_HAND = 'added by an administrator';

/**
 * The issuers this installation trusts besides itself: DIDs an administrator adds, and registries in the DCC
 * format fetched (only when the network is allowed) and kept in the database, so a verification never waits on
 * another site. Every change is audit-logged.
 */
export class TrustedIssuersService {
  #cache: { value: Promise<KnownIssuerLookup>; at: number } | undefined;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: { allowNetwork: boolean },
    private readonly fetcher: Fetcher,
    /** The institution's name, which no trusted issuer may take. */
    private readonly ourName: () => Promise<string>,
    private readonly repository = new TrustedIssuersRepository(),
  ) {}

  /** The trusted signers by DID. A DID added by hand wins over a registry's entry; earlier registries over later. */
  knownIssuers(): Promise<KnownIssuerLookup> {
    const now = Date.now();
    if (!this.#cache || now - this.#cache.at >= CACHE_MS) {
      const value = this.repository.allTrusted(this.database.db).then((rows) => {
        const byDid = new Map<string, KnownIssuer>();
        for (const row of rows) {
          if (!byDid.has(row.did)) {
            const source = row.registry_name ? `listed in ${row.registry_name}` : ADDED_BY_HAND;
            byDid.set(row.did, { name: row.name, source });
          }
        }
        return (did: string) => byDid.get(did) ?? null;
      });
      value.catch(() => {
        this.#cache = undefined;
      });
      this.#cache = { value, at: now };
    }
    return this.#cache.value;
  }

  /** The list for the administrators' screen and the command line. */
  async overview(actor: AuditActor | null) {
    this.#authorize(actor, 'view_trusted_issuers');
    const db = this.database.db;
    const [added, registries] = await Promise.all([
      this.repository.listAdded(db),
      this.repository.listRegistries(db),
    ]);
    return {
      added,
      registries: registries.map((r) => ({ ...r, entry_count: Number(r.entry_count ?? 0) })),
      networkAllowed: this.settings.allowNetwork,
    };
  }

  async addIssuer(actor: AuditActor | null, input: NewTrustedIssuer): Promise<{ id: string }> {
    this.#authorize(actor, 'change_trusted_issuers');
    const did = input.did.trim();
    const name = input.name.trim();
    const note = (input.note ?? '').trim();
    const problems: FieldProblem[] = [];
    if (!DID.test(did) || did.length > 2000)
      problems.push({ field: 'did', reason: 'must be a DID, like did:web:example.edu or did:key:z6Mk…' });
    if (name === '' || name.length > 200)
      problems.push({ field: 'name', reason: 'must be 1 to 200 characters' });
    if (note.length > 1000) problems.push({ field: 'note', reason: 'must be at most 1000 characters' });
    if (name !== '' && foldName(name) === foldName(await this.ourName())) {
      problems.push({
        field: 'name',
        reason: 'is the name of this institution; only its own keys issue under it',
      });
    }
    if (problems.length > 0) throw invalid(problems);
    const id = newId();
    await this.database.db.transaction().execute(async (trx) => {
      if (await this.repository.findAdded(trx, did)) throw conflict(`${did} is already a trusted issuer.`);
      await this.repository.insertAdded(trx, { id, did, name, note });
      await this.audit.record(trx, actor, {
        action: 'trusted_issuer.added',
        entityType: 'trusted_issuer',
        entityId: id,
        after: { did, name, note },
      });
    });
    this.#cache = undefined;
    return { id };
  }

  async removeIssuer(actor: AuditActor | null, did: string): Promise<void> {
    this.#authorize(actor, 'change_trusted_issuers');
    await this.database.db.transaction().execute(async (trx) => {
      const row = await this.repository.findAdded(trx, did.trim());
      if (!row) throw notFound('That trusted issuer');
      await this.repository.deleteAdded(trx, row.id);
      await this.audit.record(trx, actor, {
        action: 'trusted_issuer.removed',
        entityType: 'trusted_issuer',
        entityId: row.id,
        before: { did: row.did, name: row.name, note: row.note },
      });
    });
    this.#cache = undefined;
  }

  /** Adds a registry and, when the network is allowed, fetches it at once. */
  async addRegistry(
    actor: AuditActor | null,
    input: { name: string; url: string },
  ): Promise<{ id: string; refreshed: RefreshOutcome | null }> {
    this.#authorize(actor, 'change_trusted_issuers');
    const name = input.name.trim();
    const url = input.url.trim();
    const problems: FieldProblem[] = [];
    if (name === '' || name.length > 120)
      problems.push({ field: 'name', reason: 'must be 1 to 120 characters' });
    // A registry vouches for issuers, so where it comes from must be authenticated.
    if (!/^https:\/\/[^\s]+$/.test(url) || url.length > 2000 || !URL.canParse(url)) {
      problems.push({ field: 'url', reason: 'must start with https:// and be a web address' });
    }
    if (problems.length > 0) throw invalid(problems);
    const id = newId();
    await this.database.db.transaction().execute(async (trx) => {
      if (await this.repository.findRegistryByUrl(trx, url))
        throw conflict('That registry is already listed.');
      await this.repository.insertRegistry(trx, { id, name, url });
      await this.audit.record(trx, actor, {
        action: 'trusted_issuer_registry.added',
        entityType: 'trusted_issuer_registry',
        entityId: id,
        after: { name, url },
      });
    });
    const refreshed = this.settings.allowNetwork ? await this.refreshRegistry(actor, id) : null;
    return { id, refreshed };
  }

  /**
   * Fetches a registry again and replaces its entries in one transaction. A failure keeps the entries fetched
   * before and records why, to be shown beside the registry.
   */
  async refreshRegistry(actor: AuditActor | null, id: string): Promise<RefreshOutcome> {
    this.#authorize(actor, 'change_trusted_issuers');
    const registry = await this.repository.findRegistry(this.database.db, id);
    if (!registry) throw notFound('That registry');
    if (!this.settings.allowNetwork) {
      throw invalidState(
        'This server may not reach other sites (STACKABLE_ALLOW_NETWORK is off), so registries are not fetched.',
      );
    }
    const fetched = await fetchLimitedText(this.fetcher, registry.url);
    const reading = fetched.ok
      ? readDccRegistry(fetched.text)
      : { ok: false as const, problem: fetched.problem };
    const outcome: RefreshOutcome = reading.ok
      ? { ok: true, count: reading.entries.length }
      : { ok: false, problem: reading.problem };
    await this.database.db.transaction().execute(async (trx) => {
      // Removed by someone else while it was being fetched: nothing to keep.
      if (!(await this.repository.findRegistry(trx, id))) throw notFound('That registry');
      if (reading.ok) {
        const entries = reading.entries.map((entry) => ({ ...entry, id: newId() }));
        await this.repository.replaceEntries(trx, id, entries, this.clock.now());
      } else {
        await this.repository.recordRegistryError(trx, id, reading.problem);
      }
      await this.audit.record(trx, actor, {
        action: 'trusted_issuer_registry.refreshed',
        entityType: 'trusted_issuer_registry',
        entityId: id,
        after: outcome,
      });
    });
    this.#cache = undefined;
    return outcome;
  }

  async removeRegistry(actor: AuditActor | null, id: string): Promise<void> {
    this.#authorize(actor, 'change_trusted_issuers');
    await this.database.db.transaction().execute(async (trx) => {
      const registry = await this.repository.findRegistry(trx, id);
      if (!registry) throw notFound('That registry');
      await this.repository.deleteRegistry(trx, id);
      await this.audit.record(trx, actor, {
        action: 'trusted_issuer_registry.removed',
        entityType: 'trusted_issuer_registry',
        entityId: id,
        before: { name: registry.name, url: registry.url },
      });
    });
    this.#cache = undefined;
  }

  #authorize(actor: AuditActor | null, action: VerificationAction): void {
    if (!mayDo(actor, action)) throw forbidden();
  }
}

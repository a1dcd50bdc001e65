import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { invalidState } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { BadgeInput } from './build-credential.ts';
import { eddsaJwtKey } from './credential-jwt.ts';
import type { JwtSigningKey, PrivateJwk, SigningKey } from './credential-types.ts';
import type { CredentialsRepository } from './credentials.repository.ts';
import type { IssuerKeyRow, JwtSigningKeyRow } from './credentials.tables.ts';
import type { TrustedKey } from './fast-sign/fast-verifier.ts';
import {
  type DidDocument,
  decryptPrivateKey,
  didDocumentFor,
  didKeyFor,
  didWebFor,
  encryptPrivateKey,
  generateIssuerKeyPair,
  verificationMethodId,
} from './issuer-keys.ts';
import { generateJwtKeyPair, type SeparateKeyAlgorithm } from './jwt-keys.ts';
import { JwtSigningKeysRepository } from './jwt-signing-keys.repository.ts';

export interface IssuerSettings {
  publicUrl: string;
  didMethod: 'web' | 'key';
  /** The app secret; it seals the private keys at rest. */
  secret: string;
}

/** The key that signs new credentials, with the row it came from. */
export interface ActiveKey {
  row: IssuerKeyRow;
  key: SigningKey;
}

// Another app process may rotate the key; a short cache bounds how long this one keeps using the old one.
const ACTIVE_KEY_CACHE_MS = 60_000;
/**
 * How long the list of keys is kept for checking our own badges. Keys are only ever added (a rotation
 * retires, never deletes), so a stale list can only miss a brand-new key made by another process, whose
 * badges then go to the full verifier, which reads the DID document afresh.
 */
const KEY_ROWS_CACHE_MS = 60_000;

/** What trustedKeys and ourDids hand out, derived from one read of the key rows. */
interface DerivedKeys {
  rows: IssuerKeyRow[];
  names: string;
  keys: readonly TrustedKey[];
  dids: readonly string[];
}

/**
 * Who the institution is as an issuer: its DID (did:web from PUBLIC_URL, or one did:key per key), its
 * Ed25519 keys (made on first use, sealed at rest, rotated on demand) and the Profile inside every badge.
 */
export class IssuerIdentity {
  #active: { value: ActiveKey; at: number } | undefined;
  #rows: { value: Promise<IssuerKeyRow[]>; at: number } | undefined;
  /**
   * trustedKeys and ourDids as last derived, with the rows they came from and those rows' keys named in one string.
   * A read that finds the same keys keeps the same frozen lists, so a caller may compare lists by identity (OwnProofs
   * keeps its verdicts while the list is the one it built them with).
   */
  #derived: DerivedKeys | undefined;
  /**
   * Keys this process made inside a transaction that may not have committed. A later read in the same transaction
   * sees such a key, but if the transaction rolls back the key never existed: it is cached only once read outside
   * any transaction.
   */
  readonly #unconfirmed = new Set<string>();
  #webDid: string | undefined;

  constructor(
    private readonly database: Database,
    private readonly repository: CredentialsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: IssuerSettings,
    private readonly institution: InstitutionService,
    private readonly jwtKeys = new JwtSigningKeysRepository(),
  ) {}

  /** The did:web this installation answers for (its document is served whatever the configured method). */
  get webDid(): string {
    // Asked on every verification; the address does not change while the process runs.
    this.#webDid ??= didWebFor(this.settings.publicUrl);
    return this.#webDid;
  }

  /** The DID a key signs under with the configured method. */
  didOf(row: IssuerKeyRow): string {
    return this.settings.didMethod === 'web' ? this.webDid : didKeyFor(row.public_key_multibase);
  }

  /** Opens a stored key for signing under `did` (which must be ours for this key). */
  signingKey(row: IssuerKeyRow, did = this.didOf(row)): SigningKey {
    return {
      did,
      keyId: did.startsWith('did:key:') ? row.public_key_multibase : row.key_id,
      publicKeyMultibase: row.public_key_multibase,
      secretKeyMultibase: decryptPrivateKey(this.settings.secret, row.private_key_sealed),
    };
  }

  /** The key for new credentials, created on first use. */
  async activeKey(db: Db = this.database.db): Promise<ActiveKey> {
    const now = Date.now();
    if (this.#active && now - this.#active.at < ACTIVE_KEY_CACHE_MS) return this.#active.value;
    const row = await this.repository.activeKey(db);
    if (!row) {
      // Made inside the caller's transaction, which may still roll back: not cached until seen committed.
      const created = await this.#createKey(db);
      this.#rows = undefined;
      return { row: created, key: this.signingKey(created) };
    }
    const value = { row, key: this.signingKey(row) };
    if (db === this.database.db) this.#unconfirmed.delete(row.id);
    if (!this.#unconfirmed.has(row.id)) this.#active = { value, at: now };
    return value;
  }

  /**
   * The key that signs the VC-JWT copy of new credentials, by the institution's choice; null when it issues none.
   * EdDSA signs with the Ed25519 issuer key (the same verification method as the Data Integrity proof); ES256 and
   * RS256 with a key of their own, made on first use and published in the did:web document. A did:key names exactly
   * one Ed25519 key, so under did:key those two cannot be offered, and a choice of them is refused here rather than
   * signed with a key no verifier could find.
   */
  async activeJwtKey(active: ActiveKey, db: Db = this.database.db): Promise<JwtSigningKey | null> {
    const choice = (await this.institution.findWithin(db))?.vc_jwt_algorithm ?? 'EdDSA';
    if (choice === 'off') return null;
    if (choice === 'EdDSA') return eddsaJwtKey(active.key);
    if (active.key.did !== this.webDid) {
      throw invalidState(
        `VC-JWTs signed with ${choice} need the did:web issuer identity (STACKABLE_DID_METHOD=web); ` +
          'choose EdDSA or no VC-JWTs on the institution profile.',
      );
    }
    const row = (await this.jwtKeys.activeKey(db, choice)) ?? (await this.#createJwtKey(db, choice));
    return {
      algorithm: choice,
      did: active.key.did,
      kid: verificationMethodId(active.key.did, row.key_id),
      privateJwk: JSON.parse(decryptPrivateKey(this.settings.secret, row.private_key_sealed)) as PrivateJwk,
    };
  }

  /**
   * Retires the current key and makes a new one; new credentials use it from now on. Older credentials
   * keep verifying: under did:web the old key stays in the DID document, under did:key it is its own DID.
   * The ES256 and RS256 VC-JWT keys in use are retired with it; their successors are made on first use.
   */
  async rotate(actor: AuditActor): Promise<{ did: string; keyId: string; retiredKeyId: string | null }> {
    await this.activeKey();
    const rotated = await this.database.db.transaction().execute(async (trx) => {
      const current = await this.repository.activeKey(trx);
      if (current) await this.repository.retireKey(trx, current.id, this.clock.now());
      const jwtKeys = (await this.jwtKeys.allKeys(trx)).filter((key) => key.retired_at === null);
      for (const key of jwtKeys) await this.jwtKeys.retireKey(trx, key.id, this.clock.now());
      const created = await this.#createKey(trx);
      await this.audit.record(trx, actor, {
        action: 'credentials.key_rotated',
        entityType: 'issuer_key',
        entityId: created.id,
        before: current
          ? {
              keyId: current.key_id,
              publicKey: current.public_key_multibase,
              ...(jwtKeys.length > 0 ? { jwtKeys: jwtKeys.map((key) => key.key_id) } : {}),
            }
          : null,
        after: { keyId: created.key_id, publicKey: created.public_key_multibase },
      });
      return { current, created };
    });
    // Committed now, so the new key may be cached when next read, even inside a transaction.
    this.#unconfirmed.delete(rotated.created.id);
    this.#active = undefined;
    this.#rows = undefined;
    return {
      did: this.didOf(rotated.created),
      keyId: rotated.created.key_id,
      retiredKeyId: rotated.current?.key_id ?? null,
    };
  }

  /**
   * Every key, oldest first, for listings: public parts only, never the sealed private key. The Ed25519 keys sign
   * eddsa-rdfc-2022 proofs and EdDSA JWTs; the ES256 and RS256 keys sign only VC-JWTs, under did:web.
   */
  async keys() {
    const rows = await this.repository.allKeys(this.database.db);
    const jwtRows = await this.jwtKeys.allKeys(this.database.db);
    return [
      ...rows.map((row) => ({
        keyId: row.key_id,
        did: this.didOf(row),
        algorithm: 'Ed25519' as 'Ed25519' | SeparateKeyAlgorithm,
        createdAt: row.created_at,
        retiredAt: row.retired_at,
      })),
      ...jwtRows.map((row: JwtSigningKeyRow) => ({
        keyId: row.key_id,
        did: this.webDid,
        algorithm: row.algorithm,
        createdAt: row.created_at,
        retiredAt: row.retired_at,
      })),
    ];
  }

  /** The did:web document: every key ever used, so credentials signed before a rotation still verify. */
  async didDocument(): Promise<DidDocument> {
    await this.activeKey();
    const rows = await this.repository.allKeys(this.database.db);
    const jwtRows = await this.jwtKeys.allKeys(this.database.db);
    return didDocumentFor(
      this.webDid,
      rows.map((row) => ({ keyId: row.key_id, publicKeyMultibase: row.public_key_multibase })),
      jwtRows.map((row) => ({ keyId: row.key_id, publicJwk: row.public_jwk })),
    );
  }

  /**
   * Every public key this installation has signed with, under each DID it may have signed as (its did:web
   * with the key's id, and the key's own did:key), for checking its own badges without resolving a DID.
   */
  async trustedKeys(): Promise<readonly TrustedKey[]> {
    return (await this.#derivedFromRows()).keys;
  }

  /**
   * Every DID this installation has issued under: its did:web and the did:key of each of its keys. Like
   * the active key, kept for a minute: a key another process has just made shows within that time.
   */
  async ourDids(): Promise<readonly string[]> {
    return (await this.#derivedFromRows()).dids;
  }

  /** Derived once per read of the rows (every verification asks, and the rows are read once a minute at most). */
  async #derivedFromRows(): Promise<DerivedKeys> {
    const rows = await this.#keyRows();
    const last = this.#derived;
    if (last?.rows === rows) return last;
    const names = rows.map((row) => `${row.key_id} ${row.public_key_multibase}`).join('\n');
    if (last?.names === names) {
      last.rows = rows;
      return last;
    }
    this.#derived = {
      rows,
      names,
      keys: Object.freeze(
        rows.flatMap((row) => [
          { did: this.webDid, keyId: row.key_id, publicKeyMultibase: row.public_key_multibase },
          {
            did: didKeyFor(row.public_key_multibase),
            keyId: row.public_key_multibase,
            publicKeyMultibase: row.public_key_multibase,
          },
        ]),
      ),
      dids: Object.freeze([this.webDid, ...rows.map((row) => didKeyFor(row.public_key_multibase))]),
    };
    return this.#derived;
  }

  /** Every key row, read again after KEY_ROWS_CACHE_MS or when this process made or rotated a key. */
  #keyRows(): Promise<IssuerKeyRow[]> {
    const now = Date.now();
    if (!this.#rows || now - this.#rows.at >= KEY_ROWS_CACHE_MS) {
      const value = this.repository.allKeys(this.database.db);
      this.#rows = { value, at: now };
      value.catch(() => {
        this.#rows = undefined;
      });
    }
    return this.#rows.value;
  }

  /**
   * A key that may sign for `did`: the active key for our did:web, the key itself for one of our
   * did:keys (even a retired one: its status lists must still be signed by that DID). Null if not ours.
   */
  async signingKeyForDid(did: string, db: Db = this.database.db): Promise<SigningKey | null> {
    if (did === this.webDid) return this.signingKey((await this.activeKey(db)).row, did);
    if (!did.startsWith('did:key:')) return null;
    const row = await this.repository.findKeyByPublicKey(db, did.slice('did:key:'.length));
    return row ? this.signingKey(row, did) : null;
  }

  /**
   * The issuer Profile every credential carries, from the institution's settings. Read through `db`, since
   * it is called inside the issuing transaction (on PGlite any other handle would wait for that transaction).
   */
  async profile(did: string, db: Db = this.database.db): Promise<BadgeInput['issuer']> {
    const institution = await this.institution.findWithin(db);
    if (!institution) {
      throw invalidState('The institution is not set up yet, so badges cannot name their issuer.');
    }
    // The logo's address names its hash, so a badge keeps showing the logo it was issued with after a change.
    const logoUrl = this.institution.logoUrl(institution);
    return {
      did,
      name: institution.name,
      url: institution.url,
      email: institution.email,
      ...(logoUrl ? { image: { url: logoUrl } } : {}),
      ...(institution.description.trim() ? { description: institution.description.trim() } : {}),
    };
  }

  /** Makes the active key of a VC-JWT algorithm inside the caller's transaction (another process may win the race). */
  async #createJwtKey(db: Db, algorithm: SeparateKeyAlgorithm): Promise<JwtSigningKeyRow> {
    const pair = await generateJwtKeyPair(algorithm);
    await this.jwtKeys.insertKey(db, {
      id: newId(),
      algorithm,
      keyId: `${algorithm.toLowerCase()}-${(await this.jwtKeys.countKeys(db, algorithm)) + 1}`,
      publicJwk: pair.publicJwk,
      privateKeySealed: encryptPrivateKey(this.settings.secret, JSON.stringify(pair.privateJwk)),
    });
    const row = await this.jwtKeys.activeKey(db, algorithm);
    if (!row) throw new Error(`The ${algorithm} VC-JWT key could not be stored.`);
    return row;
  }

  async #createKey(db: Db): Promise<IssuerKeyRow> {
    const pair = await generateIssuerKeyPair();
    const id = newId();
    const keyId = `key-${(await this.repository.countKeys(db)) + 1}`;
    await this.repository.insertKey(db, {
      id,
      keyId,
      publicKeyMultibase: pair.publicKeyMultibase,
      privateKeySealed: encryptPrivateKey(this.settings.secret, pair.secretKeyMultibase),
    });
    if (db !== this.database.db) this.#unconfirmed.add(id);
    const row = await this.repository.findKey(db, id);
    // Another process created the active key at the same moment; the one-active index kept theirs.
    return row ?? (await this.repository.activeKey(db))!;
  }
}

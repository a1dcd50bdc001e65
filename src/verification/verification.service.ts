import type { CredentialsService } from '../credentials/credentials.service.ts';
import { didWebDocumentUrl } from '../credentials/issuer-keys.ts';
import type { Clock } from '../platform/clock.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import { unavailable } from '../platform/errors.ts';
import { type Fetcher, fetchLimitedText } from './fetch-text.ts';
import type { IssuerTrust } from './issuer-trust.ts';
import {
  type BadgeSource,
  readPastedBadge,
  readUploadedBadge,
  type UploadReading,
} from './read-uploaded-badge.ts';
import type { KnownIssuerLookup } from './trusted-issuers.service.ts';
import {
  CHECK_ORDER,
  type Check,
  type PresentedBadge,
  type VerificationResult,
  type VerifierDeps,
} from './verification-types.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

/** What this institution knows about a badge it issued, shown beside the checks (public badges only). */
export interface OurBadge {
  id: string;
  /** The earner's name, unless they chose to leave it off their badge's pages. */
  recipientName: string | null;
  programSlug: string;
  status: 'active' | 'revoked' | 'suspended';
}

/** The result every interface shows: the six checks, where the badge came from, and whether it is ours. */
export interface VerificationReport extends VerificationResult {
  source: BadgeSource | null;
  ours: OurBadge | null;
}

export type { Fetcher } from './fetch-text.ts';

/**
 * What a report says about one of our public badges, or null when we have no such public badge. The backpack
 * answers it in one read, because it keeps each learner's choice to leave their name off.
 */
export type OurBadgeLookup = (credentialId: string) => Promise<OurBadge | null>;

const UUID_URN = /^urn:uuid:([0-9a-f-]{36})$/i;

/** What people are told when our side cannot check a badge: it is no verdict on the badge. */
export const CHECK_UNAVAILABLE_MESSAGE =
  'Badges cannot be checked just now: this site could not reach its own records. ' +
  'This says nothing about the badge. Please try again in a minute.';

/**
 * Runs a read of our own records. A lost database connection becomes UNAVAILABLE, which the checks pass on instead
 * of taking it for a fact about the badge; any other error goes on as it is.
 */
async function fromOurRecords<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isConnectionFailure(error)) throw unavailable(CHECK_UNAVAILABLE_MESSAGE, error);
    throw error;
  }
}

/** True when the input could not even be read as a badge (the format check failed). */
export const isUnreadable = (report: VerificationResult): boolean => report.checks[0]?.status === 'failed';

function unreadable(message: string): VerificationReport {
  const checks: Check[] = CHECK_ORDER.map((id) =>
    id === 'format'
      ? { id, status: 'failed', message }
      : { id, status: 'skipped', message: 'Not checked, because the badge could not be read.' },
  );
  const issuerTrust: IssuerTrust = {
    level: 'unverified',
    signer: null,
    name: null,
    claimedName: null,
    usesOurName: false,
    message: 'The badge could not be read, so nobody can be named as its signer.',
  };
  return { verified: false, issuerTrust, format: 'json-ld', checks, source: null, ours: null };
}

/** Where the verifier learns who is trusted: the institution's name from its settings, and the known issuers. */
export interface IssuerTrustSources {
  institutionName(): Promise<string>;
  knownIssuers(): Promise<KnownIssuerLookup>;
}

// Unwired, nobody but our own DIDs is trusted and they are named plainly: a missing wire trusts no one more.
const noTrustSources: IssuerTrustSources = {
  institutionName: async () => 'this institution',
  knownIssuers: async () => () => null,
};

/**
 * The one verifier behind the API, the public page and the command line. Our own DIDs and status lists
 * are read from the database (no HTTP to ourselves); anyone else's only when the network is allowed. When the
 * database cannot be reached it throws UNAVAILABLE (a 503): a lost connection is never reported as a verdict.
 */
export class VerificationService {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly clock: Clock,
    private readonly settings: { allowNetwork: boolean },
    private readonly fetcher: Fetcher = (url, init) => fetch(url, init),
    private readonly trust: IssuerTrustSources = noTrustSources,
    /**
     * Describes one of our badges, naming the earner or not (the backpack keeps each learner's choice).
     * Unwired, nobody is named: a missing wire leaks no one's name.
     */
    private readonly ourBadge: OurBadgeLookup = async (credentialId) => {
      const row = await credentials.findPublicSummary(credentialId);
      return row && { id: row.id, recipientName: null, programSlug: row.program_slug, status: row.status };
    },
  ) {}

  /** Verifies an uploaded file: a baked PNG or SVG, JSON or a VC-JWT, told apart by content. */
  verifyBytes(bytes: Uint8Array): Promise<VerificationReport> {
    return this.#verifyReading(readUploadedBadge(bytes));
  }

  /** Verifies pasted text (JSON, a VC-JWT, or SVG markup). */
  verifyText(text: string): Promise<VerificationReport> {
    return this.#verifyReading(readPastedBadge(text));
  }

  /**
   * Verifies an already parsed credential. `freshJson` says the caller has just parsed it from JSON text (an
   * API body) and hands it over, which spares a defensive copy on every API call.
   */
  verifyObject(value: unknown, { freshJson = false } = {}): Promise<VerificationReport> {
    if (typeof value === 'string') return this.verifyText(value);
    return this.#verify({ kind: freshJson ? 'parsed' : 'object', value }, 'json');
  }

  /**
   * Verifies a badge named by a link: one of ours by its id or address (the stored copy, if public), or
   * someone else's address when the network is allowed.
   */
  async verifyReference(reference: string): Promise<VerificationReport> {
    const id = this.credentials.credentialIdFrom(reference);
    if (id) {
      const row = await fromOurRecords(() => this.credentials.findPublic(id));
      if (!row)
        return unreadable(
          'No public badge of this institution has that id; it may have been hidden by its holder.',
        );
      return this.#verify({ kind: 'object', value: row.json }, 'link');
    }
    if (!/^https:\/\//.test(reference.trim())) {
      return unreadable('That is neither a badge id of this institution nor a web address of a badge.');
    }
    if (!this.settings.allowNetwork) {
      return unreadable(
        'This site checks badges of other issuers only when they are uploaded or pasted; download the badge and give it here.',
      );
    }
    const text = await this.#fetchText(reference.trim());
    if (text === null) return unreadable(`The badge at ${reference.trim()} could not be fetched.`);
    return this.#verifyReading(readPastedBadge(text));
  }

  /** The verifier's view of the world: our DIDs and lists locally, others through a guarded fetch. */
  async deps(): Promise<VerifierDeps> {
    const [ourDids, ourName, knownIssuer] = await fromOurRecords(() =>
      Promise.all([
        this.credentials.identity.ourDids(),
        this.trust.institutionName(),
        this.trust.knownIssuers(),
      ]),
    );
    const webDid = this.credentials.identity.webDid;
    return {
      now: this.clock.now(),
      ourIssuerDids: ourDids,
      ourIssuerName: ourName,
      knownIssuer,
      checkOwnProof: (document) => fromOurRecords(() => this.credentials.ownProofs.verify(document)),
      resolveDid: async (did) => {
        if (did === webDid) return fromOurRecords(() => this.credentials.identity.didDocument());
        if (!this.settings.allowNetwork) return null;
        const text = await this.#fetchText(didWebDocumentUrl(did));
        return text === null ? null : parseObject(text);
      },
      fetchStatusList: async (url) => {
        const listId = this.credentials.statusLists.listIdOf(url);
        if (listId) {
          const served = await fromOurRecords(() => this.credentials.statusLists.signed(listId));
          return served?.credential ?? null;
        }
        if (!this.settings.allowNetwork || !url.startsWith('https://')) return null;
        const text = await this.#fetchText(url);
        return text === null ? null : parseObject(text);
      },
    };
  }

  #verifyReading(reading: UploadReading): Promise<VerificationReport> {
    if (!reading.ok) return Promise.resolve(unreadable(reading.message));
    return this.#verify(reading.badge, reading.source);
  }

  async #verify(badge: PresentedBadge, source: BadgeSource): Promise<VerificationReport> {
    const deps = await this.deps();
    const checked = await verifyPresentedBadge(badge, deps);
    if (isUnreadable(checked)) return { ...checked, source, ours: null };
    const result = await this.#withRegisteredSuspension(checked);
    return { ...result, source, ours: await this.#ours(result) };
  }

  /**
   * A badge of ours suspended in the register fails its status check even when its status list says nothing:
   * OB 3.0 gives a badge one status entry (revocation), so a suspension of a badge issued since is not in any
   * list (see docs/standards.md, "Credential status"). Only our register can say it, whoever holds the badge.
   */
  async #withRegisteredSuspension(result: VerificationResult): Promise<VerificationResult> {
    const uuid = result.issuerTrust.level === 'ours' ? uuidOf(result) : undefined;
    if (!uuid) return result;
    const row = await fromOurRecords(() => this.credentials.find(uuid));
    const status = result.checks.find((check) => check.id === 'status');
    if (row?.status !== 'suspended' || status?.status === 'failed') return result;
    return {
      ...result,
      verified: false,
      checks: result.checks.map((check) =>
        check.id === 'status'
          ? { id: 'status', status: 'failed', message: 'The issuer has suspended this badge.' }
          : check,
      ),
    };
  }

  /** Our record of a badge whose signature checked out as ours. */
  async #ours(result: VerificationResult): Promise<OurBadge | null> {
    if (result.issuerTrust.level !== 'ours') return null;
    const uuid = uuidOf(result);
    return uuid ? fromOurRecords(() => this.ourBadge(uuid)) : null;
  }

  /** Unreachable host, timeout or refused TLS give null: the caller reports it as "could not be loaded". */
  async #fetchText(url: string): Promise<string | null> {
    const fetched = await fetchLimitedText(this.fetcher, url);
    return fetched.ok ? fetched.text : null;
  }
}

function uuidOf(result: VerificationResult): string | undefined {
  const credential = result.credential as { id?: unknown } | undefined;
  return typeof credential?.id === 'string' ? UUID_URN.exec(credential.id)?.[1] : undefined;
}

function parseObject(text: string): object | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

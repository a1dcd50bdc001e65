import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { Clock } from '../platform/clock.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import { unavailable } from '../platform/errors.ts';
import { type Fetcher, fetchLimitedText } from './fetch-text.ts';
import { createGuardedFetcher } from './guarded-fetch.ts';
import type { IssuerTrust } from './issuer-trust.ts';
import { readOb2 } from './ob2/read-ob2.ts';
import { checkRecipient } from './ob2/recipient-check.ts';
import { type LoadedDocument, type Ob2Deps, verifyOb2 } from './ob2/verify-ob2.ts';
import {
  type BadgeSource,
  readPastedBadge,
  readUploadedBadge,
  type UploadReading,
} from './read-uploaded-badge.ts';
import { RemoteDocuments } from './remote-documents.ts';
import type { KnownIssuerLookup } from './trusted-issuers.service.ts';
import { holdsUp } from './verdict.ts';
import {
  CHECK_ORDER,
  type Check,
  type PresentedBadge,
  type VerificationResult,
  type VerifierDeps,
} from './verification-types.ts';
import {
  type PresentationReading,
  type PresentationRequest,
  verifyPresentation,
} from './verify-presentation.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

/** What this institution knows about a badge it issued, shown beside the checks (public badges only). */
export interface OurBadge {
  id: string;
  /** The earner's name, unless they chose to leave it off their badge's pages. */
  recipientName: string | null;
  programSlug: string;
  status: 'active' | 'revoked' | 'suspended';
  /** Whether a VC-JWT copy exists to download (the institution may issue JSON-LD only). */
  hasJwt: boolean;
}

/** The result every interface shows: the six checks, where the badge came from, and whether it is ours. */
export interface VerificationReport extends VerificationResult {
  source: BadgeSource | null;
  ours: OurBadge | null;
}

export type { Fetcher } from './fetch-text.ts';

/** What the person verifying may add: an e-mail address to compare with the badge's recipient (never stored). */
export interface VerifyOptions {
  recipientEmail?: string;
}

/**
 * Our record of a badge we issued, read once per verification: its registered status, public or hidden (a
 * suspension is only there, see `withRegisteredSuspension`), and what a report shows of it when it is public.
 */
export interface OurRecord {
  status: OurBadge['status'];
  /** Null for a badge its holder hid: the report then names nothing of it. */
  shown: OurBadge | null;
}

/**
 * Our record of a badge, or null when we issued none with that id. The backpack answers it in one read, because it
 * keeps each learner's choice to leave their name off.
 */
export type OurRecordLookup = (credentialId: string) => Promise<OurRecord | null>;

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
  /** Other issuers' DID documents, keys and status lists, cached across verifications by their own headers. */
  readonly #remote: RemoteDocuments;

  constructor(
    private readonly credentials: CredentialsService,
    private readonly clock: Clock,
    private readonly settings: { allowNetwork: boolean },
    private readonly fetcher: Fetcher = createGuardedFetcher(),
    private readonly trust: IssuerTrustSources = noTrustSources,
    /**
     * Reads our record of one of our badges, naming the earner or not (the backpack keeps each learner's choice).
     * Unwired, nobody is named: a missing wire leaks no one's name.
     */
    private readonly ourRecord: OurRecordLookup = async (credentialId) => {
      const row = await credentials.findSummary(credentialId);
      if (!row) return null;
      const shown = row.is_public
        ? {
            id: row.id,
            recipientName: null,
            programSlug: row.program_slug,
            status: row.status,
            hasJwt: Boolean(row.has_jwt),
          }
        : null;
      return { status: row.status, shown };
    },
    /**
     * The institution's time zone, read afresh for every verification: the checks' sentences write their moments
     * in it, as the pages around them do (platform/http/moment.ts). Unwired, UTC.
     */
    private readonly timeZone: () => Promise<string> = async () => 'UTC',
  ) {
    this.#remote = new RemoteDocuments(fetcher, () => clock.now());
  }

  /** Verifies an uploaded file: a baked PNG or SVG, JSON or a VC-JWT, told apart by content. */
  verifyBytes(bytes: Uint8Array, options: VerifyOptions = {}): Promise<VerificationReport> {
    return this.#verifyReading(readUploadedBadge(bytes), options);
  }

  /** Verifies pasted text (JSON, a VC-JWT, or SVG markup). */
  verifyText(text: string, options: VerifyOptions = {}): Promise<VerificationReport> {
    return this.#verifyReading(readPastedBadge(text), options);
  }

  /**
   * Verifies an already parsed credential. `freshJson` says the caller has just parsed it from JSON text (an
   * API body) and hands it over, which spares a defensive copy on every API call. `ourRecord` is our record of
   * the badge with that id when the caller has just read it (a badge page reads it for itself); it is used only
   * if the checks find the badge ours and of that id, in place of reading it again.
   */
  verifyObject(
    value: unknown,
    {
      freshJson = false,
      ourRecord,
      ...options
    }: VerifyOptions & { freshJson?: boolean; ourRecord?: { id: string; record: OurRecord | null } } = {},
  ): Promise<VerificationReport> {
    if (typeof value === 'string') return this.verifyText(value, options);
    return this.#verify({ kind: freshJson ? 'parsed' : 'object', value }, 'json', options, ourRecord);
  }

  /**
   * Verifies a badge named by a link: one of ours by its id or address (the stored copy, if public), or
   * someone else's address when the network is allowed.
   */
  async verifyReference(reference: string, options: VerifyOptions = {}): Promise<VerificationReport> {
    // Our own hosted 2.0 assertions are read from our records, like our DIDs.
    if (reference.trim().startsWith(this.credentials.ob2.addresses.assertions)) {
      return this.#verify({ kind: 'text', text: reference.trim() }, 'link', options);
    }
    const id = this.credentials.credentialIdFrom(reference);
    if (id) {
      const row = await fromOurRecords(() => this.credentials.findPublic(id));
      if (!row)
        return unreadable(
          'No public badge of this institution has that id; it may have been hidden by its holder.',
        );
      return this.#verify({ kind: 'object', value: row.json }, 'link', options);
    }
    if (!/^https:\/\//.test(reference.trim())) {
      return unreadable('That is neither a badge id of this institution nor a web address of a badge.');
    }
    if (!this.settings.allowNetwork) {
      return unreadable(
        'This site checks badges of other issuers only when they are uploaded or pasted; download the badge and give it here.',
      );
    }
    const url = reference.trim();
    const fetched = await fetchLimitedText(this.fetcher, url);
    // Open Badges 2.0 has an issuer answer 410 Gone at a revoked hosted assertion's address: that is a verdict
    // (revoked), not a failure to fetch, and the 2.0 verifier reports it as one.
    if (!fetched.ok && fetched.status === 410)
      return this.#verify({ kind: 'text', text: url }, 'link', options);
    if (!fetched.ok) return unreadable(`The badge at ${url} could not be fetched: ${fetched.problem}`);
    return this.#verifyReading(readPastedBadge(fetched.text), options);
  }

  /**
   * Verifies a VC 2.0 presentation: its holder's proof (challenge and domain when asked for), then every credential
   * in it exactly as `verifyObject` verifies one on its own. `value` is fresh from JSON.parse (a request body).
   */
  async verifyPresentation(
    value: unknown,
    request: PresentationRequest,
  ): Promise<PresentationReading<VerificationReport>> {
    return verifyPresentation(value, request, {
      verifier: await this.deps(),
      verifyCredential: (credential) => this.verifyObject(credential, { freshJson: true }),
      // The VC-API's sense of verified: trust in each issuer is reported in credentialResults, not required.
      isVerified: (report) => holdsUp(report.checks),
    });
  }

  /** The verifier's view of the world: our DIDs and lists locally, others through a guarded fetch. */
  async deps(): Promise<VerifierDeps> {
    const [ourDids, ourName, knownIssuer, timeZone] = await fromOurRecords(() =>
      Promise.all([
        this.credentials.identity.ourDids(),
        this.trust.institutionName(),
        this.trust.knownIssuers(),
        this.timeZone(),
      ]),
    );
    const webDid = this.credentials.identity.webDid;
    return {
      now: this.clock.now(),
      timeZone,
      ourIssuerDids: ourDids,
      ourIssuerName: ourName,
      knownIssuer,
      checkOwnProof: (document) => fromOurRecords(() => this.credentials.ownProofs.verify(document)),
      resolveDid: async (did) => {
        if (did === webDid) return fromOurRecords(() => this.credentials.identity.didDocument());
        if (!this.settings.allowNetwork) return null;
        const fetched = await this.#remote.didWeb(did);
        return fetched.ok ? fetched.document : null;
      },
      fetchKeyDocument: async (url) => {
        if (!this.settings.allowNetwork) return null;
        const fetched = await this.#remote.fetch(url);
        return fetched.ok ? fetched.document : null;
      },
      fetchStatusList: async (url) => {
        const listId = this.credentials.statusLists.listIdOf(url);
        if (listId) {
          const served = await fromOurRecords(() => this.credentials.statusLists.signed(listId));
          return served?.credential ?? null;
        }
        if (!this.settings.allowNetwork) return null;
        const fetched = await this.#remote.fetch(url);
        return fetched.ok ? fetched.document : null;
      },
    };
  }

  #verifyReading(reading: UploadReading, options: VerifyOptions): Promise<VerificationReport> {
    if (!reading.ok) return Promise.resolve(unreadable(reading.message));
    return this.#verify(reading.badge, reading.source, options);
  }

  async #verify(
    badge: PresentedBadge,
    source: BadgeSource,
    options: VerifyOptions = {},
    known?: { id: string; record: OurRecord | null },
  ): Promise<VerificationReport> {
    const deps = await this.deps();
    const ob2 = readOb2(badge);
    const checked = ob2
      ? await verifyOb2(ob2, this.#ob2Deps(deps, options))
      : withRecipient(await verifyPresentedBadge(badge, deps), options);
    // Object.assign, not `{ ...checked, source, ours }`: on this Node a spread followed by more fields costs µs.
    if (isUnreadable(checked)) return Object.assign({}, checked, { source, ours: null });
    const record = await this.#ourRecordOf(checked, known);
    return Object.assign({}, withRegisteredSuspension(checked, record), {
      source,
      ours: record?.shown ?? null,
    });
  }

  /** Our record of a badge whose signature (or, for 2.0, our own hosting) checked out as ours; else null. */
  async #ourRecordOf(
    result: VerificationResult,
    known?: { id: string; record: OurRecord | null },
  ): Promise<OurRecord | null> {
    if (result.issuerTrust.level !== 'ours') return null;
    const uuid = this.#uuidOf(result);
    if (uuid && known && uuid.toLowerCase() === known.id.toLowerCase()) return known.record;
    return uuid ? fromOurRecords(() => this.ourRecord(uuid)) : null;
  }

  /** Open Badges 2.0 documents: ours from our records (no HTTP to ourselves), others through the guarded fetch. */
  #ob2Deps(deps: VerifierDeps, options: VerifyOptions): Ob2Deps {
    const ob2 = this.credentials.ob2;
    const ourPrefix = `${this.credentials.publicUrl}/ob2/`;
    return {
      now: deps.now,
      timeZone: deps.timeZone,
      ourIssuerIds: [ob2.addresses.issuer],
      ourName: deps.ourIssuerName ?? 'this institution',
      knownIssuer: (id) => deps.knownIssuer?.(id) ?? null,
      recipientEmail: options.recipientEmail,
      load: async (url): Promise<LoadedDocument> => {
        if (url.startsWith(ourPrefix)) {
          const document = await fromOurRecords(() => ob2.document(url));
          return document
            ? { ok: true, value: document as Record<string, unknown> }
            : { ok: false, problem: `${url} is not a badge document of this institution.`, status: 404 };
        }
        if (!this.settings.allowNetwork) {
          return { ok: false, problem: 'this site does not fetch documents from other sites.' };
        }
        if (!url.startsWith('https://')) return { ok: false, problem: `${url} is not an https address.` };
        const fetched = await fetchLimitedText(this.fetcher, url);
        if (!fetched.ok) return fetched;
        const value = parseObject(fetched.text);
        return value
          ? { ok: true, value: value as Record<string, unknown> }
          : { ok: false, problem: `${url} did not send a JSON object.` };
      },
    };
  }

  /** The record id of a badge of ours: its `urn:uuid:` id, or for 2.0 the tail of our hosted assertion's address. */
  #uuidOf(result: VerificationResult): string | undefined {
    const credential = result.credential as { id?: unknown } | undefined;
    const id = typeof credential?.id === 'string' ? credential.id : '';
    const assertions = this.credentials.ob2.addresses.assertions;
    return id.startsWith(assertions) ? id.slice(assertions.length) : UUID_URN.exec(id)?.[1];
  }
}

/**
 * A badge of ours suspended in the register fails its status check even when its status list says nothing:
 * OB 3.0 gives a badge one status entry (revocation), so a suspension of a badge issued since is not in any
 * list (see docs/standards.md, "Credential status"). Only our register can say it, whoever holds the badge and
 * whether or not its page is public.
 */
function withRegisteredSuspension(result: VerificationResult, record: OurRecord | null): VerificationResult {
  const status = result.checks.find((check) => check.id === 'status');
  if (record?.status !== 'suspended' || status?.status === 'failed') return result;
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

/**
 * Adds the recipient check to a 3.0 result when an address was given: its credentialSubject's e-mail
 * IdentityObject holds the same salted hash as 2.0's.
 */
function withRecipient(result: VerificationResult, options: VerifyOptions): VerificationResult {
  if (!options.recipientEmail?.trim() || isUnreadable(result)) return result;
  const subject = (result.credential as { credentialSubject?: { identifier?: unknown } } | undefined)
    ?.credentialSubject;
  const identifiers = Array.isArray(subject?.identifier) ? subject.identifier : [];
  const email = identifiers.find(
    (item) => typeof item === 'object' && item !== null && item.identityType === 'emailAddress',
  );
  const recipient = checkRecipient(email, options.recipientEmail);
  return {
    ...result,
    checks: [...result.checks, recipient],
    verified: result.verified && recipient.status !== 'failed',
  };
}

function parseObject(text: string): object | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

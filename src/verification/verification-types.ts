/** The one verification result shape shared by the API, the public page and the CLI. */
import type { IssuerTrust, KnownIssuer } from './issuer-trust.ts';

/** `recipient` is added after the six only when the person verifying gave an e-mail address to compare. */
export type CheckId = 'format' | 'schema' | 'proof' | 'dates' | 'status' | 'issuer' | 'recipient';
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped';

export interface Check {
  id: CheckId;
  status: CheckStatus;
  /** One or two plain sentences a learner or employer can read. */
  message: string;
  /**
   * Set on a failed dates check when the only trouble is that validUntil has passed: the badge is genuine but no
   * longer current, which the verdict says as such rather than as a plain failure.
   */
  expired?: boolean;
}

export interface VerificationResult {
  /**
   * The verdict people are given (page, backpack, command line): the credential holds up and the signer is this
   * institution or a known issuer (`isVerifiedAndTrusted`). A valid signature by an unknown signer proves only that
   * someone signed it. The VC-API's own `verified` leaves trust out: see `holdsUp` in verdict.ts.
   */
  verified: boolean;
  /** Who really signed it (the key's DID, not the name the badge gives itself) and whether we know them. */
  issuerTrust: IssuerTrust;
  credential?: object;
  /** An Open Badges 3.0 credential (JSON-LD or VC-JWT), or an Open Badges 2.0 assertion (hosted or signed). */
  format: 'json-ld' | 'jwt' | 'ob2-hosted' | 'ob2-signed';
  /** Always all six checks, in the order of CHECK_ORDER, then `recipient` when an address was given. */
  checks: Check[];
}

export const CHECK_ORDER: readonly CheckId[] = ['format', 'schema', 'proof', 'dates', 'status', 'issuer'];

/** What someone handed us: pasted or uploaded text (JSON or a VC-JWT), or an already parsed value. */
export type PresentedBadge =
  | { kind: 'json'; text: string }
  | { kind: 'jwt'; text: string }
  /** Text of unknown kind (a paste box): JSON if it starts with `{`, otherwise a VC-JWT. */
  | { kind: 'text'; text: string }
  | { kind: 'object'; value: unknown }
  /**
   * A value fresh from JSON.parse (a request body): already plain, acyclic and owned by this check, so it is
   * read as it is, without the defensive copy an `object` gets. Its size was bounded by the body limit.
   */
  | { kind: 'parsed'; value: unknown };

export interface VerifierDeps {
  /** The moment to judge validity dates against. */
  now: Date;
  /** The zone the checks' sentences write moments in: the institution's, as its pages show them (UTC when absent). */
  timeZone?: string;
  /** Resolves a did:web (ours from the database, others through a guarded fetch); null if not found. did:key never reaches it. */
  resolveDid(did: string): Promise<object | null>;
  /**
   * Fetches a key or controller document published at an https address (a proof's verification method); null if it
   * cannot be had. Absent (the network not allowed): such keys are not found.
   */
  fetchKeyDocument?(url: string): Promise<object | null>;
  /** Fetches a status list credential by URL (ours locally); null if it cannot be had. */
  fetchStatusList(url: string): Promise<object | null>;
  /** The DIDs this Stackable installation issues under. */
  ourIssuerDids: readonly string[];
  /** The institution's name, from its settings; absent, badges of ours are "issued by this institution". */
  ourIssuerName?: string;
  /** A signer an administrator trusts (added or from a registry); absent, nobody else is known. */
  knownIssuer?(did: string): KnownIssuer | null;
  /**
   * A fast check of a signature made with one of our own keys; `valid` is trusted as is, anything else
   * goes to the full check (which also words the failures). Absent: every proof takes the full check.
   */
  checkOwnProof?(document: object): Promise<{ status: 'valid' | 'invalid' | 'not-ours' }>;
}

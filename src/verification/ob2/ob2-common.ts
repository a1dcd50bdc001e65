import type { KnownIssuer } from '../issuer-trust.ts';
import { isObject, type JsonObject } from '../read-presented-badge.ts';
import type { Check, CheckStatus } from '../verification-types.ts';

/** A badge document loaded by its address; `status` is the HTTP status of a refusal, when there was one. */
export type LoadedDocument =
  | { ok: true; value: JsonObject }
  | { ok: false; problem: string; status?: number };

export interface Ob2Deps {
  now: Date;
  /** The zone the dates check writes moments in (the institution's); UTC when absent. */
  timeZone?: string | undefined;
  /**
   * Loads an Open Badges 2.0 document (assertion, badge class, profile, key, revocation list) by its address: ours
   * from our own records, anyone else's through the guarded fetch. Rejects only when our own side failed.
   */
  load(url: string): Promise<LoadedDocument>;
  /** The ids of this installation's own issuer profiles. */
  ourIssuerIds: readonly string[];
  ourName: string;
  knownIssuer(id: string): KnownIssuer | null;
  /** An address the person verifying wants compared with the badge's recipient. */
  recipientEmail?: string;
}

/** Something about the badge that ends the signature or hosting check, in words. */
export class BadgeProblem extends Error {}

export const WEB_ADDRESS = /^https?:\/\//i;
export const idOf = (value: unknown): string | null =>
  typeof value === 'string' ? value : isObject(value) && typeof value.id === 'string' ? value.id : null;
export const listOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

export const check = (id: Check['id'], status: CheckStatus, message: string): Check => ({
  id,
  status,
  message,
});

export interface Gathered {
  assertion: JsonObject;
  badgeClass: JsonObject;
  profile: JsonObject;
}

import { decodeJwt } from 'jose';
import { isObject, type JsonObject } from '../read-presented-badge.ts';
import type { PresentedBadge } from '../verification-types.ts';

/** The JSON-LD context every Open Badges 2.0 object names. */
export const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';

/**
 * An Open Badges 2.0 badge as it was handed over: the address of a hosted assertion (to be fetched, the only copy
 * we trust), a JWS-signed assertion, or something that is plainly 2.0 but cannot be verified as given.
 */
export type Ob2Presented =
  | { via: 'hosted'; url: string; given: JsonObject | null }
  | { via: 'signed'; jws: string; assertion: JsonObject }
  | { via: 'unusable'; message: string; given: JsonObject };

const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const WEB_ADDRESS = /^https?:\/\/[^\s]+$/i;

const typesOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((type): type is string => typeof type === 'string');

/** True for an object that says it is an Open Badges 2.0 Assertion (by context, or by type and shape). */
export function isOb2Assertion(value: unknown): value is JsonObject {
  if (!isObject(value) || value.vc !== undefined) return false;
  const contexts = Array.isArray(value['@context']) ? value['@context'] : [value['@context']];
  if (contexts.includes(OB2_CONTEXT)) return true;
  return typesOf(value.type).includes('Assertion') && value.badge !== undefined;
}

/** The assertion's VerificationObject; OB 2.0 lets `verify` stand for `verification`. */
export function verificationOf(assertion: JsonObject): JsonObject | null {
  const verification = assertion.verification ?? assertion.verify;
  return isObject(verification) ? verification : null;
}

/** `hosted` or `signed` as the assertion declares it (both the type names and their aliases), else null. */
export function verificationKind(assertion: JsonObject): 'hosted' | 'signed' | null {
  const types = typesOf(verificationOf(assertion)?.type);
  if (types.some((type) => type === 'hosted' || type === 'HostedBadge')) return 'hosted';
  if (types.some((type) => type === 'signed' || type === 'SignedBadge')) return 'signed';
  return null;
}

function fromAssertion(assertion: JsonObject): Ob2Presented {
  const kind = verificationKind(assertion);
  if (kind === 'hosted') {
    if (typeof assertion.id === 'string' && WEB_ADDRESS.test(assertion.id)) {
      return { via: 'hosted', url: assertion.id, given: assertion };
    }
    return {
      via: 'unusable',
      given: assertion,
      message:
        'This hosted Open Badges 2.0 assertion has no web address as its id, so it cannot be looked up.',
    };
  }
  if (kind === 'signed') {
    return {
      via: 'unusable',
      given: assertion,
      message:
        'This Open Badges 2.0 assertion is signed, but only its JSON was given: give the signed form (the JWS, or the badge image it is baked into).',
    };
  }
  return {
    via: 'unusable',
    given: assertion,
    message: 'This Open Badges 2.0 assertion names no verification method (hosted or signed).',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Recognises an Open Badges 2.0 badge in what was presented: a web address (a hosted assertion baked into an image
 * or given as a link), assertion JSON, or a JWS whose payload is an assertion. Null means it is not 2.0, and the
 * 3.0 reader takes it. Pure; never throws.
 */
export function readOb2(badge: PresentedBadge): Ob2Presented | null {
  if (badge.kind === 'object' || badge.kind === 'parsed') {
    return isOb2Assertion(badge.value) ? fromAssertion(badge.value) : null;
  }
  if (typeof badge.text !== 'string') return null;
  const text = badge.text.trim();
  if (WEB_ADDRESS.test(text)) return { via: 'hosted', url: text, given: null };
  if (text.startsWith('{')) {
    const parsed = parseJson(text);
    return isOb2Assertion(parsed) ? fromAssertion(parsed) : null;
  }
  if (!JWS_SHAPE.test(text)) return null;
  let payload: unknown;
  try {
    payload = decodeJwt(text);
  } catch {
    return null;
  }
  return isOb2Assertion(payload) ? { via: 'signed', jws: text, assertion: payload } : null;
}

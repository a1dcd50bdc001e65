import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { PresentedBadge } from './verification-types.ts';

/** Larger inputs are refused before parsing: a real badge is a few kilobytes, even with an embedded image. */
export const MAX_BADGE_BYTES = 2 * 1024 * 1024;

export type JsonObject = Record<string, unknown>;

export interface BadgeJwt {
  text: string;
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
  /**
   * `current`: the payload is the credential itself (VC-JOSE-COSE, what OB 3.0 now means by VC-JWT); `legacy`: the
   * credential sits in a `vc` claim (VC-JWT 1.1), which VC-JOSE-COSE forbids but older issuers still send.
   */
  form: 'current' | 'legacy';
}

export type ReadOutcome =
  | { ok: true; format: 'json-ld'; credential: JsonObject }
  | { ok: true; format: 'jwt'; credential: JsonObject; jwt: BadgeJwt }
  | { ok: false; format: 'json-ld' | 'jwt'; message: string };

const VC_CONTEXTS = ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/2018/credentials/v1'];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ENVELOPED_JWT = 'data:application/vc+jwt,';
const TOO_LARGE = `The badge is larger than ${MAX_BADGE_BYTES / 1024 / 1024} MB, which is far more than any real badge; it was not checked.`;

/** Parses what was presented and confirms it looks like a verifiable credential; never throws. */
export function readPresentedBadge(input: PresentedBadge): ReadOutcome {
  if (input.kind === 'object') return readObject(input.value);
  if (input.kind === 'parsed') return readCredential(input.value);
  if (typeof input.text !== 'string') return fail('json-ld', 'No badge text was given.');
  if (Buffer.byteLength(input.text, 'utf8') > MAX_BADGE_BYTES) return fail(guessFormat(input), TOO_LARGE);
  const text = input.text.trim();
  if (text === '') return fail(guessFormat(input), 'The badge is empty.');
  if (input.kind === 'jwt' || (input.kind === 'text' && !text.startsWith('{') && !text.startsWith('['))) {
    return readJwt(text);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('json-ld', 'The badge is not valid JSON, so it could not be read.');
  }
  return readCredential(parsed);
}

function guessFormat(input: PresentedBadge): 'json-ld' | 'jwt' {
  return input.kind === 'jwt' ? 'jwt' : 'json-ld';
}

function readObject(value: unknown): ReadOutcome {
  // A JSON round trip gives the checks a private, plain copy (no cycles, Dates or functions).
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return fail(
      'json-ld',
      'The badge could not be read as JSON (it contains a loop or a value JSON cannot hold).',
    );
  }
  if (text === undefined) return fail('json-ld', 'No badge was given.');
  if (text.length > MAX_BADGE_BYTES) return fail('json-ld', TOO_LARGE);
  return readCredential(JSON.parse(text));
}

function readJwt(text: string): ReadOutcome {
  if (!JWT_SHAPE.test(text)) {
    return fail('jwt', 'The badge is neither JSON nor a VC-JWT (three dot-separated base64url parts).');
  }
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(text);
    payload = decodeJwt(text);
  } catch {
    return fail('jwt', 'The badge looks like a JWT, but its header or payload could not be decoded.');
  }
  if (isObject(payload.vc)) {
    const checked = checkCredentialShape(payload.vc);
    if (checked) return fail('jwt', checked);
    return {
      ok: true,
      format: 'jwt',
      credential: payload.vc,
      jwt: { text, header, payload, form: 'legacy' },
    };
  }
  if (payload['@context'] === undefined && payload.type === undefined) {
    return fail(
      'jwt',
      'The JWT does not carry a credential: its payload is neither a credential nor holds one in a "vc" claim.',
    );
  }
  const checked = checkCredentialShape(payload);
  if (checked) return fail('jwt', checked);
  return { ok: true, format: 'jwt', credential: payload, jwt: { text, header, payload, form: 'current' } };
}

/** A VC-JWT handed over as JSON: `{type: EnvelopedVerifiableCredential, id: "data:application/vc+jwt,<jwt>"}`. */
function readEnveloped(envelope: JsonObject): ReadOutcome {
  const id = typeof envelope.id === 'string' ? envelope.id : '';
  if (!id.startsWith(ENVELOPED_JWT)) {
    return fail(
      'jwt',
      'The badge is an enveloped credential, but not a VC-JWT: its id must start with data:application/vc+jwt, .',
    );
  }
  return readJwt(id.slice(ENVELOPED_JWT.length).trim());
}

const isEnveloped = (value: JsonObject): boolean =>
  (Array.isArray(value.type) ? value.type : [value.type]).includes('EnvelopedVerifiableCredential');

function readCredential(parsed: unknown): ReadOutcome {
  if (Array.isArray(parsed)) return fail('json-ld', 'The badge is a list, not a single credential.');
  if (!isObject(parsed)) return fail('json-ld', 'The badge is a single value, not a credential object.');
  if (isEnveloped(parsed)) return readEnveloped(parsed);
  const checked = checkCredentialShape(parsed);
  return checked ? fail('json-ld', checked) : { ok: true, format: 'json-ld', credential: parsed };
}

/** A problem in plain words, or null when the object has the basic shape of a verifiable credential. */
function checkCredentialShape(credential: JsonObject): string | null {
  const contexts = credential['@context'];
  if (!Array.isArray(contexts) || !contexts.some((context) => VC_CONTEXTS.includes(String(context)))) {
    return 'This is not a verifiable credential: its "@context" does not name the W3C credentials context.';
  }
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  if (types.includes('VerifiablePresentation')) {
    return 'This is a presentation holding credentials; present the badge itself instead.';
  }
  if (!types.includes('VerifiableCredential')) {
    return 'This is not a verifiable credential: its "type" does not include VerifiableCredential.';
  }
  // Any VC 2.0 credential is checked (endorsements, CLRs, others); the schema check decides what an Open Badge must be.
  return null;
}

const fail = (format: 'json-ld' | 'jwt', message: string): ReadOutcome => ({ ok: false, format, message });

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

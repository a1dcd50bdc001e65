import { isObject, type JsonObject } from '../read-presented-badge.ts';

// ISO 8601 with a time and a zone, as OB 2.0 requires of every DateTime (seconds optional).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A DateTime as OB 2.0 writes it, or null when it is not one. */
export function parseOb2DateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const typesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';
/** An IRI, or a document carrying one as `id` (OB 2.0's "@id" expected types). */
const isIdOrDocument = (value: unknown) => isText(value) || (isObject(value) && isText(value.id));

function problemsOf(
  label: string,
  object: JsonObject,
  type: readonly string[],
  required: Record<string, (value: unknown) => boolean>,
): string[] {
  const problems: string[] = [];
  if (!typesOf(object.type).some((t) => type.includes(String(t)))) {
    problems.push(`the ${label}'s type is not ${type.join(' or ')}`);
  }
  for (const [field, isValid] of Object.entries(required)) {
    if (object[field] === undefined) problems.push(`the ${label} has no ${field}`);
    else if (!isValid(object[field])) problems.push(`the ${label}'s ${field} is not valid`);
  }
  return problems;
}

/** What an Assertion lacks of the properties OB 2.0 requires, in words (empty when none). */
export function assertionProblems(assertion: JsonObject): string[] {
  return problemsOf('assertion', assertion, ['Assertion'], {
    id: isText,
    recipient: (value) =>
      isObject(value) && isText(value.identity) && isText(value.type) && typeof value.hashed === 'boolean',
    badge: isIdOrDocument,
    issuedOn: (value) => parseOb2DateTime(value) !== null,
    ...(assertion.verify === undefined ? { verification: isObject } : {}),
    ...(assertion.expires === undefined ? {} : { expires: (value) => parseOb2DateTime(value) !== null }),
  });
}

/** What a BadgeClass lacks of the properties OB 2.0 requires. */
export function badgeClassProblems(badgeClass: JsonObject): string[] {
  return problemsOf('badge class', badgeClass, ['BadgeClass'], {
    id: isText,
    name: isText,
    description: isText,
    image: isIdOrDocument,
    criteria: (value) => isText(value) || isObject(value),
    issuer: isIdOrDocument,
  });
}

/** What an issuer Profile lacks of the properties OB 2.0 requires of an issuer (id, type, name, url, email). */
export function issuerProblems(profile: JsonObject): string[] {
  return problemsOf('issuer profile', profile, ['Issuer', 'Profile'], {
    id: isText,
    name: isText,
    url: isText,
    email: isText,
  });
}

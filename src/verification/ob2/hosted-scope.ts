import { isObject, type JsonObject } from '../read-presented-badge.ts';

const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );

function urlOf(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * Whether a hosted assertion's id lies where its issuer says its assertions live (OB 2.0 HostedBadge verification):
 * every `startsWith` prefix and `allowedOrigins` host the issuer Profile's VerificationObject declares, or, when it
 * declares neither, the origin of the Profile's own id (and of the BadgeClass, when that is hosted too). Returns the
 * problem in words, or null when the id is within scope. Pure.
 */
export function hostedScopeProblem(
  assertionId: string,
  profile: JsonObject,
  badgeClassId: string | null,
): string | null {
  const assertionUrl = urlOf(assertionId);
  if (!assertionUrl) return `The assertion's id ${assertionId} is not a web address.`;
  const policy = isObject(profile.verification) ? profile.verification : {};
  const property = policy.verificationProperty;
  if (property !== undefined && property !== 'id') {
    return `The issuer checks its assertions by ${String(property)}, which only "id" is defined for.`;
  }
  const prefixes = listOf(policy.startsWith);
  const hosts = listOf(policy.allowedOrigins);
  if (prefixes.length > 0 && !prefixes.some((prefix) => assertionId.startsWith(prefix))) {
    return `The assertion at ${assertionId} is outside the addresses its issuer allows (${prefixes.join(', ')}).`;
  }
  if (hosts.length > 0 && !hosts.includes(assertionUrl.hostname)) {
    return `The assertion is hosted on ${assertionUrl.hostname}, which its issuer does not allow (${hosts.join(', ')}).`;
  }
  if (prefixes.length > 0 || hosts.length > 0) return null;
  const profileUrl = typeof profile.id === 'string' ? urlOf(profile.id) : null;
  if (!profileUrl) return 'The issuer profile has no web address, so no site vouches for the assertion.';
  if (assertionUrl.origin !== profileUrl.origin) {
    return `The assertion is hosted at ${assertionUrl.origin}, not on its issuer's site ${profileUrl.origin}.`;
  }
  const badgeUrl = badgeClassId ? urlOf(badgeClassId) : null;
  if (badgeUrl && /^https?:$/.test(badgeUrl.protocol) && badgeUrl.origin !== profileUrl.origin) {
    return `The badge class is hosted at ${badgeUrl.origin}, not on its issuer's site ${profileUrl.origin}.`;
  }
  return null;
}

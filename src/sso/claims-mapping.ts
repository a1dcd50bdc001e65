/**
 * What an identity provider says about a person, read into the fields Stackable uses. OpenID Connect providers
 * send standard claims; SAML providers send attributes under eduPerson names, by their friendly names or their
 * OIDs (Shibboleth sends the `urn:oid:` form). Pure: the rules for trusting an address live here, in one place.
 */
import type { Role } from '../platform/roles.ts';
import type { ClaimMapping, SsoProtocol } from './sso.tables.ts';

/** The attributes a SAML provider usually sends, by the names we read them under. */
const SAML_NAMES: Readonly<Record<string, readonly string[]>> = {
  mail: ['mail', 'email', 'urn:oid:0.9.2342.19200300.100.1.3'],
  displayName: ['displayName', 'urn:oid:2.16.840.1.113730.3.1.241'],
  givenName: ['givenName', 'urn:oid:2.5.4.42'],
  sn: ['sn', 'surname', 'urn:oid:2.5.4.4'],
  eduPersonPrincipalName: ['eduPersonPrincipalName', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6'],
  eduPersonAffiliation: ['eduPersonAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1'],
  eduPersonScopedAffiliation: ['eduPersonScopedAffiliation', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9'],
};

/** A person as the provider describes them, in Stackable's words. */
export interface ExternalProfile {
  /** The provider's stable identifier for the person (`sub`, or the SAML NameID / eduPersonPrincipalName). */
  subject: string;
  email: string | null;
  /** Whether the address may be trusted as the person's own (see `isAddressTrusted`). */
  isEmailVerified: boolean;
  name: string;
  studentId: string | null;
  groups: string[];
  /** The roles the provider manages (those named in the mapping) and, of them, the ones this person gets. */
  managedRoles: Role[];
  grantedRoles: Role[];
}

const first = (value: unknown): string | null => {
  const one = Array.isArray(value) ? value[0] : value;
  if (typeof one === 'string' && one.trim() !== '') return one.trim();
  if (typeof one === 'number') return String(one);
  return null;
};

const all = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
  return list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
};

/** An attribute by any of the names a SAML provider may use for it, or by the exact name configured. */
function attribute(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  for (const alias of SAML_NAMES[name] ?? [name]) if (claims[alias] !== undefined) return claims[alias];
  return undefined;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * Whether an address the provider sends may be trusted as the person's: its domain must be one the provider is
 * configured for (when any are), and an OpenID provider must also say it verified it. A SAML provider has no such
 * claim, so only addresses in its configured domains (the university's own) are trusted.
 */
export function isAddressTrusted(
  protocol: SsoProtocol,
  email: string,
  verifiedClaim: unknown,
  domains: readonly string[],
): boolean {
  const inDomains = domains.length === 0 || domains.includes(domainOf(email));
  if (protocol === 'saml') return domains.length > 0 && inDomains;
  return (verifiedClaim === true || verifiedClaim === 'true') && inDomains;
}

/** Reads the provider's claims (OIDC) or attributes (SAML) into a profile, with the roles its groups give. */
export function profileOf(
  protocol: SsoProtocol,
  claims: Readonly<Record<string, unknown>>,
  mapping: ClaimMapping,
  domains: readonly string[],
): ExternalProfile | null {
  const oidc = protocol === 'oidc';
  // A transient NameID (Shibboleth's default) changes at every sign-in, so it cannot recognise a returning person.
  const isTransient = claims.nameIDFormat === 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
  const subject = oidc
    ? first(claims.sub)
    : ((isTransient ? null : first(claims.nameID)) ?? first(attribute(claims, 'eduPersonPrincipalName')));
  if (!subject) return null;
  const rawEmail = oidc ? first(claims.email) : first(attribute(claims, 'mail'));
  const email = rawEmail && /^[^\s@]+@[^\s@]+$/.test(rawEmail) ? rawEmail.toLowerCase() : null;
  const given = first(oidc ? claims.given_name : attribute(claims, 'givenName'));
  const family = first(oidc ? claims.family_name : attribute(claims, 'sn'));
  const name =
    first(oidc ? claims.name : attribute(claims, 'displayName')) ??
    ([given, family].filter(Boolean).join(' ') || (email ?? subject));
  const groupsSource = mapping.groupsClaim
    ? attribute(claims, mapping.groupsClaim)
    : oidc
      ? claims.groups
      : (attribute(claims, 'eduPersonAffiliation') ?? attribute(claims, 'eduPersonScopedAffiliation'));
  const groups = all(groupsSource);
  const roleMap = mapping.roleMap ?? [];
  const managedRoles = [...new Set(roleMap.map((entry) => entry.role as Role))].sort();
  const grantedRoles = [
    ...new Set(roleMap.filter((entry) => groups.includes(entry.group)).map((entry) => entry.role as Role)),
  ].sort();
  return {
    subject,
    email,
    isEmailVerified: email !== null && isAddressTrusted(protocol, email, claims.email_verified, domains),
    name: name.slice(0, 200),
    studentId: mapping.studentIdClaim ? first(attribute(claims, mapping.studentIdClaim)) : null,
    groups,
    managedRoles,
    grantedRoles,
  };
}

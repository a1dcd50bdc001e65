/**
 * An identity provider's settings as an administrator types them (a form or the API), read and checked field by
 * field. Pure: every problem names its field, so nothing half-valid is ever stored.
 */

import type { FieldProblem } from '../platform/errors.ts';
import { allRoles } from '../platform/roles.ts';
import { readIdpMetadata } from './idp-metadata.ts';
import type { ProviderFields } from './sso.repository.ts';

/** The fields as typed. Lists are text: domains separated by commas or spaces, role rules one per line. */
export interface ProviderInput {
  slug: string;
  buttonLabel: string;
  protocol: string;
  discoveryUrl?: string;
  clientId?: string;
  /** Empty or absent keeps the stored secret; anything else replaces it. */
  clientSecret?: string;
  /** SAML: where the provider publishes its metadata (fetched on every save), or the metadata itself. */
  idpMetadataUrl?: string;
  idpMetadataXml?: string;
  studentIdClaim?: string;
  groupsClaim?: string;
  roleMap?: string;
  emailDomains?: string;
  isEnabled?: boolean;
}

const CLAIM_NAME = /^[A-Za-z0-9_:.\-/]{1,200}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const text = (value: string | undefined) => (value ?? '').trim();

/**
 * An address a provider may be reached at: HTTPS only, since it is fetched through the SSRF guard (a provider on
 * this machine or the campus network is allowed by STACKABLE_FETCH_ALLOW_HOSTS, not by plain HTTP).
 */
function providerUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a full address such as https://login.example.edu/.well-known/openid-configuration';
  }
  if (url.protocol === 'https:') return null;
  return 'must use https';
}

/** The settings to store, or the problems with what was typed. */
export function readProviderInput(
  input: ProviderInput,
): { fields: ProviderFields; problems: [] } | { fields: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const slug = text(input.slug).toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(slug)) {
    problems.push({ field: 'slug', reason: 'must be 1 to 40 lower-case letters, digits or hyphens' });
  }
  const buttonLabel = text(input.buttonLabel);
  if (buttonLabel.length < 1 || buttonLabel.length > 80) {
    problems.push({ field: 'buttonLabel', reason: 'must be 1 to 80 characters' });
  }
  const protocol = input.protocol === 'oidc' || input.protocol === 'saml' ? input.protocol : null;
  if (!protocol) problems.push({ field: 'protocol', reason: 'must be oidc or saml' });

  const discoveryUrl = protocol === 'oidc' ? text(input.discoveryUrl) || null : null;
  const clientId = protocol === 'oidc' ? text(input.clientId) || null : null;
  if (protocol === 'oidc') {
    if (!discoveryUrl) problems.push({ field: 'discoveryUrl', reason: 'is required for OpenID Connect' });
    else {
      const why = providerUrlProblem(discoveryUrl);
      if (why) problems.push({ field: 'discoveryUrl', reason: why });
    }
    if (!clientId) problems.push({ field: 'clientId', reason: 'is required for OpenID Connect' });
    else if (clientId.length > 500)
      problems.push({ field: 'clientId', reason: 'must be at most 500 characters' });
  }
  const idpMetadataUrl = protocol === 'saml' ? text(input.idpMetadataUrl) || null : null;
  const idpMetadataXml = protocol === 'saml' ? text(input.idpMetadataXml) || null : null;
  if (idpMetadataUrl && !/^https:\/\/[^\s]+$/.test(idpMetadataUrl)) {
    problems.push({ field: 'idpMetadataUrl', reason: 'must be an https:// address' });
  }
  if (idpMetadataXml) {
    const read = readIdpMetadata(idpMetadataXml);
    if ('problem' in read) problems.push({ field: 'idpMetadataXml', reason: read.problem });
  }
  if ((input.clientSecret ?? '').length > 2000) {
    problems.push({ field: 'clientSecret', reason: 'must be at most 2000 characters' });
  }

  const studentIdClaim = text(input.studentIdClaim) || undefined;
  if (studentIdClaim && !CLAIM_NAME.test(studentIdClaim)) {
    problems.push({ field: 'studentIdClaim', reason: 'must be a claim or attribute name without spaces' });
  }
  const groupsClaim = text(input.groupsClaim) || undefined;
  if (groupsClaim && !CLAIM_NAME.test(groupsClaim)) {
    problems.push({ field: 'groupsClaim', reason: 'must be a claim or attribute name without spaces' });
  }
  const roleMap: { group: string; role: string }[] = [];
  for (const [index, line] of text(input.roleMap).split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const match = /^\s*(.+?)\s*=\s*([a-z_]+)\s*$/.exec(line);
    if (!match || !(allRoles as readonly string[]).includes(match[2]!)) {
      problems.push({
        field: 'roleMap',
        line: index + 1,
        reason: `must read "group = role", the role one of ${allRoles.join(', ')}`,
      });
      continue;
    }
    roleMap.push({ group: match[1]!, role: match[2]! });
  }
  const emailDomains = [
    ...new Set(
      text(input.emailDomains)
        .toLowerCase()
        .split(/[\s,;]+/)
        .filter(Boolean),
    ),
  ];
  const badDomain = emailDomains.find((domain) => !DOMAIN.test(domain));
  if (badDomain) {
    problems.push({ field: 'emailDomains', reason: `"${badDomain.slice(0, 60)}" is not a domain name` });
  }
  if (problems.length > 0 || !protocol) return { fields: null, problems };
  return {
    fields: {
      slug,
      button_label: buttonLabel,
      protocol,
      discovery_url: discoveryUrl,
      client_id: clientId,
      idp_metadata_url: idpMetadataUrl,
      idp_metadata_xml: idpMetadataXml,
      mapping: { studentIdClaim, groupsClaim, roleMap },
      email_domains: emailDomains,
      is_enabled: input.isEnabled ?? true,
    },
    problems: [],
  };
}

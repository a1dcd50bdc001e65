/** What LinkedIn's "add a licence or certification" form is pre-filled with. */
export interface LinkedInCertification {
  name: string;
  organizationName: string;
  issuedAt: Date;
  expiresAt?: Date | null;
  /** The public page of the badge, which LinkedIn links to as the credential's address. */
  certUrl: string;
  certId: string;
}

/**
 * The add-to-profile address that opens LinkedIn's certification form already filled in. Months are 1–12, as
 * LinkedIn expects; dates are read in UTC so the month does not move with the server's time zone.
 */
export function linkedInAddToProfileUrl(cert: LinkedInCertification): string {
  const params: [string, string][] = [
    ['startTask', 'CERTIFICATION_NAME'],
    ['name', cert.name],
    ['organizationName', cert.organizationName],
    ['issueYear', String(cert.issuedAt.getUTCFullYear())],
    ['issueMonth', String(cert.issuedAt.getUTCMonth() + 1)],
  ];
  if (cert.expiresAt) {
    params.push(['expirationYear', String(cert.expiresAt.getUTCFullYear())]);
    params.push(['expirationMonth', String(cert.expiresAt.getUTCMonth() + 1)]);
  }
  params.push(['certUrl', cert.certUrl], ['certId', cert.certId]);
  const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `https://www.linkedin.com/profile/add?${query}`;
}

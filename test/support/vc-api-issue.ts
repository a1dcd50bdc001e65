/**
 * The body of a VC-API issue request (`POST /credentials/issue` with `{ credential, options }`): an unsigned Open
 * Badge from `issuer` whose achievement is the catalog record at `achievement.id` and whose subject is named by
 * `identifier`. Whatever else the achievement says is the caller's (the app replaces it with the catalog's).
 */
export function vcApiIssueBody(input: {
  issuer: string;
  name: string;
  identifier: object[];
  achievement: { id: string; name: string } & Record<string, unknown>;
}) {
  return {
    credential: {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: input.issuer,
      name: input.name,
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: input.identifier,
        achievement: { type: ['Achievement'], ...input.achievement },
      },
    },
    options: {},
  };
}

/** An Open Badges identifier naming a recipient by their e-mail address in plain. */
export const plainEmailIdentifier = (email: string) => ({
  type: 'IdentityObject',
  identityType: 'emailAddress',
  hashed: false,
  identityHash: email,
});

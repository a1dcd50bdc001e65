/** What the HTTP plumbing's `institutionNames` hook answers in tests that build a server without the app. */
export const testInstitutionNames = () => ({
  name: 'Test University',
  shortName: 'TU',
  brandColour: '#0b4f6c',
  logoPath: null,
  timeZone: 'UTC',
  currency: 'USD',
  isSetUp: true,
});

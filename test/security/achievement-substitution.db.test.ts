import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SignedOpenBadgeCredential } from '../../src/credentials/credential-types.ts';
import { didWebFor } from '../../src/credentials/issuer-keys.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { anInstitution, aProgram, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { plainEmailIdentifier, vcApiIssueBody } from '../support/vc-api-issue.ts';

/**
 * Issue 16: `POST /credentials/issue` took the caller's achievement as it came, so anyone allowed to issue through
 * the API could have the institution sign "Doctor of Medicine" (their own name, description and criteria) under
 * the catalog address of a one-week micro-credential. Verifiers then show the forged wording with our signature.
 * The achievement of a signed badge must be the catalog's, whatever the caller wrote under its id.
 */
const PUBLIC_URL = 'https://badges.substitution.example';

describe(`a caller's achievement is never signed under our catalog id (${testBackend})`, () => {
  let app: TestApp;
  let office: BrowserSession;
  let program: { slug: string; title: string };

  before(async () => {
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL } });
    await anInstitution(app);
    program = await aProgram(app, { title: 'Spreadsheet Basics', creditType: 'non_credit' });
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
  });
  after(() => app.close());

  test('the signed achievement is the catalog record, not the wording sent with it', async () => {
    const achievementId = `${PUBLIC_URL}/catalog/${program.slug}`;
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: await office.apiHeaders(),
      payload: vcApiIssueBody({
        issuer: didWebFor(PUBLIC_URL),
        name: 'Spreadsheet Basics',
        identifier: [plainEmailIdentifier('forger@example.org')],
        achievement: {
          id: achievementId,
          name: 'Doctor of Medicine',
          description: 'Licensed to practise medicine.',
          criteria: { narrative: 'Seven years of medical school and residency.' },
          achievementType: 'Doctorate',
          creditsAvailable: 360,
        },
      }),
    });
    assert.equal(response.statusCode, 201, response.body);
    const signed = response.json().verifiableCredential as SignedOpenBadgeCredential;
    const achievement = signed.credentialSubject.achievement;
    assert.equal(achievement.id, achievementId);
    assert.equal(achievement.name, program.title);
    assert.equal(achievement.achievementType, 'MicroCredential');
    const text = JSON.stringify(signed);
    for (const forged of ['Doctor of Medicine', 'practise medicine', 'medical school', 'Doctorate']) {
      assert.ok(!text.includes(forged), `"${forged}" was not signed`);
    }
    const kept = await app.services.credentials.find(signed.id.replace('urn:uuid:', ''));
    assert.equal(
      (kept?.json as SignedOpenBadgeCredential | undefined)?.credentialSubject.achievement.name,
      program.title,
    );
  });
});

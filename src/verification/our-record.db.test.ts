import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueBadge } from '../../test/support/backpack.ts';
import { anAccount, anInstitution, aProgram } from '../../test/support/builders.ts';
import { setSuspension } from '../../test/support/suspension.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { BackpackRepository } from '../backpack/backpack.repository.ts';
import { ourBadgeLookup } from '../backpack/our-badge.ts';
import { systemClock } from '../platform/clock.ts';
import {
  type OurRecordLookup,
  type VerificationReport,
  VerificationService,
} from './verification.service.ts';

const system = { system: 'our record test' };

/** What a person or client is told: the checks and our record of the badge (the parts the record decides). */
const told = (report: VerificationReport) => ({
  verified: report.verified,
  checks: report.checks,
  ours: report.ours,
});

describe(`our own badge, read once per verification, on ${testBackend}`, () => {
  let app: TestApp;
  let slug: string;
  let reads: string[];
  let verifier: VerificationService;
  let otherReads = 0;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    await setSuspension(app, true);
    slug = (await aProgram(app, { creditType: 'non_credit' })).slug;
    const lookup = ourBadgeLookup(app.database);
    const counted: OurRecordLookup = (id) => {
      reads.push(id);
      return lookup(id);
    };
    // Any other read of the credential row (the second read this replaces) is counted too.
    const credentials = app.services.credentials;
    const find = credentials.find.bind(credentials);
    credentials.find = (id) => {
      otherReads += 1;
      return find(id);
    };
    verifier = new VerificationService(
      credentials,
      systemClock,
      { allowNetwork: false },
      undefined,
      {
        institutionName: () => app.services.institution.name(),
        knownIssuers: () => app.services.trustedIssuers.knownIssuers(),
      },
      counted,
    );
  });
  after(() => app.close());

  // Its earner accepts it: only an accepted badge's page is shared, and so named in a report.
  const aBadge = async () => {
    const earner = await anAccount(app, { name: 'Ines Okafor' });
    const id = await issueBadge(app, { email: earner.email, name: 'Ines Okafor' }, slug);
    await app.services.backpack.accept(earner, id);
    const row = await app.services.credentials.find(id);
    return { id, credential: row!.json };
  };

  /** Verifies with the counting verifier, and checks the app's own verifier says exactly the same. */
  const verify = async (credential: object) => {
    reads = [];
    otherReads = 0;
    const report = await verifier.verifyObject(credential);
    assert.equal(otherReads, 0, 'no second read of the credential row');
    assert.equal(reads.length, 1, 'our record is read once');
    assert.deepEqual(told(await app.services.verification.verifyObject(credential)), told(report));
    return report;
  };

  test('a public badge in good standing: verified, and shown as ours', async () => {
    const { id, credential } = await aBadge();
    const report = await verify(credential);
    assert.equal(report.verified, true, JSON.stringify(report.checks));
    assert.equal(report.ours?.id, id);
    assert.equal(report.ours?.status, 'active');
    assert.equal(report.ours?.recipientName, 'Ines Okafor');
  });

  test('a suspended public badge fails its status check from our register, and is shown suspended', async () => {
    const { id, credential } = await aBadge();
    await app.services.credentials.changeStatus(system, id, 'suspend', 'Under review');
    const report = await verify(credential);
    assert.equal(report.verified, false);
    assert.equal(
      report.checks.find((check) => check.id === 'status')?.message,
      'The issuer has suspended this badge.',
    );
    assert.equal(report.ours?.status, 'suspended');
  });

  test('a suspended badge its holder hid still fails, and shows nothing of our record', async () => {
    const { id, credential } = await aBadge();
    await app.services.credentials.setPublic(system, id, false);
    await app.services.credentials.changeStatus(system, id, 'suspend', 'Under review');
    const report = await verify(credential);
    assert.equal(report.verified, false);
    assert.equal(report.checks.find((check) => check.id === 'status')?.status, 'failed');
    assert.equal(report.ours, null);
  });

  // Three badges of ours in different standing, each with its own record.
  const threeBadges = async () => {
    const good = await aBadge();
    const suspended = await aBadge();
    await app.services.credentials.changeStatus(system, suspended.id, 'suspend', 'Under review');
    const hidden = await aBadge();
    await app.services.credentials.setPublic(system, hidden.id, false);
    return [good, suspended, hidden] as const;
  };

  test('records asked for at the same time are read with one query, each badge answered with its own', async () => {
    const [good, suspended, hidden] = await threeBadges();
    const queries: string[][] = [];
    const repository = new BackpackRepository();
    const summaries = repository.badgeSummaries.bind(repository);
    repository.badgeSummaries = (db, ids) => {
      queries.push([...ids]);
      return summaries(db, ids);
    };
    const lookup = ourBadgeLookup(app.database, repository);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const records = await Promise.all(
      [good.id, suspended.id.toUpperCase(), hidden.id, unknown, 'not-a-uuid'].map((id) => lookup(id)),
    );
    assert.deepEqual(queries, [[good.id, suspended.id, hidden.id, unknown]]);
    assert.deepEqual(
      records.map((record) => record && [record.status, record.shown?.id ?? null]),
      [['active', good.id], ['suspended', suspended.id], ['active', null], null, null],
    );
  });

  test('badges verified at the same time get the reports each gets on its own', async () => {
    const badges = await threeBadges();
    const verification = app.services.verification;
    const together = await Promise.all(badges.map((badge) => verification.verifyObject(badge.credential)));
    for (const [n, badge] of badges.entries()) {
      assert.deepEqual(told(together[n]!), told(await verification.verifyObject(badge.credential)));
    }
    assert.deepEqual(
      together.map((report) => [report.verified, report.ours?.status ?? null]),
      [
        [true, 'active'],
        [false, 'suspended'],
        // A hidden badge still verifies; the report names nothing of it.
        [true, null],
      ],
    );
  });
});

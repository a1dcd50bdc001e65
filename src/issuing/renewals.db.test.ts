import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aCompletion,
  aCourse,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { SignedOpenBadgeCredential } from '../credentials/credential-types.ts';
import { fixedClock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { EXPIRED_VERDICT, verdictWords } from '../verification/check-labels.ts';
import { expiryRemindersJob } from './expiry-reminders.service.ts';

const ISSUED_AT = '2026-01-10T12:00:00Z';
const DAY = 86_400_000;

describe(`expiry reminders and renewal on ${testBackend}`, () => {
  let app: TestApp;
  const clock = fixedClock(ISSUED_AT);
  let refresher: string;
  let program: BuiltProgram;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    refresher = (await aCourse(app)).code;
    program = await aProgram(app, {
      validityYears: 2,
      renewalRequirement: { type: 'course', code: refresher, minGrade: 'C' },
    });
  });
  after(() => app.close());

  /** A badge of the two-year program issued at ISSUED_AT to a new learner. */
  const anExpiringBadge = async () => {
    clock.set(ISSUED_AT);
    return anIssuedBadge(app, { program });
  };
  const credentialOf = async (id: string) => {
    const row = await app.services.credentials.find(id);
    assert.ok(row, `credential ${id} exists`);
    return row;
  };
  const remindersTo = async (learner: BuiltLearner) =>
    (await app.services.notifications.list({ limit: 10_000 })).filter(
      (m) => m.kind === 'badge_expiry_reminder' && m.to_address === learner.email,
    );
  const runReminders = () => app.jobs.run(expiryRemindersJob, {});
  const validUntilOf = async (id: string) => (await credentialOf(id)).valid_until!;

  test('a badge of a program with a validity period carries validUntil that many years on', async () => {
    const { credentialId } = await anExpiringBadge();
    const json = (await credentialOf(credentialId)).json as SignedOpenBadgeCredential;
    assert.equal(json.validFrom, '2026-01-10T12:00:00Z');
    assert.equal(json.validUntil, '2028-01-10T12:00:00Z');
  });

  test('the reminder job sends the 60-day and the 14-day reminder once each, however often it runs', async () => {
    const { credentialId, learner } = await anExpiringBadge();
    const until = (await validUntilOf(credentialId)).getTime();
    clock.set(new Date(until - 61 * DAY));
    await runReminders();
    assert.equal((await remindersTo(learner)).length, 0, 'too early at 61 days');

    clock.set(new Date(until - 60 * DAY));
    await runReminders();
    await runReminders();
    const first = await remindersTo(learner);
    assert.equal(first.length, 1, 'one reminder at 60 days, whatever the number of runs');
    assert.match(first[0]!.subject, new RegExp(`Your ${program.title} badge expires on January 10, 2028`));

    clock.set(new Date(until - 30 * DAY));
    await runReminders();
    assert.equal((await remindersTo(learner)).length, 1, 'nothing new between the two stages');

    clock.set(new Date(until - 14 * DAY));
    await Promise.all([runReminders(), runReminders()]);
    assert.equal(
      (await remindersTo(learner)).length,
      2,
      'the 14-day reminder once, even from two runs at once',
    );

    clock.set(new Date(until + DAY));
    await runReminders();
    assert.equal((await remindersTo(learner)).length, 2, 'no reminder after expiry');
  });

  test('a revoked badge is not reminded of', async () => {
    const { credentialId, learner } = await anExpiringBadge();
    await app.services.credentials.changeStatus(
      { system: 'test' },
      credentialId,
      'revoke',
      'Issued in error.',
    );
    clock.set(new Date((await validUntilOf(credentialId)).getTime() - 14 * DAY));
    await runReminders();
    assert.equal((await remindersTo(learner)).length, 0);
  });

  test('renewal is refused with the unmet requirement while no new work is on the record', async () => {
    const { credentialId, learner } = await anExpiringBadge();
    clock.set(new Date((await validUntilOf(credentialId)).getTime() - 20 * DAY));
    // A refresher course taken before the award does not count toward renewal.
    await aCompletion(app, learner, refresher, { completedOn: '2026-01-05', grade: 'A' });
    const refusal = await app.services.renewals.renew(learner.account!, credentialId).then(
      () => assert.fail('renewal should be refused'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof AppError);
    assert.equal(refusal.status, 400);
    assert.equal(refusal.fields[0]?.field, 'renewal');
    assert.match(refusal.fields[0]!.reason, new RegExp(`after January 10, 2026: .*${refresher}`));
    const standing = await app.services.renewals.standingOf(credentialId);
    assert.equal(standing.renewedBy, null);
    assert.equal(standing.canAskToRenew, true);
  });

  test('renewal is not offered before its window opens, 60 days before expiry', async () => {
    const { credentialId, learner } = await anExpiringBadge();
    clock.set(new Date((await validUntilOf(credentialId)).getTime() - 90 * DAY));
    await aCompletion(app, learner, refresher, { completedOn: '2027-09-01' });
    await assert.rejects(app.services.renewals.renew(learner.account!, credentialId), /can be renewed from/);
    assert.equal((await app.services.renewals.standingOf(credentialId)).canAskToRenew, false);
  });

  test('a met renewal issues a new badge that names the old one, which is kept and marked renewed', async () => {
    const { credentialId, learner } = await anExpiringBadge();
    const oldUntil = await validUntilOf(credentialId);
    clock.set(new Date(oldUntil.getTime() - 10 * DAY));
    await aCompletion(app, learner, refresher, { completedOn: '2027-12-15', grade: 'B+' });
    const registrar = await aStaffMember(app, 'registrar');
    const pendingBefore = await app.services.issuing.pendingRegistrarExport(registrar);
    const renewed = await app.services.renewals.renew(learner.account!, credentialId);
    assert.deepEqual(
      await app.services.issuing.pendingRegistrarExport(registrar),
      pendingBefore,
      'a renewal adds no second transcript notation',
    );

    const json = (await credentialOf(renewed.credentialId)).json as SignedOpenBadgeCredential;
    const renewedOn = clock.now();
    assert.equal(json.validFrom, renewedOn.toISOString().replace('.000Z', 'Z'));
    assert.equal(new Date(json.validUntil!).getUTCFullYear(), renewedOn.getUTCFullYear() + 2);
    assert.deepEqual(
      json.evidence?.map((e) => [e.id, e.genre]),
      [[`urn:uuid:${credentialId}`, 'Renewal']],
    );
    assert.equal((await credentialOf(credentialId)).status, 'active', 'the old badge is not revoked');

    const chain = await app.services.renewals.standingOf(credentialId);
    assert.equal(chain.renewedBy, renewed.credentialId);
    assert.deepEqual(
      chain.chain.map((link) => link.credentialId),
      [credentialId, renewed.credentialId],
    );
    const newer = await app.services.renewals.standingOf(renewed.credentialId);
    assert.equal(newer.renews, credentialId);

    const report = await app.services.verification.verifyObject(json);
    assert.equal(report.verified, true, JSON.stringify(report.checks));

    await assert.rejects(app.services.renewals.renew(learner.account!, credentialId), /already renewed/);

    // The register of issued badges shows when each expires, and that the old one was renewed.
    const staff = await (await aStaffMember(app, 'registrar')).signIn();
    const register = await staff.get(`/issuing/badges?search=${encodeURIComponent(learner.email)}`);
    assert.match(register.body, /<th scope="col">Expires<\/th>/);
    assert.match(
      register.body,
      /<td>January 10, 2028<div class="muted">Renewed December 31, 2027<\/div><\/td>/,
    );
  });

  test('an expired badge verifies as genuine but expired', async () => {
    const { credentialId } = await anExpiringBadge();
    const json = (await credentialOf(credentialId)).json;
    clock.set(new Date((await validUntilOf(credentialId)).getTime() + DAY));
    const report = await app.services.verification.verifyObject(json);
    assert.equal(report.checks.find((c) => c.id === 'proof')?.status, 'passed');
    assert.equal(report.checks.find((c) => c.id === 'dates')?.status, 'failed');
    assert.equal(report.verified, false);
    assert.equal(verdictWords(report), EXPIRED_VERDICT);
  });

  test('only the earner or the issuing office may renew a badge', async () => {
    const { credentialId, learner } = await anExpiringBadge();
    const other = await anIssuedBadge(app, { program: await aProgram(app) });
    clock.set(new Date((await validUntilOf(credentialId)).getTime() - 5 * DAY));
    await aCompletion(app, learner, refresher, { completedOn: '2027-12-20' });
    await assert.rejects(app.services.renewals.renew(other.learner.account!, credentialId), /Only the badge/);
    const lead = await aStaffMember(app, 'program_lead');
    await assert.rejects(app.services.renewals.renew(lead, credentialId), /Only the badge/);
    const office = await aStaffMember(app, 'registrar');
    const renewed = await app.services.renewals.renew(office, credentialId);
    assert.ok(renewed.credentialId);
  });
});

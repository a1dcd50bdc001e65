import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aBadgeRequest,
  aDepartment,
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { InsightRepository, type OverviewFilter } from './insight.repository.ts';
import { InsightFiguresRepository } from './insight-figures.repository.ts';

/** A small seeded generator, so a failing sequence can be run again from the seed it printed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SEED = Number(process.env.INSIGHT_FIGURES_SEED ?? Date.now() % 100_000);
const STEPS = Number(process.env.INSIGHT_FIGURES_STEPS ?? 24);

describe(`the overview's kept counts on ${testBackend} (seed ${SEED})`, () => {
  // Late in the evening in Vancouver, so a badge's day there is the day before its day in UTC.
  const clock = fixedClock('2026-03-31T06:30:00Z');
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false, clock, env: { STACKABLE_TIME_ZONE: 'America/Vancouver' } });
    await anInstitution(app);
  });
  after(() => app.close());

  /** Every kept figure against the live count, and the overview's sums from both for periods of every shape. */
  async function assertEqualToLive(step: string, timeZone: string, departments: string[]) {
    assert.deepEqual(await app.services.insightFigures.differences(), [], `after ${step}`);
    const db = app.database.db;
    const live = new InsightRepository();
    const kept = new InsightFiguresRepository();
    const periods: [string, string][] = [
      ['2025-04-01', '2026-03-30'],
      ['2026-01-12', '2026-04-30'],
      ['2026-03-05', '2026-03-20'],
      ['2026-02-15', '2026-03-31'],
      ['2025-12-31', '2026-01-01'],
    ];
    for (const [from, to] of periods) {
      for (const department of [undefined, ...departments]) {
        const filter: OverviewFilter = { from, to, ...(department ? { department } : {}) };
        const where = `${step}, ${from}..${to} ${department ?? ''}`;
        assert.deepEqual(
          sortBy(await kept.badgesPerMonth(db, filter), (r) => r.month),
          sortBy(await live.badgesPerMonth(db, filter, timeZone), (r) => r.month),
          where,
        );
        assert.deepEqual(
          await kept.badgeCounts(db, filter),
          await live.badgeCounts(db, filter, timeZone),
          where,
        );
        assert.deepEqual(
          sortBy(await kept.enrolmentPaths(db, filter), (r) => r.path),
          sortBy(await live.enrolmentPaths(db, filter), (r) => r.path),
          where,
        );
      }
    }
  }

  test('equal the live counts after every step of a random sequence of issues, answers, enrolments and revocations', async () => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const { timeZone } = await app.services.institution.display();
    assert.equal(timeZone, 'America/Vancouver');
    const departments = [
      (await aDepartment(app, { name: 'Kept Sciences' })).code,
      (await aDepartment(app, { name: 'Kept Arts' })).code,
    ];
    const programs: BuiltProgram[] = [];
    for (const department of [...departments, ...departments]) {
      programs.push(await aProgram(app, { department, status: 'established' }));
    }
    const admin = await aStaffMember(app, 'admin');
    await app.services.insightFigures.ensureBuilt();
    const badges: Awaited<ReturnType<typeof anIssuedBadge>>[] = [];
    const moments = [
      '2026-03-31T06:30:00Z',
      '2026-03-31T07:30:00Z',
      '2026-02-28T23:00:00Z',
      '2026-01-01T07:59:00Z',
    ];

    const actions: Record<string, () => Promise<unknown>> = {
      issue: async () => {
        clock.set(pick(moments));
        badges.push(await anIssuedBadge(app, { program: pick(programs), issuer: admin }));
      },
      'issue several at once': async () => {
        clock.set(pick(moments));
        const requests = [];
        for (let i = 0; i < 3; i += 1) requests.push(await aBadgeRequest(app, { program: pick(programs) }));
        for (const r of requests) await app.services.badgeRequests.decide(admin, r.request.id, 'approve', '');
        const outcome = await app.services.issuing.issueApprovedRequests(
          admin,
          'registrar',
          requests.map((r) => r.request.id),
        );
        assert.equal(outcome.issued.length, 3, JSON.stringify(outcome.refused));
        requests.forEach((r, i) => {
          badges.push({ ...r, credentialId: outcome.issued[i]!.credentialId, requestId: r.request.id });
        });
      },
      accept: async () => {
        const badge = badges.length > 0 ? pick(badges) : undefined;
        if (badge) await app.services.backpack.accept(badge.learner.account!, badge.credentialId);
      },
      decline: async () => {
        const badge = badges.length > 0 ? pick(badges) : undefined;
        if (badge) await app.services.backpack.decline(badge.learner.account!, badge.credentialId);
      },
      claim: async () => {
        const badge = badges.length > 0 ? pick(badges) : undefined;
        if (badge) await app.services.backpack.claimWaiting(badge.learner.account!, badge.credentialId);
      },
      'hide or show': async () => {
        const badge = badges.length > 0 ? pick(badges) : undefined;
        if (badge) {
          await app.services.backpack.setPublic(badge.learner.account!, badge.credentialId, next() < 0.5);
        }
      },
      revoke: async () => {
        const badge = badges.length > 0 ? pick(badges) : undefined;
        if (badge) {
          await app.services.credentials
            .changeStatus(admin, badge.credentialId, 'revoke', 'Awarded in error.')
            .catch((e: Error) => assert.match(e.message, /revoked|already/i));
        }
      },
      'enrol (as an import writes it)': async () => {
        const day = pick([
          '2026-01-01',
          '2026-01-31',
          '2026-02-15',
          '2026-03-05',
          '2026-03-31',
          '2025-12-31',
        ]);
        await anEnrolment(app, await aLearner(app), pick(programs), {
          path: pick(['new', 'non_degree', 'current', 'returning'] as const),
          enrolledOn: day,
        });
      },
      'enrol (the learner, on the site)': async () => {
        const learner = await aLearner(app, { status: 'current' });
        await app.services.learners.enrolCurrent(learner.account!, pick(programs).slug);
      },
    };
    const names = Object.keys(actions);
    await assertEqualToLive('the start', timeZone, departments);
    for (let step = 1; step <= STEPS; step += 1) {
      const name = step <= 2 ? 'issue' : pick(names);
      await actions[name]!();
      await assertEqualToLive(`step ${step} (${name})`, timeZone, departments);
    }
    const stored = await app.services.insightFigures.differences();
    assert.deepEqual(stored, []);
  });

  test('a rebuild writes what was kept; another time zone is rebuilt before the counts are read', async () => {
    const figures = app.services.insightFigures;
    const before = await new InsightFiguresRepository().storedBadgeDays(app.database.db);
    await figures.rebuild();
    const after = await new InsightFiguresRepository().storedBadgeDays(app.database.db);
    const key = (r: { program_id: string; day: string }) => `${r.program_id} ${r.day}`;
    assert.deepEqual(sortBy(after, key), sortBy(before, key));
    assert.ok(after.length > 0);
    const counts = await figures.overviewCounts(
      { from: '2025-01-01', to: '2026-12-31' },
      'Asia/Tokyo',
      () => true,
    );
    // The institution is still in Vancouver: counts in Tokyo's days cannot come from its rows.
    assert.equal(counts, undefined);
  });
});

function sortBy<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

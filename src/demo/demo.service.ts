import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { LearnersService } from '../learners/learners.service.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { ProgramServices } from '../programs/programs.wiring.ts';
import {
  DEMO_PASSWORD,
  type DemoUniversity,
  demoTerms,
  loadDemoUniversity,
  termEndDate,
} from './demo-data.ts';

/**
 * Activity other modules add on top of the demo data, through their own services so their rules apply:
 * badge requests for finished learners, the badges of those the data calls issued (issued by the offices' demo
 * staff through the issuing service, so each has its credential, fee and backpack item), proposals walked
 * part-way through their workflow.
 */
export interface DemoActivity {
  /** Runs in one transaction after the university is seeded. */
  withinTransaction(trx: Db, data: DemoUniversity): Promise<void>;
  /** Runs afterwards, for services that open their own transactions (issuing the badges the data calls issued). */
  afterwards(data: DemoUniversity): Promise<void>;
}

/**
 * The modules whose tables the demo fills, each writing its own rows through its service inside the seeding
 * transaction (the demo module owns no tables).
 */
export interface DemoOwners {
  accounts: AccountsService;
  institution: InstitutionService;
  catalog: CatalogService;
  programs: Pick<ProgramServices, 'seedDemoProgram'>;
  learners: LearnersService;
}

/** Fills an empty database with the fictional demo university, in one transaction. */
export class DemoService {
  constructor(
    private readonly database: Database,
    private readonly owners: DemoOwners,
    private readonly audit: AuditService,
    private readonly activity?: DemoActivity,
  ) {}

  /** Seeds once: returns the demo accounts when it seeded, or null when the institution already exists. */
  /**
   * The first start's demo: the university, then the activity of other modules. Tests that need a quiet
   * university (no requests, no proposals in flight) call `seedIfEmpty` alone.
   */
  async seedDemoWithActivity(data: DemoUniversity = loadDemoUniversity()) {
    const accounts = await this.seedIfEmpty(data);
    if (accounts && this.activity) {
      const activity = this.activity;
      await this.database.db.transaction().execute((trx) => activity.withinTransaction(trx, data));
      await activity.afterwards(data);
    }
    return accounts;
  }

  async seedIfEmpty(data: DemoUniversity = loadDemoUniversity()) {
    const seeded = await this.database.db.transaction().execute(async (trx) => {
      if (await this.owners.institution.findWithin(trx)) return null;
      const i = data.institution;
      await this.owners.institution.createWithin(trx, {
        name: i.name,
        short_name: i.shortName,
        url: i.url,
        admissions_url: i.admissionsUrl ?? '',
        email: i.email,
        phone: i.phone,
        address: i.address,
        description: i.description,
        primary_colour: i.colours.primary,
        accent_colour: i.colours.accent,
        academic_year_start_month: i.academicYearStartMonth,
        default_fee_cents: i.defaultFeeCents,
      });
      await this.owners.catalog.seedCatalogWithin(trx, {
        departments: data.departments,
        // The years around the one the demo is first started in, so that files about this year find their terms.
        terms: demoTerms(data, new Date().getUTCFullYear()),
        courses: data.courses,
        certificates: data.certificates.map((c) => ({
          slug: c.slug,
          title: c.title,
          description: c.description,
          level: c.level,
          credits_required: c.credits,
          is_transcripted: c.transcripted,
          badges_required: c.badgesRequired ?? null,
          outcome: c.outcome ?? null,
        })),
        certificateCourses: data.certificates.map((c) => ({ slug: c.slug, courses: c.courses })),
      });

      const userIds = new Map<string, string>();
      for (const u of data.users) {
        userIds.set(u.email, await this.owners.accounts.createUser(trx, { ...u, password: DEMO_PASSWORD }));
      }

      const programIds = new Map<string, string>();
      for (const p of data.programs) {
        const id = newId();
        programIds.set(p.slug, id);
        await this.owners.programs.seedDemoProgram(
          trx,
          {
            id,
            slug: p.slug,
            title: p.title,
            summary: p.summary,
            description: p.description,
            department_code: p.department,
            level: p.level,
            credits_min: p.credits.min,
            credits_max: p.credits.max,
            credit_type: p.creditType,
            status: p.status,
            pilot_start_year: p.pilotStartYear ?? null,
            fee_cents: p.feeCents,
            validity_years: p.validityYears ?? null,
            outcomes: JSON.stringify(p.outcomes),
            skills: JSON.stringify(p.skills),
            requirement: JSON.stringify(p.requirement),
            stacks_into: JSON.stringify(p.stacksInto),
            enrolment_paths: JSON.stringify(p.enrolmentPaths),
            lead_user_id: userIds.get(p.lead) ?? null,
          },
          p.courses,
        );
      }

      const courseCredits = new Map(data.courses.map((c) => [c.code, c.credits]));
      for (const l of data.learners) {
        const learnerId = newId();
        await this.owners.learners.seedDemoLearnerWithin(
          trx,
          {
            id: learnerId,
            user_id: userIds.get(l.email) ?? null,
            email: l.email,
            name: l.name,
            student_id: l.studentId,
            status: l.status,
          },
          l.enrolments.map((e) => ({
            enrolment: {
              id: newId(),
              learner_id: learnerId,
              program_id: programIds.get(e.program)!,
              path:
                l.status === 'non_degree_seeking'
                  ? 'non_degree'
                  : l.status === 'returning'
                    ? 'returning'
                    : 'current',
              enrolled_on: e.enrolledOn,
              status: e.stage === 'complete' || e.stage === 'badge_issued' ? 'completed' : 'active',
            },
            completions: e.completions.map((c) => ({
              id: newId(),
              learner_id: learnerId,
              course_code: c.course,
              term: c.term,
              grade: c.grade,
              credits: courseCredits.get(c.course) ?? 0,
              completed_on: termEndDate(c.term),
              source: 'demo',
            })),
          })),
        );
      }
      await this.audit.record(
        trx,
        { system: 'demo seed' },
        {
          action: 'demo.seeded',
          entityType: 'institution',
          entityId: '1',
          after: { programs: data.programs.length, learners: data.learners.length, users: data.users.length },
        },
      );
      return data.users.map((u) => ({
        email: u.email,
        name: u.name,
        roles: u.roles,
        password: DEMO_PASSWORD,
      }));
    });
    // A page read before the seed may have cached the placeholder settings; the seeded ones show from now on.
    if (seeded) this.owners.institution.forget();
    return seeded;
  }
}

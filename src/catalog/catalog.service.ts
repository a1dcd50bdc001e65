import type { Insertable } from 'kysely';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import type { CertificatesTable, Skill } from '../platform/db/schema.ts';
import { notFound } from '../platform/errors.ts';
import type { CreditType, DeliveryMode, EnrolmentPath, Level } from '../programs/program-vocabulary.ts';
import { describeRule, parseRule } from '../requirements/index.ts';
import { type CatalogFilter, CatalogRepository } from './catalog.repository.ts';
import { CatalogSeedRepository } from './catalog-seed.repository.ts';
import { CertificatesService } from './certificates.service.ts';
import type { JoinedProgram, JoinedProgramsLookup } from './joined-programs.ts';

/** A whole course catalog to write at once (the demo university's). */
export interface CatalogSeed {
  departments: { code: string; name: string }[];
  terms: { code: string; name: string; startsOn: string; endsOn: string }[];
  courses: { code: string; title: string; credits: number; level: Level }[];
  certificates: Insertable<CertificatesTable>[];
  certificateCourses: { slug: string; courses: { code: string; required: boolean }[] }[];
}

/** A program as the catalog lists it, with the viewer's enrolment in it (null for visitors and non-members). */
export type CatalogEntry = Awaited<ReturnType<CatalogRepository['search']>>[number] & {
  joined: JoinedProgram | null;
};

/** Everything a program's public page shows. */
export interface ProgramPage {
  slug: string;
  title: string;
  summary: string;
  description: string;
  department: string;
  level: Level;
  creditsMin: number;
  creditsMax: number;
  creditType: CreditType;
  /** Null for programs approved before proposals said how they are taught. */
  deliveryMode: DeliveryMode | null;
  /** Who the program is for; empty when the proposal did not say. */
  audience: string;
  isRetired: boolean;
  isPilot: boolean;
  feeCents: number;
  validityYears: number | null;
  outcomes: string[];
  skills: Skill[];
  requirementLines: string[];
  /** `isProposed`: named by the proposal, not yet confirmed by the registrar as a catalog course. */
  courses: { code: string; title: string; credits: number; isProposed: boolean }[];
  enrolmentPaths: EnrolmentPath[];
  /** The certificates this badge counts toward, with the credits each needs in all. */
  stacksInto: { slug: string; title: string; description: string; creditsRequired: number }[];
  companions: { slug: string; title: string }[];
  updatedAt: Date;
}

/** The public catalog: what a prospective learner may see. Unlisted programs do not exist here. */
export class CatalogService {
  /** Certificate pathways: part of the public catalog, so built and handed out with it. */
  readonly certificates: CertificatesService;

  constructor(
    private readonly database: Database,
    private readonly institution: InstitutionService,
    private readonly joinedPrograms: JoinedProgramsLookup,
    private readonly repository = new CatalogRepository(),
    private readonly seeds = new CatalogSeedRepository(),
  ) {
    this.certificates = new CertificatesService(database);
  }

  /** Writes a whole course catalog inside the caller's transaction: the demo university's, on first start. */
  async seedCatalogWithin(trx: Tx, catalog: CatalogSeed): Promise<void> {
    await this.seeds.insertDepartments(trx, catalog.departments);
    await this.seeds.insertTerms(trx, catalog.terms);
    // A demo course belongs to the department its subject names, where there is one (as the migration decided).
    const departments = new Set(catalog.departments.map((d) => d.code));
    await this.seeds.insertCourses(
      trx,
      catalog.courses.map((c) => {
        const subject = c.code.split(' ')[0] ?? '';
        return { ...c, departmentCode: departments.has(subject) ? subject : null };
      }),
    );
    await this.seeds.insertCertificates(trx, catalog.certificates);
    for (const c of catalog.certificateCourses) {
      await this.seeds.insertCertificateCourses(trx, c.slug, c.courses);
    }
  }

  /** The listed programs matching the filter, each with the viewer's enrolment in it when they are signed in. */
  async search(filter: CatalogFilter, viewer: Actor | null = null) {
    const db = this.database.db;
    const [programs, facets, joined] = await Promise.all([
      this.repository.search(db, filter),
      this.repository.facets(db),
      this.#joinedBy(viewer),
    ]);
    const entries: CatalogEntry[] = programs.map((p) => ({ ...p, joined: joined.get(p.slug) ?? null }));
    return { programs: entries, facets };
  }

  /** A listed program's page with the viewer's enrolment in it, so the page shows it instead of "Enrol". */
  async programPageFor(viewer: Actor | null, slug: string) {
    const [program, joined] = await Promise.all([this.programPage(slug), this.#joinedBy(viewer)]);
    return { program, joined: joined.get(slug) ?? null };
  }

  /** A listed program's page, or NOT_FOUND for unknown slugs and for programs that are not public (drafts). */
  async programPage(slug: string): Promise<ProgramPage> {
    const db = this.database.db;
    const p = await this.repository.findListed(db, slug);
    if (!p) throw notFound('That micro-credential');
    const [courses, stacksInto, companions] = await Promise.all([
      this.repository.coursesOf(db, p.id),
      this.repository.certificates(db, p.stacks_into, p.id),
      this.repository.companions(db, p.id, p.stacks_into),
    ]);
    const titles = new Map(courses.map((c) => [c.code, c.title]));
    return {
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      description: p.description,
      department: p.department,
      level: p.level,
      creditsMin: p.credits_min,
      creditsMax: p.credits_max,
      creditType: p.credit_type,
      deliveryMode: p.delivery_mode,
      audience: p.audience,
      isRetired: p.status === 'retired',
      isPilot: p.status === 'pilot',
      feeCents: p.fee_cents,
      validityYears: p.validity_years,
      outcomes: p.outcomes,
      skills: p.skills,
      requirementLines: describeRule(parseRule(p.requirement), titles),
      courses,
      enrolmentPaths: p.enrolment_paths,
      stacksInto,
      companions,
      updatedAt: p.updated_at,
    };
  }

  sitemap() {
    return this.repository.sitemapEntries(this.database.db);
  }

  institutionProfile() {
    return this.institution.get();
  }

  async #joinedBy(viewer: Actor | null): Promise<Map<string, JoinedProgram>> {
    if (!viewer) return new Map();
    return new Map((await this.joinedPrograms(viewer)).map((j) => [j.slug, j]));
  }
}

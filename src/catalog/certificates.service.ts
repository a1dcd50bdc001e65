import type { Actor } from '../platform/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import type { Level } from '../programs/program-vocabulary.ts';
import { isPassingGrade } from '../requirements/index.ts';
import { CertificatesRepository } from './certificates.repository.ts';
import {
  type BadgeStanding,
  type CreditPlan,
  type ExtraCourse,
  type LearnerStanding,
  orderStack,
  planCredits,
  type StackedBadge,
  type StandingSummary,
  sharedCourses,
  summariseStanding,
} from './pathway.ts';

export type CertificateEntry = Awaited<ReturnType<CertificatesRepository['list']>>[number];

/** A badge in the stack, as the pathway page and API show it. */
export type PathwayBadge = StackedBadge & { programId: string };

/** Everything a certificate's pathway page shows to anyone. */
export interface Pathway {
  slug: string;
  title: string;
  description: string;
  outcome: string | null;
  level: Level;
  creditsRequired: number;
  isTranscripted: boolean;
  badgesRequired: number | null;
  updatedAt: Date;
  /** Offered badges only, in suggested order. */
  stack: PathwayBadge[];
  courses: ExtraCourse[];
  plan: CreditPlan;
  shared: { code: string; badges: string[] }[];
}

/** The signed-in learner's own view of a pathway: never cached for anyone else. */
export interface PersonalStanding {
  standing: LearnerStanding;
  summary: StandingSummary;
}

/** Certificates as pathways built from badges and extra courses. Public data plus, for a learner, their place. */
export class CertificatesService {
  constructor(
    private readonly database: Database,
    private readonly repository = new CertificatesRepository(),
  ) {}

  list(): Promise<CertificateEntry[]> {
    return this.repository.list(this.database.db);
  }

  /** A certificate's pathway, or NOT_FOUND. Drafts that name the certificate are not part of it. */
  async pathway(slug: string): Promise<Pathway> {
    const db = this.database.db;
    const certificate = await this.repository.find(db, slug);
    if (!certificate) throw notFound('That certificate');
    const [rows, courses] = await Promise.all([
      this.repository.stack(db, slug),
      this.repository.extraCourses(db, slug),
    ]);
    const stack = orderStack(
      rows.map((r) => ({
        programId: r.id,
        slug: r.slug,
        title: r.title,
        summary: r.summary,
        level: r.level,
        creditsMin: r.creditsMin,
        creditsMax: r.creditsMax,
        creditType: r.creditType,
        isPilot: r.status === 'pilot',
        courseCodes: r.courseCodes,
      })),
    );
    return {
      ...certificate,
      stack,
      courses,
      plan: planCredits(certificate, stack, courses),
      shared: sharedCourses(stack),
    };
  }

  /**
   * Where the signed-in person stands on a pathway: badges held (active credential) or earned (enrolment
   * completed, badge not yet issued), enrolments under way, extra courses passed. Null without a learner record.
   */
  async standing(actor: Actor, pathway: Pathway): Promise<PersonalStanding | null> {
    const found = await this.repository.standing(
      this.database.db,
      actor.id,
      pathway.stack.map((b) => b.programId),
      pathway.courses.map((c) => c.code),
    );
    if (!found) return null;
    const slugOf = new Map(pathway.stack.map((b) => [b.programId, b.slug]));
    const badges = new Map<string, BadgeStanding>();
    const mark = (programId: string, state: BadgeStanding) => {
      const slug = slugOf.get(programId);
      if (slug) badges.set(slug, state);
    };
    for (const e of found.enrolments) mark(e.programId, e.status === 'completed' ? 'earned' : 'enrolled');
    // A badge actually held outranks whatever its enrolment says.
    for (const c of found.badges) mark(c.programId, 'held');
    const completedCourses = new Set(
      found.completions.filter((c) => isPassingGrade(c.grade)).map((c) => c.code),
    );
    const standing = { badges, completedCourses };
    return { standing, summary: summariseStanding(pathway.plan, pathway.stack, pathway.courses, standing) };
  }

  /**
   * Every certificate the signed-in learner's badges stack into (held or under way), each with its pathway and
   * where they stand on it: for the learner's own progress page. Empty for people without a learner record.
   */
  async learnerCertificates(actor: Actor): Promise<{ pathway: Pathway; personal: PersonalStanding }[]> {
    const slugs = await this.repository.certificatesOfUser(this.database.db, actor.id);
    const found = [];
    for (const slug of slugs) {
      const pathway = await this.pathway(slug);
      const personal = await this.standing(actor, pathway);
      if (personal) found.push({ pathway, personal });
    }
    return found;
  }

  sitemap() {
    return this.repository.sitemapEntries(this.database.db);
  }
}

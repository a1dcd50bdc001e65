import type { Actor } from '../platform/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { type AdminGroup, adminScreensFor } from './admin-screens.ts';
import { homeSectionsFor } from './home.policy.ts';
import { HomeRepository } from './home.repository.ts';

/** What the home pages need from the institution's profile (the institution module answers, wired in app.ts). */
export interface InstitutionFacts {
  /** The public home page's introduction; empty when none is written. */
  introduction: string;
  isSetUp: boolean;
}

const noFacts = async (): Promise<InstitutionFacts> => ({ introduction: '', isSetUp: true });

/** What the public home page and each role's home page show. */
export class HomeService {
  constructor(
    private readonly database: Database,
    private readonly institutionFacts: () => Promise<InstitutionFacts> = noFacts,
    private readonly repository = new HomeRepository(),
  ) {}

  async publicHome() {
    const db = this.database.db;
    const [figures, featured, facts] = await Promise.all([
      this.repository.publicFigures(db),
      this.repository.featuredPrograms(db, 6),
      this.institutionFacts(),
    ]);
    return { figures, featured, introduction: facts.introduction };
  }

  /** Only the sections for the roles the person holds are loaded. */
  async roleHome(actor: Actor) {
    const db = this.database.db;
    const sections = homeSectionsFor(actor);
    const [enrolments, ledPrograms, programsByStatus, staff, facts] = await Promise.all([
      sections.ownEnrolments ? this.repository.enrolmentsOf(db, actor.id) : [],
      sections.ledPrograms ? this.repository.programsLedBy(db, actor.id) : [],
      sections.staffFigures ? this.repository.programsByStatus(db) : {},
      sections.staffFigures ? this.repository.staffFigures(db) : null,
      sections.institutionSetup ? this.institutionFacts() : null,
    ]);
    const needsInstitutionSetup = facts !== null && !facts.isSetUp;
    return { sections, enrolments, ledPrograms, programsByStatus, staff, needsInstitutionSetup };
  }

  /** The administration index: the settings screens this person's roles open, grouped. */
  administration(actor: Actor): AdminGroup[] {
    return adminScreensFor(actor);
  }
}

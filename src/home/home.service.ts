import type { Actor } from '../platform/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { homeSectionsFor } from './home.policy.ts';
import { HomeRepository } from './home.repository.ts';

/** What the public home page and each role's home page show. */
export class HomeService {
  constructor(
    private readonly database: Database,
    private readonly repository = new HomeRepository(),
  ) {}

  async publicHome() {
    const db = this.database.db;
    const [figures, featured] = await Promise.all([
      this.repository.publicFigures(db),
      this.repository.featuredPrograms(db, 6),
    ]);
    return { figures, featured };
  }

  /** Only the sections for the roles the person holds are loaded. */
  async roleHome(actor: Actor) {
    const db = this.database.db;
    const sections = homeSectionsFor(actor);
    const [enrolments, ledPrograms, programsByStatus, staff] = await Promise.all([
      sections.ownEnrolments ? this.repository.enrolmentsOf(db, actor.id) : [],
      sections.ledPrograms ? this.repository.programsLedBy(db, actor.id) : [],
      sections.staffFigures ? this.repository.programsByStatus(db) : {},
      sections.staffFigures ? this.repository.staffFigures(db) : null,
    ]);
    return { sections, enrolments, ledPrograms, programsByStatus, staff };
  }
}

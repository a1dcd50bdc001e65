import { type Actor, hasRole } from '../platform/actor.ts';
import type { Database } from '../platform/db/database.ts';
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
    const isStaff = hasRole(actor, 'credentials_office', 'registrar', 'bursar', 'approver', 'admin');
    const [enrolments, ledPrograms, programsByStatus, staff] = await Promise.all([
      hasRole(actor, 'learner') ? this.repository.enrolmentsOf(db, actor.id) : [],
      hasRole(actor, 'program_lead') ? this.repository.programsLedBy(db, actor.id) : [],
      isStaff ? this.repository.programsByStatus(db) : {},
      isStaff ? this.repository.staffFigures(db) : null,
    ]);
    return { enrolments, ledPrograms, programsByStatus, staff };
  }
}

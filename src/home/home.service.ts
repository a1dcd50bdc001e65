import type { Actor } from '../platform/actor.ts';
import type { Database } from '../platform/db/database.ts';
import { awardStatusOf } from '../progress/award-status.ts';
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

/** Something a program lead owes on one of their programs: a review or a decision (the programs module answers). */
export interface LeadDuty {
  kind: string;
  programId: string;
  title: string;
  label: string;
  dueOn: string;
  /** Days late, or days left. */
  days: number;
  /** Where the lead does it. */
  path: string;
}

export interface LeadDuties {
  overdue: readonly LeadDuty[];
  dueSoon: readonly LeadDuty[];
}

const noDuties = async (): Promise<LeadDuties> => ({ overdue: [], dueSoon: [] });

/** Programs a lead sees per page of their home: with 20 or more, the list is paged rather than endless. */
export const LED_PAGE_SIZE = 10;

/** What the public home page and each role's home page show. */
export class HomeService {
  constructor(
    private readonly database: Database,
    private readonly institutionFacts: () => Promise<InstitutionFacts> = noFacts,
    private readonly leadDuties: (actor: Actor) => Promise<LeadDuties> = noDuties,
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

  /**
   * Only the sections for the roles the person holds are loaded. A lead's programs come a page at a time
   * (`ledPage`, from 1), and what they owe comes first: overdue reviews and decisions, what falls due soon, and
   * proposals returned to them for changes.
   */
  async roleHome(actor: Actor, ledPage = 1) {
    const db = this.database.db;
    const sections = homeSectionsFor(actor);
    const [enrolments, allLed, programsByStatus, staff, facts, duties] = await Promise.all([
      sections.ownEnrolments ? this.repository.enrolmentsOf(db, actor.id) : [],
      sections.ledPrograms ? this.repository.programsLedBy(db, actor.id) : [],
      sections.staffFigures ? this.repository.programsByStatus(db) : {},
      sections.staffFigures ? this.repository.staffFigures(db) : null,
      sections.institutionSetup ? this.institutionFacts() : null,
      sections.ledPrograms ? this.leadDuties(actor) : noDuties(),
    ]);
    const needsInstitutionSetup = facts !== null && !facts.isSetUp;
    const pages = Math.max(1, Math.ceil(allLed.length / LED_PAGE_SIZE));
    const page = Math.min(Math.max(1, ledPage), pages);
    const ledPrograms = allLed.slice((page - 1) * LED_PAGE_SIZE, page * LED_PAGE_SIZE);
    const returned = allLed.filter((p) => p.status === 'changes_requested');
    return {
      sections,
      enrolments: sections.ownEnrolments ? await this.#withAwardStatus(actor.id, enrolments) : [],
      ledPrograms,
      led: { page, pages, total: allLed.length },
      duties: { ...duties, returned },
      programsByStatus,
      staff,
      needsInstitutionSetup,
    };
  }

  /** Each enrolment with its badge's status, by the one rule every page uses (awardStatusOf). */
  async #withAwardStatus<T extends { programId: string }>(userId: string, enrolments: readonly T[]) {
    const db = this.database.db;
    const [requests, credentials] = await Promise.all([
      this.repository.requestsOf(db, userId),
      this.repository.credentialsOf(db, userId),
    ]);
    // Both lists are oldest first, so the latest of each program is the one left in the map.
    const latestRequest = new Map(requests.map((r) => [r.programId, r]));
    const latestCredential = new Map(credentials.map((c) => [c.programId, c]));
    return enrolments.map((enrolment) => {
      const credential = latestCredential.get(enrolment.programId);
      return {
        ...enrolment,
        awardStatus: awardStatusOf({
          request: latestRequest.get(enrolment.programId) ?? null,
          credential: credential
            ? { status: credential.status, isClaimed: credential.claimedAt !== null }
            : null,
        }),
      };
    });
  }

  /** The administration index: the settings screens this person's roles open, grouped. */
  administration(actor: Actor): AdminGroup[] {
    return adminScreensFor(actor);
  }
}

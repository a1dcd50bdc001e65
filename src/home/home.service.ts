import type { Actor } from '../platform/actor.ts';
import type { Database } from '../platform/db/database.ts';
import type { ProgramState } from '../programs/program-vocabulary.ts';
import { awardStatusOf } from '../progress/award-status.ts';
import { type AdminGroup, adminScreensFor } from './admin-screens.ts';
import { type HomeSections, homeSectionsFor } from './home.policy.ts';
import { HomeRepository } from './home.repository.ts';
import { type LedSort, sortLedPrograms } from './led-programs.ts';
import { bursarQueue, officeQueue, registrarQueue, type StaffQueue } from './staff-queues.ts';

/** What the home pages need from the institution's profile (the institution module answers, wired in app.ts). */
export interface InstitutionFacts {
  /** The public home page's introduction; empty when none is written. */
  introduction: string;
  isSetUp: boolean;
}

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

/**
 * What the home asks of the modules that own the figures, handed over in app.ts (the home module reads their
 * published pieces for simple counts, and asks their services where a rule decides what counts).
 */
export interface HomeLookups {
  institutionFacts(): Promise<InstitutionFacts>;
  /** What is overdue on the lead's programs, and what falls due within `windowDays`. */
  leadDuties(actor: Actor, windowDays: number): Promise<LeadDuties>;
  /** Reviews and decisions overdue or due within 30 days, across every program. */
  reviewsDue(actor: Actor): Promise<{ overdue: number; dueSoon: number }>;
  /** Tracking lists waiting for the person's offices. */
  listsWaiting(actor: Actor): Promise<{ waiting: number; failed: number }>;
  registrarPending(actor: Actor): Promise<{ additions: number; withdrawals: number }>;
  bursarPending(actor: Actor): Promise<{ charges: number; reversals: number; toReview: number }>;
  /** Of these programs, the approval step each one under review waits on, by id: who decides it. */
  waitingSteps(
    programs: readonly { id: string; status: ProgramState }[],
  ): Promise<ReadonlyMap<string, { name: string; person?: { name: string } | undefined }>>;
}

const noDuties: LeadDuties = { overdue: [], dueSoon: [] };

/** Programs a lead sees per page of their home: with 20 or more, the list is paged rather than endless. */
export const LED_PAGE_SIZE = 10;
/** How far ahead a program's next due date is looked for: every review and decision a pilot can have. */
const NEXT_DUE_WINDOW_DAYS = 3660;
/** What the lead's panel of duties calls "due soon". */
const DUE_SOON_DAYS = 30;

/** How the lead's programs are paged and sorted, from the address. */
export interface LedView {
  page: number;
  sort: LedSort;
}

const defaultLedView: LedView = { page: 1, sort: { key: 'title', order: 'asc' } };

/** What the public home page and each role's home page show. */
export class HomeService {
  constructor(
    private readonly database: Database,
    private readonly lookups: HomeLookups,
    private readonly repository = new HomeRepository(),
  ) {}

  async publicHome() {
    const db = this.database.db;
    const [figures, featured, facts] = await Promise.all([
      this.repository.publicFigures(db),
      this.repository.featuredPrograms(db, 6),
      this.lookups.institutionFacts(),
    ]);
    return { figures, featured, introduction: facts.introduction };
  }

  /**
   * Only the sections for the roles the person holds are loaded. A lead's programs come sorted as asked and a
   * page at a time, and what they owe comes first: overdue reviews and decisions, what falls due soon, and
   * proposals returned to them for changes. The offices see their queues and pending exports.
   */
  async roleHome(actor: Actor, view: LedView = defaultLedView) {
    const db = this.database.db;
    const sections = homeSectionsFor(actor);
    // Counted once, for the section that shows it and the office's queue alike (awaited in the list below too, so
    // a failure is handled there whichever reads it first).
    const failedMailCount = sections.outgoingMail
      ? this.repository.failedMailCount(db)
      : Promise.resolve(null);
    const [enrolments, allLed, programsByStatus, figures, accounts, failedMail, facts, duties, queues] =
      await Promise.all([
        sections.ownEnrolments ? this.repository.enrolmentsOf(db, actor.id) : [],
        sections.ledPrograms ? this.repository.programsLedBy(db, actor.id) : [],
        sections.staffFigures ? this.repository.programsByStatus(db) : {},
        sections.staffFigures ? this.repository.institutionFigures(db) : null,
        sections.administration ? this.repository.accountCount(db) : null,
        failedMailCount,
        sections.institutionSetup ? this.lookups.institutionFacts() : null,
        sections.ledPrograms ? this.lookups.leadDuties(actor, NEXT_DUE_WINDOW_DAYS) : noDuties,
        this.#queues(actor, sections, failedMailCount),
      ]);
    const needsInstitutionSetup = facts !== null && !facts.isSetUp;
    const nextDue = new Map<string, string>();
    for (const duty of [...duties.overdue, ...duties.dueSoon]) {
      const known = nextDue.get(duty.programId);
      if (!known || duty.dueOn < known) nextDue.set(duty.programId, duty.dueOn);
    }
    const rows = sortLedPrograms(
      allLed.map((p) => ({ ...p, nextDue: nextDue.get(p.id) ?? null })),
      view.sort,
    );
    const pages = Math.max(1, Math.ceil(rows.length / LED_PAGE_SIZE));
    const page = Math.min(Math.max(1, view.page), pages);
    const shown = rows.slice((page - 1) * LED_PAGE_SIZE, page * LED_PAGE_SIZE);
    // A proposal under review says who decides it now (the step of its chain), not only that it is under review.
    const waiting = await this.lookups.waitingSteps(shown);
    const ledPrograms = shown.map((p) => ({ ...p, waitingOn: waiting.get(p.id) }));
    const returned = allLed.filter((p) => p.status === 'changes_requested');
    return {
      sections,
      enrolments: sections.ownEnrolments ? await this.#withAwardStatus(actor.id, enrolments) : [],
      ledPrograms,
      led: { page, pages, total: allLed.length, sort: view.sort },
      duties: {
        overdue: duties.overdue,
        dueSoon: duties.dueSoon.filter((d) => d.days <= DUE_SOON_DAYS),
        returned,
      },
      queues,
      programsByStatus,
      figures,
      failedMail,
      accounts,
      needsInstitutionSetup,
    };
  }

  /** The offices' queues this person sees, each counted by the module that owns the work. */
  async #queues(
    actor: Actor,
    sections: HomeSections,
    failedMail: Promise<number | null>,
  ): Promise<StaffQueue[]> {
    const db = this.database.db;
    const [office, registrar, bursar] = await Promise.all([
      sections.officeQueues
        ? Promise.all([
            this.repository.requestCounts(db),
            this.lookups.listsWaiting(actor),
            this.lookups.reviewsDue(actor),
            failedMail,
          ]).then(([requests, lists, reviews, failed]) =>
            officeQueue({
              requestsToDecide: requests.toDecide,
              requestsToIssue: requests.toIssue,
              lists,
              reviews,
              failedMail: failed,
            }),
          )
        : null,
      sections.registrarExports ? this.lookups.registrarPending(actor).then(registrarQueue) : null,
      sections.bursarExports ? this.lookups.bursarPending(actor).then(bursarQueue) : null,
    ]);
    return [office, registrar, bursar].filter((queue) => queue !== null);
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

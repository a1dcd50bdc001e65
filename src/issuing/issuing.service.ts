import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { toCsv } from '../platform/csv.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, invalid, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import type { BadgeRequestsService, BadgeRequestView } from '../progress/badge-requests.service.ts';
import { type AwardIssuer, isDuplicateAward, isRowRefusal } from './award-issuer.ts';
import { type ConfirmationProblem, confirmationProblem, confirmationToken } from './issue-confirmation.ts';
import { EXPORT_REFUSAL, issueRefusal, mayDo } from './issuing.policy.ts';
import {
  type IssuingProgram,
  type IssuingRepository,
  pairKey,
  type RegistrarLine,
} from './issuing.repository.ts';
import type { CreditMode, Office } from './issuing.tables.ts';
import { creditModeFor, officeLabels, officesForRequest, officesOf } from './offices.ts';

/** An approved request in an office's queue, with what issuing it would mean. */
export interface QueueItem {
  request: BadgeRequestView;
  program: IssuingProgram;
  creditMode: CreditMode;
  /** Both offices see a hybrid program's request until a cohort list says which one issues it. */
  sharedWith: Office | null;
  /** False for the person's own request (`issueRefusal`): their queue shows it without offering to issue it. */
  canIssue: boolean;
}

export interface IssueOutcome {
  issued: { requestId: string; credentialId: string; learnerName: string; programTitle: string }[];
  refused: { requestId: string; who: string; reason: string }[];
}

/** What issuing a selection would do, shown for the person to confirm before anything is signed or charged. */
export interface IssueConfirmation {
  office: Office;
  /** The requests that would be issued, with the fee each would charge. */
  items: QueueItem[];
  /** Requests chosen that would not be issued, and why. */
  refused: IssueOutcome['refused'];
  totalCents: number;
  /** The summary's fingerprint, which the confirming POST carries back (see issue-confirmation.ts). */
  token: string;
}

/** A confirmed POST: either the badges were issued, or the summary is shown again and why. */
export type ConfirmedIssue =
  | { kind: 'issued'; outcome: IssueOutcome }
  | { kind: 'confirm'; confirmation: IssueConfirmation; problem: ConfirmationProblem };

/** An approved request with its program, the cohort's credit mode if a list named one, and the offices that may issue it. */
interface Approved {
  request: BadgeRequestView;
  program: IssuingProgram;
  cohortMode: CreditMode | undefined;
  offices: Office[];
}

/** Most requests issued by one click; a larger selection is refused rather than left half-done by a timeout. */
export const maxBulkIssue = 100;
const recentLimit = 25;

/**
 * The registrar's file for the student system. `action` is `add` for a new transcript notation and `withdraw`
 * for one whose badge was revoked after it was sent (`revoked_on` says when).
 */
export const registrarCsvHeader = [
  'action',
  'student_id',
  'learner_name',
  'program',
  'transcript_notation',
  'credits',
  'term',
  'completion_date',
  'issued_on',
  'credential_id',
  'credential_url',
  'revoked_on',
] as const;

/** The requests chosen to issue, each once: at least one, and no more than one go may take. */
function chosenRequests(requestIds: readonly string[]): string[] {
  const ids = [...new Set(requestIds)];
  if (ids.length === 0)
    throw invalid([{ field: 'requestIds', reason: 'choose at least one request to issue' }]);
  if (ids.length > maxBulkIssue) {
    throw invalid([{ field: 'requestIds', reason: `choose at most ${maxBulkIssue} requests at a time` }]);
  }
  return ids;
}

/**
 * The issuing queue: badge requests approved by program leads, shown to the office that issues them and
 * issued one at a time or in a selection, plus the registrar's transcript exports of credit-bearing awards.
 */
export class IssuingService {
  constructor(
    private readonly database: Database,
    private readonly badgeRequests: BadgeRequestsService,
    private readonly issuer: AwardIssuer,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: IssuingRepository,
    private readonly settings: { publicUrl: string },
  ) {}

  /** Fault injection for tests (see IssuingFaults); shared with the tracking lists, which use the same issuer. */
  get faults() {
    return this.issuer.faults;
  }

  /** The offices this person works in, and the one a page shows (the one asked for, or their first). */
  officeView(actor: Actor, asked?: string): { offices: Office[]; office: Office } {
    const offices = officesOf(actor);
    const office = (asked ?? offices[0]) as Office | undefined;
    if (!office || !offices.includes(office)) {
      throw forbidden('Issuing is done by the registrar and the credentials office.');
    }
    return { offices, office };
  }

  /** Approved requests waiting for this office, oldest first, and the badges it issued most recently. */
  async queue(actor: Actor, asked?: string) {
    const { offices, office } = this.officeView(actor, asked);
    const items = this.#queueItems(actor, await this.#approved(), office);
    const recent = await this.repository.recentAwards(this.database.db, [office], recentLimit);
    return { offices, office, items, recent };
  }

  #queueItems(actor: Actor, approved: Approved[], office: Office): QueueItem[] {
    return approved
      .filter((item) => item.offices.includes(office))
      .map(({ offices: seenBy, cohortMode, ...item }) => ({
        ...item,
        creditMode: creditModeFor(item.program, cohortMode, office),
        sharedWith: seenBy.find((other) => other !== office) ?? null,
        canIssue: issueRefusal(actor, item.request) === undefined,
      }));
  }

  /**
   * What issuing these requests would do for this office: who gets which badge, for what fee, and which of the
   * chosen requests would not be issued. Nothing is written.
   */
  async issueConfirmation(
    actor: Actor,
    asked: string,
    requestIds: readonly string[],
  ): Promise<IssueConfirmation> {
    const { office } = this.officeView(actor, asked);
    const ids = chosenRequests(requestIds);
    const approved = await this.#approved();
    const waiting = new Map(this.#queueItems(actor, approved, office).map((item) => [item.request.id, item]));
    const others = new Map(approved.map((item) => [item.request.id, item]));
    const items: QueueItem[] = [];
    const refused: IssueOutcome['refused'] = [];
    for (const id of ids) {
      const item = waiting.get(id);
      if (item) {
        const own = issueRefusal(actor, item.request);
        if (own) {
          refused.push({
            requestId: id,
            who: `${item.request.learnerName} (${item.program.title})`,
            reason: own,
          });
        } else {
          items.push(item);
        }
        continue;
      }
      const elsewhere = isUuid(id) ? others.get(id) : undefined;
      refused.push(
        elsewhere
          ? {
              requestId: id,
              who: `${elsewhere.request.learnerName} (${elsewhere.program.title})`,
              reason: `is issued by the ${elsewhere.offices.map((o) => officeLabels[o].toLowerCase()).join(' or ')}.`,
            }
          : { requestId: id, who: 'A request', reason: 'is no longer waiting to be issued.' },
      );
    }
    items.sort((a, b) => a.request.id.localeCompare(b.request.id));
    const token = confirmationToken([
      office,
      ...items.flatMap((i) => [i.request.id, i.program.id, i.program.feeCents, i.creditMode]),
      ...refused.map((r) => r.requestId).sort(),
    ]);
    const totalCents = items.reduce((sum, item) => sum + item.program.feeCents, 0);
    return { office, items, refused, totalCents, token };
  }

  /**
   * Issues the chosen requests only when `token` confirms the summary as it stands now; otherwise issues nothing
   * and returns the summary to show again. This is how people issue: the signing and the charge follow a "Yes".
   */
  async issueConfirmed(
    actor: Actor,
    asked: string,
    requestIds: readonly string[],
    token: string | undefined,
  ): Promise<ConfirmedIssue> {
    const confirmation = await this.issueConfirmation(actor, asked, requestIds);
    const problem =
      confirmationProblem(token, confirmation.token) ?? (confirmation.items.length === 0 ? 'changed' : null);
    if (problem) return { kind: 'confirm', confirmation, problem };
    const ids = confirmation.items.map((item) => item.request.id);
    return { kind: 'issued', outcome: await this.issueApprovedRequests(actor, confirmation.office, ids) };
  }

  /**
   * Issues the chosen approved requests for one office, each in its own transaction (credential, fee,
   * request marked issued, claim mail). A request that cannot be issued is reported and the rest go on.
   */
  async issueApprovedRequests(
    actor: Actor,
    asked: string,
    requestIds: readonly string[],
  ): Promise<IssueOutcome> {
    const { office } = this.officeView(actor, asked);
    const ids = chosenRequests(requestIds);
    const waiting = new Map((await this.#approved()).map((item) => [item.request.id, item]));
    const outcome: IssueOutcome = { issued: [], refused: [] };
    for (const id of ids) {
      const item = isUuid(id) ? waiting.get(id) : undefined;
      if (!item) {
        outcome.refused.push({
          requestId: id,
          who: 'A request',
          reason: 'is no longer waiting to be issued.',
        });
        continue;
      }
      const { request, program } = item;
      const who = `${request.learnerName} (${program.title})`;
      if (!item.offices.includes(office)) {
        const owner = item.offices.map((o) => officeLabels[o].toLowerCase()).join(' or ');
        outcome.refused.push({ requestId: id, who, reason: `is issued by the ${owner}.` });
        continue;
      }
      const own = issueRefusal(actor, request);
      if (own) {
        outcome.refused.push({ requestId: id, who, reason: own });
        continue;
      }
      try {
        const issued = await this.database.db.transaction().execute(async (trx) => {
          const completion = await this.badgeRequests.completionOf(trx, request);
          return this.issuer.issue(trx, actor, {
            learner: {
              id: request.learnerId,
              studentId: request.studentId,
              email: request.learnerEmail,
              name: request.learnerName,
            },
            program,
            office,
            creditMode: creditModeFor(program, item.cohortMode, office),
            source: { kind: 'badge_request', requestId: request.id },
            term: completion.term,
            completionDate: completion.completedOn,
          });
        });
        outcome.issued.push({
          requestId: id,
          credentialId: issued.credentialId,
          learnerName: request.learnerName,
          programTitle: program.title,
        });
      } catch (error) {
        if (isDuplicateAward(error)) {
          outcome.refused.push({ requestId: id, who, reason: 'was issued by someone else a moment ago.' });
        } else if (isRowRefusal(error)) {
          outcome.refused.push({ requestId: id, who, reason: error.publicMessage });
        } else {
          throw error;
        }
      }
    }
    return outcome;
  }

  /**
   * The demo's finished learners whose badge the data calls issued: their approved requests (the progress module
   * seeded them) issued by each office's demo staff member exactly as that person would issue them, so each has a
   * signed credential, a fee and a badge in the backpack. Returns how many were issued.
   */
  async issueDemoBadges(staff: readonly Actor[]): Promise<number> {
    let issued = 0;
    for (const office of ['registrar', 'credentials_office'] as const) {
      const issuer = staff.find((person) => officesOf(person).includes(office));
      if (!issuer) continue;
      const items = (await this.queue(issuer, office)).items.filter((item) => item.canIssue);
      if (items.length === 0) continue;
      const outcome = await this.issueApprovedRequests(
        issuer,
        office,
        items.map((item) => item.request.id),
      );
      issued += outcome.issued.length;
    }
    return issued;
  }

  async #approved(): Promise<Approved[]> {
    const db = this.database.db;
    const requests = await this.badgeRequests.listApprovedRequests();
    const programs = new Map(
      (await this.repository.programsByIds(db, [...new Set(requests.map((r) => r.programId))])).map((p) => [
        p.id,
        p,
      ]),
    );
    const hybrid = requests.filter((r) => programs.get(r.programId)?.creditType === 'hybrid');
    const cohorts = await this.repository.cohortModes(db, hybrid);
    return requests.flatMap((request) => {
      const program = programs.get(request.programId);
      if (!program) return [];
      const cohortMode = cohorts.get(pairKey(request.learnerId, request.programId));
      return [{ request, program, cohortMode, offices: officesForRequest(program, cohortMode) }];
    });
  }

  // ---- registrar exports ----

  async registrarExports() {
    const db = this.database.db;
    const [pending, batches] = await Promise.all([
      this.repository.pendingRegistrar(db),
      this.repository.listRegistrarExports(db, 50),
    ]);
    return { pending, batches };
  }

  /** What the next registrar export would carry, for the home of those who make it (refused to anyone else). */
  async pendingRegistrarExport(actor: Actor): Promise<{ additions: number; withdrawals: number }> {
    if (!mayDo(actor, 'export_for_registrar')) throw forbidden(EXPORT_REFUSAL);
    return this.repository.pendingRegistrar(this.database.db);
  }

  /**
   * Every credit-bearing award not yet sent to the student system, as transcript notations, and every sent one
   * revoked since, as withdrawals, marked with a new export batch in the same transaction. Just the header
   * when there is nothing new (no batch is kept).
   */
  async exportForRegistrar(actor: Actor): Promise<{ batchId: string | null; csv: string; lines: number }> {
    if (!mayDo(actor, 'export_for_registrar')) throw forbidden(EXPORT_REFUSAL);
    return this.database.db.transaction().execute(async (trx) => {
      const batchId = newId();
      await this.repository.createRegistrarExport(trx, {
        id: batchId,
        createdBy: actor.id,
        createdByLabel: `${actor.name} <${actor.email}>`,
        createdAt: this.clock.now(),
      });
      const claimed = await this.repository.claimForRegistrar(trx, batchId);
      if (claimed.additions + claimed.withdrawals === 0) {
        await this.repository.deleteRegistrarExport(trx, batchId);
        return { batchId: null, csv: this.#registrarCsv([]), lines: 0 };
      }
      await this.repository.finishRegistrarExport(trx, batchId, claimed);
      await this.audit.record(trx, actor, {
        action: 'issuing.registrar_exported',
        entityType: 'registrar_export',
        entityId: batchId,
        after: { rows: claimed.additions, withdrawals: claimed.withdrawals },
      });
      const lines = await this.repository.registrarLines(trx, batchId);
      return { batchId, csv: this.#registrarCsv(lines), lines: lines.length };
    });
  }

  async registrarExportCsv(batchId: string): Promise<{ csv: string; createdAt: Date }> {
    const db = this.database.db;
    const batch = isUuid(batchId) ? await this.repository.findRegistrarExport(db, batchId) : undefined;
    if (!batch) throw notFound('That export');
    return {
      csv: this.#registrarCsv(await this.repository.registrarLines(db, batch.id)),
      createdAt: batch.created_at,
    };
  }

  #registrarCsv(lines: readonly RegistrarLine[]): string {
    return toCsv([
      [...registrarCsvHeader],
      ...lines.map((award) => [
        award.action,
        award.studentId,
        award.learnerName,
        award.programSlug,
        `Micro-credential: ${award.programTitle}`,
        award.credits,
        award.term ?? '',
        award.completionDate ?? '',
        award.issuedAt.toISOString().slice(0, 10),
        award.credentialId,
        `${this.settings.publicUrl}/credentials/${award.credentialId}`,
        award.revokedAt ? award.revokedAt.toISOString().slice(0, 10) : '',
      ]),
    ]);
  }
}

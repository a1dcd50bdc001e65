import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { AppError, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import {
  type ApprovalChain,
  type ApprovalStep,
  fullProposalChain,
  modificationChain,
  pilotChain,
  validateChain,
} from './approval-chain.ts';
import { applyChainEdit, type ChainEdit, isSameChain } from './approval-chain-edits.ts';
import { ApprovalChainsRepository } from './approval-chains.repository.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { FULL_CHAIN_STATES, PILOT_CHAIN_STATES } from './program-vocabulary.ts';
import { mayDo } from './programs.policy.ts';

/** The two chains the lifecycle uses: approval for a pilot, and the full proposal that makes it permanent. */
export interface ProgramChains {
  pilot: ApprovalChain;
  full: ApprovalChain;
}

export type ChainKey = 'pilot' | 'full_proposal' | 'modification';

/** The chains the lifecycle knows, with their built-in defaults (used until the institution stores its own). */
const defaults: Readonly<Record<ChainKey, ApprovalChain>> = {
  pilot: pilotChain,
  full_proposal: fullProposalChain,
  modification: modificationChain,
};

/**
 * Where a proposal is while it is reviewed under each chain: changing the chain then leaves it alone. A change
 * to an approved program keeps its copy on the change itself, whatever the program's state.
 */
const underReview: Readonly<Record<Exclude<ChainKey, 'modification'>, readonly ProgramState[]>> = {
  pilot: PILOT_CHAIN_STATES,
  full_proposal: FULL_CHAIN_STATES,
};

export const isChainKey = (key: string): key is ChainKey => Object.hasOwn(defaults, key);

/** A stored chain as the lifecycle uses it; a misconfigured one stops decisions with a clear message. */
export function chainOf(row: { key: string; name: string; steps: unknown }): ApprovalChain {
  const chain: ApprovalChain = { key: row.key, name: row.name, steps: row.steps as ApprovalStep[] };
  const check = validateChain(chain);
  if (!check.ok) {
    throw new AppError(
      'INVALID_STATE',
      `The "${row.name}" approval chain is misconfigured: ${check.problems.join('; ')}`,
    );
  }
  return chain;
}

const auditActions: Readonly<Record<ChainEdit['kind'], string>> = {
  rename_chain: 'approval_chain.renamed',
  add_step: 'approval_chain.step_added',
  update_step: 'approval_chain.step_changed',
  move_step: 'approval_chain.step_moved',
  remove_step: 'approval_chain.step_removed',
};

/**
 * The institution's approval chains: which governing bodies approve pilots and full proposals, in order.
 * Administrators edit them; a proposal keeps a copy of each chain from the moment its review under it begins.
 */
export class ApprovalChainsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository = new ApprovalChainsRepository(),
  ) {}

  /** The chains as configured now. Pass `trx` inside a transaction. */
  async current(db: Db = this.database.db): Promise<ProgramChains> {
    const current = await this.#currentMany(db, ['pilot', 'full_proposal']);
    return { pilot: current.get('pilot')!, full: current.get('full_proposal')! };
  }

  /** One chain as configured now, inside the caller's transaction. */
  currentChain(db: Db, key: ChainKey): Promise<ApprovalChain> {
    return this.#current(db, key);
  }

  /** The chains one program is reviewed under: the copies it keeps, else the institution's current ones. */
  async forProgram(db: Db, programId: string): Promise<ProgramChains & { kept: ChainKey[] }> {
    const copies = await this.repository.listProgramChains(db, [programId]);
    const copyOf = (key: ChainKey) => copies.find((c) => c.chain_key === key);
    // The institution's current chains, read at once, for whichever the program keeps no copy of.
    const current = await this.#currentMany(
      db,
      (['pilot', 'full_proposal'] as const).filter((key) => !copyOf(key)),
    );
    const pick = (key: ChainKey) => {
      const copy = copyOf(key);
      return copy ? chainOf({ key, name: copy.name, steps: copy.steps }) : current.get(key)!;
    };
    return {
      pilot: pick('pilot'),
      full: pick('full_proposal'),
      kept: copies.map((c) => c.chain_key).filter(isChainKey),
    };
  }

  /**
   * Makes the current chain `key` the one a program's review runs under, inside the deciding transaction.
   * `replace` false keeps a copy taken earlier (a resubmission continues the same review). Returns the chain
   * the program is now reviewed under.
   */
  async keepForReview(trx: Db, programId: string, key: ChainKey, replace: boolean): Promise<ApprovalChain> {
    const chain = await this.#current(trx, key);
    await this.repository.keepProgramChain(trx, programId, chain, { replace, at: this.clock.now() });
    return (await this.forProgram(trx, programId))[key === 'pilot' ? 'pilot' : 'full'];
  }

  // ---- administration -------------------------------------------------------------------------------------

  /** Every chain with when (and by whom) it last changed and how many proposals are reviewed under their own copy. */
  async listChains(actor: Actor) {
    this.#assertAdmin(actor);
    const db = this.database.db;
    const rows = await this.repository.listChains(db);
    const keys = Object.keys(defaults) as ChainKey[];
    return Promise.all(
      keys.map(async (key) => {
        const row = rows.find((r) => r.key === key);
        return {
          chain: row ? chainOf(row) : defaults[key],
          lastChange: await this.#lastChange(key),
          keptCopies: await this.#keptCopies(db, key),
        };
      }),
    );
  }

  async findChain(actor: Actor, key: string) {
    this.#assertAdmin(actor);
    if (!isChainKey(key)) throw notFound('That approval chain');
    const db = this.database.db;
    const row = await this.repository.findChain(db, key);
    return {
      // Shown as stored, even when misconfigured, so an administrator can put it right.
      chain: row ? { key, name: row.name, steps: row.steps as ApprovalStep[] } : defaults[key],
      lastChange: await this.#lastChange(key),
      keptCopies: await this.#keptCopies(db, key),
    };
  }

  /**
   * When an administrator last changed the chain, and who: read from the audit log, which every edit writes to.
   * The row's own `updated_at` cannot say it: the migration that set up the chains wrote it at install time.
   * Null for a chain nobody has changed.
   */
  async #lastChange(key: ChainKey): Promise<{ at: Date; by: string } | null> {
    const entry = await this.audit.latestAbout('approval_chain', key);
    return entry ? { at: entry.at, by: entry.by } : null;
  }

  #keptCopies(db: Db, key: ChainKey): Promise<number> {
    return key === 'modification'
      ? this.repository.countChangesInReview(db)
      : this.repository.countKeptCopies(db, key, underReview[key]);
  }

  /**
   * One administrator's change to a chain, saved and audited in one transaction. Proposals already under
   * review are not touched: they keep the copy taken when their review began.
   */
  async editChain(actor: Actor, key: string, edit: ChainEdit): Promise<ApprovalChain> {
    this.#assertAdmin(actor);
    if (!isChainKey(key)) throw notFound('That approval chain');
    return this.database.db.transaction().execute(async (trx) => {
      // Store the default first when there is no row yet, so the row can be locked like any other.
      await this.repository.insertChainIfMissing(trx, defaults[key]);
      const row = (await this.repository.lockChain(trx, key))!;
      const before: ApprovalChain = { key, name: row.name, steps: row.steps as ApprovalStep[] };
      const person = await this.#namedPerson(trx, edit);
      const result = applyChainEdit(before, edit, person);
      if (!result.ok) {
        if (result.kind === 'invalid') throw invalid(result.problems);
        if (result.kind === 'missing_step') throw notFound('That step');
        throw invalidState('A chain needs at least one step: add another before removing this one');
      }
      const check = validateChain(result.chain);
      if (!check.ok) throw invalidState(`The chain would be misconfigured: ${check.problems.join('; ')}`);
      if (isSameChain(before, result.chain)) return before;
      await this.repository.saveChain(trx, result.chain);
      await this.audit.record(trx, actor, {
        action: auditActions[edit.kind],
        entityType: 'approval_chain',
        entityId: key,
        before: { name: before.name, steps: before.steps },
        after: { name: result.chain.name, steps: result.chain.steps },
      });
      return result.chain;
    });
  }

  /** The active account a step edit names by e-mail, or a problem beside the field when there is none. */
  async #namedPerson(
    db: Db,
    edit: ChainEdit,
  ): Promise<{ id: string; name: string; email: string } | undefined> {
    if (edit.kind !== 'add_step' && edit.kind !== 'update_step') return undefined;
    const email = edit.personEmail?.trim() ?? '';
    if (email === '') return undefined;
    const found = await this.repository.findActivePerson(db, email);
    if (!found) throw invalid([{ field: 'person', reason: 'is not the address of an active account here' }]);
    return found;
  }

  /** Several chains as configured now (the default for one never edited), in one query. */
  async #currentMany(db: Db, keys: readonly ChainKey[]): Promise<Map<ChainKey, ApprovalChain>> {
    const rows = keys.length > 0 ? await this.repository.findChains(db, keys) : [];
    return new Map(
      keys.map((key) => {
        const row = rows.find((r) => r.key === key);
        return [key, row ? chainOf(row) : defaults[key]];
      }),
    );
  }

  async #current(db: Db, key: ChainKey): Promise<ApprovalChain> {
    const row = await this.repository.findChain(db, key);
    return row ? chainOf(row) : defaults[key];
  }

  #assertAdmin(actor: Actor): void {
    if (!mayDo(actor, 'change_approval_chains'))
      throw forbidden('Only administrators change the approval chains.');
  }
}

import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  TableNode,
  type UnknownRow,
} from 'kysely';

/**
 * Tables whose changes no public page shows: writes to them do not count. Audit entries and outbox mail
 * always come with (or after) a change of their own; sessions are refreshed as people browse; failed sign-ins
 * are counted.
 */
const UNSEEN_TABLES = new Set(['audit_log', 'mail_outbox', 'sessions', 'sign_in_failures']);

/**
 * Counts the writes this process makes through Kysely, so caches of what the database says (rendered
 * public pages) know when to let go: `generation` moves once an insert, update, delete or raw statement that
 * is not a plain select has run and changed a row (or cannot say how many it changed). A write that changed
 * nothing leaves it alone: the watch for stalled tracking lists runs an update every ten seconds in every
 * process, and counting those retired every kept page at once, all of them rendered again together. Writes by
 * other processes are not seen; such caches expire.
 */
export class WriteCounter implements KyselyPlugin {
  #generation = 0;
  /** Statements on their way that may write; the generation moves when their answer comes. */
  readonly #writing = new WeakSet<QueryId>();

  get generation(): number {
    return this.#generation;
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (isWrite(node)) this.#writing.add(queryId);
    return node;
  }

  async transformResult({ queryId, result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    // Counted after the statement, not before: a page rendered while it ran saw the generation before it, so
    // it is not kept either way. No count of rows (a COPY, a DDL statement) counts as a change.
    if (this.#writing.delete(queryId) && result.numAffectedRows !== 0n) this.#generation += 1;
    return result;
  }
}

function isWrite(node: RootOperationNode): boolean {
  switch (node.kind) {
    case 'SelectQueryNode':
      return false;
    case 'InsertQueryNode':
      return !UNSEEN_TABLES.has(node.into?.table.identifier.name ?? '');
    case 'UpdateQueryNode':
      return !(node.table && TableNode.is(node.table) && UNSEEN_TABLES.has(node.table.table.identifier.name));
    case 'RawNode':
      // sql`` templates: a plain select reads; anything else (a with clause too) may write.
      return !/^\s*select\b/i.test(node.sqlFragments[0] ?? '');
    default:
      return true;
  }
}

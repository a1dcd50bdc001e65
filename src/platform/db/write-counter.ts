import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
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
 * public pages) know when to let go: `generation` moves with every insert, update, delete or raw
 * statement that is not a plain select. Writes by other processes are not seen; such caches expire.
 */
export class WriteCounter implements KyselyPlugin {
  #generation = 0;

  get generation(): number {
    return this.#generation;
  }

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (isWrite(node)) this.#generation += 1;
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
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

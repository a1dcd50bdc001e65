/**
 * Tables in an order that lets rows be inserted with every foreign key checked at once: each table after the
 * tables it references, ties by name so two backups of the same schema list tables alike. A reference from a table
 * to itself (a wallet's copy of a credential names the credential it copies) does not hold the table back: its
 * rows are ordered within the table instead (see `selfReferences`). Tables that reference each other in a cycle
 * are refused: their rows would need deferred constraints, which our schema does not need.
 */
export function insertionOrder(
  tables: readonly string[],
  references: readonly { from: string; to: string }[],
) {
  const waitingOn = new Map(tables.map((table) => [table, new Set<string>()]));
  for (const { from, to } of references) {
    if (from === to) continue;
    if (waitingOn.has(from) && waitingOn.has(to)) waitingOn.get(from)?.add(to);
  }
  const ordered: string[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn].filter(([, parents]) => parents.size === 0).map(([table]) => table);
    if (ready.length === 0) {
      throw new Error(
        `These tables reference each other in a cycle: ${[...waitingOn.keys()].sort().join(', ')}.`,
      );
    }
    for (const table of ready.sort()) {
      ordered.push(table);
      waitingOn.delete(table);
    }
    for (const parents of waitingOn.values()) for (const table of ready) parents.delete(table);
  }
  return ordered;
}

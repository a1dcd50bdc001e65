/**
 * Reads asked for by requests running at the same time, answered with one query. Under load the verification API
 * reads one badge summary per request, and each query is a round trip whose socket write costs the process as much
 * CPU as PostgreSQL spends answering it; requests handled in the same turn of the event loop now share one.
 * Nothing is kept: every answer comes from a query started after it was asked for.
 */

/** The most keys one query is asked for; more wait for the next. */
const MOST_KEYS = 500;

/**
 * A function answering one key at a time from `readMany`, which is given the distinct keys asked for since the
 * event loop last turned (at most MOST_KEYS) and returns the rows it found, in any order; `keyOf` says whose
 * row each is. A key with no row is answered undefined. When the query fails, every key it was for gets its error.
 */
export function readTogether<Row>(
  readMany: (keys: readonly string[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => string,
): (key: string) => Promise<Row | undefined> {
  let waiting = new Map<string, Asker<Row>[]>();
  let scheduled = false;

  const run = (batch: Map<string, Asker<Row>[]>) => {
    let read: Promise<readonly Row[]>;
    try {
      read = readMany([...batch.keys()]);
    } catch (error) {
      read = Promise.reject(error);
    }
    read.then(
      (rows) => {
        const found = new Map(rows.map((row) => [keyOf(row), row]));
        for (const [key, askers] of batch) for (const asker of askers) asker.resolve(found.get(key));
      },
      (error: unknown) => {
        for (const askers of batch.values()) for (const asker of askers) asker.reject(error);
      },
    );
  };

  // setImmediate runs after the poll phase, so every request whose data arrived in this turn has asked by then.
  const flush = () => {
    scheduled = false;
    const all = waiting;
    waiting = new Map();
    let batch = new Map<string, Asker<Row>[]>();
    for (const [key, askers] of all) {
      batch.set(key, askers);
      if (batch.size === MOST_KEYS) {
        run(batch);
        batch = new Map();
      }
    }
    if (batch.size > 0) run(batch);
  };

  return (key) =>
    new Promise<Row | undefined>((resolve, reject) => {
      const asker = { resolve, reject };
      const askers = waiting.get(key);
      if (askers) askers.push(asker);
      else waiting.set(key, [asker]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/** One caller waiting for a key's row. */
interface Asker<Row> {
  resolve(row: Row | undefined): void;
  reject(error: unknown): void;
}

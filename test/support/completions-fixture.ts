/**
 * Large synthetic completions files for tests and benchmarks, produced chunk by chunk so that the file never
 * exists in memory as a whole: what is measured is the importer's memory, not the fixture's.
 */

const seasons = ['Winter', 'Spring', 'Summer', 'Fall'];
const grades = ['A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'P'];

/**
 * `rows` distinct valid rows over the given students and courses, spread across enough terms to keep every
 * (student, course, term) unique. Chunks hold `chunkRows` lines each.
 */
export async function* syntheticCompletionsCsv(options: {
  rows: number;
  studentIds: readonly string[];
  courseCodes: readonly string[];
  chunkRows?: number;
  /** The year of the first term used; later rows move on a season at a time. */
  firstYear?: number;
}): AsyncGenerator<Buffer> {
  const { rows, studentIds, courseCodes } = options;
  const chunkRows = options.chunkRows ?? 500;
  const perTerm = studentIds.length * courseCodes.length;
  const termsNeeded = Math.ceil(rows / perTerm);
  if ((options.firstYear ?? 1900) + termsNeeded / 4 > 2199)
    throw new Error('not enough distinct terms for that many rows');
  yield Buffer.from('student_id,course_code,term,grade,credits\r\n');
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const termIndex = Math.floor(i / perTerm);
    const within = i % perTerm;
    const student = studentIds[within % studentIds.length]!;
    const course = courseCodes[Math.floor(within / studentIds.length)]!;
    const term = `${(options.firstYear ?? 1900) + Math.floor(termIndex / 4)} ${seasons[termIndex % 4]}`;
    lines.push(`${student},${course},${term},${grades[i % grades.length]},${i % 5}\r\n`);
    if (lines.length === chunkRows) {
      yield Buffer.from(lines.join(''));
      lines = [];
    }
  }
  if (lines.length > 0) yield Buffer.from(lines.join(''));
}

/**
 * Samples memory while `work` runs: the peak growth of the resident set size (which includes garbage not yet
 * collected, and on in-memory PGlite the database itself) and of the JavaScript heap in use.
 */
export async function withPeakMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakRssGrowthMb: number; peakHeapGrowthMb: number; ms: number }> {
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sample, 25);
  const began = performance.now();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  try {
    const result = await work();
    sample();
    return {
      result,
      peakRssGrowthMb: mb(peakRss - start.rss),
      peakHeapGrowthMb: mb(peakHeap - start.heapUsed),
      ms: Math.round(performance.now() - began),
    };
  } finally {
    clearInterval(timer);
  }
}

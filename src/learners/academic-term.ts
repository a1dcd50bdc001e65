import type { Db } from '../platform/db/database.ts';

/**
 * Academic terms as a completions file or a tracking list names them. The institution's own terms, kept by the
 * registrar on the Terms page, rule when there are any: a file names one by its code in the student system
 * ('202609') or by its name ('Fall 2026'), and the term's last day is the one the registrar gave. Before the
 * registrar has entered any, a term is a year and a season ('2025 Fall') ending on a usual day of the year.
 * Either way the term's last day stands in for a completion date the file does not give.
 */

export const seasons = ['Winter', 'Spring', 'Summer', 'Fall'] as const;
export type Season = (typeof seasons)[number];

// Month-day each term's grades are final, in the university's calendar.
const lastDayOf: Record<Season, string> = {
  Winter: '03-20',
  Spring: '06-12',
  Summer: '08-21',
  Fall: '12-12',
};

export interface AcademicTerm {
  /** How records and badges name the term: the registrar's name for it, or the canonical '2025 Fall'. */
  label: string;
  /** The last day of the term, 'YYYY-MM-DD'. */
  endsOn: string;
}

const seasonByLowerName = new Map<string, Season>(seasons.map((s) => [s.toLowerCase(), s]));

/**
 * Reads '2025 Fall', 'fall 2025' or '2025 FALL' (any case, either order) into a term; null when the text is
 * not a year between 1900 and 2199 and one of the four seasons.
 */
export function parseTerm(text: string): AcademicTerm | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) return null;
  const [first = '', second = ''] = parts;
  const [yearText, seasonText] = /^\d{4}$/.test(first) ? [first, second] : [second, first];
  if (!/^(19|20|21)\d\d$/.test(yearText)) return null;
  const season = seasonByLowerName.get(seasonText.toLowerCase());
  if (!season) return null;
  return {
    label: `${yearText} ${season}`,
    endsOn: `${yearText}-${lastDayOf[season]}`,
  };
}

/** A term as the registrar keeps it on the Terms page. */
export interface RegisteredTerm {
  code: string;
  name: string;
  /** 'YYYY-MM-DD'. */
  endsOn: string;
}

/** The registrar's terms (the catalog module's Terms page), read through the caller's transaction. */
export type RegisteredTerms = (within: Db) => Promise<RegisteredTerm[]>;

/** How one import reads the term column: which terms it knows, and how to tell a person what it expects. */
export interface TermCalendar {
  /** The term a cell names, or null when it names none. */
  read(text: string): AcademicTerm | null;
  /** Finishes "term "X" is not …": what a term looks like here. */
  readonly expected: string;
}

// Case and runs of white space do not tell two terms apart.
const keyOf = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The calendar an import reads terms by: the registrar's terms when there are any, else years and seasons. A
 * registered term is found by its code or its name; a name that is a year and a season ('Fall 2026') is also
 * found written the other way round ('2026 Fall'), as student systems' exports differ. A term is labelled by its
 * name, the words a learner reads on a record and a badge. Terms read are remembered (a file names a handful of
 * terms on a million rows), up to a bound for the odd file that names a new one on every row.
 */
export function termCalendar(registered: readonly RegisteredTerm[]): TermCalendar {
  let readText: (text: string) => AcademicTerm | null = parseTerm;
  let expected = 'a year and season such as "2025 Fall"';
  if (registered.length > 0) {
    const byKey = new Map<string, AcademicTerm>();
    const add = (key: string, term: RegisteredTerm) => {
      if (!byKey.has(key)) byKey.set(key, { label: term.name, endsOn: term.endsOn });
    };
    // Codes first: where one term's code is another's name, the code is what a student system writes.
    for (const term of registered) add(keyOf(term.code), term);
    for (const term of registered) add(keyOf(term.name), term);
    for (const term of registered) {
      const seasonal = parseTerm(term.name);
      if (seasonal) add(keyOf(seasonal.label), term);
    }
    readText = (text) => byKey.get(keyOf(text)) ?? null;
    const [newest] = [...registered].sort((a, b) => b.endsOn.localeCompare(a.endsOn));
    expected = `a term on the Terms page, by its code or its name (such as "${newest!.code}" or "${newest!.name}")`;
  }
  const read = new Map<string, AcademicTerm | null>();
  return {
    expected,
    read(text) {
      let term = read.get(text);
      if (term === undefined) {
        if (read.size >= 1000) read.clear();
        term = readText(text);
        read.set(text, term);
      }
      return term;
    },
  };
}

/**
 * The spellings of saved terms that records may hold, each (as `keyOf` writes it) to the term's name: its code, its
 * name, its old name, and a year and a season ('2026 Fall', as imports labelled terms before the registrar listed
 * them) when the name is one. Codes first, as `termCalendar` reads them.
 */
export function termSpellings(
  terms: readonly { code: string; before: { name: string } | null; after: { name: string } }[],
): Map<string, string> {
  const names = new Map<string, string>();
  const add = (spelling: string, name: string) => {
    if (!names.has(keyOf(spelling))) names.set(keyOf(spelling), name);
  };
  for (const { code, after } of terms) add(code, after.name);
  for (const { before, after } of terms) {
    add(after.name, after.name);
    const seasonal = parseTerm(after.name);
    if (seasonal) add(seasonal.label, after.name);
    if (before) add(before.name, after.name);
  }
  return names;
}

/**
 * The last term end a completions file may give: the end of the academic year after the current one. Grades
 * can arrive for this year's terms and, early, for next year's; a term further ahead ('2035 Fall') is a typing
 * mistake, and taking it would leave a grade that waits years to count. The academic year starts on the first
 * of `startMonth` (1 to 12), as the institution's profile sets it; `today` is 'YYYY-MM-DD'.
 */
export function latestTermEnd(today: string, startMonth: number): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  // The academic year in progress started in this calendar year or the one before.
  const currentStart = month >= startMonth ? year : year - 1;
  // Two academic years on from the current one's start is where refusal begins; the day before is the limit.
  const refusedFrom = new Date(Date.UTC(currentStart + 2, startMonth - 1, 1));
  return new Date(refusedFrom.getTime() - 86_400_000).toISOString().slice(0, 10);
}

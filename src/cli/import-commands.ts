import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppServices } from '../app-services.ts';
import {
  answerFailure,
  type CliIo,
  commandLineActor,
  processIo,
  UsageMistake,
  unknownAction,
  withCliApp,
} from './command-io.ts';

export const importUsage = `Usage: stackable import completions <FILE>

Imports course completions from a CSV file exported by the student information system (columns: student_id,
course_code, term, grade, credits, and optionally completed_on, email, source). Prints the counts and the
rejected rows; the full report is on the import's page.`;

/** `stackable import …`: checks the arguments, opens the app without job workers, runs the import, closes. */
export async function runImportCommand(
  args: string[],
  output: Pick<CliIo, 'out' | 'err'> = processIo,
): Promise<number> {
  const [kind, file, ...rest] = args;
  if (kind === 'help') {
    output.out(importUsage);
    return 0;
  }
  if (kind !== 'completions') return answerFailure(unknownAction('import', kind), output, importUsage);
  if (!file || rest.length > 0) {
    return answerFailure(new UsageMistake('Give one file to import.'), output, importUsage);
  }
  const found = await stat(file).catch(() => null);
  if (!found?.isFile()) {
    output.err(`Cannot read "${file}": no such file.`);
    return 1;
  }
  return withCliApp((app) => importCompletionsFromFile(app, file, output));
}

/** The import itself, on an app that is already running. Returns the exit code: 0 imported, 1 refused. */
export async function importCompletionsFromFile(
  app: Pick<AppServices, 'services' | 'config' | 'logger'>,
  file: string,
  output: Pick<CliIo, 'out' | 'err'> = processIo,
): Promise<number> {
  const imports = app.services.completionImports;
  try {
    const result = await imports.importCompletions(
      commandLineActor(),
      createReadStream(file),
      basename(file),
      'cli',
    );
    output.out(
      `Imported ${result.fileName}: ${result.rowsTotal} rows; ${result.accepted} new, ${result.updated} corrected, ` +
        `${result.unchanged} unchanged, ${result.rejected} rejected.`,
    );
    if (result.pendingTermEnd > 0) {
      output.out(
        `${result.pendingTermEnd} of the rows taken are graded, pending term end: they count once their term has ended.`,
      );
    }
    if (result.earlierImport) output.out('The same file was imported before; nothing in it was new.');
    const rejected = await imports.reportRows(result.id, { outcome: 'rejected', limit: 20 });
    for (const row of rejected) output.out(`  line ${row.rowNumber}: ${row.reason}`);
    if (result.rejected > rejected.length) output.out(`  … and ${result.rejected - rejected.length} more.`);
    output.out(`Report: ${app.config.publicUrl}/learners/imports/${result.id}`);
    return 0;
  } catch (error) {
    return answerFailure(error, output, importUsage, { app });
  }
}

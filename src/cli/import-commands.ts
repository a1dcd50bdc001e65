import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppServices } from '../app-services.ts';
import { AppError } from '../platform/errors.ts';
import { withCliApp } from './credential-commands.ts';

export const importUsage = `Usage: stackable import completions <FILE>

Imports course completions from a CSV file exported by the student information system (columns: student_id,
course_code, term, grade, credits, and optionally completed_on, email, source). Prints the counts and the
rejected rows; the full report is on the import's page.`;

/** Where the command writes: standard output and error, or a test's buffers. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: CommandOutput = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** `stackable import …`: checks the arguments, opens the app without job workers, runs the import, closes. */
export async function runImportCommand(
  args: string[],
  output: CommandOutput = consoleOutput,
): Promise<number> {
  const [kind, file, ...rest] = args;
  if (kind !== 'completions' || !file || rest.length > 0) {
    output.err(importUsage);
    return 2;
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
  app: Pick<AppServices, 'services' | 'config'>,
  file: string,
  output: CommandOutput = consoleOutput,
): Promise<number> {
  const imports = app.services.completionImports;
  try {
    const result = await imports.importCompletions(
      { system: 'command line (stackable import)' },
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
    if (
      error instanceof AppError &&
      (error.code === 'VALIDATION_FAILED' || error.code === 'PAYLOAD_TOO_LARGE')
    ) {
      output.err(error.publicMessage);
      return 1;
    }
    throw error;
  }
}

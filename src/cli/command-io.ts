import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AppServices } from '../app-services.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import { loadConfig } from '../platform/config.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import { AppError, type ErrorCode } from '../platform/errors.ts';
import { EX_USAGE, EXIT_UNAVAILABLE } from './exit-codes.ts';

/**
 * What every `stackable <group> …` command shares: where it reads and writes, who it acts as, how it opens the app
 * and how it answers a mistake or a refusal, so that a script reads the same exit codes from every command.
 */

/** Where a command reads and writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readInput(path: string): Promise<Uint8Array>;
  writeOutput(path: string, data: string): Promise<void>;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readInput: async (path) => (path === '-' ? readStdin() : new Uint8Array(await readFile(path))),
  writeOutput: (path, data) => writeFile(path, data),
};

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Whoever runs a command, as the audit log records them: the operating system's account. */
export const commandLineActor = (): AuditActor => ({ system: `command line (${userInfo().username})` });

/**
 * Opens the configured database through the app's services (no routes, no job workers, no listening port), runs
 * one command on them and closes them again, whatever the command did.
 */
export async function withCliApp(command: (app: AppServices) => Promise<number>): Promise<number> {
  // Loaded here, not above: the backup commands share this file and never build the services.
  const { openServices } = await import('../app-services.ts');
  const app = await openServices(loadConfig(), { runJobs: false });
  try {
    return await command(app);
  } finally {
    await app.close();
  }
}

/**
 * One action of a command group (`create` of `stackable admin create …`): its own work on the open app, given the
 * arguments after its name. Returns the exit code; a mistake or a refusal it throws is answered by its group.
 */
export type CommandAction<K extends keyof CliIo = never> = (
  app: AppServices,
  args: string[],
  io: CommandIo<K>,
) => Promise<number>;

/** What a command group writes to, with the file access `K` that some of its actions need besides. */
export type CommandIo<K extends keyof CliIo = never> = Pick<CliIo, 'out' | 'err' | K>;

/** A command group's two ways in: on an app that is already open (tests, other commands), and from `main`. */
export interface CommandGroup<K extends keyof CliIo> {
  run(app: AppServices, args: string[], io: CommandIo<K>): Promise<number>;
  /** Opens the app without job workers or a port, runs the call on it, closes it again. */
  cli(args: string[], io?: CommandIo<K>): Promise<number>;
}

/**
 * The frame every `stackable <group> <action> …` shares, so that a group's file is the table of its actions:
 * `help` prints the usage, a missing or unknown action exits EX_USAGE with it, and whatever an action throws is
 * answered by `answerFailure` with the group's options, a failure on our side logged with its cause (as the web logs
 * it) while the person reads the public message.
 */
export function commandGroup<K extends keyof CliIo = never>(group: {
  name: string;
  usage: string;
  actions: Readonly<Record<string, CommandAction<K>>>;
  failure?: Omit<FailureOptions, 'app'>;
}): CommandGroup<K> {
  const { name, usage, actions } = group;
  const failure = group.failure ?? {};
  const run = async (app: AppServices, args: string[], io: CommandIo<K>): Promise<number> => {
    const [actionName, ...rest] = args;
    try {
      if (actionName === 'help') {
        io.out(usage);
        return 0;
      }
      // Own keys only: `stackable admin toString` names no action, whatever objects inherit.
      const action =
        actionName !== undefined && Object.hasOwn(actions, actionName) ? actions[actionName] : undefined;
      if (!action) throw unknownAction(name, actionName);
      return await action(app, rest, io);
    } catch (error) {
      return answerFailure(error, io, usage, { ...failure, app });
    }
  };
  return { run, cli: (args, io = processIo) => withCliApp((app) => run(app, args, io)) };
}

/** A command called wrongly: an unknown action, a missing argument. Answered with the command's usage. */
export class UsageMistake extends Error {
  override readonly name = 'UsageMistake';
}

/** The mistake of naming no action of a group (`stackable lists`), or one it does not have. */
export const unknownAction = (group: string, action: string | undefined): UsageMistake =>
  new UsageMistake(action === undefined ? '' : `Unknown ${group} command "${action}".`);

/** `parseArgs` with its own mistakes (an unknown option, a missing value) turned into a `UsageMistake`. */
export function readOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageMistake((error as Error).message);
    }
    throw error;
  }
}

/** How a command answers a refusal: see `answerFailure`. */
export interface FailureOptions {
  /** Where a failure on our side is logged with its cause; without it the person's message is all there is. */
  app?: Pick<AppServices, 'logger'>;
  /** How a refused field is named to the person (its option, say); the field's own name otherwise. */
  fieldName?: (field: string) => string;
  valuesAreOptions?: boolean;
}

/** Error codes that refuse values, as against refusing what was asked (not found, not allowed, a conflict). */
const REFUSED_VALUES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VALIDATION_FAILED',
  'UNPROCESSABLE',
  'BAD_REQUEST',
]);

/**
 * How every command answers what stopped it: a mistake in the call (EX_USAGE, with the usage), a refusal (1, or
 * EX_USAGE for refused values where `valuesAreOptions` says every value checked came from the command's options,
 * as a bad option is; a file's refused contents stay 1), our own side unable to do it just now (EX_UNAVAILABLE,
 * never a command's "no"). Anything else is a fault and is thrown on, for `main` to report.
 */
export function answerFailure(
  error: unknown,
  io: Pick<CliIo, 'err'>,
  usage: string,
  options: FailureOptions = {},
): number {
  const { app, fieldName = (field) => field, valuesAreOptions = false } = options;
  if (error instanceof UsageMistake) {
    io.err(error.message ? `${error.message}\n\n${usage}` : usage);
    return EX_USAGE;
  }
  // A service's own UNAVAILABLE says what could not be done; a driver's error only what the database did.
  if (!(error instanceof AppError) && isConnectionFailure(error)) {
    io.err(databaseDidNotAnswer(error));
    return EXIT_UNAVAILABLE;
  }
  if (!(error instanceof AppError)) throw error;
  // As on the web: the cause of a failure on our side goes to the log, the person reads the public message.
  if (error.status >= 500)
    app?.logger.error({ err: error.cause ?? error, code: error.code }, 'command failed');
  io.err(error.publicMessage);
  for (const field of error.fields) io.err(`  ${fieldName(field.field)}: ${field.reason}`);
  if (error.code === 'UNAVAILABLE') return EXIT_UNAVAILABLE;
  return valuesAreOptions && REFUSED_VALUES.has(error.code) ? EX_USAGE : 1;
}

/**
 * What a command says when the database did not answer, from a command's own step or from building the app before
 * it: the driver's words in brackets (they tell an operator which server and why), and that nothing was done.
 */
export function databaseDidNotAnswer(error: unknown): string {
  const reason = error instanceof Error && error.message ? ` (${error.message})` : '';
  return `The database did not answer${reason}; nothing was done. Try again when it is back.`;
}

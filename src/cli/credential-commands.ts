import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { type AppServices, openServices } from '../app-services.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import type { StatusChange } from '../credentials/credential-status.ts';
import { loadConfig } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { checkNameOf, presentedKindOf, statusWords, verdictWords } from '../verification/check-labels.ts';
import { isUnreadable, type VerificationReport } from '../verification/verification.service.ts';
import { EXIT_UNAVAILABLE } from './exit-codes.ts';

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

export const credentialUsage = `Usage:
  stackable credential issue --program <slug> --email <address> [--name <name>] [--format json|jwt] [--out <file>]
  stackable credential verify <file|-> [--json]     exit 0 verified (signed by us or a known issuer),
                                                     1 not verified, 2 unreadable input,
                                                     69 not checked: the database did not answer
  stackable credential revoke <id> --reason <text>
  stackable credential suspend <id> --reason <text>
  stackable credential reinstate <id> --reason <text>
  stackable keys rotate                              start a new signing key (older badges keep verifying)
  stackable keys list`;

/**
 * Opens the configured database through the app's services (no routes, no job workers, no listening port), runs
 * one command on them and closes them again, whatever the command did: what every `stackable <group> …` entry
 * point does.
 */
export async function withCliApp(command: (app: AppServices) => Promise<number>): Promise<number> {
  const app = await openServices(loadConfig(), { runJobs: false });
  try {
    return await command(app);
  } finally {
    await app.close();
  }
}

/**
 * Entry point for `stackable credential …` and `stackable keys …`: opens the configured database through
 * the app's services (without routes, job workers or a listening port), runs the command and closes again.
 */
export async function runCredentialCli(group: 'credential' | 'keys', args: string[], io = processIo) {
  return withCliApp((app) =>
    group === 'keys' ? runKeysCommand(app, args, io) : runCredentialCommand(app, args, io),
  );
}

/** Whoever runs the command, as the audit log records them. */
const cliActor = (): AuditActor => ({ system: `command line (${userInfo().username})` });

/** `stackable credential …`: thin wrappers over CredentialsService and VerificationService. */
export async function runCredentialCommand(app: AppServices, args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  try {
    switch (action) {
      case 'issue':
        return await issue(app, rest, io);
      case 'verify':
        return await verify(app, rest, io);
      case 'revoke':
      case 'suspend':
      case 'reinstate':
        return await changeStatus(app, action, rest, io);
      case 'help':
        io.out(credentialUsage);
        return 0;
      default:
        io.err(action ? `Unknown credential command "${action}".\n\n${credentialUsage}` : credentialUsage);
        return 2;
    }
  } catch (error) {
    return reportError(error, io, app);
  }
}

/** `stackable keys …`. */
export async function runKeysCommand(app: AppServices, args: string[], io: CliIo): Promise<number> {
  const credentials = app.services.credentials;
  try {
    if (args[0] === 'rotate') {
      const rotated = await credentials.rotateKey(cliActor());
      io.out(
        `New signing key ${rotated.keyId} is in use for ${rotated.did}.` +
          (rotated.retiredKeyId
            ? ` Key ${rotated.retiredKeyId} was retired; badges it signed still verify.`
            : ''),
      );
      return 0;
    }
    if (args[0] === 'list') {
      for (const key of await credentials.identity.keys()) {
        const state = key.retiredAt ? `retired ${key.retiredAt.toISOString().slice(0, 10)}` : 'in use';
        io.out(`${key.keyId}  ${state}  ${key.did}`);
      }
      return 0;
    }
    io.err(credentialUsage);
    return 2;
  } catch (error) {
    return reportError(error, io, app);
  }
}

async function issue(app: AppServices, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      program: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
    },
  });
  if (!values.program || !values.email) {
    io.err(`Both --program and --email are needed.\n\n${credentialUsage}`);
    return 2;
  }
  if (values.format !== 'json' && values.format !== 'jwt') {
    io.err('--format must be json or jwt.');
    return 2;
  }
  const issued = await app.services.credentials.issueCredential(cliActor(), {
    slug: values.program,
    learner: { email: values.email, name: values.name },
    format: values.format,
  });
  const text =
    typeof issued.verifiableCredential === 'string'
      ? `${issued.verifiableCredential}\n`
      : `${JSON.stringify(issued.verifiableCredential, null, 2)}\n`;
  const summary = `Issued credential ${issued.id} (${issued.credential.name}) to ${values.email}.`;
  if (values.out) {
    await io.writeOutput(values.out, text);
    io.out(`${summary} Saved to ${values.out}.`);
  } else {
    // The credential goes to standard output, so it can be piped; the summary goes to standard error.
    io.out(text.trimEnd());
    io.err(summary);
  }
  return 0;
}

async function verify(app: AppServices, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [path] = positionals;
  if (!path || positionals.length > 1) {
    io.err(`Give one file to verify, or - for standard input.\n\n${credentialUsage}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await io.readInput(path);
  } catch (error) {
    io.err(`Could not read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 2;
  }
  const report = await app.services.verification.verifyBytes(bytes);
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else io.out(describeReport(report));
  if (isUnreadable(report)) return 2;
  return report.verified ? 0 : 1;
}

/** The result in plain words: one verdict line that says who really signed it, then one line per check. */
export function describeReport(report: VerificationReport): string {
  if (isUnreadable(report))
    return `Not verified: ${report.checks[0]?.message ?? 'the badge could not be read.'}`;
  const credential = (report.credential ?? {}) as { name?: unknown };
  const what = `"${String(credential.name ?? 'Unnamed badge')}"`;
  const lines = [`${verdictWords(report)}: ${what}. ${report.issuerTrust.message}`];
  const kind = presentedKindOf(report);
  for (const check of report.checks) {
    const words = statusWords[check.status];
    lines.push(
      `  ${words.mark} ${checkNameOf(check.id, kind)}: ${words.word.toLowerCase()}. ${check.message}`,
    );
  }
  return lines.join('\n');
}

async function changeStatus(
  app: AppServices,
  action: StatusChange,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' } },
  });
  const [id] = positionals;
  if (!id || !values.reason) {
    io.err(`Give the credential id and --reason.\n\n${credentialUsage}`);
    return 2;
  }
  const credentials = app.services.credentials;
  const uuid = credentials.credentialIdFrom(id) ?? id;
  const changed = await credentials.changeStatus(cliActor(), uuid, action, values.reason);
  const done = { revoke: 'revoked', suspend: 'suspended', reinstate: 'reinstated' }[action];
  io.out(`Credential ${changed.id} is ${done}. Reason: ${changed.reason}`);
  return 0;
}

function reportError(error: unknown, io: CliIo, app: AppServices): number {
  if (error instanceof AppError) {
    // As on the web: the cause of a failure on our side goes to the log, the person reads the public message.
    if (error.status >= 500)
      app.logger.error({ err: error.cause ?? error, code: error.code }, 'command failed');
    io.err(error.publicMessage);
    for (const field of error.fields) io.err(`  ${field.field}: ${field.reason}`);
    return error.code === 'UNAVAILABLE' ? EXIT_UNAVAILABLE : 1;
  }
  if (error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
    io.err(`${error.message}\n\n${credentialUsage}`);
    return 2;
  }
  throw error;
}

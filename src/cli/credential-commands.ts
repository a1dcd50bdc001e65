import type { AppServices } from '../app-services.ts';
import type { StatusChange } from '../credentials/credential-status.ts';
import { checkNameOf, presentedKindOf, statusWords, verdictWords } from '../verification/check-labels.ts';
import { isUnreadable, type VerificationReport } from '../verification/verification.service.ts';
import {
  type CommandAction,
  type CommandIo,
  commandGroup,
  commandLineActor,
  processIo,
  readOptions,
  UsageMistake,
} from './command-io.ts';

export const credentialUsage = `Usage:
  stackable credential issue --program <slug> --email <address> [--name <name>] [--format json|jwt] [--out <file>]
  stackable credential verify <file|-> [--json]     exit 0 verified (signed by us or a known issuer),
                                                     1 not verified, 2 unreadable input,
                                                     64 wrong usage, 69 not checked: the database
                                                     did not answer
  stackable credential revoke <id> --reason <text>
  stackable credential suspend <id> --reason <text>
  stackable credential reinstate <id> --reason <text>
  stackable keys rotate                              start a new signing key (older badges keep verifying)
  stackable keys list`;

async function issue(app: AppServices, args: string[], io: CommandIo<'writeOutput'>): Promise<number> {
  const { values } = readOptions({
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
    throw new UsageMistake('Both --program and --email are needed.');
  }
  if (values.format !== 'json' && values.format !== 'jwt') {
    throw new UsageMistake('--format must be json or jwt.');
  }
  const issued = await app.services.credentials.issueCredential(commandLineActor(), {
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

async function verify(app: AppServices, args: string[], io: CommandIo<'readInput'>): Promise<number> {
  const { values, positionals } = readOptions({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [path] = positionals;
  if (!path || positionals.length > 1) {
    throw new UsageMistake('Give one file to verify, or - for standard input.');
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

/** `stackable credential revoke|suspend|reinstate`: the one action, each with its own word. */
const changeStatus =
  (action: StatusChange): CommandAction =>
  async (app, args, io) => {
    const { values, positionals } = readOptions({
      args,
      allowPositionals: true,
      options: { reason: { type: 'string' } },
    });
    const [id] = positionals;
    if (!id || !values.reason) {
      throw new UsageMistake('Give the credential id and --reason.');
    }
    const credentials = app.services.credentials;
    const uuid = credentials.credentialIdFrom(id) ?? id;
    const changed = await credentials.changeStatus(commandLineActor(), uuid, action, values.reason);
    const done = { revoke: 'revoked', suspend: 'suspended', reinstate: 'reinstated' }[action];
    io.out(`Credential ${changed.id} is ${done}. Reason: ${changed.reason}`);
    return 0;
  };

/** `stackable keys rotate`: a new signing key; the retired one's badges still verify. */
async function rotate(app: AppServices, _args: string[], io: CommandIo): Promise<number> {
  const rotated = await app.services.credentials.rotateKey(commandLineActor());
  io.out(
    `New signing key ${rotated.keyId} is in use for ${rotated.did}.` +
      (rotated.retiredKeyId
        ? ` Key ${rotated.retiredKeyId} was retired; badges it signed still verify.`
        : ''),
  );
  return 0;
}

/** `stackable keys list`. */
async function listKeys(app: AppServices, _args: string[], io: CommandIo): Promise<number> {
  for (const key of await app.services.credentials.identity.keys()) {
    const state = key.retiredAt ? `retired ${key.retiredAt.toISOString().slice(0, 10)}` : 'in use';
    io.out(`${key.keyId}  ${state}  ${key.did}`);
  }
  return 0;
}

/** `stackable credential …`: thin wrappers over CredentialsService and VerificationService. */
const credential = commandGroup<'readInput' | 'writeOutput'>({
  name: 'credential',
  usage: credentialUsage,
  actions: {
    issue,
    verify,
    revoke: changeStatus('revoke'),
    suspend: changeStatus('suspend'),
    reinstate: changeStatus('reinstate'),
  },
});

/** `stackable keys …`, whose help is the credential commands' usage, where the keys are listed. */
const keys = commandGroup({
  name: 'keys',
  usage: credentialUsage,
  actions: { rotate, list: listKeys },
});

/** `stackable credential …` on an app that is already open. */
export const runCredentialCommand = credential.run;
/** `stackable keys …` on an app that is already open. */
export const runKeysCommand = keys.run;

/**
 * Entry point for `stackable credential …` and `stackable keys …`: opens the configured database through
 * the app's services (without routes, job workers or a listening port), runs the command and closes again.
 */
export async function runCredentialCli(group: 'credential' | 'keys', args: string[], io = processIo) {
  return group === 'keys' ? keys.cli(args, io) : credential.cli(args, io);
}

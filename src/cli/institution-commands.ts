import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { AppServices } from '../app-services.ts';
import { type ProfileField, profileFields, profileLabels } from '../institution/institution-profile.ts';
import { AppError } from '../platform/errors.ts';
import { type CliIo, processIo, withCliApp } from './credential-commands.ts';
import { EX_USAGE } from './exit-codes.ts';

/** Each profile field as an option: `shortName` is `--short-name`; `--fee` is kept short for the one fee. */
const optionOf = (field: ProfileField): string =>
  field === 'defaultFee' ? 'fee' : field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const fieldOfOption = new Map(profileFields.map((field) => [optionOf(field), field]));

export const institutionUsage = `Usage:
  stackable institution show
      Prints the institution's profile: names, contacts, time zone, colours, fee and currency.
  stackable institution set [--name <text>] [--short-name <text>] [--url <address>] [--email <address>]
                            [--time-zone <IANA zone>] [--currency <ISO 4217>] [--fee <amount>] [--<field> <text>]
      Changes the given fields and keeps the others, with the same checks as the profile screen. Fields:
      ${profileFields.map((field) => `--${optionOf(field)}`).join(', ')}.`;

/** Entry point for `stackable institution …`: opens the app without job workers or a port, runs, closes. */
export async function runInstitutionCli(
  args: string[],
  io: Pick<CliIo, 'out' | 'err'> = processIo,
): Promise<number> {
  return withCliApp((app) => runInstitutionCommand(app, args, io));
}

/** `stackable institution show|set`: thin wrappers over InstitutionService.profile and updateProfile. */
export async function runInstitutionCommand(
  app: AppServices,
  args: string[],
  io: Pick<CliIo, 'out' | 'err'>,
): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'help' || action === undefined) {
    (action ? io.out : io.err)(institutionUsage);
    return action ? 0 : 2;
  }
  if (action !== 'show' && action !== 'set') {
    io.err(`Unknown institution command "${action}".\n\n${institutionUsage}`);
    return 2;
  }
  const operator = { system: `command line (${userInfo().username})` };
  let given: Record<string, string | undefined>;
  try {
    ({ values: given } = parseArgs({
      args: rest,
      options: Object.fromEntries(
        [...fieldOfOption.keys()].map((name) => [name, { type: 'string' as const }]),
      ),
    }));
  } catch (error) {
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw error;
    io.err(`${(error as Error).message}\n\n${institutionUsage}`);
    return EX_USAGE;
  }
  const service = app.services.institution;
  if (action === 'show') {
    if (Object.keys(given).length > 0) {
      io.err(`"show" takes no options.\n\n${institutionUsage}`);
      return EX_USAGE;
    }
    printProfile(await service.profile(operator), io);
    return 0;
  }
  if (Object.keys(given).length === 0) {
    io.err(`Give at least one field to change.\n\n${institutionUsage}`);
    return EX_USAGE;
  }
  const changes = Object.fromEntries(
    Object.entries(given).map(([option, value]) => [fieldOfOption.get(option)!, value]),
  );
  try {
    // What is not given keeps its stored value; the service checks the whole profile as the screen does.
    const current = await service.profile(operator);
    const saved = await service.updateProfile(operator, { ...current.values, ...changes });
    io.out('The institution profile is saved. New badges name the institution this way from now on.');
    printProfile(saved, io);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.err(error.publicMessage);
    for (const problem of error.fields) {
      const field = problem.field as ProfileField;
      const option = profileFields.includes(field) ? ` (--${optionOf(field)})` : '';
      io.err(`  ${profileLabels[field] ?? problem.field}${option}: ${problem.reason}`);
    }
    return ['UNPROCESSABLE', 'VALIDATION_FAILED'].includes(error.code) ? EX_USAGE : 1;
  }
}

function printProfile(
  profile: Awaited<ReturnType<AppServices['services']['institution']['profile']>>,
  io: Pick<CliIo, 'out'>,
) {
  if (!profile.isSetUp) io.out('Not set up yet: pages show a placeholder and no badge can be issued.');
  const width = Math.max(...profileFields.map((field) => profileLabels[field].length));
  for (const field of profileFields) {
    io.out(`${profileLabels[field].padEnd(width)}  ${profile.values[field].replace(/\s*\n\s*/g, ' ')}`);
  }
  io.out(`${'Logo'.padEnd(width)}  ${profile.logo?.url ?? 'none'}`);
}

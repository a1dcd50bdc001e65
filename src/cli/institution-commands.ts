import type { AppServices } from '../app-services.ts';
import { type ProfileField, profileFields, profileLabels } from '../institution/institution-profile.ts';
import { type CommandIo, commandGroup, commandLineActor, readOptions, UsageMistake } from './command-io.ts';

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

/** The profile's fields as they are given: one option each, values as typed. */
function readProfileOptions(args: string[]): Record<string, string | boolean | undefined> {
  return readOptions({
    args,
    options: Object.fromEntries([...fieldOfOption.keys()].map((name) => [name, { type: 'string' as const }])),
  }).values;
}

/** `stackable institution show`: a thin wrapper over InstitutionService.profile. */
async function show(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  // The same options as `set`: a misspelt one is answered as unknown, a real field as not taken here.
  if (Object.keys(readProfileOptions(args)).length > 0) throw new UsageMistake('"show" takes no options.');
  printProfile(await app.services.institution.profile(commandLineActor()), io);
  return 0;
}

/** `stackable institution set`: a thin wrapper over InstitutionService.updateProfile. */
async function set(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const service = app.services.institution;
  const given = readProfileOptions(args);
  if (Object.keys(given).length === 0) throw new UsageMistake('Give at least one field to change.');
  const changes = Object.fromEntries(
    Object.entries(given).map(([option, value]) => [fieldOfOption.get(option)!, value]),
  );
  // What is not given keeps its stored value; the service checks the whole profile as the screen does.
  const current = await service.profile(commandLineActor());
  const saved = await service.updateProfile(commandLineActor(), { ...current.values, ...changes });
  io.out('The institution profile is saved. New badges name the institution this way from now on.');
  printProfile(saved, io);
  return 0;
}

/** A refused profile field as the person knows it: its label and the option that sets it. */
function fieldWithOption(name: string): string {
  const field = name as ProfileField;
  return profileFields.includes(field) ? `${profileLabels[field]} (--${optionOf(field)})` : name;
}

function printProfile(
  profile: Awaited<ReturnType<AppServices['services']['institution']['profile']>>,
  io: CommandIo,
) {
  if (!profile.isSetUp) io.out('Not set up yet: pages show a placeholder and no badge can be issued.');
  const width = Math.max(...profileFields.map((field) => profileLabels[field].length));
  for (const field of profileFields) {
    io.out(`${profileLabels[field].padEnd(width)}  ${profile.values[field].replace(/\s*\n\s*/g, ' ')}`);
  }
  io.out(`${'Logo'.padEnd(width)}  ${profile.logo?.url ?? 'none'}`);
}

const institution = commandGroup({
  name: 'institution',
  usage: institutionUsage,
  actions: { show, set },
  failure: { fieldName: fieldWithOption, valuesAreOptions: true },
});

/** `stackable institution …` on an app that is already open. */
export const runInstitutionCommand = institution.run;
/** Entry point for `stackable institution …`: opens the app without job workers or a port, runs, closes. */
export const runInstitutionCli = institution.cli;

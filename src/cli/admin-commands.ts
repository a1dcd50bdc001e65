import type { AppServices } from '../app-services.ts';
import { type CommandIo, commandGroup, commandLineActor, readOptions, UsageMistake } from './command-io.ts';

export const adminUsage = `Usage:
  stackable admin create --email <address> [--name <name>]
      Makes the address an administrator: a new account, or the role added to an existing one. Someone without
      a password gets a one-time link to choose one (mailed when SMTP_URL is set, printed otherwise).`;

/** `stackable admin create`: a thin wrapper over FirstAdminService.createAdministrator. */
async function create(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const { values } = readOptions({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.email) throw new UsageMistake('--email is required.');
  const done = await app.services.firstAdmin.createAdministrator(commandLineActor(), {
    email: values.email,
    name: values.name,
  });
  const what = {
    created: 'A new administrator account was created',
    granted: 'The existing account is now an administrator',
    already_admin: 'The account was already an administrator',
  }[done.outcome];
  io.out(`${what}: ${values.email.trim().toLowerCase()}.`);
  if (done.link) {
    io.out('Give this link to its owner only. It works once, within 24 hours, to choose a password:');
    io.out(`  ${done.link}`);
  } else if (done.mail?.status === 'sent') {
    io.out('A link to choose a password was e-mailed to that address. It works once, within 24 hours.');
  } else if (done.mail?.status === 'queued') {
    io.err(`The e-mail with the link could not be sent just now (${done.mail.problem}).`);
    io.err('It stays in the outbox and the running server retries it; see Outgoing mail.');
    return 75;
  } else {
    io.out('They sign in with their existing password.');
  }
  return 0;
}

const admin = commandGroup({
  name: 'admin',
  usage: adminUsage,
  actions: { create },
  failure: { valuesAreOptions: true },
});

/** `stackable admin …` on an app that is already open. */
export const runAdminCommand = admin.run;
/** Entry point for `stackable admin …`: opens the app without job workers or a port, runs, closes. */
export const runAdminCli = admin.cli;

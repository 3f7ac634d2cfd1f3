import { Option, type Command } from 'commander';
import {
  createUser,
  listUsers,
  migrateAccounts,
  recordAudit,
  ROLES,
  updateUser,
  type Role,
} from '@tributary/auth';
import { ValidationError } from '@tributary/core';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';

/** The password of `users add` / `users passwd`: TRIBUTARY_PASSWORD, else one line on stdin (never an argument). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.TRIBUTARY_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('password (then Enter): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

const actor = (): string => `cli:${process.env.USER ?? 'unknown'}`;

function refuse(err: unknown): never {
  if (err instanceof ValidationError) throw new CliExit(EXIT.usage, err.message);
  throw err;
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('accounts of the dashboard and admin API (roles: viewer, operator, admin)');
  users
    .command('add')
    .description('add a user; the password is read from stdin or TRIBUTARY_PASSWORD')
    .argument('<username>')
    .addOption(
      new Option('--role <role>', 'viewer reads; operator also requests syncs; admin also manages accounts')
        .choices([...ROLES])
        .makeOptionMandatory(),
    )
    .action(async (username: string, opts: { role: Role }) => {
      const password = await readPassword();
      await withReadModels(async (pool) => {
        await migrateAccounts(pool);
        const user = await createUser(pool, username, opts.role, password).catch(refuse);
        await recordAudit(pool, {
          actor: actor(),
          credential: 'cli',
          action: 'user.create',
          target: username,
          outcome: 'ok',
          details: { role: opts.role },
        });
        process.stdout.write(`user ${user.username} added (${user.role})\n`);
      });
    });
  users
    .command('passwd')
    .description("set a user's password (stdin or TRIBUTARY_PASSWORD); ends the user's sessions")
    .argument('<username>')
    .action(async (username: string) => {
      const password = await readPassword();
      await withReadModels(async (pool) => {
        await migrateAccounts(pool);
        if (!(await updateUser(pool, username, { password }).catch(refuse)))
          throw new CliExit(EXIT.failed, `no user ${username}`);
        await recordAudit(pool, {
          actor: actor(),
          credential: 'cli',
          action: 'user.update',
          target: username,
          outcome: 'ok',
          details: { password: 'changed' },
        });
        process.stdout.write(`password of ${username} changed\n`);
      });
    });
  users
    .command('list')
    .description('every user with its role')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const all = await withReadModels(async (pool) => {
        await migrateAccounts(pool);
        return listUsers(pool);
      });
      if (opts.json) return void process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      for (const u of all)
        process.stdout.write(
          `${u.username.padEnd(24)} ${u.role.padEnd(9)} ${u.disabled ? 'disabled' : 'active'}\n`,
        );
    });
}

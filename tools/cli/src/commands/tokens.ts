import { Option, type Command } from 'commander';
import {
  createToken,
  listTokens,
  migrateAccounts,
  recordAudit,
  revokeToken,
  ROLES,
  type Role,
} from '@tributary/auth';
import { ValidationError } from '@tributary/core';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';

const actor = (): string => `cli:${process.env.USER ?? 'unknown'}`;

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new CliExit(EXIT.usage, `--expires-in-days: ${value} is not a whole number from 1 to 3650`);
  return n;
}

export function registerTokens(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('API tokens (Authorization: Bearer ...): stored hashed, shown once');
  tokens
    .command('create')
    .description("create a token for a user; prints it once (a token's role is at most its user's)")
    .requiredOption('--user <username>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for (ci, grafana, ...)')
    .addOption(new Option('--role <role>', "default: the user's role").choices([...ROLES]))
    .option('--expires-in-days <n>', 'expiry (default: none)', days)
    .action(async (opts: { user: string; name: string; role?: Role; expiresInDays?: number }) => {
      const { token, secret } = await withReadModels(async (pool) => {
        await migrateAccounts(pool);
        const made = await createToken(pool, {
          username: opts.user,
          name: opts.name,
          role: opts.role,
          expiresAt: opts.expiresInDays ? new Date(Date.now() + opts.expiresInDays * 86_400_000) : null,
        }).catch((err: unknown) => {
          if (err instanceof ValidationError) throw new CliExit(EXIT.usage, err.message);
          throw err;
        });
        await recordAudit(pool, {
          actor: actor(),
          credential: 'cli',
          action: 'token.create',
          target: made.token.id,
          outcome: 'ok',
          details: { user: opts.user, name: opts.name, role: made.token.role },
        });
        return made;
      });
      process.stderr.write(
        `token ${token.id} (${token.role}) for ${token.username}; it is shown only now:\n`,
      );
      process.stdout.write(`${secret}\n`);
    });
  tokens
    .command('revoke')
    .description('revoke a token by its id (or the first 8+ characters of it)')
    .argument('<id>')
    .action(async (id: string) => {
      const revoked = await withReadModels(async (pool) => {
        await migrateAccounts(pool);
        const t = await revokeToken(pool, id);
        if (t)
          await recordAudit(pool, {
            actor: actor(),
            credential: 'cli',
            action: 'token.revoke',
            target: t.id,
            outcome: 'ok',
            details: { user: t.username, name: t.name },
          });
        return t;
      });
      if (!revoked) throw new CliExit(EXIT.failed, `no token ${id} (or the prefix is not unique)`);
      process.stdout.write(`token ${revoked.id} (${revoked.name} of ${revoked.username}) revoked\n`);
    });
  tokens
    .command('list')
    .description('tokens (never their secrets), oldest first')
    .option('--user <username>', 'only this user')
    .option('--json', 'print JSON')
    .action(async (opts: { user?: string; json?: boolean }) => {
      const all = await withReadModels(async (pool) => {
        await migrateAccounts(pool);
        return listTokens(pool, opts.user);
      });
      if (opts.json) return void process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      for (const t of all) {
        const state = t.revokedAt
          ? 'revoked'
          : t.expiresAt && t.expiresAt < new Date().toISOString()
            ? 'expired'
            : 'active';
        process.stdout.write(
          `${t.id.slice(0, 8)}  ${t.username.padEnd(16)} ${t.name.padEnd(16)} ${t.role.padEnd(9)} ${state}\n`,
        );
      }
    });
}

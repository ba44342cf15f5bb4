import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, ConfigModule, loadConfig, type AppConfig } from '@homeward/config';
import { IdentityModule, InvitationService } from '@homeward/identity';
import { createLogger, LoggerModule, PinoNestLogger, type Logger } from '@homeward/observability';
import { DatabaseModule, RedisModule } from '@homeward/platform';

const USAGE = `Usage: npm run admin -- create-organization --name <name> --admin-email <email> [--admin-name <name>]

  create-organization   Creates an organisation and its first admin, and prints the admin's
                        one-time invitation link (they set their password there).
Needs DATABASE_URL and REDIS_URL (a migrated database: npm run migrate first).`;

class UsageError extends Error {}

/** Identity over the platform's stores: what the command needs, nothing that listens. */
@Module({})
class AdminCommandModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AdminCommandModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        DatabaseModule,
        RedisModule,
        IdentityModule,
      ],
    };
  }
}

function parseCreateOrganization(args: string[]): { name: string; adminEmail: string; adminName: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const name = typeof values.name === 'string' ? values.name.trim() : '';
  const adminEmail = typeof values['admin-email'] === 'string' ? values['admin-email'].trim() : '';
  const missing = [!name && '--name', !adminEmail && '--admin-email'].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(' and ')}`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail))
    throw new UsageError(`not an email address: ${adminEmail}`);
  const adminName =
    typeof values['admin-name'] === 'string' && values['admin-name'].trim()
      ? values['admin-name'].trim()
      : 'Administrator';
  return { name, adminEmail, adminName };
}

async function createOrganization(args: string[]): Promise<void> {
  const input = parseCreateOrganization(args);
  const config = loadConfig('worker');
  const logger = createLogger({ level: 'warn', name: 'admin' });
  const app = await NestFactory.createApplicationContext(AdminCommandModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  try {
    const { organization, admin, invitation } = await app.get(InvitationService).createOrganization(input);
    process.stdout.write(
      [
        `Created organisation "${organization.name}" (${organization.slug}, id ${organization.id})`,
        `and its admin ${admin.email} (id ${admin.id}).`,
        '',
        `One-time invitation link (valid until ${invitation.expiresAt.toISOString()}): open it to set the password.`,
        invitation.url,
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
  }
}

/** `npm run admin -- <command>`: operator tasks that must not be hand-written SQL. */
async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    if (command === undefined) process.exitCode = 2;
    return;
  }
  if (command !== 'create-organization') throw new UsageError(`unknown command: ${command}`);
  await createOrganization(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`admin: ${error.message}\n\n${USAGE}\n`);
  else if (error instanceof ConfigError)
    process.stderr.write(`admin: bad configuration:\n  ${error.problems.join('\n  ')}\n`);
  else {
    const response = (error as { response?: { message?: string } }).response;
    process.stderr.write(`admin: ${response?.message ?? (error as Error).message}\n`);
  }
  process.exitCode = error instanceof UsageError ? 2 : 1;
});

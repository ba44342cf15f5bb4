import { runMigrations } from '@homeward/platform';

/** Applies pending migrations and exits: the deployment's one-shot `migrate` step. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const applied = await runMigrations(url, (message) => process.stdout.write(`${message}\n`));
  process.stdout.write(applied.length > 0 ? `Applied ${applied.join(', ')}\n` : 'Schema is up to date\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${(error as Error).message}\n`);
  process.exit(1);
});

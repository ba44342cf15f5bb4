import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';

/** Migrations live beside the sources; compiled code finds them from dist/ too. */
export function migrationsDir(): string {
  const candidates = [
    join(__dirname, '..', 'migrations'),
    join(__dirname, '..', '..', '..', '..', 'libs', 'db', 'migrations'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`Migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Applies pending migrations. node-pg-migrate takes an advisory lock, so several processes
 * starting at once apply each migration exactly once.
 */
export async function runMigrations(
  databaseUrl: string,
  log: (message: string) => void = () => undefined,
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir(),
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    singleTransaction: true,
    checkOrder: true,
    log,
    noLock: false,
  });
  return applied.map((migration) => migration.name);
}

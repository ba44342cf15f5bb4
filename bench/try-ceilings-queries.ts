import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL, createTestDatabase, startMosquitto } from '@homeward/testing';
import { measureCeilings } from './ceilings';
import { measureQueries } from './queries';

/**
 * Runs the ceilings and the query benchmark alone, in quick mode unless BENCH_FULL=1: Mosquitto
 * with the deployed dynamic-security config and limits, a migrated database of its own.
 */
async function main(): Promise<void> {
  const quick = process.env.BENCH_FULL !== '1';
  const account = { username: 'homeward-service', password: randomBytes(18).toString('base64url') };
  const [database, broker] = await Promise.all([
    createTestDatabase(),
    startMosquitto({ dynamicSecurity: account }),
  ]);
  try {
    const env = {
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      mqttUrl: broker.url,
      mqttUsername: account.username,
      mqttPassword: account.password,
    };
    const ceilings = await measureCeilings(env, { quick });
    process.stdout.write(`ceilings (${quick ? 'quick' : 'full'}): ${JSON.stringify(ceilings, null, 2)}\n`);
    const queries = await measureQueries(env, { quick });
    process.stdout.write(`queries (${quick ? 'quick' : 'full'}): ${JSON.stringify(queries, null, 2)}\n`);
  } finally {
    await broker.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `try-ceilings-queries failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

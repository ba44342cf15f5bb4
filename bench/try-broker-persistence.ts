import { measureBrokerPersistence } from './broker-persistence';
import { brokerPersistenceRows } from './broker-persistence-rows';
import { formatTable } from './report';

/**
 * Runs the broker persistence comparison alone, in quick mode unless BENCH_FULL=1 or --full:
 * each candidate on a Mosquitto of its own with the deployed limits.
 */
async function main(): Promise<void> {
  const quick = process.env.BENCH_FULL !== '1' && !process.argv.includes('--full');
  const figures = await measureBrokerPersistence({ quick });
  process.stdout.write(
    `broker persistence (${quick ? 'quick' : 'full'}): ${JSON.stringify(figures, null, 2)}\n`,
  );
  process.stdout.write(`${formatTable(brokerPersistenceRows(figures))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `try-broker-persistence failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

import { ConfigError, loadConfig, type AppConfig, type ProcessRole } from '@homeward/config';
import type { Logger } from 'pino';
import { createLogger } from './logger';

/**
 * Runs a process entry point: validates the configuration (exiting with the list of bad
 * variables), creates the logger, and turns start-up failures into one clear log line and exit 1.
 * `env` is the environment plus whatever the process settled before its configuration is read.
 */
export function runProcess(
  role: ProcessRole,
  main: (config: AppConfig, logger: Logger) => Promise<void>,
  env: NodeJS.ProcessEnv = process.env,
): void {
  let config: AppConfig;
  try {
    config = loadConfig(role, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`homeward-${role}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: `homeward-${role}` });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection'));
  main(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, `homeward-${role} failed to start: ${(error as Error).message}`);
    process.exit(1);
  });
}

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvDto, type ProcessRole } from './env.dto';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The validated configuration of one process; injected wherever settings are read. */
export class AppConfig extends EnvDto {
  role!: ProcessRole;
}

/** Reads and validates the environment for `role`, failing with every bad variable at once. */
export function loadConfig(role: ProcessRole, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(AppConfig, present, {
    enableImplicitConversion: false,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(config, { groups: [role], whitelist: false, forbidUnknownValues: false });
  const problems = errors.map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
  // A consumer that may hold fewer messages than one batch would never fill a batch.
  if (problems.length === 0 && config.INGEST_MAX_HELD < config.INGEST_BATCH_SIZE)
    problems.push('INGEST_MAX_HELD: must be at least INGEST_BATCH_SIZE');
  if (config.MQTT_DYNSEC === true && !(config.MQTT_URL && config.MQTT_USERNAME && config.MQTT_PASSWORD))
    problems.push(
      'MQTT_DYNSEC: needs MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD (the dynamic-security admin)',
    );
  if (problems.length > 0) throw new ConfigError(problems);
  config.role = role;
  // Read once, never changed: whatever a process derives at start-up goes into `env` first.
  return Object.freeze(config);
}

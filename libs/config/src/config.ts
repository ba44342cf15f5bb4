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
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`),
    );
  }
  config.role = role;
  return config;
}

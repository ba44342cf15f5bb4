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

/**
 * Email and SMS need their provider's settings together; in production a channel without its
 * provider would page nobody while looking configured, so it is refused.
 */
function notificationProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  const twilio = [config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, config.TWILIO_FROM];
  if (twilio.some(Boolean) && !twilio.every(Boolean))
    problems.push('TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM go together');
  if (config.SMTP_URL && !config.NOTIFY_FROM) problems.push('NOTIFY_FROM: required with SMTP_URL');
  if (config.NODE_ENV !== 'production' || !Array.isArray(config.NOTIFICATION_CHANNELS)) return problems;
  const channels = config.NOTIFICATION_CHANNELS;
  if (channels.includes('email') && !config.SMTP_URL)
    problems.push('SMTP_URL: required in production when NOTIFICATION_CHANNELS includes email');
  if (channels.includes('sms') && !twilio.every(Boolean))
    problems.push(
      'TWILIO_ACCOUNT_SID: TWILIO_* required in production when NOTIFICATION_CHANNELS includes sms',
    );
  if ((channels.includes('email') || channels.includes('sms')) && !config.PUBLIC_URL)
    problems.push('PUBLIC_URL: required in production when NOTIFICATION_CHANNELS includes email or sms');
  return problems;
}

/** Where people reach the console: PUBLIC_URL, else this process on localhost (development). */
export function publicUrl(config: Pick<AppConfig, 'PUBLIC_URL' | 'PORT'>): string {
  return config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
}

/** LiveKit's settings when video visits are configured (all three variables set), else undefined. */
export function liveKitSettings(
  config: Pick<AppConfig, 'LIVEKIT_URL' | 'LIVEKIT_API_URL' | 'LIVEKIT_API_KEY' | 'LIVEKIT_API_SECRET'>,
): { url: string; apiUrl: string; apiKey: string; apiSecret: string } | undefined {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = config;
  if (!url || !apiKey || !apiSecret) return undefined;
  const apiUrl = config.LIVEKIT_API_URL ?? url.replace(/^ws(s?):\/\//, 'http$1://');
  return { url, apiUrl, apiKey, apiSecret };
}

function liveKitProblems(config: AppConfig): string[] {
  const set = [config.LIVEKIT_URL, config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET];
  if (set.some(Boolean) && !set.every(Boolean))
    return ['LIVEKIT_URL: LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together'];
  return [];
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
  problems.push(...notificationProblems(config));
  problems.push(...liveKitProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  config.role = role;
  // Read once, never changed: whatever a process derives at start-up goes into `env` first.
  return Object.freeze(config);
}

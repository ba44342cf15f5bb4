import 'reflect-metadata';
import { isIP } from 'node:net';
import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

export const PROCESS_ROLES = ['api', 'ingest', 'worker', 'all'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** Express's named address ranges, usable in TRUST_PROXY. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/**
 * Express's `trust proxy` from TRUST_PROXY: a hop count, or the proxies' addresses and ranges.
 * `true` (trust every hop) is refused: the client writes the left end of X-Forwarded-For.
 */
export function trustProxySetting(value: string | undefined): number | string[] | false {
  if (value === undefined) return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

const IsTrustProxy = () =>
  ValidateBy(
    {
      name: 'isTrustProxy',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          (/^\d{1,2}$/.test(value) || value.split(',').every((entry) => isProxyAddress(entry.trim()))),
        defaultMessage: () =>
          'TRUST_PROXY must be the number of proxies in front of the API, or a comma-separated list of their addresses or ranges (CIDR, loopback, linklocal, uniquelocal)',
      },
    },
    { always: true },
  );

/** Validation groups: a variable marked with a role's group is required when that role runs. */
const API = ['api', 'all'];
const INGEST = ['ingest'];

/** Every environment variable Homeward reads, validated once at start-up. */
export class EnvDto {
  @IsOptional()
  @IsIn(['development', 'production', 'test'], { always: true })
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(65535, { always: true })
  PORT = 3000;

  @IsDefined({ always: true })
  @Matches(/^postgres(ql)?:\/\//, { always: true, message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  DATABASE_POOL_MAX = 10;

  @IsDefined({ always: true })
  @Matches(/^rediss?:\/\//, { always: true, message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL!: string;

  /** Prefix for every Redis key and channel, so several deployments (or test runs) share a server. */
  @IsString({ always: true })
  @Matches(/^[A-Za-z0-9_-]+$/, { always: true })
  REDIS_PREFIX = 'homeward';

  /** Broker the ingest consumer and health checks connect to; the all-in-one process embeds one when unset. */
  @IsDefined({ groups: INGEST })
  @IsOptional({ groups: ['api', 'worker', 'all'] })
  @Matches(/^(mqtts?|wss?|tcp):\/\//, { always: true, message: 'MQTT_URL must be an mqtt:// URL' })
  MQTT_URL?: string;

  @IsOptional({ always: true })
  @IsString({ always: true })
  MQTT_USERNAME?: string;

  @IsOptional({ always: true })
  @IsString({ always: true })
  MQTT_PASSWORD?: string;

  /** Interface the embedded broker listens on: loopback unless devices elsewhere must reach it. */
  @IsString({ always: true })
  MQTT_BIND_HOST = '127.0.0.1';

  /** Broker URL handed to devices at registration; defaults to the broker in use. */
  @IsOptional({ always: true })
  @Matches(/^(mqtts?|wss?|tcp):\/\//, { always: true, message: 'MQTT_PUBLIC_URL must be an mqtt:// URL' })
  MQTT_PUBLIC_URL?: string;

  /** Port of the embedded broker (all-in-one process without MQTT_URL). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(65535, { always: true })
  MQTT_PORT = 1883;

  /** Shared-subscription group; empty for brokers without shared subscriptions. */
  @IsString({ always: true })
  MQTT_SHARE_GROUP = 'ingest';

  /** Stable client id of this ingest consumer: its persistent session survives restarts. */
  @IsString({ always: true })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { always: true })
  MQTT_CLIENT_ID = 'ingest-0';

  /**
   * Provision each registered device on Mosquitto's dynamic-security plugin, so the broker itself
   * binds its client id and topics; administered as MQTT_USERNAME on MQTT_URL (both required).
   */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ always: true, message: 'MQTT_DYNSEC must be true or false' })
  MQTT_DYNSEC = false;

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(10000, { always: true })
  INGEST_BATCH_SIZE = 500;

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(5000, { always: true })
  INGEST_FLUSH_MS = 20;

  /**
   * Most device messages one ingest consumer holds unacknowledged; above it, it stops reading
   * from the broker until a batch commits. At least INGEST_BATCH_SIZE (checked at start-up).
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(65535, { always: true })
  INGEST_MAX_HELD = 2000;

  /**
   * Most messages one device may publish in a minute (a hub batch counts once); 0 lifts the
   * limit. A device in a loop is held to it so it cannot slow everyone else: the embedded
   * broker delays its acknowledgements, an external broker's ingest rejects the excess as
   * `rate_limited` (the device keeps those and sends them again later, see the device contract).
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(1_000_000, { always: true })
  DEVICE_MAX_MESSAGES_PER_MINUTE = 600;

  /** Readiness fails when the oldest uncommitted device message is older than this: ingest is stuck. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1000, { always: true })
  INGEST_STUCK_AFTER_MS = 60_000;

  /** Age after which an unevaluated ingest batch is re-enqueued (its job was lost). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  EVALUATION_SWEEP_AFTER_MS = 30_000;

  /** How often the worker looks for such batches. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  EVALUATION_SWEEP_EVERY_MS = 15_000;

  /** Most lost batches one sweep re-enqueues; the next run takes the rest. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  EVALUATION_SWEEP_BATCH_LIMIT = 500;

  /**
   * How often each organisation's `missed` rules are checked (one BullMQ schedule per
   * organisation). A missed-reading alert comes at most this long after its rule's hours.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  @Max(86_400_000, { always: true })
  MISSED_CHECK_EVERY_MS = 900_000;

  /**
   * In-range measurements after an alert's last breach that resolve it on their own ("all
   * clear"); 0: never. An unacknowledged critical alert is never resolved this way.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  ALERT_ALL_CLEAR_READINGS = 3;

  /**
   * ...and the span those measurements must cover, first to last, in minutes: three readings
   * taken in one sitting are not an all clear.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(10_080, { always: true })
  ALERT_ALL_CLEAR_MIN_MINUTES = 60;

  /** After an alert closes, a breach within this many minutes re-opens it instead of raising a new one. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  ALERT_COOLDOWN_MINUTES = 360;

  /**
   * A reading that arrives more than this many minutes after it was measured is late: the
   * alert it raises says so and is not pushed as a new alert.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  ALERT_LATE_AFTER_MINUTES = 60;

  /**
   * A hypertensive-crisis reading, and a breach by a reading its device flagged as unreliable
   * (body movement, loose cuff, low perfusion, ...), first asks the patient to re-measure: its
   * alert waits as `pending_confirmation` this long for the re-measurement, then opens. 0: no
   * re-measurement, the alert opens at once.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(3600, { always: true })
  ALERT_CONFIRM_WITHIN_SECONDS = 300;

  /**
   * Escalation for organisations without a policy of their own: a critical alert not
   * acknowledged this many minutes after it became critical goes to the on-call clinician...
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(1440, { always: true })
  ESCALATION_FIRST_AFTER_MINUTES = 10;

  /** ...and this many minutes later to the organisation's admins. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(1440, { always: true })
  ESCALATION_THEN_AFTER_MINUTES = 15;

  /** How often the worker re-arms escalation steps and notifications whose jobs were lost. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  ESCALATION_SWEEP_EVERY_MS = 15_000;

  /**
   * Where notifications go, comma-separated: `socket` (the user's open consoles), `email`
   * (SMTP_URL), `sms` (TWILIO_*). Outside production, email or SMS without its provider
   * configured is logged instead of sent (docs/notifications.md).
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((channel) => channel.trim()) : value,
  )
  @IsIn(['socket', 'email', 'sms'], { each: true, always: true })
  @ArrayNotEmpty({ always: true })
  @ArrayUnique({ always: true })
  NOTIFICATION_CHANNELS: Array<'socket' | 'email' | 'sms'> = ['socket'];

  /**
   * Where people reach this deployment's console, without a trailing slash (links in email and
   * SMS; the URL Twilio signs its webhooks with is this plus the route). Required in production
   * when `email` or `sms` is among NOTIFICATION_CHANNELS; elsewhere http://localhost:PORT.
   */
  @IsOptional({ always: true })
  @Matches(/^https?:\/\/[^/?#\s]+$/, {
    always: true,
    message: 'PUBLIC_URL must be an http(s):// origin without a path or trailing slash',
  })
  PUBLIC_URL?: string;

  /**
   * Whether an organisation's single sign-on provider may be reached over plain http: for a
   * development or test provider only; production issuers are https.
   */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ always: true, message: 'OIDC_ALLOW_INSECURE_ISSUERS must be true or false' })
  OIDC_ALLOW_INSECURE_ISSUERS = false;

  /** SMTP server for email notifications: smtp://user:pass@host:587 (STARTTLS) or smtps://host:465. */
  @IsOptional({ always: true })
  @Matches(/^smtps?:\/\/\S+$/, { always: true, message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The From of notification emails, e.g. `Homeward <alerts@example.org>`; required with SMTP_URL. */
  @IsOptional({ always: true })
  @IsString({ always: true })
  @Matches(/^[^\r\n]*@[^\r\n]+$/, { always: true, message: 'NOTIFY_FROM must be an email address' })
  NOTIFY_FROM?: string;

  /** Twilio account for SMS (ACxxxxxxxx...); TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM go together. */
  @IsOptional({ always: true })
  @Matches(/^AC[0-9a-fA-F]{32}$/, {
    always: true,
    message: 'TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits',
  })
  TWILIO_ACCOUNT_SID?: string;

  /** Authenticates API calls and verifies the signature of Twilio's webhooks. */
  @IsOptional({ always: true })
  @IsString({ always: true })
  @MinLength(16, { always: true, message: 'TWILIO_AUTH_TOKEN must be at least 16 characters' })
  TWILIO_AUTH_TOKEN?: string;

  /** The Twilio number SMS come from, and clinicians reply ACK to (E.164, e.g. +15005550006). */
  @IsOptional({ always: true })
  @Matches(/^\+[1-9][0-9]{6,14}$/, {
    always: true,
    message: 'TWILIO_FROM must be an E.164 number (+ and digits)',
  })
  TWILIO_FROM?: string;

  /** Twilio's REST API; tests point it at a loopback double. */
  @Matches(/^https?:\/\/[^/?#\s]+$/, { always: true, message: 'TWILIO_API_URL must be an http(s):// origin' })
  TWILIO_API_URL = 'https://api.twilio.com';

  /** Jobs of each kind one worker process runs at once. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(256, { always: true })
  JOB_CONCURRENCY = 4;

  /**
   * How long ingest remembers a device's route (its patients and deactivation). A reassignment,
   * deactivation or reactivation moves the route version ingest compares every batch, which
   * drops every remembered route at once; this only bounds how stale an unchanged one may get.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  DEVICE_ROUTE_CACHE_MS = 60_000;

  /** How long ingest remembers that a device id is unknown before asking again (a deactivated one is asked about every time). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  UNKNOWN_DEVICE_CACHE_MS = 5_000;

  /** An active device not heard from (readings or status) for this long shows as `offline`. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(525_600, { always: true })
  DEVICE_OFFLINE_AFTER_MINUTES = 1440;

  /** How long one readiness check may take before its dependency counts as down. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  HEALTH_CHECK_TIMEOUT_MS = 2000;

  @IsDefined({ groups: API })
  @IsOptional({ groups: ['ingest', 'worker'] })
  @IsString({ always: true })
  @MinLength(32, { always: true, message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Encrypts users' TOTP secrets at rest (derived from JWT_SECRET when unset): at least 32 characters. */
  @IsOptional({ always: true })
  @IsString({ always: true })
  @MinLength(32, { always: true, message: 'MFA_SECRET_KEY must be at least 32 characters' })
  MFA_SECRET_KEY?: string;

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(86400, { always: true })
  JWT_TTL_SECONDS = 900;

  /** `iss` of every access token, checked on REST and socket handshakes. */
  @IsString({ always: true })
  @MinLength(1, { always: true })
  JWT_ISSUER = 'homeward';

  /** `aud` of every access token, checked on REST and socket handshakes. */
  @IsString({ always: true })
  @MinLength(1, { always: true })
  JWT_AUDIENCE = 'homeward-api';

  /** A session whose refresh token is not used for this long ends (idle timeout). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(60, { always: true })
  @Max(2_592_000, { always: true })
  REFRESH_IDLE_SECONDS = 43_200;

  /** A session ends this long after sign-in, however active (absolute timeout). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(60, { always: true })
  @Max(7_776_000, { always: true })
  REFRESH_ABSOLUTE_SECONDS = 604_800;

  /** How long a just-replaced refresh token still rotates, so two tabs refreshing at once stay signed in. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(60, { always: true })
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /** Ended sessions (and their refresh tokens) are deleted this many days after they end. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(3650, { always: true })
  SESSION_RETENTION_DAYS = 90;

  /** How often the worker deletes sessions past SESSION_RETENTION_DAYS. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  SESSION_SWEEP_EVERY_MS = 3_600_000;

  /** How long an invitation link (a new user's, or a re-sent one) can be used, in hours. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(720, { always: true })
  INVITATION_TTL_HOURS = 168;

  /** How long a clinician's break-glass access to a patient outside their care teams lasts, in minutes. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(1440, { always: true })
  BREAK_GLASS_MINUTES = 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { always: true })
  LOG_LEVEL = 'info';

  /** The demo users' password (all-in-one `--demo` only); generated and kept in the state dir when unset. */
  @IsOptional({ always: true })
  @IsString({ always: true })
  @MinLength(8, { always: true, message: 'DEMO_PASSWORD must be at least 8 characters' })
  DEMO_PASSWORD?: string;

  /** Port of every process's internal /health/live, /health/ready and /metrics (unset: none). */
  @IsOptional({ always: true })
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(65535, { always: true })
  OPS_PORT?: number;

  /**
   * Address OPS_PORT listens on. Readiness names what is down and why, so it stays on loopback
   * unless a deployment opens it to its scraper (Compose sets 0.0.0.0 inside its network).
   */
  @IsString({ always: true })
  @Matches(/^[A-Za-z0-9.:_-]+$/, { always: true })
  OPS_HOST = '127.0.0.1';

  /**
   * Internal port of the broker's authentication callbacks (mosquitto-go-auth HTTP backend),
   * /api/mqtt/auth/*, served by api and all-in-one processes; never on PORT (unset: none).
   */
  @IsOptional({ always: true })
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(65535, { always: true })
  BROKER_AUTH_PORT?: number;

  /** Address the broker callbacks bind to: loopback unless the broker runs elsewhere. */
  @IsString({ always: true })
  @Matches(/^[A-Za-z0-9.:_-]+$/, { always: true })
  BROKER_AUTH_HOST = '127.0.0.1';

  /**
   * The built console (`npm run build` writes dist/console), served at `/` by api and
   * all-in-one processes. Unset: dist/console beside the running build. Missing: the API runs
   * without it and says so in its log.
   */
  @IsOptional({ always: true })
  @IsString({ always: true })
  CONSOLE_DIR?: string;

  /** Reverse proxies whose X-Forwarded-For the API believes (see trustProxySetting; unset: none). */
  @IsOptional({ always: true })
  @IsTrustProxy()
  TRUST_PROXY?: string;

  /** Login attempts allowed per client address per LOGIN_RATE_WINDOW_MS, counted in Redis across replicas. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  LOGIN_RATE_LIMIT = 10;

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1000, { always: true })
  LOGIN_RATE_WINDOW_MS = 60_000;

  /**
   * Failed sign-ins allowed per account (known or not) per LOGIN_LOCKOUT_WINDOW_MS, whatever
   * the addresses they come from; the next attempts answer 429 until the window ends. Counted in
   * Redis, shared by every replica; a successful sign-in clears the count.
   */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  LOGIN_LOCKOUT_THRESHOLD = 10;

  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1000, { always: true })
  LOGIN_LOCKOUT_WINDOW_MS = 900_000;

  /** Password hashes and verifications (argon2id) run at once; unset: the machine's cores. */
  @IsOptional({ always: true })
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(64, { always: true })
  PASSWORD_HASH_CONCURRENCY?: number;

  /** Sign-ins waiting for a hashing slot; past it a sign-in answers 429 with Retry-After. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(10_000, { always: true })
  PASSWORD_HASH_QUEUE = 16;

  /** Expensive requests (rule previews, alert replays) one user may run at once; more answer 429. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(100, { always: true })
  EXPENSIVE_WORK_PER_USER = 2;

  /** Expensive requests one process runs at once; unset: a third of DATABASE_POOL_MAX (at least 1). */
  @IsOptional({ always: true })
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(1000, { always: true })
  EXPENSIVE_WORK_MAX?: number;

  /** Expensive requests waiting for one of those slots; past it they answer 429. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(0, { always: true })
  @Max(10_000, { always: true })
  EXPENSIVE_WORK_QUEUE = 8;

  /** Alert sockets one user may hold open on one API process; the next is refused (`too_many_sockets`). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(1000, { always: true })
  SOCKET_MAX_PER_USER = 10;

  /** Largest message a browser may send over the alert socket (it sends none today). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1024, { always: true })
  @Max(1024 * 1024, { always: true })
  SOCKET_MAX_MESSAGE_BYTES = 16 * 1024;

  /**
   * LiveKit, for video visits (https://docs.livekit.io/home/get-started/authentication/): the
   * URL browsers connect to (ws:// or wss://), the key and secret that sign tokens and verify
   * webhooks. All three or none; without them every visit route answers 503 `video_not_configured`.
   */
  @IsOptional({ always: true })
  @Matches(/^(wss?|https?):\/\/[^\s]+$/, {
    always: true,
    message: 'LIVEKIT_URL must be a ws(s):// or http(s):// URL',
  })
  LIVEKIT_URL?: string;

  /** What the API calls for LiveKit's RoomService; defaults to LIVEKIT_URL with ws→http, wss→https. */
  @IsOptional({ always: true })
  @Matches(/^https?:\/\/[^\s]+$/, { always: true, message: 'LIVEKIT_API_URL must be an http(s):// URL' })
  LIVEKIT_API_URL?: string;

  @IsOptional({ always: true })
  @IsString({ always: true })
  @Matches(/^\S+$/, { always: true, message: 'LIVEKIT_API_KEY must not contain spaces' })
  LIVEKIT_API_KEY?: string;

  /** Signs join tokens and verifies LiveKit's webhooks: at least 32 characters. */
  @IsOptional({ always: true })
  @IsString({ always: true })
  @MinLength(32, { always: true, message: 'LIVEKIT_API_SECRET must be at least 32 characters' })
  LIVEKIT_API_SECRET?: string;

  /** A visit with no patient this long after the clinician joined, or after `scheduledFor`, is missed. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(1440, { always: true })
  VISIT_NO_SHOW_MINUTES = 15;

  /** Lifetime of a LiveKit join token; it only guards the first connection, so it is short. */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(30, { always: true })
  @Max(3600, { always: true })
  VISIT_TOKEN_TTL_SECONDS = 600;

  /** A patient or guest link is valid this long after `scheduledFor` (or after it is issued). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(1, { always: true })
  @Max(10_080, { always: true })
  VISIT_LINK_TTL_MINUTES = 60;

  /** How often the worker looks for visits whose patient did not come (the no-show jobs' safety net). */
  @Type(() => Number)
  @IsInt({ always: true })
  @Min(100, { always: true })
  VISIT_SWEEP_EVERY_MS = 60_000;
}

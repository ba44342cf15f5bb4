import { ConfigError, liveKitSettings, loadConfig } from './config';
import { trustProxySetting, type ProcessRole } from './env.dto';

const SECRET = 'a-jwt-secret-of-at-least-32-chars!';

/** The least each process needs: its stores, plus a signing secret (api) and a broker (ingest). */
const BASE: NodeJS.ProcessEnv = {
  DATABASE_URL: 'postgres://homeward:homeward@localhost:5432/homeward_test',
  REDIS_URL: 'redis://localhost:6379/3',
};

function problemsOf(role: ProcessRole, env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(role, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected loadConfig('${role}') to fail`);
}

/** The variable names a ConfigError complains about. */
function badVariables(role: ProcessRole, env: NodeJS.ProcessEnv): string[] {
  return problemsOf(role, env)
    .map((problem) => problem.split(':')[0])
    .sort();
}

describe('loadConfig', () => {
  it('fills in defaults for everything optional', () => {
    const config = loadConfig('worker', BASE);
    expect(config).toMatchObject({
      role: 'worker',
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_POOL_MAX: 10,
      REDIS_PREFIX: 'homeward',
      MQTT_PORT: 1883,
      MQTT_SHARE_GROUP: 'ingest',
      MQTT_CLIENT_ID: 'ingest-0',
      INGEST_BATCH_SIZE: 500,
      INGEST_FLUSH_MS: 20,
      INGEST_MAX_HELD: 2000,
      INGEST_STUCK_AFTER_MS: 60_000,
      JWT_TTL_SECONDS: 900,
      JWT_ISSUER: 'homeward',
      JWT_AUDIENCE: 'homeward-api',
      REFRESH_IDLE_SECONDS: 43_200,
      REFRESH_ABSOLUTE_SECONDS: 604_800,
      REFRESH_REUSE_GRACE_SECONDS: 10,
      LOG_LEVEL: 'info',
      LOGIN_RATE_LIMIT: 10,
      BREAK_GLASS_MINUTES: 60,
    });
    expect(config.JWT_SECRET).toBeUndefined();
    expect(config.MQTT_URL).toBeUndefined();
  });

  it('returns a configuration nothing can change after start-up', () => {
    const config = loadConfig('worker', BASE);
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { MQTT_URL?: string }).MQTT_URL = 'mqtt://elsewhere:1883';
    }).toThrow(TypeError);
    expect(config.MQTT_URL).toBeUndefined();
  });

  it('turns numeric variables into numbers', () => {
    const config = loadConfig('api', {
      ...BASE,
      JWT_SECRET: SECRET,
      PORT: '8080',
      DATABASE_POOL_MAX: '25',
      INGEST_BATCH_SIZE: '1000',
      JWT_TTL_SECONDS: '300',
    });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_POOL_MAX).toBe(25);
    expect(config.INGEST_BATCH_SIZE).toBe(1000);
    expect(config.JWT_TTL_SECONDS).toBe(300);
    expect(typeof config.PORT).toBe('number');
  });

  it('treats an empty variable as unset and uses the default', () => {
    expect(loadConfig('worker', { ...BASE, PORT: '', MQTT_SHARE_GROUP: '' })).toMatchObject({
      PORT: 3000,
      MQTT_SHARE_GROUP: 'ingest',
    });
  });

  it.each<ProcessRole>(['api', 'all'])('requires JWT_SECRET for the %s process', (role) => {
    expect(problemsOf(role, BASE).some((problem) => problem.startsWith('JWT_SECRET:'))).toBe(true);
    expect(loadConfig(role, { ...BASE, JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
  });

  it.each<ProcessRole>(['api', 'all', 'worker'])(
    'refuses a JWT_SECRET shorter than 32 characters for %s',
    (role) => {
      const problems = problemsOf(role, { ...BASE, JWT_SECRET: 'x'.repeat(31) });
      expect(problems).toEqual(['JWT_SECRET: JWT_SECRET must be at least 32 characters']);
    },
  );

  it('accepts a JWT_SECRET of exactly 32 characters', () => {
    expect(loadConfig('api', { ...BASE, JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });

  it.each<ProcessRole>(['worker', 'ingest'])('does not need JWT_SECRET for the %s process', (role) => {
    const env = role === 'ingest' ? { ...BASE, MQTT_URL: 'mqtt://localhost:1883' } : BASE;
    expect(loadConfig(role, env).role).toBe(role);
  });

  it('requires MQTT_URL for the ingest process', () => {
    expect(badVariables('ingest', BASE)).toEqual(['MQTT_URL']);
    expect(loadConfig('ingest', { ...BASE, MQTT_URL: 'mqtt://broker:1883' }).MQTT_URL).toBe(
      'mqtt://broker:1883',
    );
  });

  it.each<ProcessRole>(['api', 'worker', 'all'])('runs the %s process without MQTT_URL', (role) => {
    expect(loadConfig(role, { ...BASE, JWT_SECRET: SECRET }).MQTT_URL).toBeUndefined();
  });

  it('refuses each of the limits that became configurable when it is out of range or not a number', () => {
    expect(
      badVariables('worker', {
        ...BASE,
        JOB_CONCURRENCY: '0',
        EVALUATION_SWEEP_BATCH_LIMIT: '-5',
        DEVICE_ROUTE_CACHE_MS: 'forever',
        UNKNOWN_DEVICE_CACHE_MS: '-1',
        HEALTH_CHECK_TIMEOUT_MS: '1e400',
        LOGIN_RATE_WINDOW_MS: '10',
        SOCKET_MAX_MESSAGE_BYTES: String(64 * 1024 * 1024),
        ALERT_ALL_CLEAR_READINGS: '2.5',
        ALERT_COOLDOWN_MINUTES: '\u0000',
        ALERT_LATE_AFTER_MINUTES: '0',
        ALERT_CONFIRM_WITHIN_SECONDS: '7200',
      }),
    ).toEqual(
      [
        'ALERT_ALL_CLEAR_READINGS',
        'ALERT_CONFIRM_WITHIN_SECONDS',
        'ALERT_COOLDOWN_MINUTES',
        'ALERT_LATE_AFTER_MINUTES',
        'DEVICE_ROUTE_CACHE_MS',
        'EVALUATION_SWEEP_BATCH_LIMIT',
        'HEALTH_CHECK_TIMEOUT_MS',
        'JOB_CONCURRENCY',
        'LOGIN_RATE_WINDOW_MS',
        'SOCKET_MAX_MESSAGE_BYTES',
        'UNKNOWN_DEVICE_CACHE_MS',
      ].sort(),
    );
  });

  it('checks missed readings every 15 minutes unless told otherwise, and refuses a nonsensical interval', () => {
    expect(loadConfig('worker', BASE).MISSED_CHECK_EVERY_MS).toBe(900_000);
    expect(loadConfig('worker', { ...BASE, MISSED_CHECK_EVERY_MS: '60000' }).MISSED_CHECK_EVERY_MS).toBe(
      60_000,
    );
    for (const bad of ['0', '-1', '1.5', 'hourly', String(2 * 86_400_000), '\u0000'])
      expect(badVariables('worker', { ...BASE, MISSED_CHECK_EVERY_MS: bad })).toEqual([
        'MISSED_CHECK_EVERY_MS',
      ]);
  });

  it('escalates after 10 then 15 minutes and notifies over the socket unless configured otherwise', () => {
    expect(loadConfig('worker', BASE)).toMatchObject({
      ESCALATION_FIRST_AFTER_MINUTES: 10,
      ESCALATION_THEN_AFTER_MINUTES: 15,
      ESCALATION_SWEEP_EVERY_MS: 15_000,
      NOTIFICATION_CHANNELS: ['socket'],
    });
    expect(
      loadConfig('worker', {
        ...BASE,
        ESCALATION_FIRST_AFTER_MINUTES: '5',
        ESCALATION_THEN_AFTER_MINUTES: '20',
        NOTIFICATION_CHANNELS: 'socket, email,sms',
      }),
    ).toMatchObject({
      ESCALATION_FIRST_AFTER_MINUTES: 5,
      ESCALATION_THEN_AFTER_MINUTES: 20,
      NOTIFICATION_CHANNELS: ['socket', 'email', 'sms'],
    });
  });

  it('refuses escalation delays and notification channels that cannot work', () => {
    expect(
      badVariables('worker', {
        ...BASE,
        ESCALATION_FIRST_AFTER_MINUTES: '0',
        ESCALATION_THEN_AFTER_MINUTES: '2.5',
        ESCALATION_SWEEP_EVERY_MS: '10',
        NOTIFICATION_CHANNELS: 'socket,pager',
      }),
    ).toEqual([
      'ESCALATION_FIRST_AFTER_MINUTES',
      'ESCALATION_SWEEP_EVERY_MS',
      'ESCALATION_THEN_AFTER_MINUTES',
      'NOTIFICATION_CHANNELS',
    ]);
    expect(badVariables('worker', { ...BASE, NOTIFICATION_CHANNELS: 'email,email' })).toEqual([
      'NOTIFICATION_CHANNELS',
    ]);
    expect(badVariables('worker', { ...BASE, ESCALATION_THEN_AFTER_MINUTES: '\u0000' })).toEqual([
      'ESCALATION_THEN_AFTER_MINUTES',
    ]);
  });

  it('takes SMTP and Twilio settings together, and refuses email or SMS without a provider in production', () => {
    const sid = `AC${'0a'.repeat(16)}`;
    const twilio = {
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: 'a-twilio-auth-token',
      TWILIO_FROM: '+15005550006',
    };
    expect(
      loadConfig('worker', {
        ...BASE,
        ...twilio,
        SMTP_URL: 'smtp://mail.example.org:587',
        NOTIFY_FROM: 'Homeward <alerts@example.org>',
      }),
    ).toMatchObject({ ...twilio, TWILIO_API_URL: 'https://api.twilio.com', PUBLIC_URL: undefined });
    expect(badVariables('worker', { ...BASE, TWILIO_ACCOUNT_SID: sid })).toEqual(['TWILIO_ACCOUNT_SID']);
    expect(badVariables('worker', { ...BASE, SMTP_URL: 'smtp://mail.example.org' })).toEqual(['NOTIFY_FROM']);
    expect(
      badVariables('worker', {
        ...BASE,
        SMTP_URL: 'http://mail.example.org',
        TWILIO_ACCOUNT_SID: 'AC123',
        TWILIO_AUTH_TOKEN: 'short',
        TWILIO_FROM: '0044 20 7946 0000',
        PUBLIC_URL: 'https://homeward.example.org/',
        NOTIFY_FROM: 'nobody',
      }),
    ).toEqual([
      'NOTIFY_FROM',
      'PUBLIC_URL',
      'SMTP_URL',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
    ]);
    // Development logs what it would send; production must really send it.
    expect(
      loadConfig('worker', { ...BASE, NOTIFICATION_CHANNELS: 'socket,email,sms' }).SMTP_URL,
    ).toBeUndefined();
    expect(
      badVariables('worker', { ...BASE, NODE_ENV: 'production', NOTIFICATION_CHANNELS: 'socket,email,sms' }),
    ).toEqual(['PUBLIC_URL', 'SMTP_URL', 'TWILIO_ACCOUNT_SID']);
  });

  it('refuses an ingest consumer that may hold fewer messages than one batch', () => {
    const env = {
      ...BASE,
      MQTT_URL: 'mqtt://broker:1883',
      INGEST_BATCH_SIZE: '1000',
      INGEST_MAX_HELD: '500',
    };
    expect(problemsOf('ingest', env)).toEqual(['INGEST_MAX_HELD: must be at least INGEST_BATCH_SIZE']);
    expect(loadConfig('ingest', { ...env, INGEST_MAX_HELD: '1000' }).INGEST_MAX_HELD).toBe(1000);
  });

  it('refuses an MQTT_URL that is not a broker URL', () => {
    expect(badVariables('all', { ...BASE, JWT_SECRET: SECRET, MQTT_URL: 'http://broker' })).toEqual([
      'MQTT_URL',
    ]);
  });

  it('requires the database and Redis for every process', () => {
    for (const role of ['api', 'ingest', 'worker', 'all'] as const) {
      const env = { JWT_SECRET: SECRET, MQTT_URL: 'mqtt://localhost:1883' };
      expect(badVariables(role, env)).toEqual(['DATABASE_URL', 'REDIS_URL']);
    }
  });

  it('names every bad variable at once', () => {
    let thrown: unknown;
    try {
      loadConfig('api', {
        ...BASE,
        JWT_SECRET: SECRET,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://localhost/homeward',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.name).toBe('ConfigError');
    expect(error.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'PORT']);
    expect(error.problems).toContain('DATABASE_URL: DATABASE_URL must be a postgres:// URL');
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('DATABASE_URL');
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '3000.5'],
    ['PORT', '-1'],
    ['DATABASE_POOL_MAX', '0'],
    ['INGEST_BATCH_SIZE', '10001'],
    ['JWT_TTL_SECONDS', '0'],
    ['JWT_TTL_SECONDS', '86401'],
    ['REFRESH_IDLE_SECONDS', '59'],
    ['REFRESH_REUSE_GRACE_SECONDS', '61'],
    ['REFRESH_ABSOLUTE_SECONDS', 'week'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_PREFIX', 'home ward'],
    ['MQTT_CLIENT_ID', 'ingest/0'],
    ['BREAK_GLASS_MINUTES', '0'],
    ['BREAK_GLASS_MINUTES', '1441'],
  ])('refuses %s=%s', (name, value) => {
    expect(badVariables('worker', { ...BASE, [name]: value })).toEqual([name]);
  });

  it('keeps the broker callbacks off unless BROKER_AUTH_PORT is set, and on loopback unless told otherwise', () => {
    const config = loadConfig('api', { ...BASE, JWT_SECRET: SECRET });
    expect(config.BROKER_AUTH_PORT).toBeUndefined();
    expect(config.BROKER_AUTH_HOST).toBe('127.0.0.1');
    expect(
      loadConfig('api', { ...BASE, JWT_SECRET: SECRET, BROKER_AUTH_PORT: '3001' }).BROKER_AUTH_PORT,
    ).toBe(3001);
    expect(badVariables('api', { ...BASE, JWT_SECRET: SECRET, BROKER_AUTH_PORT: 'x' })).toEqual([
      'BROKER_AUTH_PORT',
    ]);
  });

  it('trusts no proxy by default, and a hop count or proxy addresses when TRUST_PROXY says so', () => {
    expect(trustProxySetting(loadConfig('api', { ...BASE, JWT_SECRET: SECRET }).TRUST_PROXY)).toBe(false);
    const setting = (value: string) =>
      trustProxySetting(loadConfig('api', { ...BASE, JWT_SECRET: SECRET, TRUST_PROXY: value }).TRUST_PROXY);
    expect(setting('1')).toBe(1);
    expect(setting('10.0.0.0/8, loopback,2001:db8::1')).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::1']);
  });

  it.each(['true', 'false', 'all', '10.0.0.0/33', 'proxy.internal', '1,2', '100'])(
    'refuses TRUST_PROXY=%s',
    (value) => {
      expect(badVariables('api', { ...BASE, JWT_SECRET: SECRET, TRUST_PROXY: value })).toEqual([
        'TRUST_PROXY',
      ]);
    },
  );

  it('accepts postgresql:// and rediss:// URLs', () => {
    const config = loadConfig('worker', {
      DATABASE_URL: 'postgresql://db.internal/homeward',
      REDIS_URL: 'rediss://cache.internal:6380',
    });
    expect(config.DATABASE_URL).toBe('postgresql://db.internal/homeward');
    expect(config.REDIS_URL).toBe('rediss://cache.internal:6380');
  });

  it('provisions devices on dynamic security only when told to, with a broker and its admin', () => {
    const api = { ...BASE, JWT_SECRET: SECRET };
    const broker = { MQTT_URL: 'mqtt://broker:1883', MQTT_USERNAME: 'svc', MQTT_PASSWORD: 'pw' };
    expect(loadConfig('api', api).MQTT_DYNSEC).toBe(false);
    expect(loadConfig('api', { ...api, ...broker, MQTT_DYNSEC: 'true' }).MQTT_DYNSEC).toBe(true);
    expect(loadConfig('api', { ...api, ...broker, MQTT_DYNSEC: 'false' }).MQTT_DYNSEC).toBe(false);
    expect(badVariables('api', { ...api, ...broker, MQTT_DYNSEC: 'yes' })).toEqual(['MQTT_DYNSEC']);
    // The all-in-one process embeds its broker when MQTT_URL is unset: nothing to provision on.
    expect(
      badVariables('all', { ...api, MQTT_USERNAME: 'svc', MQTT_PASSWORD: 'pw', MQTT_DYNSEC: 'true' }),
    ).toEqual(['MQTT_DYNSEC']);
    expect(badVariables('api', { ...api, MQTT_URL: broker.MQTT_URL, MQTT_DYNSEC: 'true' })).toEqual([
      'MQTT_DYNSEC',
    ]);
  });

  it("takes LiveKit settings together, derives the API URL from the browsers' URL, and defaults the visit timings", () => {
    const secret = 's'.repeat(32);
    const config = loadConfig('worker', {
      ...BASE,
      LIVEKIT_URL: 'wss://video.example.org',
      LIVEKIT_API_KEY: 'APIkey',
      LIVEKIT_API_SECRET: secret,
    });
    expect(liveKitSettings(config)).toEqual({
      url: 'wss://video.example.org',
      apiUrl: 'https://video.example.org',
      apiKey: 'APIkey',
      apiSecret: secret,
    });
    expect(config).toMatchObject({
      VISIT_NO_SHOW_MINUTES: 15,
      VISIT_TOKEN_TTL_SECONDS: 600,
      VISIT_LINK_TTL_MINUTES: 60,
    });
    expect(liveKitSettings({ ...config, LIVEKIT_URL: 'ws://127.0.0.1:7880' })?.apiUrl).toBe(
      'http://127.0.0.1:7880',
    );
    expect(liveKitSettings({ ...config, LIVEKIT_API_URL: 'http://livekit:7880' })?.apiUrl).toBe(
      'http://livekit:7880',
    );
    expect(liveKitSettings(loadConfig('worker', BASE))).toBeUndefined();
    expect(badVariables('worker', { ...BASE, LIVEKIT_URL: 'wss://video.example.org' })).toEqual([
      'LIVEKIT_URL',
    ]);
    expect(
      badVariables('worker', {
        ...BASE,
        LIVEKIT_URL: 'ftp://video',
        LIVEKIT_API_KEY: 'key',
        LIVEKIT_API_SECRET: 'short',
        VISIT_TOKEN_TTL_SECONDS: '21600',
        VISIT_NO_SHOW_MINUTES: '0',
      }),
    ).toEqual(['LIVEKIT_API_SECRET', 'LIVEKIT_URL', 'VISIT_NO_SHOW_MINUTES', 'VISIT_TOKEN_TTL_SECONDS']);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALERTS_NAMESPACE, deviceClientId, readingsTopic } from '@homeward/contracts';
import type { Logger } from '@homeward/observability';
import { DEMO_USERS, type DemoDevice, type DemoSeedService } from './demo-seed.service';

export interface DemoOptions {
  patients: number;
  password?: string;
  apiUrl: string;
  mqttUrl: string;
  stateDir: string;
  simulate: boolean;
  /** True once the process is stopping (Ctrl-C during start-up): no summary, no simulator. */
  stopping?: () => boolean;
  /** The simulator's `--interval`; its default when undefined. */
  simulatorIntervalSeconds?: number;
  /**
   * Runs the organisation's missed-reading check once, after the seed: the schedule's first run
   * came before the demo's patients existed, and the next is MISSED_CHECK_EVERY_MS away.
   */
  checkMissed?: (organizationId: string) => Promise<unknown>;
}

/**
 * The generated demo password, kept in the state directory like scripts/demo.sh keeps the JWT
 * secret: a restart must not lock out a user who already signed in with it. Owner-only.
 */
function keptPassword(stateDir: string): string {
  const file = join(stateDir, 'demo-password');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const kept = readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  }
  const password = randomBytes(9).toString('base64url');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/** The last run's device credentials (secrets are stored hashed, so this file is their only copy). */
function previousDevices(devicesFile: string, logger: Logger): DemoDevice[] {
  if (!existsSync(devicesFile)) return [];
  try {
    const parsed = JSON.parse(readFileSync(devicesFile, 'utf8')) as { devices?: DemoDevice[] };
    return Array.isArray(parsed.devices) ? parsed.devices : [];
  } catch (error) {
    logger.warn({ err: error, devicesFile }, 'Unreadable demo devices file; registering new demo devices');
    return [];
  }
}

function nextSteps(options: DemoOptions, password: string, device: DemoDevice, devicesFile: string): string {
  const mqtt = new URL(options.mqttUrl);
  // A password from DEMO_PASSWORD is never printed: the command reads it from the shell.
  const login = options.password
    ? `"{\\"email\\":\\"${DEMO_USERS[0].email}\\",\\"password\\":\\"$DEMO_PASSWORD\\"}"`
    : `'${JSON.stringify({ email: DEMO_USERS[0].email, password })}'`;
  const reading =
    `'{"messageId":"manual-'$(date +%s)'","measuredAt":"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'",` +
    `"readings":[{"type":"heart_rate","value":72,"unit":"/min"}]}'`;
  return (
    `  Next steps:\n` +
    `    Sign in (the token is valid for the REST API and the socket):\n` +
    `      TOKEN=$(curl -s ${options.apiUrl}/api/auth/login -H 'content-type: application/json' \\\n` +
    `        -d ${login} | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')\n` +
    `      curl -s ${options.apiUrl}/api/patients -H "authorization: Bearer $TOKEN"\n` +
    `    Watch alerts on the socket, new ones and changes such as a re-opened alert (from this checkout,\n` +
    `    which has socket.io-client):\n` +
    `      node -e 'const s = require("socket.io-client").io(process.argv[1], { auth: { token: process.argv[2] } });` +
    ` for (const e of ["alert.created", "alert.updated"]) s.on(e, (a) => console.log(e, a));` +
    ` s.on("connect_error", (err) => console.error(err.message))' ${options.apiUrl}${ALERTS_NAMESPACE} "$TOKEN"\n` +
    `    Publish a reading as a device (${device.label}'s ${device.kind}; every device's credentials\n` +
    `    are in ${devicesFile}; client id device-{id}, username = id, password = secret, QoS 1, MQTT 3.1.1):\n` +
    `      mosquitto_pub -V mqttv311 -h ${mqtt.hostname} -p ${mqtt.port || '1883'} -q 1 \\\n` +
    `        -i ${deviceClientId(device.id)} -u ${device.id} \\\n` +
    // The secret is read from the devices file when the command runs, never printed: a log
    // that holds it hands the device's identity to whoever reads the log.
    `        -P "$(node -pe 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).devices` +
    `.find((d) => d.id === process.argv[2]).secret' '${devicesFile}' ${device.id})" \\\n` +
    `        -t ${readingsTopic(device.id)} -m ${reading}\n`
  );
}

/** Users, password, next steps and the console's URL: what a newcomer needs from the demo's output. */
function demoSummary(
  options: DemoOptions,
  password: string,
  devices: DemoDevice[],
  live: DemoDevice[],
  devicesFile: string,
): string {
  const users = DEMO_USERS.map((user) => `    ${user.email.padEnd(34)} (${user.role})`).join('\n');
  const passwordSource = options.password
    ? 'from DEMO_PASSWORD'
    : `"${password}" (kept in ${join(options.stateDir, 'demo-password')})`;
  const publishing = options.simulate
    ? `  ${live.length} simulated devices for ${new Set(live.map((d) => d.patientId)).size} patients publish to ${options.mqttUrl}` +
      (live.length < devices.length ? ' (the others stopped measuring days ago)' : '') +
      '\n'
    : `  No simulator (--no-simulator): ${devices.length} demo devices for ${options.patients} patients are registered; nothing publishes until a device does (${options.mqttUrl})\n`;
  return (
    `\nHomeward demo ready\n  Users, password ${passwordSource}:\n${users}\n${publishing}` +
    nextSteps(options, password, devices[devices.length - 1], devicesFile) +
    // Last, where the eye lands: the console and who can sign in to it.
    `\n  Console: ${options.apiUrl}/  (sign in as one of the users above, password ${passwordSource})\n`
  );
}

/** Long enough for the simulator's first readings and the alerts they raise to be logged. */
const SUMMARY_SETTLE_MS = 8_000;

/**
 * The summary is printed as soon as the demo is seeded, but the simulator's start-up logs would
 * scroll it away (issue 19): it is printed again once they settle, and on Enter at a terminal.
 */
function showSummaryAgain(summary: string, simulating: boolean): void {
  const terminal = process.stdin.isTTY;
  const hint = terminal ? '  (press Enter to show this summary again)\n' : '';
  if (terminal) {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', () => process.stdout.write(summary + hint));
  }
  if (simulating) setTimeout(() => process.stdout.write(summary + hint), SUMMARY_SETTLE_MS).unref();
  else if (terminal) process.stdout.write(hint);
}

/** Seeds the demo organisation and starts the device simulator against the running platform. */
export async function startDemo(
  seed: DemoSeedService,
  options: DemoOptions,
  logger: Logger,
): Promise<ChildProcess | undefined> {
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const password = options.password ?? keptPassword(options.stateDir);
  const coordinator = await seed.seedUsers(password);
  const devicesFile = join(options.stateDir, 'demo-devices.json');
  const devices = await seed.seedPatients(
    coordinator,
    options.patients,
    previousDevices(devicesFile, logger),
  );
  writeFileSync(devicesFile, JSON.stringify({ mqttUrl: options.mqttUrl, devices }, null, 2), { mode: 0o600 });
  await options.checkMissed?.(coordinator.organizationId);

  if (options.stopping?.()) return undefined;
  // Patients whose readings stopped stay silent: the simulator gets the live devices only.
  const live = devices.filter((device) => device.live !== false);
  const summary = demoSummary(options, password, devices, live, devicesFile);
  process.stdout.write(summary);
  showSummaryAgain(summary, options.simulate);
  if (!options.simulate) return undefined;
  const simulator = resolve(__dirname, '..', '..', '..', '..', 'devices-simulator', 'src', 'main.js');
  const simulatedFile = join(options.stateDir, 'demo-simulated-devices.json');
  writeFileSync(simulatedFile, JSON.stringify({ mqttUrl: options.mqttUrl, devices: live }, null, 2), {
    mode: 0o600,
  });
  const child = spawn(
    process.execPath,
    [
      simulator,
      '--devices-file',
      simulatedFile,
      '--scenario',
      'hypertensive-crisis,heart-failure-weight-gain,remeasure-in-progress',
      '--quiet',
      ...(options.simulatorIntervalSeconds ? ['--interval', String(options.simulatorIntervalSeconds)] : []),
    ],
    {
      // The IPC channel closes when this process dies, even by SIGKILL: the simulator then stops.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  child.on('exit', (code, signal) => logger.info({ code, signal }, 'Device simulator exited'));
  return child;
}

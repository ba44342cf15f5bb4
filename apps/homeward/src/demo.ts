import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_USERS, type DemoSeedService } from '@homeward/core';
import type { Logger } from '@homeward/observability';

export interface DemoOptions {
  patients: number;
  password?: string;
  mqttUrl: string;
  stateDir: string;
  simulate: boolean;
}

/** Seeds the demo organisation and starts the device simulator against the running platform. */
export async function startDemo(
  seed: DemoSeedService,
  options: DemoOptions,
  logger: Logger,
): Promise<ChildProcess | undefined> {
  const password = options.password ?? randomBytes(9).toString('base64url');
  const coordinator = await seed.seedUsers(password);
  const devices = await seed.seedPatients(coordinator, options.patients);
  mkdirSync(options.stateDir, { recursive: true });
  const devicesFile = join(options.stateDir, 'demo-devices.json');
  writeFileSync(devicesFile, JSON.stringify({ mqttUrl: options.mqttUrl, devices }, null, 2), { mode: 0o600 });

  const users = DEMO_USERS.map((user) => `    ${user.email.padEnd(34)} (${user.role})`).join('\n');
  process.stdout.write(
    `\nHomeward demo ready\n  Users, password ${options.password ? 'from DEMO_PASSWORD' : `"${password}"`}:\n${users}\n` +
      `  ${devices.length} simulated devices for ${options.patients} patients publish to ${options.mqttUrl}\n\n`,
  );
  if (!options.simulate) return undefined;
  const simulator = resolve(__dirname, '..', '..', '..', 'devices-simulator', 'src', 'main.js');
  const child = spawn(
    process.execPath,
    [simulator, '--devices-file', devicesFile, '--scenario', 'hypertensive-crisis', '--quiet'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.on('exit', (code, signal) => logger.info({ code, signal }, 'Device simulator exited'));
  return child;
}

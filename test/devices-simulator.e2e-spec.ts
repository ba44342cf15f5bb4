import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  TestStack,
  createOrganization,
  createUser,
  freePort,
  repoRoot,
  waitFor,
} from '@homeward/testing';

const MAIN = (): string => join(repoRoot(), 'dist', 'devices-simulator', 'src', 'main.js');

/** Runs the built simulator to completion; resolves with its exit code and stdout lines. */
function runSimulator(args: string[]): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const child = spawn(process.execPath, [MAIN(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, lines: stdout.split('\n').filter((l) => l !== ''), stderr })),
  );
}

interface RunSummary {
  mode: string;
  sent: Record<string, number>;
  acked: number;
  brokenSent: Record<string, number>;
}

function summaryOf(lines: string[]): RunSummary {
  const line = lines.find((l) => l.startsWith('{"mode":'));
  if (!line) throw new Error(`no summary in:\n${lines.join('\n')}`);
  return JSON.parse(line) as RunSummary;
}

describe('device simulator as a command-line tool', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'homeward-simulator-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops quietly when its output is piped to head and head exits', async () => {
    // A broker that is not there: the simulator keeps logging connection attempts.
    const mqttUrl = `mqtt://127.0.0.1:${await freePort()}`;
    const devicesFile = join(dir, 'devices.json');
    writeFileSync(
      devicesFile,
      JSON.stringify({
        mqttUrl,
        devices: [{ id: 'pipe-1', secret: 's', kind: 'bp_cuff', patientId: 'p-1' }],
      }),
    );
    const main = MAIN();
    const shell = spawn(
      'bash',
      [
        '-c',
        // PIPESTATUS[0] is the simulator's exit status, not head's.
        `"${process.execPath}" "${main}" --devices-file "${devicesFile}" --interval 0.2 | head -n 1; echo "simulator exit $\{PIPESTATUS[0]}" >&2`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => shell.on('close', resolve));

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ msg: 'simulator started' });
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(stderr.trim()).toMatch(/^simulator exit [01]$/);
  }, 30_000);

  describe('against the platform (api and ingest processes; PostgreSQL, Mosquitto)', () => {
    let stack: TestStack;
    let admin: ApiClient;
    let deviceIds: string[];
    let devicesFile: string;

    const storedMessages = async (pattern: string): Promise<number> =>
      Number(
        (
          await stack.database.pool.query(
            'SELECT count(DISTINCT (device_id, message_id)) AS n FROM readings WHERE device_id = ANY($1) AND message_id LIKE $2',
            [deviceIds, pattern],
          )
        ).rows[0].n,
      );

    beforeAll(async () => {
      stack = await TestStack.start({ apps: ['api', 'ingest'] });
      const organization = await createOrganization(stack.database.pool, 'Simulator Org');
      const adminUser = await createUser(stack.database.pool, organization, 'admin');
      admin = await new ApiClient(stack.apiUrl).login(adminUser.email, adminUser.password);
      const patient = await admin.createPatient('Sim', 'Ulated');
      const kinds = ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer'];
      const devices = [];
      for (const kind of kinds) devices.push({ ...(await admin.registerDevice(patient.id, kind)), kind });
      deviceIds = devices.map((d) => d.id);
      devicesFile = join(dir, 'platform-devices.json');
      writeFileSync(
        devicesFile,
        JSON.stringify({
          mqttUrl: stack.broker.url,
          devices: devices.map((d) => ({ id: d.id, secret: d.secret, kind: d.kind, patientId: patient.id })),
        }),
      );
    }, 120_000);

    afterAll(async () => {
      await stack?.stop();
    });

    it('stores what it sent well-formed, and the platform rejects exactly what it broke, for the reasons it expected', async () => {
      const { code, lines } = await runSimulator([
        '--devices-file',
        devicesFile,
        '--interval',
        '0.2',
        '--count',
        '6',
        '--no-receipts',
        '--malformed',
        '0.5',
        '--conditions',
        'all',
        '--json',
        '--quiet',
      ]);
      expect(code).toBe(0);
      const summary = summaryOf(lines);
      const brokenTotal = Object.values(summary.brokenSent).reduce((a, b) => a + b, 0);
      expect(brokenTotal).toBeGreaterThan(3);
      expect(summary.acked).toBe(30);

      const { MALFORMED_KINDS } = await import('../devices-simulator/src/malformed');
      const expected = Object.entries(summary.brokenSent)
        .flatMap(([kind, n]) => Array<string>(n).fill(MALFORMED_KINDS[kind as keyof typeof MALFORMED_KINDS]))
        .sort();
      let reasons: string[] = [];
      const deadline = Date.now() + 15_000;
      do {
        const response = await admin.request<{ items: { reason: string }[] }>(
          'GET',
          '/api/ingest/rejections?limit=100',
        );
        expect(response.status).toBe(200);
        reasons = response.body.items.map((r) => r.reason).sort();
        if (reasons.length >= expected.length) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      } while (Date.now() < deadline);
      expect(reasons).toEqual(expected);
      // A PUBACK from Mosquitto is not the commit: the last well-formed messages may still be on their way.
      const wellFormed = 30 - brokenTotal;
      await waitFor(async () => (await storedMessages('%')) >= wellFormed, {
        what: `${wellFormed} well-formed messages stored`,
        timeoutMs: 15_000,
      }).catch(() => undefined);
      expect(await storedMessages('%')).toBe(wellFormed);
    }, 60_000);

    it('publishes Bluetooth LE measurements the platform decodes and stores', async () => {
      const { code, lines } = await runSimulator([
        '--devices-file',
        devicesFile,
        '--interval',
        '0.2',
        '--count',
        '2',
        '--no-receipts',
        '--ble',
        '--json',
        '--quiet',
      ]);
      expect(code).toBe(0);
      const summary = summaryOf(lines);
      // Each of the five devices measures one characteristic a time.
      expect(summary.sent.ble).toBe(10);
      const deadline = Date.now() + 15_000;
      while ((await storedMessages('%.2a%')) < 10 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await storedMessages('%.2a%')).toBe(10);
    }, 60_000);

    it('drives a paced load through every device and reports it as one JSON line', async () => {
      const before = await storedMessages('%');
      const { code, lines } = await runSimulator([
        '--devices-file',
        devicesFile,
        '--load',
        '--devices',
        '5',
        '--rate',
        '50',
        '--duration',
        '2',
        '--no-receipts',
        '--json',
        '--quiet',
      ]);
      expect(code).toBe(0);
      const summary = summaryOf(lines) as RunSummary & {
        published: number;
        connected: number;
        unsettled: number;
        latencyMs: { puback: { count: number; p99?: number } };
      };
      expect(summary).toMatchObject({ mode: 'load', connected: 5, published: 100, acked: 100, unsettled: 0 });
      expect(summary.latencyMs.puback.count).toBe(100);
      const deadline = Date.now() + 15_000;
      while ((await storedMessages('%')) < before + 100 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await storedMessages('%')).toBe(before + 100);
    }, 60_000);
  });
});

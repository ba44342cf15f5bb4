import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '@homeward/testing';

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
    const main = join(repoRoot(), 'dist', 'devices-simulator', 'src', 'main.js');
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
});

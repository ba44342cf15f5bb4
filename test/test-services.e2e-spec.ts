import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, waitFor } from '@homeward/testing';

/*
 * `npm test` runs jest under scripts/test-services.js, which starts throwaway stores when none
 * answers. Killed mid-run, by the user's Ctrl-C or by jest dying outright, the run must leave no
 * store, broker or folder behind. test/fixtures/held-run.fixture.ts holds a database, Redis and a
 * broker until it is killed.
 */
const ROOT = repoRoot();
const FIXTURE_CONFIG = JSON.stringify({
  rootDir: ROOT,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: join(ROOT, 'tsconfig.json') }] },
  moduleNameMapper: { '^@homeward/(.*)$': '<rootDir>/libs/$1/src' },
  testMatch: ['<rootDir>/test/fixtures/held-run.fixture.ts'],
});

interface Proc {
  pid: number;
  ppid: number;
  name: string;
}

function processes(): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') found.push({ pid: Number(entry), ppid: Number(ppid), name });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const child of all.filter((proc) => proc.ppid === parent)) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

const alive = (pid: number) => processes().some((proc) => proc.pid === pid);

interface HeldRun {
  supervisor: ChildProcess;
  output: () => string;
  runDir: string;
  started: Proc[];
  report: { jestPid: number; brokerPid: number };
  exited: Promise<number | null>;
}

/** The supervisor with throwaway stores running the fixture, once it holds everything. */
async function startHeldRun(workDir: string): Promise<HeldRun> {
  const reportFile = join(workDir, `report-${Date.now()}.json`);
  const supervisor = spawn(
    process.execPath,
    ['scripts/test-services.js', '--throwaway', '--', 'npx', 'jest', '--config', FIXTURE_CONFIG],
    { cwd: ROOT, env: { ...process.env, HELD_RUN_REPORT: reportFile }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  supervisor.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  supervisor.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
  try {
    await waitFor(() => existsSync(reportFile), { what: "the fixture's report", timeoutMs: 90_000 });
  } catch (error) {
    supervisor.kill('SIGINT');
    await exited;
    throw new Error(`${(error as Error).message}; the run printed:\n${log}`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as HeldRun['report'];
  const runDir = /data in (\S+)\/postgres\)/.exec(log)?.[1];
  if (!runDir) throw new Error(`no run folder in:\n${log}`);
  return { supervisor, output: () => log, runDir, started: descendants(supervisor.pid ?? 0), report, exited };
}

describe('npm test killed mid-run', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'homeward-held-run-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  const expectNothingLeft = async (run: HeldRun) => {
    const names = run.started.map((proc) => proc.name);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis-server', 'mosquitto']));
    expect(run.started.map((proc) => proc.pid)).toContain(run.report.brokerPid);
    await run.exited;
    expect(run.started.filter((proc) => alive(proc.pid))).toEqual([]);
    expect(existsSync(run.runDir)).toBe(false);
    expect(run.output()).toContain('stopped everything the run started and removed its folder');
  };

  it('leaves no store, broker or folder when jest is killed outright (SIGKILL)', async () => {
    const run = await startHeldRun(workDir);
    process.kill(run.report.jestPid, 'SIGKILL');
    expect(await run.exited).not.toBe(0);
    await expectNothingLeft(run);
  }, 150_000);

  it('leaves no store, broker or folder when the user presses Ctrl-C (SIGINT)', async () => {
    const run = await startHeldRun(workDir);
    run.supervisor.kill('SIGINT');
    expect(await run.exited).toBe(130);
    await expectNothingLeft(run);
  }, 150_000);
});

describe('npm test after a run whose supervisor was killed outright', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'homeward-stale-run-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('stops the stale run’s stores and processes and removes its folder before starting', async () => {
    const run = await startHeldRun(workDir);
    run.supervisor.kill('SIGKILL');
    await run.exited;
    // Nothing could clean up: the stores are still there.
    const stores = run.started.filter((proc) => ['postgres', 'redis-server'].includes(proc.name));
    expect(stores.filter((proc) => alive(proc.pid)).length).toBeGreaterThanOrEqual(2);
    expect(existsSync(run.runDir)).toBe(true);

    const next = spawn(process.execPath, ['scripts/test-services.js', '--', 'true'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    next.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    next.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => next.once('exit', resolve));
    expect({ code, log }).toEqual({
      code: 0,
      log: expect.stringContaining(`removed ${run.runDir}`) as string,
    });
    expect(run.started.filter((proc) => alive(proc.pid))).toEqual([]);
    expect(existsSync(run.runDir)).toBe(false);
  }, 150_000);
});

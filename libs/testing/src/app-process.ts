import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot, waitFor } from './ports';

const REPO_ROOT = repoRoot();

export type AppName = 'api' | 'ingest' | 'worker' | 'homeward';

/** A built Homeward app running as a real child process, with its log kept for assertions. */
export class AppProcess {
  private child?: ChildProcess;
  log = '';

  constructor(
    readonly name: AppName,
    private readonly env: Record<string, string>,
    private readonly args: string[] = [],
    /** Options for node itself, such as `--cpu-prof` (which NODE_OPTIONS does not take). */
    private readonly nodeArgs: string[] = [],
  ) {}

  static entry(name: AppName): string {
    const entry = resolve(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');
    if (!existsSync(entry))
      throw new Error(`${entry} is missing: run npm run build before the end-to-end tests`);
    return entry;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Starts the process and resolves once its log shows `readyLine`. */
  async start(readyLine: string, timeoutMs = 30_000): Promise<void> {
    // A restart waits for the new process's ready line, not the one its predecessor logged.
    this.log = '';
    const child = spawn(process.execPath, [...this.nodeArgs, AppProcess.entry(this.name), ...this.args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Noted as it arrives: a process that logs a flood right after it (a backlog) would push the
    // line out of the bounded log before the next poll.
    let ready = false;
    const append = (chunk: Buffer) => {
      const text = chunk.toString();
      // The line may straddle two chunks: look across the join.
      ready ||= (this.log.slice(-readyLine.length) + text).includes(readyLine);
      this.log += text;
      if (this.log.length > 2_000_000) this.log = this.log.slice(-1_000_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    await waitFor(
      () => {
        if (!this.running) throw new Error(`${this.name} exited early:\n${this.log.slice(-4000)}`);
        return ready;
      },
      { what: `${this.name} to log "${readyLine}"`, timeoutMs },
    );
  }

  /** SIGKILL: no shutdown hooks, nothing flushed. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export const READY_LINES: Record<AppName, string> = {
  api: 'Homeward API listening',
  ingest: 'Homeward ingest consuming',
  worker: 'Homeward worker processing jobs',
  homeward: 'Homeward listening',
};

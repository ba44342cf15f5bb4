import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@homeward/testing';

/**
 * scripts/demo.sh in a scratch copy of the repository layout, stopped right after it prepares
 * its secrets: a stand-in check-services.js exits with 42, and node_modules exists so nothing
 * is installed. The real .homeward of this checkout is never touched.
 */
function runDemoScriptUntilServiceCheck(root: string): number | null {
  const result = spawnSync('bash', [join(root, 'scripts', 'demo.sh')], {
    env: { PATH: process.env.PATH ?? '', HOME: root },
    encoding: 'utf8',
  });
  return result.status;
}

describe('demo script secrets', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homeward-demo-script-'));
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'node_modules'));
    copyFileSync(join(repoRoot(), 'scripts', 'demo.sh'), join(root, 'scripts', 'demo.sh'));
    writeFileSync(join(root, 'scripts', 'check-services.js'), 'process.exit(42);\n');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const secretFile = () => join(root, '.homeward', 'jwt-secret');
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('creates the demo JWT secret readable by its owner only', () => {
    expect(runDemoScriptUntilServiceCheck(root)).toBe(42);
    expect(readFileSync(secretFile(), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(modeOf(secretFile())).toBe(0o600);
    expect(modeOf(join(root, '.homeward'))).toBe(0o700);
  });

  it('closes up a world-readable secret left by an earlier version, keeping its value', () => {
    mkdirSync(join(root, '.homeward'), { mode: 0o755 });
    writeFileSync(secretFile(), 'a'.repeat(64), { mode: 0o644 });
    expect(runDemoScriptUntilServiceCheck(root)).toBe(42);
    expect(readFileSync(secretFile(), 'utf8')).toBe('a'.repeat(64));
    expect(modeOf(secretFile())).toBe(0o600);
    expect(modeOf(join(root, '.homeward'))).toBe(0o700);
  });
});

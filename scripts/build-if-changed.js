// Runs `npm run build` for the quick start unless the build is current (issue 19: about 30 s on
// every demo start). Plain JavaScript: it runs before the build. The stamp is removed before a
// build and written only after one succeeds, so an interrupted or failed build is redone; a build
// run some other way (`npm run build`) that rewrote the output after the stamp makes the stamp
// unreliable (it may have been interrupted), so the build runs again. `--always` builds whatever
// the decision (npm test's build), keeping the stamp true.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp.json');
/** What the build reads. Folders count too: deleting a file changes only its folder's mtime. */
const INPUTS = [
  'apps',
  'libs',
  'devices-simulator',
  'scripts',
  'package.json',
  'package-lock.json',
  'nest-cli.json',
];
/** What the demo runs: the all-in-one process, the simulator and the built console. */
const OUTPUTS = [
  'dist/apps/homeward/src/main.js',
  'dist/devices-simulator/src/main.js',
  'dist/console/index.html',
];
const SKIPPED = new Set(['node_modules', 'dist', '.homeward']);
/** Slack for the last output written just after the stamp's recorded duration ended. */
const STAMP_SLACK_MS = 2_000;
/** Written by the build itself (npm run console:types), so never newer than what it came from. */
const GENERATED = new Set([path.join(ROOT, 'apps', 'console', 'src', 'api', 'schema.d.ts')]);

/** The newest modification time (ms) of a file or, recursively, of a folder and everything in it. */
function newestMtimeMs(target) {
  const stats = statSync(target, { throwIfNoEntry: false });
  if (!stats) return 0;
  let newest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const entry of readdirSync(target)) {
      const child = path.join(target, entry);
      if (!SKIPPED.has(entry) && !GENERATED.has(child)) newest = Math.max(newest, newestMtimeMs(child));
    }
  }
  return newest;
}

/**
 * Whether to build. `stamp` is the last successful build's record ({ startedAtMs, durationMs }), or
 * undefined; sources changed since that build started (even during it) mean a rebuild.
 */
function buildDecision({ stamp, newestInputMs, outputsPresent, newestOutputMs = 0 }) {
  if (!stamp) return { build: true, reason: 'no record of a finished build' };
  if (!outputsPresent) return { build: true, reason: 'build output is missing' };
  if (newestOutputMs > stamp.startedAtMs + stamp.durationMs + STAMP_SLACK_MS)
    return { build: true, reason: 'the output was rebuilt since the recorded build, perhaps not to the end' };
  if (newestInputMs >= stamp.startedAtMs)
    return { build: true, reason: 'sources changed since the last build' };
  return { build: false, savedSeconds: Math.round(stamp.durationMs / 1000) };
}

function readStamp() {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    return Number.isFinite(stamp.startedAtMs) && Number.isFinite(stamp.durationMs) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

function main() {
  const tsconfigs = readdirSync(ROOT).filter((name) => /^tsconfig.*\.json$/.test(name));
  let decision = buildDecision({
    stamp: readStamp(),
    newestInputMs: Math.max(
      ...[...INPUTS, ...tsconfigs].map((input) => newestMtimeMs(path.join(ROOT, input))),
    ),
    outputsPresent: OUTPUTS.every((output) => existsSync(path.join(ROOT, output))),
    newestOutputMs: Math.max(...OUTPUTS.map((output) => newestMtimeMs(path.join(ROOT, output)))),
  });
  if (process.argv.includes('--always')) decision = { build: true, reason: 'asked to' };
  if (!decision.build) {
    process.stdout.write(`Build is current, skipping it (${decision.savedSeconds} s saved)\n`);
    return;
  }
  process.stdout.write(`Building (${decision.reason})\n`);
  rmSync(STAMP, { force: true });
  const startedAtMs = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, JSON.stringify({ startedAtMs, durationMs: Date.now() - startedAtMs }) + '\n');
}

module.exports = { buildDecision };
if (require.main === module) main();

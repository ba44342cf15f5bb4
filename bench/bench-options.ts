export const SECTIONS = ['ceilings', 'throughput', 'alerts', 'console', 'queries', 'broker'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  scaleOut: boolean;
  /** Device counts for ingest throughput; the first is 1× for the growth figures. */
  devices: number[];
  /** Rate the throughput load asks for, above the target so the platform is the limit. */
  rate: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Background messages a second under which alert latency is measured. */
  backgrounds: number[];
  probes: number;
  consoleSockets: number;
  only: Section[];
}

export const FULL: Omit<BenchOptions, 'scaleOut' | 'only'> = {
  quick: false,
  devices: [1000, 2000, 4000, 10_000],
  rate: 25_000,
  warmupSeconds: 15,
  durationSeconds: 60,
  backgrounds: [1000, 3000, 5000],
  probes: 300,
  consoleSockets: 200,
};

/** About a minute on a small machine: enough to show the harness works, not to judge figures. */
export const QUICK: Omit<BenchOptions, 'scaleOut' | 'only'> = {
  quick: true,
  devices: [100, 200, 400],
  rate: 2000,
  warmupSeconds: 2,
  durationSeconds: 8,
  backgrounds: [200],
  probes: 20,
  consoleSockets: 20,
};

export const USAGE = `Usage: npm run bench -- [options]
  --quick                 about a minute: few hundred devices, short windows, small seed
  --devices 1000,10000    device counts for ingest throughput (the first is 1× for growth)
  --rate N                messages/s the throughput load asks for (default ${FULL.rate})
  --duration S            measured window per figure after warm-up (default ${FULL.durationSeconds})
  --warmup S              warm-up before each window (default ${FULL.warmupSeconds})
  --backgrounds 1000,3000 background messages/s for alert latency
  --probes N              alert-raising readings per background level (default ${FULL.probes})
  --sockets N             coordinator sockets (one user each) in the console section (default ${FULL.consoleSockets})
  --scale-out             two ingest instances (shared subscription) and two API instances
  --only a,b              sections: ${SECTIONS.join(', ')}
  -h, --help              this text`;

export class BenchUsageError extends Error {}

function positiveList(flag: string, value: string | undefined): number[] {
  const numbers = (value ?? '').split(',').map(Number);
  if (!value || numbers.some((n) => !Number.isInteger(n) || n <= 0))
    throw new BenchUsageError(`${flag} needs positive whole numbers separated by commas`);
  return numbers;
}

function positive(flag: string, value: string | undefined): number {
  const [number] = positiveList(flag, value);
  return number;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = { ...(quick ? QUICK : FULL), scaleOut: false, only: [...SECTIONS] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--quick':
        break;
      case '--scale-out':
        options.scaleOut = true;
        break;
      case '--devices':
        options.devices = positiveList(flag, value());
        break;
      case '--backgrounds':
        options.backgrounds = positiveList(flag, value());
        break;
      case '--rate':
        options.rate = positive(flag, value());
        break;
      case '--duration':
        options.durationSeconds = positive(flag, value());
        break;
      case '--warmup':
        options.warmupSeconds = positive(flag, value());
        break;
      case '--sockets':
        options.consoleSockets = positive(flag, value());
        break;
      case '--probes':
        options.probes = positive(flag, value());
        break;
      case '--only': {
        const names = (value() ?? '').split(',');
        const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
        if (unknown.length > 0 || names.length === 0)
          throw new BenchUsageError(`--only takes ${SECTIONS.join(', ')} (got ${unknown.join(', ')})`);
        options.only = names as Section[];
        break;
      }
      default:
        throw new BenchUsageError(`unknown option ${flag}`);
    }
  }
  return options;
}

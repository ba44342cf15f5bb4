import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

// ESLint loads its flat config with a dynamic import, which jest's VM cannot run: lint in a
// child process with the project's config, only \`no-restricted-imports\` on, and no type
// information (that rule needs none, and the probes are not files the project holds).
const LINT = `
const { ESLint } = require('eslint');
const { filePath, source } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
new ESLint({
  cwd: process.cwd(),
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
})
  .lintText(source, { filePath })
  .then(([result]) => process.stdout.write(JSON.stringify(result.messages.map((m) => m.message))));
`;

/**
 * The lint rules that keep dependencies running one way, run on sources that break them. Only
 * `no-restricted-imports` runs, on text placed at a path inside the lib it would belong to.
 */
describe('dependency direction (ESLint)', () => {
  function violations(path: string, source: string): string[] {
    const output = execFileSync(process.execPath, ['-e', LINT], {
      cwd: root,
      input: JSON.stringify({ filePath: join(root, path), source }),
      encoding: 'utf8',
    });
    return JSON.parse(output) as string[];
  }

  it('refuses a domain importing a domain that depends on it', () => {
    const messages = violations(
      'libs/identity/src/users/probe.ts',
      "import { PatientService } from '@homeward/patients';\nexport const probe = PatientService;\n",
    );
    expect(messages).toEqual([expect.stringContaining('@homeward/identity may import only')]);
  });

  it('refuses the platform importing any domain, and monitoring importing alerting', () => {
    expect(
      violations('libs/platform/src/db/probe.ts', "export { AuditService } from '@homeward/identity';\n"),
    ).toHaveLength(1);
    expect(
      violations(
        'libs/monitoring/src/readings/probe.ts',
        "import { AlertService } from '@homeward/alerting';\nexport const probe = AlertService;\n",
      ),
    ).toEqual([expect.stringContaining('dependencies run one way')]);
  });

  it('refuses identity importing access (authentication knows no scope), and lets access read identity', () => {
    expect(
      violations(
        'libs/identity/src/audit/probe.ts',
        "import { AccessPolicy } from '@homeward/access';\nexport const probe = AccessPolicy;\n",
      ),
    ).toEqual([expect.stringContaining('@homeward/identity may import only')]);
    expect(
      violations(
        'libs/access/src/probe.ts',
        "import { principalKind } from '@homeward/identity';\nimport { PatientService } from '@homeward/patients';\nexport const probe = [principalKind, PatientService];\n",
      ),
    ).toEqual([expect.stringContaining('@homeward/access may import only')]);
  });

  it('refuses notifications importing alerting or patients, and lets alerting send through notifications', () => {
    expect(
      violations(
        'libs/notifications/src/outbox/probe.ts',
        "import { AlertService } from '@homeward/alerting';\nimport { PatientService } from '@homeward/patients';\nexport const probe = [AlertService, PatientService];\n",
      ),
    ).toEqual([
      expect.stringContaining('@homeward/notifications may import only'),
      expect.stringContaining('@homeward/notifications may import only'),
    ]);
    expect(
      violations(
        'libs/alerting/src/escalation/probe.ts',
        "import { NotificationService } from '@homeward/notifications';\nimport { UserService } from '@homeward/identity';\nexport const probe = [NotificationService, UserService];\n",
      ),
    ).toEqual([]);
  });

  it("refuses reaching into another lib's files (its repositories and rows)", () => {
    const messages = violations(
      'libs/alerting/src/alerts/probe.ts',
      "import { ReadingRepository } from '@homeward/monitoring/readings/reading.repository';\nexport const probe = ReadingRepository;\n",
    );
    expect(messages).toEqual([expect.stringContaining('No deep imports')]);
  });

  it('refuses test helpers in production code and the platform in the simulator', () => {
    expect(violations('apps/api/src/probe.ts', "export { TestStack } from '@homeward/testing';\n")).toEqual([
      expect.stringContaining('for tests only'),
    ]);
    expect(
      violations('devices-simulator/src/probe.ts', "export { Database } from '@homeward/platform';\n"),
    ).toEqual([expect.stringContaining('stand-alone device')]);
  });

  it('accepts imports that run down the layers', () => {
    expect(
      violations(
        'libs/alerting/src/alerts/probe.ts',
        "import { ReadingBatchService } from '@homeward/monitoring';\nimport { AccessPolicy } from '@homeward/access';\nexport const probe = [ReadingBatchService, AccessPolicy];\n",
      ),
    ).toEqual([]);
  });
});

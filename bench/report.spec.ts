import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatNumber, formatReport, formatTable, tableCells, writeReport, type BenchReport } from './report';

describe('benchmark report', () => {
  it('rounds figures by size and groups thousands', () => {
    expect(formatNumber(21_345.6)).toBe('21,346');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(0.0123)).toBe('0.01');
  });

  it('shows each figure beside its target with the verdict and the margin', () => {
    expect(
      tableCells({
        section: 'ingest',
        figure: 'messages/s',
        value: 12_000,
        unit: 'msg/s',
        comparison: { kind: 'at-least', target: 20_000 },
      }),
    ).toEqual(['ingest', 'messages/s', '12,000 msg/s', '≥ 20,000 msg/s', '0.60', 'MISS by 40%']);
    expect(
      tableCells({
        section: 'alerts',
        figure: 'p99',
        value: 8,
        unit: 'ms',
        comparison: { kind: 'below', target: 25 },
      }),
    ).toEqual(['alerts', 'p99', '8 ms', '< 25 ms', '0.32', 'PASS 68% under']);
  });

  it('shows a ceiling and the ratio to it, or that it was not measured', () => {
    expect(
      tableCells({
        section: 'ingest',
        figure: 'vs raw MQTT',
        value: 10_000,
        unit: 'msg/s',
        comparison: { kind: 'ceiling', ceiling: 40_000, of: 'raw MQTT QoS 1' },
      }).slice(3),
    ).toEqual(['40,000 msg/s (raw MQTT QoS 1)', '0.25', 'of raw MQTT QoS 1']);
    expect(
      tableCells({
        section: 'queries',
        figure: 'chart p95',
        unit: 'ms',
        comparison: { kind: 'below', target: 50 },
      }).slice(2),
    ).toEqual(['not measured', '< 50 ms', '', 'not measured']);
  });

  it('pads columns to the widest cell and heads the report with the machine', () => {
    const report: BenchReport = {
      startedAt: '2026-11-26T10:00:00.000Z',
      complete: true,
      machine: { cores: 2, cpuModel: 'Test CPU', totalMemoryMiB: 4096, node: 'v20.19.0' },
      options: {},
      rows: [
        { section: 'a', figure: 'short', value: 1, unit: 'ms', comparison: { kind: 'none' } },
        { section: 'bbb', figure: 'a longer figure', value: 2, unit: 'ms', comparison: { kind: 'none' } },
      ],
      sections: {},
      notes: ['a note'],
    };
    const table = formatTable(report.rows).split('\n');
    expect(table[0].indexOf('| Figure')).toBe(table[2].indexOf('| short'));
    expect(table[3]).toContain('a longer figure');
    const text = formatReport(report);
    expect(text).toContain('Machine: 2 cores (Test CPU), 4,096 MiB memory, Node v20.19.0');
    expect(text).toContain('- a note');
  });

  it('overwrites one file per run as sections finish, marked incomplete until the end', () => {
    const directory = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      const report: BenchReport = {
        startedAt: '2026-11-26T10:00:00.000Z',
        complete: false,
        machine: { cores: 2, cpuModel: 'Test CPU', totalMemoryMiB: 4096, node: 'v20.19.0' },
        options: {},
        rows: [
          { section: 'a', figure: 'p95', value: 40, unit: 'ms', comparison: { kind: 'below', target: 50 } },
        ],
        sections: {},
        notes: [],
      };
      const first = writeReport(report, directory);
      const row = {
        section: 'b',
        figure: 'lost',
        value: 0,
        unit: '',
        comparison: { kind: 'exactly', target: 0 },
      } as const;
      const last = writeReport({ ...report, complete: true, rows: [...report.rows, row] }, directory);
      expect(last).toBe(first);
      expect(readdirSync(directory)).toEqual(['2026-11-26T10-00-00-000Z.json']);
      const written = JSON.parse(readFileSync(last, 'utf8')) as {
        complete: boolean;
        rows: Array<{ section: string; verdict: { outcome: string } }>;
      };
      expect(written.complete).toBe(true);
      expect(written.rows.map((r) => [r.section, r.verdict.outcome])).toEqual([
        ['a', 'PASS'],
        ['b', 'PASS'],
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

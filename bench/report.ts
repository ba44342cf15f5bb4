import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { judge, type Comparison } from './verdict';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemoryMiB: number;
  node: string;
}

/** One printed line: a figure, what it is judged against, and the verdict. */
export interface ReportRow {
  section: string;
  figure: string;
  value?: number;
  unit: string;
  comparison: Comparison;
  /** The ceiling's or target's unit when it differs from the figure's (a ratio of rates, say). */
  note?: string;
}

export interface BenchReport {
  startedAt: string;
  /** False while sections are still running (or when the run died before its end). */
  complete: boolean;
  machine: MachineInfo;
  options: Record<string, unknown>;
  rows: ReportRow[];
  /** Raw figures per section, as measured, for later comparison. */
  sections: Record<string, unknown>;
  notes: string[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
  };
}

export function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function formatWith(value: number | undefined, unit: string): string {
  return value === undefined || !Number.isFinite(value)
    ? 'not measured'
    : `${formatNumber(value)} ${unit}`.trim();
}

function formatAgainst(comparison: Comparison, unit: string): string {
  switch (comparison.kind) {
    case 'at-least':
      return `≥ ${formatWith(comparison.target, unit)}`;
    case 'below':
      return `< ${formatWith(comparison.target, unit)}`;
    case 'exactly':
      return `= ${formatWith(comparison.target, unit)}`;
    case 'ceiling':
      return comparison.ceiling === undefined
        ? `${comparison.of}: not measured`
        : `${formatWith(comparison.ceiling, unit)} (${comparison.of})`;
    case 'none':
      return '';
  }
}

const HEADERS = ['Section', 'Figure', 'Value', 'Target / ceiling', 'Ratio', 'Verdict'];

export function tableCells(row: ReportRow): string[] {
  const verdict = judge(row.value, row.comparison);
  return [
    row.section,
    row.figure,
    formatWith(row.value, row.unit),
    formatAgainst(row.comparison, row.unit),
    verdict.ratio === undefined ? '' : verdict.ratio.toFixed(2),
    [verdict.outcome, verdict.margin].filter(Boolean).join(' '),
  ];
}

/** A plain-text table, columns padded to their widest cell. */
export function formatTable(rows: readonly ReportRow[]): string {
  const cells = [HEADERS, ...rows.map(tableCells)];
  const widths = HEADERS.map((_, column) => Math.max(...cells.map((line) => line[column].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join(' | ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export function formatReport(report: BenchReport): string {
  const { machine } = report;
  return [
    `Homeward benchmark, ${report.startedAt}`,
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${formatNumber(machine.totalMemoryMiB)} MiB memory, Node ${machine.node}`,
    '',
    formatTable(report.rows),
    '',
    ...report.notes.map((note) => `- ${note}`),
  ].join('\n');
}

/**
 * bench/results/<timestamp>.json, overwritten by every later call for the same run; returns the
 * path. Written beside and renamed over, so a crash mid-write leaves the previous version whole.
 */
export function writeReport(report: BenchReport, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const verdicts = report.rows.map((row) => ({ ...row, verdict: judge(row.value, row.comparison) }));
  writeFileSync(`${path}.partial`, `${JSON.stringify({ ...report, rows: verdicts }, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
  return path;
}

import { readFileSync } from 'node:fs';

/** One process's counters from /proc: peak resident memory and CPU time so far. */
export interface ProcSample {
  peakRssBytes: number;
  cpuSeconds: number;
}

/** VmHWM (peak resident set) from /proc/<pid>/status, in bytes. */
export function parsePeakRss(status: string): number {
  const kib = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error('no VmHWM line in /proc status');
  return Number(kib) * 1024;
}

/**
 * utime + stime from /proc/<pid>/stat, in seconds. The command name (field 2) may hold spaces
 * and parentheses, so fields are counted after its last ')'.
 */
export function parseCpuSeconds(stat: string, ticksPerSecond = 100): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) sit at 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat');
  return (utime + stime) / ticksPerSecond;
}

/** Undefined once the process has gone. Linux's USER_HZ is 100 on every mainstream architecture. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    return {
      peakRssBytes: parsePeakRss(readFileSync(`/proc/${pid}/status`, 'utf8')),
      cpuSeconds: parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8')),
    };
  } catch {
    return undefined;
  }
}

/**
 * write_bytes from /proc/<pid>/io: bytes the process caused to be sent to the storage layer
 * (page-cache writes to a disk-backed file count; tmpfs and sockets do not). Reading another
 * user's io file needs root, or the same user.
 */
export function parseWriteBytes(io: string): number {
  const bytes = /^write_bytes:\s+(\d+)/m.exec(io)?.[1];
  if (bytes === undefined) throw new Error('no write_bytes line in /proc io');
  return Number(bytes);
}

/** The soft "Max open files" limit from /proc/<pid>/limits; Infinity when unlimited. */
export function parseOpenFilesLimit(limits: string): number {
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  if (soft === undefined) throw new Error('no "Max open files" line in /proc limits');
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

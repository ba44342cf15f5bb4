import type { BenchEnv } from './bench-env';

export interface CeilingFigures {
  copyRowsPerSecond: number;
  mqttMessagesPerSecond: number;
  bullmqJobsPerSecond: number;
}

/** Stub until the ceilings branch is merged: that branch's file replaces this one. */
export function measureCeilings(_env: BenchEnv, _options: { quick: boolean }): Promise<CeilingFigures> {
  return Promise.reject(new Error('not merged yet'));
}

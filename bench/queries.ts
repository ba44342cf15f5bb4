import type { BenchEnv } from './bench-env';

export type QueryFigures = Record<
  'patientChart30d' | 'alertQueue5000' | 'adherence30d1000',
  { p50Ms: number; p95Ms: number; readings: number }
>;

/** Stub until the queries branch is merged: that branch's file replaces this one. */
export function measureQueries(_env: BenchEnv, _options: { quick: boolean }): Promise<QueryFigures> {
  return Promise.reject(new Error('not merged yet'));
}

export * from './threshold.rule';
export * from './default-thresholds';

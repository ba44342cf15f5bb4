export * from './vitals.catalog';
export * from './display-units';
export * from './device-payload';
export * from './domain-values';
export * from './device-payload.schema';
export * from './rejection-reasons';
export * from './socket-events';
export * from './storable-text';

export * from './pool';
export * from './migrate';
export * from './listener';
export * from './pg-errors';

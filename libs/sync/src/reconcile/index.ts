export * from './windows';
export * from './verdict';
export * from './targets';
export * from './plan';
export * from './source-counts';
export * from './report';
export * from './backfill';
export * from './source-access';

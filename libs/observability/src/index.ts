export * from './metric-names';
export * from './metrics';
export * from './log-events';
export * from './logger';
export * from './log-format';

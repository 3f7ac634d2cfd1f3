export * from './wait';
export * from './names';
export * from './database';
export * from './service-process';
export * from './sync-log';
export * from './fast-consumer';
export * from './service-metrics';

export * from './channels';
export * from './sync-runs';
export * from './sync-log-writes';

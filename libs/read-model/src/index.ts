export * from './channels';
export * from './sync-runs';
export * from './sync-log-writes';
export * from './sync-cancelled';
export * from './cancel-target';
export * from './deletion-notes';
export * from './row-counts';
export * from './stored-rows';

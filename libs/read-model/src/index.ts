export * from './channels';
export * from './sync-runs';

/**
 * The PostgreSQL NOTIFY channels the projector announces on (it owns them: see
 * services/projector/src/domain/notify.ts and curagenesis/notify.ts), relayed to the dashboard.
 */
export const NOTIFY_CHANNELS = {
  /** `{table, inserted, updated, syncIds}` after each committed batch of read-model rows. */
  changes: 'tributary_changes',
  /** One dashboard notification (an order placed, a practice activated). */
  notifications: 'tributary_notifications',
} as const;

/** The Server-Sent Event name each channel is relayed under on /api/events. */
export const SSE_EVENT_OF_CHANNEL: Readonly<Record<keyof typeof NOTIFY_CHANNELS, string>> = {
  changes: 'change',
  notifications: 'notification',
};

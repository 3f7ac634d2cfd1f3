import type { NotifyChannelKey } from '@tributary/read-model';

/** The Server-Sent Event name each read-model NOTIFY channel is relayed under on /api/events. */
export const SSE_EVENT_OF_CHANNEL: Readonly<Record<NotifyChannelKey, string>> = {
  changes: 'change',
  notifications: 'notification',
};

/** The NOTIFY channel on which every new dashboard notification is announced (one NOTIFY each). */
export const NOTIFICATIONS_CHANNEL = 'tributary_notifications';

/** The payload of a NOTIFY on NOTIFICATIONS_CHANNEL (well under Postgres' 8000-byte limit). */
export interface NotificationAnnouncement {
  id: string;
  kind: string;
  practiceId: string | null;
  orderId: string | null;
  message: string;
  createdAt: string;
}

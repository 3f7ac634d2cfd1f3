import { z } from 'zod';

/**
 * The PostgreSQL NOTIFY channels of the read models: the projector announces on them (inside the
 * transaction that wrote the rows, so a notice is delivered on commit), the scheduler relays them to
 * the dashboard. Payloads stay well under PostgreSQL's 8000-byte NOTIFY limit.
 */
export const NOTIFY_CHANNELS = {
  /** A committed batch of read-model rows: `ChangeNotice`. */
  changes: 'tributary_changes',
  /** One dashboard notification (an order placed, a practice activated): `NotificationAnnouncement`. */
  notifications: 'tributary_notifications',
} as const;

export type NotifyChannelKey = keyof typeof NOTIFY_CHANNELS;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[NotifyChannelKey];

/** What changed in one table in one committed transaction. */
export const changeNoticeSchema = z.object({
  table: z.string().min(1),
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  /** The sync runs whose records were written (empty for webhook-only changes). */
  syncIds: z.array(z.string()),
});
export type ChangeNotice = z.infer<typeof changeNoticeSchema>;

/** A new row of `curagenesis_notifications`, announced as it is committed. */
export const notificationAnnouncementSchema = z.object({
  id: z.string(),
  kind: z.string(),
  practiceId: z.string().nullable(),
  orderId: z.string().nullable(),
  message: z.string(),
  createdAt: z.string(),
});
export type NotificationAnnouncement = z.infer<typeof notificationAnnouncementSchema>;

/** The payload schema of each channel, for listeners that check what they relay. */
export const NOTICE_SCHEMAS = {
  changes: changeNoticeSchema,
  notifications: notificationAnnouncementSchema,
} as const satisfies Record<NotifyChannelKey, z.ZodType>;

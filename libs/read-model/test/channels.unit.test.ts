import {
  NOTICE_SCHEMAS,
  NOTIFY_CHANNELS,
  changeNoticeSchema,
  notificationAnnouncementSchema,
} from '../src/channels';

describe('read-model NOTIFY channels', () => {
  it('when every channel is listed, then each has a distinct name and a payload schema', () => {
    const names = Object.values(NOTIFY_CHANNELS);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(NOTICE_SCHEMAS).sort()).toEqual(Object.keys(NOTIFY_CHANNELS).sort());
  });

  it('when a change notice is well formed, then it parses; a negative count is refused', () => {
    const notice = { table: 'repcard_users', inserted: 2, updated: 1, syncIds: ['s1'] };
    expect(changeNoticeSchema.parse(JSON.parse(JSON.stringify(notice)))).toEqual(notice);
    expect(changeNoticeSchema.safeParse({ ...notice, inserted: -1 }).success).toBe(false);
  });

  it('when a notification has no practice or order, then nulls are accepted, a missing message is not', () => {
    const n = {
      id: '1',
      kind: 'order.placed',
      practiceId: null,
      orderId: null,
      message: 'm',
      createdAt: '2026-01-01T00:00:00Z',
    };
    expect(notificationAnnouncementSchema.parse(n)).toEqual(n);
    const { message: _omit, ...withoutMessage } = n;
    expect(notificationAnnouncementSchema.safeParse(withoutMessage).success).toBe(false);
  });
});

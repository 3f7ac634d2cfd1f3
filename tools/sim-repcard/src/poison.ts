import type { RepcardEntity, RepcardRecord } from './entities';

/**
 * Poison: a record whose identity is intact and whose JSON is valid, but which holds a value a
 * consumer's database may refuse or has to alter. Unlike `malform` (a broken record every consumer
 * must reject), a poisoned record is what the real API may well send.
 *
 * - `nul-text`: a NUL character inside a text field;
 * - `nul-key`: a NUL character inside an object key (`note\u0000key`);
 * - `lone-surrogate`: a text field ending with an unpaired UTF-16 surrogate (served as the JSON
 *   escape `\ud800`, which JSON.parse accepts);
 * - `out-of-range`: an integer field far outside any SQL integer type (1e20);
 * - `impossible-date`: `createdAt` on a day that does not exist (30 February);
 * - `huge-string`: a text field of 2 MB.
 */
export const POISON_KINDS = [
  'nul-text',
  'nul-key',
  'lone-surrogate',
  'out-of-range',
  'impossible-date',
  'huge-string',
] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/**
 * A text field and an integer field of each entity, neither an id nor a link (offices and
 * attachments have no such integer: their uploader / id fields are used, which a consumer must
 * still survive).
 */
const FIELDS: Record<RepcardEntity, { text: string; integer: string }> = {
  users: { text: 'lastName', integer: 'officeTeamId' },
  offices: { text: 'officeAddress', integer: 'officeTeamId' },
  customers: { text: 'address', integer: 'statusId' },
  appointments: { text: 'title', integer: 'calendarId' },
  status_logs: { text: 'statusTitle', integer: 'companyId' },
  customer_attachments: { text: 'attachmentUrl', integer: 'userId' },
  appointment_attachments: { text: 'attachmentUrl', integer: 'userId' },
};

export const HUGE_STRING_LENGTH = 2 * 1024 * 1024;

/** A poisoned copy of `record`. */
export function poison(entity: RepcardEntity, record: RepcardRecord, kind: PoisonKind): RepcardRecord {
  const { text, integer } = FIELDS[entity];
  const copy: RepcardRecord = { ...record };
  const base = typeof copy[text] === 'string' ? (copy[text] as string) : 'text';
  switch (kind) {
    case 'nul-text':
      copy[text] = `${base}\u0000after-nul`;
      return copy;
    case 'nul-key':
      copy['note\u0000key'] = 'a key with a NUL';
      return copy;
    case 'lone-surrogate':
      copy[text] = `${base}\ud800`;
      return copy;
    case 'out-of-range':
      copy[integer] = 1e20;
      return copy;
    case 'impossible-date':
      copy.createdAt = '2025-02-30 10:00:00';
      return copy;
    case 'huge-string':
      copy[text] = `${base} ${'x'.repeat(HUGE_STRING_LENGTH)}`;
      return copy;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

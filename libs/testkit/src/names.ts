import { randomBytes } from 'node:crypto';

/** A fresh name per test (topic, group, schema, database) so tests never share state. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

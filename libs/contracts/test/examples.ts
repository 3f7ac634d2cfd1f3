import type {
  Checkpoint,
  RecordObserved,
  SyncCancelRequested,
  SyncEvent,
  SyncRequested,
  WebhookReceived,
  RepcardWebhookReceived,
} from '@tributary/contracts';

/** One valid value per contract, for the contract tests. */
export const SYNC_ID = '3b241101-e2bb-4255-8caf-4136c566a962';
export const AT = '2024-05-18T02:00:00.000Z';

export const syncRequested: SyncRequested = {
  type: 'SyncRequested',
  version: 1,
  syncId: SYNC_ID,
  source: 'repcard',
  mode: 'incremental',
  entities: ['customers', 'appointments'],
  window: { from: '2024-05-17', to: '2024-05-18' },
  trigger: 'schedule',
  requestedBy: 'scheduler',
  requestedAt: AT,
  force: false,
};

const base = { version: 1 as const, syncId: SYNC_ID, source: 'repcard' as const, at: AT };

/** One of every sync event type. */
export const syncEvents: SyncEvent[] = [
  { type: 'SyncStarted', ...base, mode: 'full', entities: ['users', 'offices'], trigger: 'manual' },
  { type: 'EntityStarted', ...base, entity: 'users' },
  { type: 'EntityProgress', ...base, entity: 'users', fetched: 100, pages: 1, totalPages: null },
  {
    type: 'EntityCompleted',
    ...base,
    entity: 'users',
    fetched: 230,
    pages: 3,
    malformed: 1,
    highWaterMark: null,
  },
  { type: 'EntityFailed', ...base, entity: 'offices', fetched: 0, error: 'HTTP 500 from /offices' },
  { type: 'SyncCompleted', ...base, fetched: 230, failedEntities: ['offices'] },
  { type: 'SyncFailed', ...base, error: 'RepCard unreachable' },
  { type: 'SyncSkipped', ...base, reason: 'last practice sync less than an hour ago' },
  {
    type: 'SyncCancelled',
    ...base,
    mode: 'full',
    fetched: 230,
    entity: 'offices',
    started: true,
    cancelledBy: 'ana',
  },
];

export const syncCancelRequested: SyncCancelRequested = {
  type: 'SyncCancelRequested',
  version: 1,
  syncId: SYNC_ID,
  source: 'repcard',
  requestedBy: 'ana',
  requestedAt: AT,
};

export const checkpoint: Checkpoint = {
  type: 'Checkpoint',
  version: 1,
  source: 'repcard',
  entity: 'customers',
  highWaterMark: '2024-05-17T20:45:09.000000Z',
  fullSync: {
    syncId: SYNC_ID,
    nextPage: 4,
    cursor: null,
    pagesDone: 3,
    fetched: 300,
    malformed: 1,
    completed: false,
    highWaterMarkSoFar: '2024-05-17T20:45:09.000000Z',
  },
  updatedAt: AT,
};

export const recordObserved: RecordObserved = {
  type: 'RecordObserved',
  version: 2,
  eventId: '0d7c8a4e-6f1b-4c3d-9e2a-5b8f7c6d4e3a',
  source: 'repcard',
  entity: 'customers',
  id: '48213',
  payload: { id: 48213, firstName: 'Dana', updatedAt: '2024-05-17T20:45:09.000000Z' },
  observedAt: AT,
  sourceUpdatedAt: '2024-05-17T20:45:09.000000Z',
  syncId: SYNC_ID,
  origin: 'poll',
  deliveryId: null,
};

export const webhookReceived: WebhookReceived = {
  type: 'WebhookReceived',
  version: 1,
  deliveryId: 'msg_2Zt3Qy8Lw1',
  receivedAt: AT,
  endpoint: 'practice-update',
  event: 'practice.created',
  known: true,
  signatureScheme: 'hmac-sha256-hex',
  webhookTimestamp: null,
  body: { event: 'practice.created', data: { practiceId: 'pr_1', userId: 7, state: 'UT' } },
};

export const repcardWebhookReceived: RepcardWebhookReceived = {
  type: 'RepcardWebhookReceived',
  version: 1,
  deliveryId: '0b1a7d52-3c9e-4f0a-8c57-1e2d8b1f4a6e',
  receivedAt: AT,
  event: 'appointment-outcome',
  entity: 'appointments',
  id: '901',
  customerId: '17',
  body: { id: 901, contact: { id: 17 }, appointment_status_title: 'Closed' },
};

import { entitiesOf, entityTopic, type RecordObserved, type RepcardEntity } from '@tributary/contracts';
import { applyRowChanges } from '../../core/apply-row-changes';
import type { RowChanges } from '../../core/row-changes';
import type { Projection } from '../projection';
import { planRepcard } from './plan';

/** Each RepCard entity topic, with its entity. */
const ENTITY_OF = new Map(entitiesOf('repcard').map((e) => [entityTopic('repcard', e), e] as const));

/** repcard.<entity>.v1 → the seven repcard_* tables (rows, parent links, sync-log counts). */
export const repcardProjection: Projection<RecordObserved, RowChanges> = {
  name: 'repcard',
  topics: [...ENTITY_OF.keys()],
  plan: (topic, records) => planRepcard(ENTITY_OF.get(topic) as RepcardEntity, records),
  identify: (e) => ({ entity: e.entity, id: e.id, syncId: e.syncId }),
  apply: (db, plan, metrics) => applyRowChanges(db, plan, metrics),
};

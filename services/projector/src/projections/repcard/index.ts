import { entitiesOf, entityTopic, type RecordObserved, type RepcardEntity } from '@tributary/contracts';
import { applyRowChanges, prepareRowChanges } from '../../core/apply-row-changes';
import { columnText } from '../../core/field-table';
import type { Json } from '../../core/json';
import type { RowChanges } from '../../core/row-changes';
import type { Projection } from '../projection';
import { planRepcard } from './plan';
import { REPCARD_TABLES } from './tables';

/** Each RepCard entity topic, with its entity. */
const ENTITY_OF = new Map(entitiesOf('repcard').map((e) => [entityTopic('repcard', e), e] as const));

/** repcard.<entity>.v1 → the seven repcard_* tables (rows, parent links, sync-log counts). */
export const repcardProjection: Projection<RecordObserved, RowChanges> = {
  name: 'repcard',
  topics: [...ENTITY_OF.keys()],
  plan: (topic, records) => planRepcard(ENTITY_OF.get(topic) as RepcardEntity, records),
  identify: (e) => ({ entity: e.entity, id: e.id, syncId: e.syncId }),
  // The row's key, as mapRecord makes it: a row's observations collapse among themselves (planRepcard).
  chunkKey: (e) => {
    const spec = REPCARD_TABLES[e.entity as RepcardEntity];
    return spec ? columnText(spec.fields, spec.key, e.payload as Json) : '';
  },
  prepare: (plan) => prepareRowChanges(plan),
  apply: (db, plan, metrics, whilePostgresWorks) => applyRowChanges(db, plan, metrics, whilePostgresWorks),
};

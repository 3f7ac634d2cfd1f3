import { runService } from '@tributary/service';
import { startIngestCuragenesis } from './app';
import { ingestCuragenesisConfigSchema } from './config';

void runService({
  name: 'ingest-curagenesis',
  schema: ingestCuragenesisConfigSchema,
  start: startIngestCuragenesis,
});

import { runService } from '@tributary/service';
import { startIngestRepcard } from './app';
import { ingestRepcardConfigSchema } from './config';

void runService({
  name: 'ingest-repcard',
  schema: ingestRepcardConfigSchema,
  start: startIngestRepcard,
});

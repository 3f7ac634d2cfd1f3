import { runService } from '@tributary/service';
import { startProjector } from './app';
import { projectorConfigSchema } from './config';

void runService({
  name: 'projector',
  schema: projectorConfigSchema,
  port: (c) => c.PORT,
  logLevel: (c) => c.LOG_LEVEL,
  start: startProjector,
});

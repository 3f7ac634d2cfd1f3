import { runService } from '@tributary/service';
import { startProjector } from './app';
import { projectorConfigSchema } from './config';

void runService({
  name: 'projector',
  schema: projectorConfigSchema,
  start: startProjector,
});

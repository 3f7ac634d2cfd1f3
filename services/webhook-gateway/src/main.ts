import { runService } from '@tributary/service';
import { startWebhookGateway } from './app';
import { webhookGatewayConfigSchema } from './config';

void runService({
  name: 'webhook-gateway',
  schema: webhookGatewayConfigSchema,
  port: (c) => c.PORT,
  logLevel: (c) => c.LOG_LEVEL,
  start: startWebhookGateway,
});

import { loadDotEnv, loadStackEnv } from '@tributary/config';
import type { Source } from '@tributary/contracts';
import { ConfigError } from '@tributary/core';
import { sourceAccessFromEnv, type SourceAccess } from '@tributary/sync';
import { SIMULATORS } from '../../../run/src/services';
import { CliExit, EXIT } from '../exit-codes';

/**
 * The source client of `source` from the environment (`.env`, then `.stack/env`; set variables
 * win). Without an API key it is `npm start`'s simulator, in demo mode as there (http:// on loopback
 * allowed). Bad configuration exits 2.
 */
export function sourceAccess(source: Source, env: NodeJS.ProcessEnv = process.env): SourceAccess {
  loadDotEnv();
  loadStackEnv();
  const sim = SIMULATORS[source];
  const keyVar = source === 'repcard' ? 'REPCARD_API_KEY' : 'CURAGENESIS_API_KEY';
  if (!env[keyVar]?.trim()) env.TRIBUTARY_DEMO ??= '1';
  try {
    return sourceAccessFromEnv(source, env, {
      baseUrl: `http://127.0.0.1:${sim.port}${source === 'repcard' ? '/api' : ''}`,
      apiKey: sim.apiKey,
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliExit(EXIT.usage, err.message);
    throw err;
  }
}

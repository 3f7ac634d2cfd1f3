import { parseRepcardArgs, REPCARD_USAGE } from './args';
import { main } from './run-cli';

main({ source: 'repcard', usage: REPCARD_USAGE, parse: parseRepcardArgs });

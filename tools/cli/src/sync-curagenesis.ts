import { CURAGENESIS_USAGE, parseCuragenesisArgs } from './args';
import { main } from './run-cli';

main({ source: 'curagenesis', usage: CURAGENESIS_USAGE, parse: parseCuragenesisArgs });

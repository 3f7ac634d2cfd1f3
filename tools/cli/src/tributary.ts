import { runProgram } from './program';

runProgram(process.argv.slice(2)).then((code) => process.exit(code));

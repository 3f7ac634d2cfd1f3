/** node-postgres' parameter encoding (pg/lib/utils.js), which @types/pg does not describe. */
declare module 'pg/lib/utils' {
  /** A parameter as node-postgres sends it: text (arrays as array literals), a Buffer, or null. */
  export function prepareValue(value: unknown): unknown;
}

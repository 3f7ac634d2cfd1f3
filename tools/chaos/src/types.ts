import type { ChaosStack } from './stack';

export interface CaseContext {
  stack: ChaosStack;
  /** CHAOS_SHORT=1: small data sets and short outages (CI). */
  short: boolean;
  say(line: string): void;
  /** Where each service's output goes (one file per pipeline and service, written as it exits). */
  logDir: string;
}

/** One row of the table. */
export interface CaseResult {
  case: string;
  fault: string;
  checked: number;
  lost: number;
  doubled: number;
  /** From the fault's end until the read model was exact; undefined when it never was. */
  recoverMs: number | undefined;
  ok: boolean;
  /** What else was seen (restarts, DLQ, failures of the case's own assertions). */
  notes: string[];
}

export interface ChaosCase {
  name: string;
  /** The fault, in words, for the table (short and full mode). */
  fault(short: boolean): string;
  run(ctx: CaseContext): Promise<CaseResult>;
}

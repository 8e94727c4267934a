// A logger that keeps what it was given, to assert on what the embedders log.
import type { LogSink } from '../../src/logger.js';

export interface LogRecord {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

export function createRecordingLogger(): LogSink & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    info: (obj, msg) => void records.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void records.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void records.push({ level: 'error', obj, msg }),
  };
}

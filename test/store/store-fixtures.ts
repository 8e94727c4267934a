// Small entries for the store tests, and a logger that keeps its lines.
import type { LogSink } from '../../src/logger.js';
import type { NewStoreEntry } from '../../src/store/store.js';

export interface Value {
  readonly text: string;
  readonly tenant: string;
}

export function contractEntry(key: string, text: string, vector?: number[], tenant = 't1'): NewStoreEntry<Value> {
  return { key, partition: 'p', bytes: 100, value: { text, tenant }, vector: vector === undefined ? undefined : Float32Array.from(vector) };
}

export interface RecordingLog extends LogSink {
  readonly lines: Array<{ level: string; object: object; message: string }>;
}

export function silentLog(): RecordingLog {
  const lines: RecordingLog['lines'] = [];
  const at = (level: string) => (object: object, message: string) => void lines.push({ level, object, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

// pino, configured once: API keys and cookies are redacted wherever they appear in a log object.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { REDACTED_LOG_PATHS } from './upstream/headers.js';

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, destination);
}

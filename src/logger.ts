// pino, configured once: API keys and cookies are redacted wherever they appear in a log object.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** Header paths pino redacts from every log line. */
const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["api-key"]',
  'req.headers["x-api-key"]',
  'req.headers["openai-api-key"]',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["api-key"]',
  'headers["x-api-key"]',
];

/** The slice of a pino logger that the parts outside fastify use (object first, message second),
 * so callers pass `app.log` and tests a small recorder. */
export interface LogSink {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, destination);
}

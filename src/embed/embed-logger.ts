// The slice of a pino logger the embedders use (object first, message second), so callers can pass
// `app.log` and tests can pass a small recorder.

export interface EmbedLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

// The part of pino's logger the metrics use (object first, message second), so tests can pass a fake.
export interface MetricsLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

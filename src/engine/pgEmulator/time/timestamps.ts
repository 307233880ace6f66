/**
 * Virtual times as PostgreSQL's timestamptz text: milliseconds since the epoch (fractions are
 * microseconds) to ISO 8601 with microseconds, UTC.
 */
export function timestampText(ms: number): string {
  const micros = Math.round(ms * 1000);
  const wholeMs = Math.floor(micros / 1000);
  const extra = String(micros - wholeMs * 1000).padStart(3, '0');
  return new Date(wholeMs).toISOString().replace(/Z$/, `${extra}Z`);
}

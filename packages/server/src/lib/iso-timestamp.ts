/** `date.toISOString()`, for the limits module's month key; new code calls `toISOString` directly. */
export function isoTimestamp(date: Date): string {
  return date.toISOString();
}

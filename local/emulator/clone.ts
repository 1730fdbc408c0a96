/**
 * Deep copy that keeps Dates as Dates of the caller's realm. (structuredClone builds host-realm Dates, which fail
 * `instanceof Date` inside jest's sandbox; SDK users compare with instanceof.)
 */
export function deepClone<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((entry: unknown) => deepClone(entry)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, deepClone(entry as unknown)])) as T;
  }
  return value;
}

/** AttributeValue -> plain JSON value, for snapshots (numbers stay numbers, sets become arrays). */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return unmarshallLoose(value.M);
  if (value.L !== undefined) return value.L.map(plain);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  return null;
}

export function unmarshallLoose(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, plain(value)]));
}

/** The shape shared by every service's operation table. */
// `never` lets each handler declare its SDK input type; the middleware passes the command input through unchanged.
export type Handler = (input: never) => object;
export type Handlers = Record<string, Handler>;

/** Read-only operations never change state; everything else counts as mutating (throttling buckets, `calls`). */
export function isMutating(operation: string): boolean {
  return !/^(Describe|List|Get|BatchGet|Query|Scan)/.test(operation);
}

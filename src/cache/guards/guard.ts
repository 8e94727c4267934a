// A guard looks at a query and the prompt of the nearest cached entry (already above the
// similarity threshold) and rejects the pairing when they differ in something that changes the
// answer. Guards are pure and cheap: they run on the hot path of every semantic hit.

export type GuardVerdict = { readonly pass: true } | { readonly pass: false; readonly reason: string };

export interface Guard {
  /** Short stable name, used in the `x-semcache-guard` header, config and metric labels. */
  readonly name: string;
  check(query: string, candidate: string): GuardVerdict;
}

// Tokens already verified, so a token used again is not verified again (src/auth/tokens.ts): one tenant's
// signature checks, bounded. An entry says only "this exact string carries a valid signature of the
// current key and these claims"; the time rules and everything that can end a token's life otherwise
// (its revocation, a refresh spending it, its key revoked, its agent deleted) are checked at every use,
// on a hit as on a miss, so a cached token can never outlive any of them. A key change empties it.
// Bounded by insertion order: when full, the oldest entry goes (a Map iterates in insertion order).

/** Verified tokens remembered per tenant: about 0.5 KB each (the token string and its claims). */
export const TOKEN_CACHE_SIZE = 1000;

export function createTokenCache<V>(max: number) {
  const entries = new Map<string, V>();
  return {
    get: (token: string): V | undefined => entries.get(token),
    set(token: string, value: V) {
      if (max <= 0) return;
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(token, value);
    },
    clear: () => entries.clear(),
    size: () => entries.size,
  };
}

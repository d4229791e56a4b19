// Revoked access tokens, by jti: a refresh spends the old token (rotation), revokeToken spends one on
// request. Kept for the tenant's lifetime: pruning by expiry would bring a token back to life when a
// test moves the clock backwards.
export const emptyRevocationData = () => new Set<string>();
export type RevocationData = ReturnType<typeof emptyRevocationData>;

export function createRevocations(data: RevocationData = emptyRevocationData()) {
  return {
    revoke: (jti: string) => void data.add(jti),
    isRevoked: (jti: string) => data.has(jti),
  };
}

export type Revocations = ReturnType<typeof createRevocations>;

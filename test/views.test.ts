// The two views of a response (contracts/lib/views.ts) and the Quickstart's Basic recipe
// (contracts/lib/credentials.ts): what the documented view drops, what the full view reports and where,
// and that the recipe is byte for byte what `printf '%s' ... | base64` gives.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runInTest } from '../contracts/lib/context.ts';
import { basic, quickstartBase64, QuickstartRecipeBroken } from '../contracts/lib/credentials.ts';
import { deriveDocumented, headerIssues, responseIssues } from '../contracts/lib/views.ts';
import { loadSpec } from '../src/spec/load.ts';
import { indexOperations } from '../src/spec/operations.ts';

const ops = new Map(indexOperations(loadSpec()).map((op) => [op.operationId, op]));
const op = (id: string) => ops.get(id)!;
const conversation = { conversation_id: 'conv_3f0e8a52-8f4c-4b59-9d8e-1f2a3b4c5d6e', type: 'group', members: [], created_at: '2026-04-03T20:00:00Z' };
const JSON_TYPE = 'application/json';

describe('the documented view', () => {
  it('drops a property marked x-fluxra-inferred from required and accepts any value for it; keeps the rest', () => {
    const doc = deriveDocumented({ properties: { a: { type: 'string' }, b: { type: 'integer', 'x-fluxra-inferred': 'ours' } }, required: ['a', 'b'], additionalProperties: false });
    expect(doc).toEqual({ properties: { a: { type: 'string' }, b: { 'x-fluxra-inferred': 'ours' } }, required: ['a'] });
    expect(deriveDocumented({ type: 'string', maxLength: 3, 'x-fluxra-inferred-constraints': ['maxLength'] })).toEqual({ type: 'string', 'x-fluxra-inferred-constraints': ['maxLength'] });
  });

  it('a conversation without created_at or members passes the documented view, fails the full one with the spec place and its note', () => {
    const { created_at: _, members: __, ...bare } = conversation;
    expect(responseIssues('documented', op('createConversation'), 201, JSON_TYPE, bare)).toEqual([]);
    const full = responseIssues('full', op('createConversation'), 201, JSON_TYPE, bare);
    expect(full.map((i) => i.place)).toEqual(expect.arrayContaining(['openapi.yaml#/components/schemas/Conversation/properties/created_at']));
    expect(full.find((i) => i.place.endsWith('/created_at'))?.why).toMatch(/Quickstart shows only conversation_id/);
  });

  it('a conversation without conversation_id fails the documented view, with no inferred note', () => {
    const { conversation_id: _, ...bare } = conversation;
    const issues = responseIssues('documented', op('createConversation'), 201, JSON_TYPE, bare);
    expect(issues).toMatchObject([{ place: 'openapi.yaml#/components/schemas/Conversation/properties/conversation_id', why: undefined }]);
  });

  it('a token answer of only access_token is documented; token_type of another type is an inferred miss', () => {
    const token = { access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln' };
    expect(responseIssues('documented', op('exchangeToken'), 200, JSON_TYPE, { ...token, token_type: 7 })).toEqual([]);
    expect(responseIssues('full', op('exchangeToken'), 200, JSON_TYPE, { ...token, token_type: 7 })).toHaveLength(1);
    expect(responseIssues('documented', op('exchangeToken'), 200, JSON_TYPE, { token_type: 'Bearer' })).toHaveLength(1);
  });

  it('an inferred operation has no documented shape; extra properties are fine in both views', () => {
    expect(responseIssues('documented', op('getWhoami'), 200, JSON_TYPE, { nothing: true })).toEqual([]);
    expect(responseIssues('full', op('getWhoami'), 200, JSON_TYPE, { nothing: true }).length).toBeGreaterThan(0);
    expect(responseIssues('full', op('getHealth'), 200, JSON_TYPE, { status: 'healthy', timestamp: '2026-04-03T20:00:00Z', version: '0.4.0', extra: 1 })).toEqual([]);
  });

  it('documented response headers: an inferred one is expected only by the full view, and is checked against its schema', () => {
    expect(headerIssues('documented', op('listApiKeys'), 401, {})).toEqual([]);
    expect(headerIssues('full', op('listApiKeys'), 401, {})).toMatchObject([{ message: expect.stringContaining('WWW-Authenticate is missing'), place: 'openapi.yaml#/components/responses/Unauthorized/headers/WWW-Authenticate' }]);
    expect(headerIssues('full', op('listApiKeys'), 401, { 'www-authenticate': 'Bearer' })).toEqual([]);
    expect(headerIssues('full', op('registerAgent'), 429, { 'retry-after': 'soon' })).toHaveLength(1);
    expect(headerIssues('full', op('registerAgent'), 429, { 'retry-after': '3' })).toEqual([]);
  });
});

describe("the Quickstart's Basic recipe", () => {
  const shell = (text: string) => execFileSync('sh', ['-c', `printf '%s' "$X" | base64`], { env: { ...process.env, X: text } }).toString().replace(/\n$/, '');

  it("is byte for byte what printf '%s' ... | base64 gives inside $(...), short or wrapped", () => {
    for (const text of ['agt_0123456789abcdef0123456789abcdef:rk_V1StGXR8Z5jdHi6Bm', `agt_0123456789abcdef0123456789abcdef:sk_${'x'.repeat(60)}`, 'ü:é']) {
      expect(quickstartBase64(text)).toBe(shell(text));
    }
  });

  it('in a [quickstart] test a value that would wrap is refused with a clear reason; other tiers use one line', async () => {
    const agent = 'agt_0123456789abcdef0123456789abcdef';
    const long = `sk_${'x'.repeat(40)}`;
    const inTier = (tier: 'quickstart' | 'documented') => runInTest({ tier, name: 'x', file: 'x' }, async () => basic(agent, long));
    await expect(inTier('quickstart')).rejects.toBeInstanceOf(QuickstartRecipeBroken);
    expect(await inTier('documented')).toBe(`Basic ${Buffer.from(`${agent}:${long}`).toString('base64')}`);
    expect(await runInTest({ tier: 'quickstart', name: 'x', file: 'x' }, async () => basic(agent, 'rk_V1StGXR8Z5jdHi6Bm'))).toBe(`Basic ${Buffer.from(`${agent}:rk_V1StGXR8Z5jdHi6Bm`).toString('base64')}`);
  });
});

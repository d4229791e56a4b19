// Heap bytes per stored 100-character message beyond the content, measured the way the issue states the
// target: messages sent through the sending service (src/domains/messages/sending.ts) into one tenant, each
// from a freshly parsed request body, with distinct contents made before the baseline (so the content
// strings are not counted), heapUsed after full collections. Run with --expose-gc:
//   node --expose-gc --import tsx test/support/heap-per-message.ts [count]
// It prints one JSON line: { count, bytesPerMessage }.
import { registerAgent } from '../../src/domains/agents/account.ts';
import { sendMessage } from '../../src/domains/messages/sending.ts';
import { createTenant } from '../../src/tenant/tenant.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const world = createTenant('default', { limits: { maxMessages: count } });
const a = registerAgent(world, { agent_name: 'heap-a' }).agent;
const b = registerAgent(world, { agent_name: 'heap-b' }).agent;
const { conversation_id } = world.stores.conversations.createGroup(a.agent_id, [b.agent_id], 'heap');
let contents: string[] | null = Array.from({ length: count }, (_, i) => `${String(i).padStart(10, '0')}${'x'.repeat(90)}`);
const before = heapUsed();
for (let i = 0; i < count; i++) {
  const body = JSON.parse(`{"conversation_id":"${conversation_id}","type":"text"}`) as { conversation_id: string; type: 'text' };
  sendMessage(world, i % 2 ? a.agent_id : b.agent_id, { conversation_id: body.conversation_id }, { content: contents![i], type: body.type, in_reply_to: null, mention: [] });
}
contents = null; // the messages hold the contents now; the array's own slots (8 bytes each) went with it
const after = heapUsed();
if (world.stores.messages.count() !== count) throw new Error(`stored ${world.stores.messages.count()} of ${count}`);
console.log(JSON.stringify({ count, bytesPerMessage: Math.round((after - before) / count + 8) }));

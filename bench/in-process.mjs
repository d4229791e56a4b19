// The bench's in-process measurements (bench/run.ts runs each in a fresh child, pinned to CPU 0), on the
// compiled package as users import it (dist/src/index.js). Prints one JSON line.
//   node bench/in-process.mjs create-fake
//       import of the package entry, the first createFake() of the process, and the median of 200 after
//   node --expose-gc bench/in-process.mjs history [messages]
//       one conversation of 100 messages and one of `messages` (default 1,000,000), stored through the
//       API's own send service (domains/messages/sending.ts, the handler's and the seeder's path), each a
//       distinct 100-character text; the median time of GET .../messages?limit=50 over loopback HTTP for
//       the small one's newest page, the large one's newest page and a page from a cursor half-way down
//       the large one, taking turns; and the heap each stored message costs (heap after a gc, before and
//       after the large conversation's sends, over their number).
const mode = process.argv[2];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 3) => Number(n.toFixed(digits));

if (mode === 'create-fake') {
  const t0 = performance.now();
  const { createFake } = await import('../dist/src/index.js');
  const t1 = performance.now();
  createFake();
  const t2 = performance.now();
  const next = [];
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    createFake();
    next.push(performance.now() - a);
  }
  console.log(JSON.stringify({ importMs: round(t1 - t0, 1), firstMs: round(t2 - t1, 1), importAndFirstMs: round(t2 - t0, 1), nextMedianMs: round(median(next)) }));
} else if (mode === 'history') {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const total = Number(process.argv[3] ?? 1_000_000);
  const { startFake } = await import('../dist/src/index.js');
  const { sendMessage } = await import('../dist/src/domains/messages/sending.js');
  const fake = await startFake({ port: 0, maxMessages: total + 1000 });
  const seeded = await fake.control.seed({
    agents: [{ ref: 'a', agent_name: 'bench-reader', keys: [{ token: true }] }],
    conversations: [{ ref: 'small', name: 'bench 100', created_by: 'a' }, { ref: 'large', name: 'bench 1M', created_by: 'a' }],
  });
  const agentId = seeded.agents.a.agent_id;
  const token = seeded.agents.a.keys[0].access_token;
  const small = seeded.conversations.small.conversation_id;
  const large = seeded.conversations.large.conversation_id;
  const world = fake.state();
  // Distinct texts of exactly 100 one-byte characters: the content, counted as 100 bytes each.
  const text = (i) => `message ${String(i).padStart(12, '0')} `.padEnd(100, 'x');
  let middleSeq;
  const fill = (conversationId, from, to) => {
    for (let i = from; i < to; i++) {
      const message = sendMessage(world, agentId, { conversation_id: conversationId }, { content: text(i), type: 'text', in_reply_to: null, mention: [] });
      if (i === total >> 1) middleSeq = message.seq;
    }
  };
  const headers = { authorization: `Bearer ${token}` };
  const get = async ([conversationId, query]) => {
    const url = `${fake.url}/api/conversations/${conversationId}/messages?${query}`;
    // After the long synchronous fill the server may close the idle keep-alive socket as the next
    // request goes out on it: that one request is sent again (the first 20 of a series are not timed).
    const res = await fetch(url, { headers }).catch(() => fetch(url, { headers }));
    const body = await res.json();
    if (res.status !== 200) throw new Error(`history page answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };
  /** Median ms of each query, the queries taking turns (so a slower moment falls on all alike), after a gc. */
  const pages = async (queries, runs = 200) => {
    globalThis.gc();
    const times = queries.map(() => []);
    const bodies = [];
    for (let i = 0; i < runs + 20; i++) {
      for (const [q, query] of queries.entries()) {
        const a = performance.now();
        bodies[q] = await get(query);
        if (i >= 20) times[q].push(performance.now() - a);
      }
    }
    return times.map((t, q) => ({ ms: round(median(t)), body: bodies[q] }));
  };
  fill(small, 0, 100);
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const seedStart = performance.now();
  fill(large, 0, total);
  const seedMs = performance.now() - seedStart;
  globalThis.gc();
  const heapAfter = process.memoryUsage().heapUsed;
  // A page from the middle: the cursor the fake would hand out there (same list name as the handler's).
  const cursor = world.cursors.encode(`messages:${large}:${agentId}:desc`, { after: middleSeq });
  const [newest100, newestLarge, middle] = await pages([[small, 'limit=50'], [large, 'limit=50'], [large, `limit=50&cursor=${encodeURIComponent(cursor)}`]]);
  if (middle.body.messages.length !== 50) throw new Error(`the middle page held ${middle.body.messages.length} messages`);
  const perMessage = (heapAfter - heapBefore) / total;
  console.log(JSON.stringify({
    messages: total,
    pageMs100: newest100.ms,
    pageMsLarge: newestLarge.ms,
    pageMsAfterCursorLarge: middle.ms,
    seedSeconds: round(seedMs / 1000, 1),
    heapBytesPerMessage: Math.round(perMessage),
    heapBytesPerMessageBeyondContent: Math.round(perMessage - 100),
  }));
  await fake.close();
} else {
  console.error('usage: node bench/in-process.mjs create-fake | history [messages]');
  process.exit(2);
}

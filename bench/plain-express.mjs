// The bench's floor (bench/run.ts): a plain Express 5 app that parses JSON and answers a constant on the
// scenarios' routes, with none of the fake's work (no spec, no auth, no store, no journal). Listens on
// 127.0.0.1:PORT (0: any free port) and prints "listening on http://..." as the fake does.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.json());
const message = { message_id: 'msg_0', conversation_id: 'conv_0', content: 'benchmark message', type: 'text' };
app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
app.post('/api/messages', (_req, res) => void res.status(201).json(message));
app.post('/api/auth/token', (_req, res) => void res.json({ access_token: 'x', token_type: 'Bearer', expires_in: 3600 }));
app.get('/api/conversations/:id/messages', (_req, res) => void res.json({ messages: Array.from({ length: 50 }, () => message), cursor: null, has_more: false }));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// The public Quickstart, step by step, with its own inputs (docs, quickstart), and the health check.
import { basic, bearer } from '../session.ts';
import { defineScenario } from './scenario.ts';

const QS = 'Quickstart';

export default defineScenario({
  name: 'quickstart',
  title: 'The Quickstart',
  covers: 'health; register (email, metadata), create a key with the Quickstart scopes, exchange it, create the "Project Team" group, send the first message',
  async run(s) {
    const health = await s.call('health', 'getHealth');
    health.expectStatus([200], 'documented', 'docs, overview: GET /health').claim('$.status', health.at('$.status') === 'healthy', 'status "healthy"', 'documented', 'docs, overview: GET /health example');

    const name = s.name('weather-bot');
    const metadata = { description: 'Weather assistant', owner: 'Example Org', version: '1.0.0' };
    const reg = await s.call('register an agent', 'registerAgent', { body: { agent_name: name, email: s.email('bot'), metadata } });
    reg.expectSuccess('quickstart', `${QS} step 1`)
      .expectSame('$.agent_name', name, 'the agent has the name it registered with', 'documented', 'docs, auth: register example')
      .claim('$.recovery_key', typeof reg.at('$.recovery_key') === 'string', 'the recovery key is shown, once', 'quickstart', `${QS} step 1: save agent_id and recovery_key`);
    const agentId = reg.need('$.agent_id');
    const recoveryKey = reg.need('$.recovery_key');

    const scopes = ['messages:read', 'messages:write', 'conversations:read'];
    const key = await s.call('create an API key', 'createApiKey', { path: { agent_id: agentId }, auth: basic(agentId, recoveryKey), body: { name: 'cli', scopes } });
    key.expectSuccess('quickstart', `${QS} step 2`)
      .expectSame('$.scopes', scopes, 'the key has the scopes asked for', 'documented', 'docs, agents: create an API key example')
      .expectSame('$.name', 'cli', 'the key has the name asked for', 'documented', 'docs, agents: create an API key example');
    const apiKey = key.need('$.api_key');

    const tok = await s.call('exchange the API key for a JWT', 'exchangeToken', { auth: basic(agentId, apiKey), body: { grant_type: 'client_credentials' } });
    tok.expectSuccess('quickstart', `${QS} step 3`);
    const token = tok.need('$.access_token');

    const conv = await s.call('create a conversation', 'createConversation', { auth: bearer(token), body: { type: 'group', name: 'Project Team', members: [] } });
    conv.expectSuccess('quickstart', `${QS} step 4: with the step 2 key's scopes`);
    const conversationId = conv.need('$.conversation_id');

    const content = 'Hello from my first integration';
    const msg = await s.call('send a message', 'sendMessage', { auth: bearer(token), body: { conversation_id: conversationId, content } });
    msg.expectSuccess('quickstart', `${QS} step 5`)
      .expectSame('$.conversation_id', conversationId, 'the message is in the conversation it was sent to', 'documented', 'docs, chat: send a message')
      .expectSame('$.sender_id', agentId, 'the sender is the token\'s agent', 'documented', 'docs, chat: send example')
      .expectSame('$.content', content, 'the content is what was sent', 'documented', 'docs, chat: send example')
      .claim('$.status', msg.at('$.status') === 'sent', 'status "sent"', 'documented', 'docs, chat: send example');
  },
});

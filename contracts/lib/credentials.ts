// Authorization header values, built as the docs give them (conventions: Basic base64(agent_id:secret),
// Bearer <access_token>). In a [quickstart] test the Basic value is built exactly as the Quickstart's
// recipe does: `printf '%s' "$AGENT_ID:$SECRET" | base64` inside `$(...)`.
import { currentTest } from './context.ts';

/** GNU coreutils `base64` as the Quickstart runs it: wraps every 76 characters; `$(...)` drops the last newline. */
export function quickstartBase64(text: string) {
  const encoded = Buffer.from(text, 'utf8').toString('base64'); // printf '%s': the exact bytes, no newline added
  return (encoded.match(/.{1,76}/g) ?? ['']).join('\n');
}

export class QuickstartRecipeBroken extends Error {
  constructor(agentId: string, bytes: number) {
    super(
      `[quickstart-basic] the Quickstart's recipe printf '%s' "$AGENT_ID:$SECRET" | base64 gives a value over two lines for ${agentId}: ` +
        `"agent_id:secret" is ${bytes} bytes and GNU base64 wraps after 57 bytes (76 characters), so the Quickstart's curl command sends a broken header`,
    );
    this.name = 'QuickstartRecipeBroken';
  }
}

export function basic(agentId: string, secret: string) {
  if (currentTest()?.tier === 'quickstart') {
    const value = quickstartBase64(`${agentId}:${secret}`);
    if (value.includes('\n')) throw new QuickstartRecipeBroken(agentId, Buffer.byteLength(`${agentId}:${secret}`));
    return `Basic ${value}`;
  }
  return `Basic ${Buffer.from(`${agentId}:${secret}`, 'utf8').toString('base64')}`;
}

export const bearer = (token: string) => `Bearer ${token}`;

// The only path from an agent or key record to a response body: secrets and hashes cannot leak.
import type { Principal } from '../../auth/verify.ts';
import type { Clock } from '../../basics/clock.ts';
import type { Schema } from '../../spec/schema-types.ts';
import type { Agent, Key } from './store.ts';

const isoOrNull = (clock: Clock, date: Date | null) => (date ? clock.iso(date) : null);

export const toKeySummaryView = (clock: Clock, key: Key): Schema<'KeySummary'> => ({
  key_id: key.key_id,
  name: key.name,
  scopes: [...key.scopes],
  created_at: clock.iso(key.created_at),
  expires_at: isoOrNull(clock, key.expires_at),
  last_used_at: isoOrNull(clock, key.last_used_at),
  revoked_at: isoOrNull(clock, key.revoked_at),
});

/** The one response that reveals the API key. */
export const toCreatedKeyView = (clock: Clock, key: Key, apiKey: string): Schema<'CreatedKey'> => ({
  key_id: key.key_id,
  name: key.name,
  api_key: apiKey,
  scopes: [...key.scopes],
  expires_at: isoOrNull(clock, key.expires_at),
  created_at: clock.iso(key.created_at),
});

/** The one response that reveals the recovery key. */
export const toRegisteredView = (clock: Clock, agent: Agent, recoveryKey: string, verificationExpiresAt: Date | null): Schema<'RegisterResponse'> => ({
  agent_id: agent.agent_id,
  agent_name: agent.agent_name,
  recovery_key: recoveryKey,
  created_at: clock.iso(agent.created_at),
  warning: 'Save recovery_key securely. It will NOT be shown again.',
  email_verification_sent: verificationExpiresAt !== null,
  email_verification_expires_at: isoOrNull(clock, verificationExpiresAt),
});

/** The public profile, also a directory entry: never the email, keys or metadata beyond its description. */
export const toProfileView = (clock: Clock, agent: Agent): Schema<'AgentProfile'> => ({
  agent_id: agent.agent_id,
  agent_name: agent.agent_name,
  description: typeof agent.metadata.description === 'string' ? agent.metadata.description : null,
  intro: agent.intro,
  status: agent.status,
  presence: agent.presence,
  created_at: clock.iso(agent.created_at),
  updated_at: clock.iso(agent.updated_at),
});

export const toEmailStateView = (clock: Clock, agent: Agent): Schema<'EmailVerificationState'> => ({
  agent_id: agent.agent_id,
  email: agent.email,
  email_verified: agent.email_verified,
  email_verified_at: isoOrNull(clock, agent.email_verified_at),
});

export const toPresenceView = (clock: Clock, agent: Agent): Schema<'PresenceState'> => ({
  agent_id: agent.agent_id,
  presence: agent.presence,
  updated_at: clock.iso(agent.updated_at),
});

/** Who the token speaks for: the agent, and the key and scopes behind the token. */
export const toWhoamiView = (clock: Clock, agent: Agent, principal: Principal): Schema<'Whoami'> => ({
  agent_id: agent.agent_id,
  agent_name: agent.agent_name,
  key_id: principal.keyId!,
  scopes: [...principal.scopes],
  token_expires_at: clock.iso(new Date(principal.exp! * 1000)),
  email: agent.email,
  email_verified: agent.email_verified,
  created_at: clock.iso(agent.created_at),
});

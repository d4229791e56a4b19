import type { Schema } from '../../spec/schema-types.ts';
import type { Clock } from '../../basics/clock.ts';
import type { AuditEventRecord } from './store.ts';

export const toAuditEventView = (clock: Clock, e: AuditEventRecord): Schema<'AuditEvent'> => ({
  event_id: e.event_id,
  type: e.type,
  created_at: clock.iso(e.created_at),
  key_id: e.key_id,
  details: structuredClone(e.details),
});

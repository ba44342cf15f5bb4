import type { OutgoingMessage } from './outbox';

/** Largest hub batch the contract accepts: `{"messages":[...]}` of 1..500 messages. */
export const MAX_HUB_BATCH = 500;

/**
 * Groups due messages into publishes. With batching (a hub with a backlog), well-formed readings
 * messages go out in batches of at most `max`, oldest first; everything else (BLE, status, a
 * deliberately broken message) goes alone. A single due reading goes alone too.
 */
export function planUploads<T extends OutgoingMessage>(
  due: readonly T[],
  batching: boolean,
  max = MAX_HUB_BATCH,
): T[][] {
  if (!batching) return due.map((m) => [m]);
  const isBatchable = (m: T): boolean => m.channel === 'readings' && m.broken === undefined;
  const batchable = due.filter(isBatchable);
  const alone = due.filter((m) => !isBatchable(m));
  const groups: T[][] = [];
  if (batchable.length === 1) groups.push(batchable);
  else for (let i = 0; i < batchable.length; i += max) groups.push(batchable.slice(i, i + max));
  return [...groups, ...alone.map((m) => [m])];
}

/** A hub batch built from the messages' exact bytes, so each inner message is unchanged on resend. */
export function hubBatchPayload(messages: readonly OutgoingMessage[]): string {
  return `{"messages":[${messages.map((m) => m.payload).join(',')}]}`;
}

/**
 * Delivery statuses as messaging providers report them (Twilio's names). Callbacks can arrive out of
 * order, so the latest status of a message is the most advanced one seen, not the last one received.
 */
const RANK: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};

export const DELIVERY_STATUSES = Object.keys(RANK);

export const isDeliveryStatus = (status: string): boolean => status in RANK;

/** The status to keep when `incoming` arrives for a message whose status is `current`. */
export const laterStatus = (current: string | undefined, incoming: string): string => {
  if (current === undefined) return incoming;
  return (RANK[incoming] ?? -1) >= (RANK[current] ?? -1) ? incoming : current;
};

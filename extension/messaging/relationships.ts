/**
 * Does the patient already have a relationship with this address (an on-chain grant to it)? Such
 * conversations go straight to the inbox instead of Requests. The consent feature fills this in; until
 * then only the patient's own choices (starting or accepting a conversation) count.
 */
export async function hasRelationship(_peer: string): Promise<boolean> {
  return false;
}

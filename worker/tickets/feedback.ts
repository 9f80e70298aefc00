import { isStaff, type Principal } from "../auth/principal";
import { readMessage, upsertVote } from "../db/messages";
import { writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError, notFound } from "../errors";
import { feedbackEvent } from "../webhooks/events";
import { visibleTicket } from "./access";

/** A customer's "was this helpful?" on a staff reply; one vote per person, changeable. */
export async function voteOnMessage(
  env: Env,
  who: Principal,
  messageId: string,
  helpful: boolean,
  now: number,
): Promise<void> {
  const message = await readMessage(env.DB, who.tenantId, messageId);
  if (!message || message.internal) throw notFound("message");
  const ticket = await visibleTicket(env.DB, who, message.ticketId);
  if (isStaff(who)) throw new ApiError("forbidden", "Votes are for customers; staff see the counts.");
  if (message.authorKind !== "agent") throw new ApiError("bad_request", "Only staff replies can be voted on.");
  // The vote and its webhook event (webhooks/events.ts), in one batch.
  await writeChange(env.DB, [
    upsertVote(env.DB, message.id, who.id, helpful, now),
    feedbackEvent(env.DB, ticket, message, helpful, now),
  ]);
}

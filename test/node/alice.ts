/** Alice, the demo's customer, through the API: her token as the demo panel signs it, a ticket she files, its messages. */
import { expect, inject } from "vitest";

const demoUrl = inject("demoUrl");

export async function aliceToken(): Promise<string> {
  return (await fetch(`${demoUrl}/demo/token/alice`)).text();
}

/** Files a ticket as Alice through the API; returns its id. */
export async function fileTicket(subject: string): Promise<string> {
  const res = await fetch(`${demoUrl}/api/v1/demo/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${await aliceToken()}`, "content-type": "application/json" },
    body: JSON.stringify({ department: "billing", subject, message: "First message.", priority: "low", fields: {} }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: { id: string } }).ticket.id;
}

/** The bodies of the ticket's messages, as the API has them. */
export async function messageBodies(ticketId: string): Promise<string[]> {
  const res = await fetch(`${demoUrl}/api/v1/demo/tickets/${ticketId}`, {
    headers: { authorization: `Bearer ${await aliceToken()}` },
  });
  return ((await res.json()) as { ticket: { messages: { body: string }[] } }).ticket.messages.map((m) => m.body);
}

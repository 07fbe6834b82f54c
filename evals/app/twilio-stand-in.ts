/**
 * The eval's stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json):
 * it checks what Twilio checks (account, basic auth, From/To/Body, the 1,600-character cap) and
 * keeps every message sent, so a WhatsApp conversation's REST replies can be read back.
 */
import express from "express";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SentMessage {
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly at: number;
}

export interface TwilioStandIn {
  readonly baseUrl: string;
  /** Messages accepted, in order. */
  readonly sent: SentMessage[];
  /** Requests refused, with the reason (a channel bug: Twilio would refuse them too). */
  readonly refused: string[];
  /** Serves bytes as an inbound message's media (basic auth, like Twilio); returns its URL. */
  readonly addMedia: (contentType: string, data: Uint8Array) => string;
  readonly close: () => Promise<void>;
}

export const startTwilioStandIn = async (options: { accountSid: string; username: string; password: string }): Promise<TwilioStandIn> => {
  const sent: SentMessage[] = [];
  const refused: string[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString("base64")}`;
  const app = express();
  app.post("/2010-04-01/Accounts/:accountSid/Messages.json", express.urlencoded({ extended: false }), (req, res) => {
    const refuse = (status: number, code: number, reason: string) => {
      refused.push(reason);
      res.status(status).json({ code, message: reason, status });
    };
    if (req.params.accountSid !== options.accountSid) return refuse(404, 20404, `unknown account ${req.params.accountSid}`);
    if (req.get("authorization") !== expectedAuth) return refuse(401, 20003, "Authenticate");
    const { From, To, Body } = req.body as Record<string, string | undefined>;
    if (!To?.startsWith("whatsapp:+")) return refuse(400, 21211, `invalid To ${To}`);
    if (!From?.startsWith("whatsapp:+")) return refuse(400, 21212, `invalid From ${From}`);
    if (!Body) return refuse(400, 21602, "Message body is required.");
    if (Body.length > 1600) return refuse(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    const sid = `SM${randomBytes(16).toString("hex")}`;
    sent.push({ to: To, from: From, body: Body, at: Date.now() });
    res.status(201).json({ sid, account_sid: options.accountSid, from: From, to: To, body: Body, status: "queued", direction: "outbound-api" });
  });
  const media = new Map<string, { contentType: string; data: Uint8Array }>();
  app.get("/2010-04-01/Accounts/:accountSid/Messages/:messageSid/Media/:mediaSid", (req, res) => {
    if (req.get("authorization") !== expectedAuth) {
      refused.push(`media without Twilio's credentials: ${req.path}`);
      res.status(401).json({ code: 20003, message: "Authenticate", status: 401 });
      return;
    }
    const item = media.get(req.params.mediaSid);
    if (!item) {
      res.status(404).json({ code: 20404, message: "not found", status: 404 });
      return;
    }
    res.type(item.contentType).send(Buffer.from(item.data));
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    sent,
    refused,
    addMedia: (contentType, data) => {
      const id = `ME${randomBytes(16).toString("hex")}`;
      media.set(id, { contentType, data });
      return `${baseUrl}/2010-04-01/Accounts/${options.accountSid}/Messages/MM${randomBytes(16).toString("hex")}/Media/${id}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

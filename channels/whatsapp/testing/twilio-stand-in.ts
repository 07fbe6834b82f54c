/**
 * A local stand-in for the Twilio endpoints the channel calls, speaking their real wire format:
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json (form fields, basic auth, 201 JSON with a sid),
 * GET on the same path (the message log, newest first, filtered by To/From, `messages` + paging fields)
 * and GET .../Media/{MediaSid} (basic auth, bytes with a content type). It rejects what Twilio rejects.
 */
import express from "express";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

export interface ReceivedMessage {
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  /** A template message (ContentSid + ContentVariables JSON) instead of a free-form Body. */
  readonly contentSid?: string;
  readonly contentVariables?: Record<string, string>;
  readonly statusCallback: string | undefined;
  readonly sid: string;
  readonly dateCreated: Date;
}

export interface StandInOptions {
  readonly accountSid: string;
  readonly username: string;
  readonly password: string;
}

export interface TwilioStandIn {
  readonly baseUrl: string;
  readonly messages: ReceivedMessage[];
  /** Requests refused (bad path, auth or fields), with the reason. */
  readonly rejected: string[];
  readonly mediaRequests: { readonly path: string; readonly authorized: boolean }[];
  /** The next `n` message requests get this HTTP status (e.g. 500, 429) before succeeding. */
  failNext: (n: number, status: number) => void;
  /** The next `n` message requests are accepted (stored, in the log) but their answer is lost (the connection drops). */
  acceptThenDrop: (n: number) => void;
  /** Message log requests (GET Messages.json) received. */
  readonly listRequests: number[];
  /** Serves bytes at /2010-04-01/Accounts/{sid}/Messages/{msg}/Media/{id}; returns the URL. */
  addMedia: (id: string, contentType: string, data: Uint8Array) => string;
  close: () => Promise<void>;
}

const twilioError = (status: number, code: number, message: string) => ({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export const startTwilioStandIn = async (options: StandInOptions): Promise<TwilioStandIn> => {
  const messages: ReceivedMessage[] = [];
  const rejected: string[] = [];
  const mediaRequests: { path: string; authorized: boolean }[] = [];
  const media = new Map<string, { contentType: string; data: Uint8Array }>();
  let failures = { remaining: 0, status: 500 };
  let drops = 0;
  const listRequests: number[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString("base64")}`;

  const app = express();
  app.post("/2010-04-01/Accounts/:accountSid/Messages.json", express.urlencoded({ extended: false }), (req, res) => {
    const reject = (status: number, code: number, reason: string) => {
      rejected.push(reason);
      res.status(status).json(twilioError(status, code, reason));
    };
    if (req.params.accountSid !== options.accountSid) return reject(404, 20404, `unknown account ${req.params.accountSid}`);
    if (req.get("authorization") !== expectedAuth) return reject(401, 20003, "Authenticate");
    if (!req.is("application/x-www-form-urlencoded")) return reject(400, 21000, `content type ${req.get("content-type")}`);
    const { From, To, Body, StatusCallback, ContentSid, ContentVariables } = req.body as Record<string, string | undefined>;
    if (!To?.startsWith("whatsapp:+")) return reject(400, 21211, `invalid To ${To}`);
    if (!From?.startsWith("whatsapp:+")) return reject(400, 21212, `invalid From ${From}`);
    if (ContentSid !== undefined && !/^HX[0-9a-f]{32}$/.test(ContentSid)) return reject(400, 21656, `invalid ContentSid ${ContentSid}`);
    let contentVariables: Record<string, string> | undefined;
    if (ContentVariables !== undefined) {
      try {
        contentVariables = JSON.parse(ContentVariables) as Record<string, string>;
      } catch {
        return reject(400, 21656, "ContentVariables is not valid JSON.");
      }
    }
    if (!Body && !ContentSid) return reject(400, 21602, "Message body is required.");
    if (Body && Body.length > 1600) return reject(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    if (StatusCallback !== undefined && !/^https?:\/\//.test(StatusCallback)) return reject(400, 21609, "invalid StatusCallback");
    if (failures.remaining > 0) {
      failures.remaining--;
      res.status(failures.status).json(twilioError(failures.status, failures.status === 429 ? 20429 : 20500, "stand-in failure"));
      return;
    }
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const dateCreated = new Date();
    messages.push({ accountSid: req.params.accountSid, from: From, to: To, body: Body ?? "", ...(ContentSid === undefined ? {} : { contentSid: ContentSid, contentVariables }), statusCallback: StatusCallback, sid, dateCreated });
    if (drops > 0) {
      drops--;
      req.socket.destroy();
      return;
    }
    res.status(201).json({
      sid,
      account_sid: req.params.accountSid,
      from: From,
      to: To,
      body: Body,
      status: "queued",
      num_segments: "1",
      direction: "outbound-api",
      date_created: dateCreated.toUTCString(),
      uri: `/2010-04-01/Accounts/${req.params.accountSid}/Messages/${sid}.json`,
    });
  });
  app.get("/2010-04-01/Accounts/:accountSid/Messages.json", (req, res) => {
    if (req.params.accountSid !== options.accountSid) return void res.status(404).json(twilioError(404, 20404, "not found"));
    if (req.get("authorization") !== expectedAuth) {
      rejected.push("Authenticate (list)");
      return void res.status(401).json(twilioError(401, 20003, "Authenticate"));
    }
    listRequests.push(Date.now());
    const { To, From, PageSize } = req.query as Record<string, string | undefined>;
    const pageSize = Math.min(Math.max(Number(PageSize ?? 50) || 50, 1), 1000);
    const page = messages
      .filter((message) => (To === undefined || message.to === To) && (From === undefined || message.from === From))
      .reverse()
      .slice(0, pageSize)
      .map((message) => ({
        sid: message.sid,
        account_sid: message.accountSid,
        from: message.from,
        to: message.to,
        body: message.body,
        status: "sent",
        direction: "outbound-api",
        date_created: message.dateCreated.toUTCString(),
      }));
    res.json({ messages: page, page: 0, page_size: pageSize, first_page_uri: req.originalUrl, next_page_uri: null, previous_page_uri: null, uri: req.originalUrl });
  });
  app.get("/2010-04-01/Accounts/:accountSid/Messages/:messageSid/Media/:mediaSid", (req, res) => {
    const authorized = req.get("authorization") === expectedAuth;
    mediaRequests.push({ path: req.path, authorized });
    if (!authorized) {
      res.status(401).json(twilioError(401, 20003, "Authenticate"));
      return;
    }
    const item = media.get(req.params.mediaSid);
    if (!item) {
      res.status(404).json(twilioError(404, 20404, "not found"));
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
    messages,
    rejected,
    mediaRequests,
    failNext: (n, status) => {
      failures = { remaining: n, status };
    },
    acceptThenDrop: (n) => {
      drops = n;
    },
    listRequests,
    addMedia: (id, contentType, data) => {
      media.set(id, { contentType, data });
      return `${baseUrl}/2010-04-01/Accounts/${options.accountSid}/Messages/MM${"1".repeat(32)}/Media/${id}`;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

/**
 * The inspector's guard: the admin key (ADMIN_API_KEYS), as the catalog admin API checks it
 * (constant-time, Authorization: Bearer <key> or X-API-Key), plus HTTP Basic (any user name, the
 * key as password) so a browser can open the page and its calls carry the key. No key configured:
 * 503, as the admin API.
 */
import type { NextFunction, Request, Response } from "express";
import { hashKeys, keyMatches } from "../../lib/admin-keys.ts";

export const presentedKey = (req: Request): string | undefined => {
  const header = req.get("authorization")?.trim();
  if (header) {
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (bearer) return bearer;
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return colon === -1 ? undefined : decoded.slice(colon + 1);
    }
  }
  return req.get("x-api-key") ?? undefined;
};

export const requireAdminKey = (apiKeys: ReadonlyArray<string>) => {
  const keys = hashKeys(apiKeys);
  return (req: Request, res: Response, next: NextFunction) => {
    if (keys.length === 0) return res.status(503).json({ error: { code: "admin_disabled", message: "inspector disabled: no ADMIN_API_KEYS configured" } });
    const key = presentedKey(req);
    if (!key || !keyMatches(key, keys)) {
      res.set("WWW-Authenticate", 'Basic realm="inspector", charset="UTF-8"');
      return res.status(401).json({ error: { code: "unauthorized", message: key ? "invalid admin key" : "admin key required (HTTP Basic with the key as password, Authorization: Bearer <key> or X-API-Key)" } });
    }
    next();
  };
};

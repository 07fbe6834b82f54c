/** The baseline for npm run bench:webhook: express, the same form parser, an empty TwiML answer, nothing else. */
import express from "express";

const app = express();
app.post("/channels/whatsapp/webhook", express.urlencoded({ extended: false, limit: "100kb" }), (_req, res) => {
  res.type("text/xml").send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
});
app.get("/health", (_req, res) => void res.json({ ok: true }));
const server = app.listen(Number(process.env.PORT ?? 3999), "127.0.0.1", () => console.log(`bare webhook on ${process.env.PORT}`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));

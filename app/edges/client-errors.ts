/**
 * Requests Node's HTTP parser refuses before express sees them (headers over the limit, a malformed
 * request line or header) get the documented error shape instead of Node's empty answer:
 * 431 `headers_too_large`, 400 `malformed_http`, 408 `request_timeout`.
 */
import { STATUS_CODES, type Server } from "node:http";
import type { Duplex } from "node:stream";

const answerFor = (code: string | undefined): [number, string, string] => {
  if (code === "HPE_HEADER_OVERFLOW") return [431, "headers_too_large", "The request's headers are too large (16 KB at most)."];
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return [408, "request_timeout", "The request took too long to arrive."];
  return [400, "malformed_http", "The request is not valid HTTP."];
};

export const answerClientErrors = (server: Server) => {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, code, message] = answerFor(error.code);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        "Content-Type: application/json; charset=utf-8\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "X-Content-Type-Options: nosniff\r\n" +
        "Connection: close\r\n\r\n" +
        body,
    );
  });
};

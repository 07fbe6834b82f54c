/** POST /api/chat bodies through `chatRequestSchema`: what is accepted, what each refusal's code is. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { chatRequestSchema, parseChatRequest } from "./chat-request.ts";

const ID = "0f6b2c1e-7d2a-4c55-9a44-3b7c2d9e8f10";
const user = (text: string) => ({ id: "u", role: "user", parts: [{ type: "text", text }] });

describe("chatRequestSchema", () => {
  it("accepts the widget's body and useChat's body, and reads regenerate", () => {
    expect(parseChatRequest({ conversationId: ID, text: "  Hola  " })).toEqual({ ok: true, clientId: ID, text: "Hola", regenerate: false });
    const useChat = {
      id: ID,
      trigger: "regenerate-message",
      messageId: "a1",
      messages: [
        user("Hola"),
        { id: "a", role: "assistant", parts: [{ type: "step-start" }, { type: "tool-search_cars", toolCallId: "c", state: "output-available", output: {} }, { type: "text", text: "¡Hola!" }] },
        { id: "u2", role: "user", parts: [{ type: "text", text: "¿Tienen " }, { type: "file", url: "data:," }, { type: "text", text: "SUVs?" }] },
      ],
      extraField: "useChat's body option",
    };
    // The file part is the message's photo: the channel checks it (channels/image-upload.ts).
    expect(parseChatRequest(useChat)).toEqual({ ok: true, clientId: ID, text: "¿Tienen SUVs?", files: [{ url: "data:,", mediaType: undefined, filename: undefined }], regenerate: true });
    expect(parseChatRequest({ ...useChat, trigger: "submit-message" })).toMatchObject({ ok: true, regenerate: false });
  });

  it("refuses malformed bodies with the documented codes", () => {
    const cases: Array<[unknown, string]> = [
      [null, "invalid_body"],
      [[], "invalid_body"],
      ["hola", "invalid_body"],
      [{ text: "Hola" }, "invalid_conversation_id"],
      [{ conversationId: "short", text: "Hola" }, "invalid_conversation_id"],
      [{ conversationId: 42, text: "Hola" }, "invalid_conversation_id"],
      [{ id: "wa:5215512345678xyz", messages: [user("Hola")] }, "invalid_conversation_id"],
      [{ conversationId: ID }, "invalid_body"],
      [{ conversationId: ID, text: 7 }, "invalid_body"],
      [{ conversationId: ID, text: "   " }, "invalid_body"],
      [{ conversationId: ID, text: "a".repeat(4001) }, "text_too_long"],
      [{ id: ID, messages: "Hola" }, "invalid_body"],
      [{ id: ID, messages: [{ role: "robot", parts: [] }] }, "invalid_body"],
      [{ id: ID, messages: [{ role: "user", parts: [{ text: "sin tipo" }] }] }, "invalid_body"],
      [{ id: ID, messages: [{ id: "a", role: "assistant", parts: [{ type: "text", text: "¡Hola!" }] }] }, "invalid_body"],
      [{ id: ID, messages: [user("Hola")], trigger: "resubmit" }, "invalid_body"],
    ];
    for (const [body, code] of cases) {
      const result = parseChatRequest(body);
      expect({ body, result }).toMatchObject({ body, result: { ok: false, code, message: expect.any(String) } });
    }
    expect(parseChatRequest({ conversationId: ID, text: "a".repeat(4000) }).ok).toBe(true);
  });

  it("describes itself as JSON Schema (the OpenAPI document is generated from it)", () => {
    const document = z.toJSONSchema(chatRequestSchema, { io: "input" }) as { $defs: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    const schema = document.$defs.ChatRequest!;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["conversationId", "id", "text", "messages", "trigger"]));
    expect(schema.properties.trigger!.enum).toEqual(["submit-message", "regenerate-message"]);
  });
});

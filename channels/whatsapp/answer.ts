/** Turns one inbound WhatsApp message into the reply's messages: media, the core call, kind notes, splitting. */
import { Effect } from "effect";
import { Agent } from "../../core/agent.ts";
import type { Attachment, StoredMessage } from "../../core/turn.ts";
import type { WhatsAppMessage } from "./inbound.ts";
import { downloadImage, isImage, type MediaDownloadOptions } from "./media.ts";
import { photosOnlyText, REPLIES } from "./replies.ts";
import { splitMessage } from "./split-message.ts";

const notesFor = (rejectedImages: number, otherMedia: number) => [
  ...(rejectedImages > 0 ? [REPLIES.imageRejectedNote] : []),
  ...(otherMedia > 0 ? [REPLIES.unsupportedMediaNote] : []),
];

const partsOf = (replyText: string, notes: ReadonlyArray<string>) => {
  const parts = splitMessage([replyText, ...notes].join("\n\n"));
  return parts.length > 0 ? parts : [REPLIES.agentFailed];
};

/**
 * The reply's WhatsApp messages. Media problems become kind notes; an agent failure (model, store,
 * timeout) is the effect's error, so the caller can try again later or apologise.
 */
export const answerInbound = (message: WhatsAppMessage, media: MediaDownloadOptions) =>
  Effect.gen(function* () {
    const images = message.media.filter((item) => isImage(item.contentType));
    const otherMedia = message.media.length - images.length;

    const attachments: Attachment[] = [];
    let rejectedImages = 0;
    for (const image of images) {
      const downloaded = yield* downloadImage(image.url, image.contentType, media).pipe(
        Effect.tapError((error) => Effect.logWarning(`whatsapp media not used: ${error.reason} (${error.detail})`)),
        Effect.option,
      );
      if (downloaded._tag === "Some") attachments.push(downloaded.value);
      else rejectedImages++;
    }

    if (message.body === "" && attachments.length === 0) {
      if (rejectedImages > 0) return [REPLIES.imageRejected];
      if (otherMedia > 0) return [REPLIES.unsupportedMedia];
      return [REPLIES.emptyMessage];
    }

    const agent = yield* Agent;
    const result = yield* agent.reply({
      conversationId: message.conversationId,
      text: message.body !== "" ? message.body : photosOnlyText(attachments.length),
      channel: "whatsapp",
      ...(attachments.length > 0 ? { attachments } : {}),
    });
    return partsOf(result.reply.text, notesFor(rejectedImages, otherMedia));
  }).pipe(Effect.withSpan("whatsapp.answer", { attributes: { "messaging.message.id": message.messageSid } }));

/**
 * After a crash between the end of a turn and the moment its reply was recorded, the turn is in the
 * conversation already: its reply is the assistant message that follows this message's text, stored
 * after this message's first turn started. A conversation's messages are answered one at a time, in
 * order, so no other message of the conversation was answered since then. Text messages only (a
 * photo's turn text depends on which downloads worked); undefined when the turn did not finish.
 */
export const recoveredAnswer = (message: WhatsAppMessage, turnStartedAt: Date, history: ReadonlyArray<StoredMessage> | undefined): string[] | undefined => {
  if (!history || history.length < 2 || message.body === "") return undefined;
  const answer = history[history.length - 1]!;
  const asked = history[history.length - 2]!;
  if (answer.role !== "assistant" || asked.role !== "user" || asked.text !== message.body) return undefined;
  // Both times come from the database's clock. Strictly later: an equal time (a coarse clock) is not proof.
  if (asked.createdAt.getTime() <= turnStartedAt.getTime()) return undefined;
  const otherMedia = message.media.filter((item) => !isImage(item.contentType)).length;
  return partsOf(answer.text, notesFor(0, otherMedia));
};

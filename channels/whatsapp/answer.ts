/** Turns one inbound WhatsApp message into the reply's messages: media, the core call, kind fallbacks, splitting. */
import { Effect } from "effect";
import { Agent } from "../../core/agent.ts";
import type { Attachment } from "../../core/turn.ts";
import type { InboundMessage } from "./inbound.ts";
import { downloadImage, isImage, type MediaDownloadOptions } from "./media.ts";
import { photosOnlyText, REPLIES } from "./replies.ts";
import { splitMessage } from "./split-message.ts";

export const answerInbound = (message: InboundMessage, media: MediaDownloadOptions) =>
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
    const notes = [
      ...(rejectedImages > 0 ? [REPLIES.imageRejectedNote] : []),
      ...(otherMedia > 0 ? [REPLIES.unsupportedMediaNote] : []),
    ];
    const parts = splitMessage([result.reply.text, ...notes].join("\n\n"));
    return parts.length > 0 ? parts : [REPLIES.agentFailed];
  }).pipe(
    Effect.catchCause((cause) => Effect.logError("whatsapp answer failed", cause).pipe(Effect.as([REPLIES.agentFailed]))),
    Effect.withSpan("whatsapp.answer", { attributes: { "messaging.message.id": message.messageSid } }),
  );

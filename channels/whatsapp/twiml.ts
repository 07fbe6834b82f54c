/** TwiML answers to the webhook: one <Message> per part, or an empty <Response/> as a bare acknowledgement. */
import twilio from "twilio";

export const twimlReply = (parts: ReadonlyArray<string>): string => {
  const response = new twilio.twiml.MessagingResponse();
  for (const part of parts) response.message(part);
  return response.toString();
};

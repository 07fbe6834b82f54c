/**
 * The golden conversation format (evals/conversations/*.yaml) and its loader. One file holds a
 * list of conversations; evals/README.md shows the format with a copy-paste example.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { TOOL_NAMES } from "../tools/contracts.ts";
import { faultSpec } from "./app/faults.ts";
import { photoSpec } from "./app/photos.ts";

export const CONVERSATIONS_DIR = new URL("./conversations/", import.meta.url).pathname;

const toolName = z.enum(Object.values(TOOL_NAMES) as [string, ...string[]]);
const text = z.union([z.string().min(1), z.number()]).transform(String);
const texts = z.array(text).optional();

/** `search_cars` or `{ search_cars: { make: Nissan } }`: a tool that must be called, with key arguments. */
const expectedTool = z.union([
  toolName.transform((name) => ({ name, args: undefined as Record<string, unknown> | undefined })),
  z
    .partialRecord(toolName, z.record(z.string(), z.unknown()).nullable())
    .refine((entry) => Object.keys(entry).length === 1, "one tool per list item: { tool_name: { arg: value } }")
    .transform((entry) => {
      const [name, args] = Object.entries(entry)[0]!;
      return { name, args: args ?? undefined };
    }),
]);

const turn = z
  .object({
    /** What the user writes (empty only for a WhatsApp message that is just media). */
    user: z.string(),
    /** Tools that must be called this turn, in this order (others may come in between). `[]`: no tool at all. */
    tools: z.array(expectedTool).optional(),
    /** Tools that must not be called this turn. */
    avoid_tools: z.array(toolName).optional(),
    /** Every one of these must appear in the reply (ignoring case, accents and *bold*). */
    says: texts,
    /** At least one of these must appear. */
    says_any: texts,
    /** None of these may appear. */
    not_says: texts,
    /** Regular expressions (case-insensitive) the reply must match. */
    matches: z.array(z.string()).optional(),
    /** Regular expressions the reply must not match. */
    not_matches: z.array(z.string()).optional(),
    /** Tool results this turn must include: `{ tool_name: { key: value } }` matched against a call's output. */
    results: z.array(expectedTool).optional(),
    /** On WhatsApp, media sent with the message (content types); images are served as small valid files. */
    whatsapp_media: z.array(z.string()).optional(),
    /** A photo sent with the message on any channel, generated at run time (evals/app/photos.ts): `{ plate: NXR-4521 }`, or `{ plate: none }` for no plate in it. */
    photo: photoSpec.optional(),
  })
  .strict()
  .refine((t) => t.user.trim() !== "" || (t.whatsapp_media ?? []).length > 0 || t.photo !== undefined, "user: the message is empty (only a turn with whatsapp_media or a photo may have no text)");

/**
 * Where a conversation is played: `agent` calls the agent in process (no channel); `http` is
 * POST /v1/conversations/{id}/messages; `whatsapp` is Twilio's signed webhook (replies inline as
 * TwiML or through the Messages API); `web` is the widget's POST /api/chat UI message stream.
 */
export const CHANNELS = ["agent", "http", "whatsapp", "web"] as const;
export type ChannelTarget = (typeof CHANNELS)[number];

const conversation = z
  .object({
    /** Unique, kebab-case: run just this one with `npm run eval -- --only <id>`. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "kebab-case id, e.g. search-typo-versa"),
    description: z.string().min(1),
    tags: z.array(z.string()).default([]),
    /** Why it is not run yet (shown in every run); remove once the behaviour exists. */
    pending: z.string().optional(),
    /** Latency budget of each turn in ms (default: EVAL_TURN_BUDGET_MS or 5,000 offline / 30,000 live). */
    turn_budget_ms: z.number().int().positive().optional(),
    turns: z.array(turn).min(1).max(8),
    /** The channels it is played through, each as its own test (`id@channel`); default: the agent in process. */
    channels: z.array(z.enum(CHANNELS)).min(1).default(["agent"]),
    /** Dependencies that fail or time out while it plays (the reply must be the kind apology, never a false "no"). */
    faults: z.array(faultSpec).default([]),
  })
  .strict();

export type ExpectedTool = z.output<typeof expectedTool>;
export type TurnSpec = z.output<typeof turn>;
export type ConversationSpec = z.output<typeof conversation> & { readonly file: string };

const fileSchema = z.array(conversation);

/** Parses one YAML file's text; throws with the file name and the path of the problem. */
export const parseConversations = (yamlText: string, file: string): ConversationSpec[] => {
  const parsed = fileSchema.safeParse(parse(yamlText));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  at ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`${file}: not a valid golden conversation file\n${problems}`);
  }
  for (const spec of parsed.data) for (const t of spec.turns) for (const pattern of [...(t.matches ?? []), ...(t.not_matches ?? [])]) new RegExp(pattern, "iu");
  return parsed.data.map((spec) => ({ ...spec, file }));
};

/** Every conversation of every YAML file in the directory; ids must be unique. */
export const loadConversations = (dir = CONVERSATIONS_DIR): ConversationSpec[] => {
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  const all = files.flatMap((name) => parseConversations(readFileSync(join(dir, name), "utf8"), name));
  const seen = new Map<string, string>();
  for (const spec of all) {
    const other = seen.get(spec.id);
    if (other !== undefined) throw new Error(`duplicate conversation id "${spec.id}" in ${other} and ${spec.file}`);
    seen.set(spec.id, spec.file);
  }
  return all;
};

/**
 * The inspector's page: one self-contained HTML document (no CDN, no build step). Hash routes:
 *   #/                                   conversations, filterable (id, channel, tool, errors, latency)
 *   #/conversation/<id>                  its turns: what was said, tools, latency, errors; save as golden
 *   #/trace/<traceId>[/<turnSpanId>]     a turn's span waterfall; click a span for its details
 * Every text from the data is inserted as text (never as HTML).
 */
const STYLE = `
:root { --bg:#f7f7f8; --card:#fff; --ink:#1d2330; --muted:#667085; --line:#e4e7ec; --accent:#1f6feb; --err:#d92d20; --ok:#12b76a;
  --turn:#7a5af8; --model:#1f6feb; --tool:#f79009; --db:#12b76a; --http:#667085; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; align-items:center; gap:16px; padding:10px 20px; background:#101828; color:#fff; }
header a { color:#fff; text-decoration:none; font-weight:600; }
header .stats { margin-left:auto; color:#98a2b3; font-size:12px; }
main { padding:16px 20px; max-width:1400px; margin:0 auto; }
h1 { font-size:18px; margin:4px 0 12px; } h2 { font-size:15px; margin:16px 0 8px; }
form.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:end; background:var(--card); padding:12px; border:1px solid var(--line); border-radius:8px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
input, select, button { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; }
button { cursor:pointer; background:var(--accent); color:#fff; border-color:var(--accent); }
button.secondary { background:#fff; color:var(--ink); border-color:var(--line); }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); border-radius:8px; overflow:hidden; margin-top:12px; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; background:#fafafa; }
tr.row { cursor:pointer; } tr.row:hover { background:#f2f6fe; }
.tag { display:inline-block; padding:0 6px; margin:1px 2px 1px 0; border-radius:10px; font-size:12px; background:#eef4ff; color:#1849a9; }
.tag.err { background:#fee4e2; color:var(--err); } .tag.ok { background:#d1fadf; color:#05603a; }
.muted { color:var(--muted); } .err { color:var(--err); }
.said { max-width:420px; white-space:pre-wrap; }
.crumbs { font-size:13px; margin-bottom:8px; } .crumbs a { color:var(--accent); }
.summary { display:flex; gap:16px; flex-wrap:wrap; font-size:13px; margin:6px 0 10px; }
.summary b { font-variant-numeric: tabular-nums; }
.split { display:grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap:16px; }
.waterfall { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:6px 0; }
.span { display:grid; grid-template-columns: 300px 1fr 70px; align-items:center; gap:8px; padding:2px 10px; cursor:pointer; font-size:13px; }
.span:hover { background:#f2f6fe; } .span.selected { background:#e0eaff; }
.span .name { white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
.span .track { position:relative; height:14px; background:#f2f4f7; border-radius:3px; }
.span .bar { position:absolute; top:2px; height:10px; border-radius:2px; min-width:2px; background:var(--http); }
.span .ms { text-align:right; font-variant-numeric: tabular-nums; color:var(--muted); }
.k-turn .bar { background:var(--turn); } .k-model .bar { background:var(--model); } .k-tool .bar { background:var(--tool); } .k-db .bar { background:var(--db); }
.span.error .name { color:var(--err); font-weight:600; } .span.error .bar { background:var(--err); }
.details { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px; position:sticky; top:12px; max-height:90vh; overflow:auto; }
.details h3 { margin:0 0 6px; font-size:15px; word-break:break-all; }
pre { background:#f8f9fb; border:1px solid var(--line); border-radius:6px; padding:8px; font-size:12px; white-space:pre-wrap; word-break:break-word; max-height:320px; overflow:auto; margin:4px 0 10px; }
dl { display:grid; grid-template-columns: max-content 1fr; gap:2px 10px; font-size:12px; margin:0; }
dt { color:var(--muted); } dd { margin:0; word-break:break-word; }
.legend { font-size:12px; color:var(--muted); display:flex; gap:12px; margin:6px 0; }
.legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:middle; }
textarea { width:100%; min-height:260px; font:12px/1.4 ui-monospace, monospace; border:1px solid var(--line); border-radius:6px; padding:8px; }
.notice { padding:8px 12px; border-radius:6px; background:#fffaeb; border:1px solid #fedf89; margin:10px 0; }
`;

const SCRIPT = String.raw`
const $ = (sel) => document.querySelector(sel);
const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "className") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
};
const BASE = location.pathname.replace(/\/?$/, "/");
const api = async (path, init) => {
  const res = await fetch(BASE + "api/" + path, { credentials: "same-origin", ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((body.error && body.error.message) || res.statusText);
  return body;
};
const ms = (v) => (v >= 1000 ? (v / 1000).toFixed(2) + " s" : Math.round(v) + " ms");
const when = (iso) => new Date(iso).toLocaleString();
const short = (s, n = 140) => { const t = String(s || "").replace(/\s+/g, " ").trim(); return t.length > n ? t.slice(0, n) + "…" : t; };
const tags = (names, cls = "") => (names || []).map((n) => h("span", { className: "tag " + cls }, n));
const view = () => $("#view");
const show = (...nodes) => { view().replaceChildren(...nodes); };
const failure = (error) => show(h("div", { className: "notice err" }, "Could not load: " + error.message));

async function stats() {
  try { const s = await api("stats"); $("#stats").textContent = s.attached ? "stored spans written " + s.writtenSpans + " · pending " + s.pendingSpans + " · dropped " + s.droppedSpans + " · pruned traces " + s.prunedTraces : "traces kept in memory only"; } catch {}
}

// ------------------------------------------------------------ conversations
async function conversations(params) {
  const form = h("form", { className: "filters", onsubmit: (e) => { e.preventDefault(); const q = new URLSearchParams(); for (const [k, v] of new FormData(form)) if (v !== "") q.set(k, String(v)); location.hash = "#/?" + q; } },
    h("label", {}, "Conversation", h("input", { name: "conversation", value: params.get("conversation") || "", placeholder: "id contains…" })),
    h("label", {}, "Channel", h("select", { name: "channel" }, ["", "http", "web", "whatsapp"].map((c) => h("option", { value: c, selected: params.get("channel") === c }, c || "any")))),
    h("label", {}, "Tool", h("input", { name: "tool", value: params.get("tool") || "", placeholder: "e.g. search_cars" })),
    h("label", {}, "Errors", h("select", { name: "error" }, [["", "any"], ["true", "with errors"], ["false", "without errors"]].map(([v, t]) => h("option", { value: v, selected: params.get("error") === v }, t)))),
    h("label", {}, "Slower than (ms)", h("input", { name: "minDurationMs", type: "number", min: "0", value: params.get("minDurationMs") || "", style: "width:110px" })),
    h("button", { type: "submit" }, "Filter"),
    h("button", { type: "button", className: "secondary", onclick: () => (location.hash = "#/") }, "Clear"));
  show(h("h1", {}, "Conversations"), form, h("p", { className: "muted" }, "Loading…"));
  try {
    const { conversations } = await api("conversations?" + params);
    const rows = conversations.map((c) => h("tr", { className: "row", "data-conversation": c.conversationId, onclick: () => (location.hash = "#/conversation/" + encodeURIComponent(c.conversationId)) },
      h("td", {}, h("b", {}, c.conversationId)), h("td", {}, c.channel), h("td", {}, c.turns),
      h("td", {}, c.errors > 0 ? h("span", { className: "tag err" }, c.errors + " failed") : h("span", { className: "tag ok" }, "ok")),
      h("td", {}, ms(c.maxDurationMs)), h("td", {}, tags(c.toolNames)), h("td", { className: "muted" }, when(c.lastAt))));
    show(h("h1", {}, "Conversations"), form,
      rows.length === 0 ? h("p", { className: "muted" }, "No stored conversation matches.") :
      h("table", { id: "conversations" }, h("thead", {}, h("tr", {}, ["Conversation", "Channel", "Turns", "Errors", "Slowest turn", "Tools", "Last turn"].map((t) => h("th", {}, t)))), h("tbody", {}, rows)));
  } catch (error) { failure(error); }
}

// ------------------------------------------------------------ one conversation
async function conversation(id) {
  show(h("p", { className: "muted" }, "Loading…"));
  try {
    const c = await api("conversations/" + encodeURIComponent(id));
    const golden = h("div", { id: "golden" });
    const save = async () => {
      golden.replaceChildren(h("p", { className: "muted" }, "Building the golden conversation…"));
      try {
        const g = await api("conversations/" + encodeURIComponent(id) + "/golden", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        const area = h("textarea", { id: "golden-yaml", spellcheck: "false" }); area.value = g.yaml;
        const download = h("a", { href: URL.createObjectURL(new Blob([g.yaml], { type: "application/yaml" })), download: g.file }, h("button", { type: "button" }, "Download " + g.file));
        golden.replaceChildren(h("h2", {}, "Golden conversation " + g.id), h("p", { className: "muted" }, "Save it as evals/conversations/" + g.file + ", edit the expectations, then run npm run eval -- --only " + g.id + "."), area, download,
          h("button", { type: "button", className: "secondary", onclick: () => navigator.clipboard && navigator.clipboard.writeText(g.yaml) }, "Copy"));
      } catch (error) { golden.replaceChildren(h("div", { className: "notice err" }, error.message)); }
    };
    const rows = c.turns.map((t, i) => h("tr", { className: "row", "data-trace": t.traceId, onclick: () => (location.hash = "#/trace/" + t.traceId + "/" + t.spanId) },
      h("td", {}, i + 1), h("td", { className: "muted" }, when(t.startedAt)), h("td", {}, ms(t.durationMs)),
      h("td", {}, t.error ? h("span", { className: "tag err", title: t.errorMessage || "" }, "error") : h("span", { className: "tag ok" }, "ok")),
      h("td", {}, tags(t.toolNames)),
      h("td", { className: "said" }, t.exchange ? short(t.exchange.user, 200) : h("span", { className: "muted" }, "(not stored)")),
      h("td", { className: "said" }, t.exchange ? short(t.exchange.reply, 200) : t.errorMessage ? h("span", { className: "err" }, short(t.errorMessage)) : "")));
    show(h("div", { className: "crumbs" }, h("a", { href: "#/" }, "Conversations"), " / " + id),
      h("h1", {}, "Conversation " + id),
      h("div", { className: "summary" }, h("span", {}, "channel ", h("b", {}, c.channel || "?")), h("span", {}, h("b", {}, c.turns.length), " traced turns"), h("span", {}, h("b", {}, c.exchanges), " stored exchanges")),
      h("button", { id: "save-golden", type: "button", onclick: save }, "Save as golden conversation"),
      h("table", { id: "turns" }, h("thead", {}, h("tr", {}, ["#", "Started", "Latency", "Status", "Tools", "User", "Reply"].map((t) => h("th", {}, t)))), h("tbody", {}, rows)),
      golden);
  } catch (error) { failure(error); }
}

// ------------------------------------------------------------ one trace: the waterfall
const kindOf = (s) => s.name === "chat.turn" ? "turn" : s.name.startsWith("execute_tool ") ? "tool" : /^(invoke_agent|chat )/.test(s.name) || s.attributes["gen_ai.operation.name"] ? "model" : s.name.startsWith("db ") || s.attributes["db.system.name"] || s.attributes["db.system"] ? "db" : "http";
const parseJson = (v) => { if (typeof v !== "string") return v; try { return JSON.parse(v); } catch { return v; } };
const pretty = (v) => { const p = parseJson(v); return typeof p === "string" ? p : JSON.stringify(p, null, 2); };

function details(span, toolCalls) {
  const a = span.attributes || {};
  // Without content capture spans carry no tool input or output: the stored conversation has them.
  const stored = (toolCalls || {})[a["gen_ai.tool.call.id"]];
  const input = a["gen_ai.tool.call.arguments"] !== undefined ? a["gen_ai.tool.call.arguments"] : stored && stored.input;
  const output = a["gen_ai.tool.call.result"] !== undefined ? a["gen_ai.tool.call.result"] : stored && stored.output;
  const from = (key) => (a[key] !== undefined ? "" : " (from the stored conversation)");
  const sections = [h("h3", {}, span.name), h("dl", {},
    h("dt", {}, "duration"), h("dd", {}, ms(span.durationMs)),
    h("dt", {}, "status"), h("dd", { className: span.status === "error" ? "err" : "" }, span.status + (span.statusMessage ? ": " + span.statusMessage : "")),
    h("dt", {}, "span id"), h("dd", {}, span.spanId))];
  if (input !== undefined) sections.push(h("h2", {}, "Tool input" + from("gen_ai.tool.call.arguments")), h("pre", { className: "tool-input" }, pretty(input)));
  if (output !== undefined) sections.push(h("h2", {}, "Tool output" + from("gen_ai.tool.call.result")), h("pre", { className: "tool-output" }, pretty(output)));
  if (a["gen_ai.usage.input_tokens"] !== undefined) sections.push(h("h2", {}, "Model"), h("dl", {}, ["gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.response.finish_reasons"].filter((k) => a[k] !== undefined).flatMap((k) => [h("dt", {}, k.replace("gen_ai.", "")), h("dd", {}, String(a[k]))])));
  if (a["gen_ai.output.messages"] !== undefined) sections.push(h("h2", {}, "Model output"), h("pre", {}, pretty(a["gen_ai.output.messages"])));
  for (const e of span.events || []) sections.push(h("h2", { className: e.name === "exception" ? "err" : "" }, "Event: " + e.name), h("pre", {}, JSON.stringify(e.attributes, null, 2)));
  const rest = Object.keys(a).filter((k) => !["gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.output.messages"].includes(k)).sort();
  sections.push(h("h2", {}, "Attributes"), h("dl", {}, rest.flatMap((k) => [h("dt", {}, k), h("dd", {}, short(typeof a[k] === "string" ? a[k] : JSON.stringify(a[k]), 600))])));
  return sections;
}

async function traceView(traceId, turnSpanId) {
  show(h("p", { className: "muted" }, "Loading…"));
  try {
    const t = await api("traces/" + traceId);
    let spans = t.spans;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const children = new Map();
    for (const s of spans) { const p = byId.has(s.parentSpanId) ? s.parentSpanId : "root"; if (!children.has(p)) children.set(p, []); children.get(p).push(s); }
    for (const list of children.values()) list.sort((x, y) => x.startTimeMs - y.startTimeMs);
    // One turn of a trace that holds several: its ancestors and everything under it.
    let keep;
    // "turn-<n>": the n-th turn of the trace (the release gate links failures this way).
    const nth = /^turn-(\d+)$/.exec(turnSpanId || "");
    if (nth) { const turnSpans = spans.filter((s) => s.name === "chat.turn").sort((x, y) => x.startTimeMs - y.startTimeMs); const found = turnSpans[Number(nth[1]) - 1]; turnSpanId = found && found.spanId; }
    if (turnSpanId && byId.has(turnSpanId)) {
      keep = new Set();
      for (let s = byId.get(turnSpanId); s; s = byId.get(s.parentSpanId)) keep.add(s.spanId);
      const stack = [turnSpanId];
      while (stack.length) for (const c of children.get(stack.pop()) || []) { keep.add(c.spanId); stack.push(c.spanId); }
    }
    const ordered = [];
    const walk = (id, depth) => { for (const s of children.get(id) || []) { if (!keep || keep.has(s.spanId)) ordered.push([s, depth]); walk(s.spanId, depth + 1); } };
    walk("root", 0);
    const shown = ordered.map(([s]) => s);
    const start = Math.min(...shown.map((s) => s.startTimeMs));
    const end = Math.max(...shown.map((s) => s.startTimeMs + s.durationMs));
    const total = Math.max(end - start, 0.001);
    const panel = h("div", { className: "details", id: "span-details" });
    const rows = [];
    const select = (row, span) => { for (const r of rows) r.classList.remove("selected"); row.classList.add("selected"); panel.replaceChildren(...details(span, t.toolCalls)); };
    for (const [s, depth] of ordered) {
      const row = h("div", { className: "span k-" + kindOf(s) + (s.status === "error" ? " error" : ""), "data-span": s.name, title: s.name },
        h("div", { className: "name", style: "padding-left:" + depth * 14 + "px" }, s.name),
        h("div", { className: "track" }, h("div", { className: "bar", style: "left:" + ((s.startTimeMs - start) / total) * 100 + "%;width:" + (s.durationMs / total) * 100 + "%" })),
        h("div", { className: "ms" }, ms(s.durationMs)));
      row.addEventListener("click", () => select(row, s));
      rows.push(row);
    }
    const turn = shown.find((s) => s.name === "chat.turn");
    const conversationId = turn && turn.attributes["chat.conversation_id"];
    const tools = shown.filter((s) => kindOf(s) === "tool");
    const modelCalls = shown.filter((s) => s.attributes["gen_ai.operation.name"] === "chat");
    const errors = shown.filter((s) => s.status === "error");
    show(h("div", { className: "crumbs" }, h("a", { href: "#/" }, "Conversations"), conversationId ? [" / ", h("a", { href: "#/conversation/" + encodeURIComponent(conversationId) }, conversationId)] : "", " / trace " + traceId),
      h("h1", {}, "Turn " + (turnSpanId || traceId)),
      h("div", { className: "summary" }, h("span", {}, "latency ", h("b", {}, ms(total))), h("span", {}, h("b", {}, shown.length), " spans"), h("span", {}, h("b", {}, modelCalls.length), " model calls"),
        h("span", {}, h("b", {}, tools.length), " tool calls"), h("span", { className: errors.length ? "err" : "" }, h("b", {}, errors.length), " errors")),
      h("div", { className: "legend" }, [["turn", "--turn"], ["model", "--model"], ["tool", "--tool"], ["database", "--db"], ["http / other", "--http"], ["error", "--err"]].map(([t, c]) => h("span", {}, h("i", { style: "background:var(" + c + ")" }), t))),
      h("div", { className: "split" }, h("div", { className: "waterfall", id: "waterfall" }, rows), panel));
    const first = ordered.findIndex(([s]) => s.status === "error");
    const tool = ordered.findIndex(([s]) => kindOf(s) === "tool");
    const pick = first !== -1 ? first : tool !== -1 ? tool : 0;
    if (rows[pick]) select(rows[pick], ordered[pick][0]);
  } catch (error) { failure(error); }
}

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "conversation" && parts[1]) return conversation(parts[1]);
  if (parts[0] === "trace" && parts[1]) return traceView(parts[1], parts[2]);
  return conversations(new URLSearchParams(query));
}
window.addEventListener("hashchange", route);
route();
stats();
`;

export const inspectorPage = (): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trace inspector</title><style>${STYLE}</style></head>
<body><header><a href="#/">Trace inspector</a><span class="stats" id="stats"></span></header>
<main id="view"></main>
<script>${SCRIPT}</script></body></html>`;

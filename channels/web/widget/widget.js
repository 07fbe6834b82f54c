/*
 * Chat widget for any web page, hand-written ES2020 with no dependencies. Embed it with one tag:
 *   <script src="https://YOUR-SERVER/widget.js" data-title="Asistente de autos" data-color="#0b6e4f" defer></script>
 * data-server (optional) is the chat server's origin; by default, the origin widget.js came from.
 * It talks to POST {server}/api/chat (AI SDK UI message stream over SSE) and
 * GET {server}/api/chat/history/{id}. Styles live in a shadow root, so the host page is untouched.
 */
(() => {
  "use strict";
  if (window.__kavakChatWidget) return;
  window.__kavakChatWidget = true;

  const script = document.currentScript || document.querySelector("script[src*='widget.js']");
  const dataset = (script && script.dataset) || {};
  const scriptOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const server = (dataset.server || scriptOrigin).replace(/\/+$/, "");
  const title = dataset.title || "Asistente de autos";
  const accent = dataset.color && CSS.supports("color", dataset.color) ? dataset.color : "#1b4dd8";

  const STORAGE_KEY = `kavak-chat:${server}:conversation`;
  const OPEN_KEY = `kavak-chat:${server}:open`;
  const WELCOME = "¡Hola! 👋 Soy tu asesor de autos seminuevos. Cuéntame qué buscas: marca, presupuesto o para qué lo usarás.";
  const TOOL_STATUS = {
    search_cars: "Buscando autos…",
    get_car_details: "Consultando los detalles del auto…",
    calculate_financing: "Calculando tu plan de financiamiento…",
    calculate_affordable_price: "Calculando tu presupuesto…",
    search_knowledge: "Consultando información…",
    check_fines: "Consultando multas…",
  };
  /** A photo (e.g. of a plate, for its fines): the types and size the server accepts. */
  const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

  // ---------- storage and ids ----------
  const storage = {
    get(key) {
      try { return localStorage.getItem(key); } catch { return null; }
    },
    set(key, value) {
      try { localStorage.setItem(key, value); } catch { /* private mode: the conversation lasts this page view */ }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch { /* ignore */ }
    },
  };
  const newConversationId = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  let conversationId = storage.get(STORAGE_KEY);
  if (!conversationId || !/^[A-Za-z0-9_-]{16,100}$/.test(conversationId)) conversationId = null;

  // ---------- formatting ----------
  const pesos = (value) => {
    const [int, dec] = String(value).split(".");
    const sign = int.startsWith("-") ? "-" : "";
    const digits = int.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${sign}$${digits}${dec !== undefined ? `.${dec}` : ""}`;
  };
  const km = (value) => `${String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",")} km`;
  const transmissionLabel = (t) => (t === "automatica" ? "Automática" : t === "manual" ? "Manual" : null);
  const bodyLabel = { sedan: "Sedán", hatchback: "Hatchback", suv: "SUV", pickup: "Pickup", minivan: "Minivan", coupe: "Coupé" };

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  };

  /** WhatsApp-style text: *bold*, _italic_, line breaks and "- " / "• " lists, built as DOM (never innerHTML). */
  const renderRichText = (container, text) => {
    container.textContent = "";
    const inline = (target, line) => {
      const pattern = /\*([^*\n]+)\*|_([^_\n]+)_/g;
      let last = 0;
      for (const match of line.matchAll(pattern)) {
        if (match.index > last) target.append(line.slice(last, match.index));
        target.append(match[1] !== undefined ? el("strong", { text: match[1] }) : el("em", { text: match[2] }));
        last = match.index + match[0].length;
      }
      if (last < line.length) target.append(line.slice(last));
    };
    let list = null;
    for (const line of text.split("\n")) {
      const item = /^\s*[-•]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) { list = el("ul"); container.append(list); }
        const li = el("li");
        inline(li, item[1]);
        list.append(li);
        continue;
      }
      list = null;
      if (line.trim() === "") { container.append(el("div", { class: "gap" })); continue; }
      const p = el("p");
      inline(p, line);
      container.append(p);
    }
  };

  /** "Mazda 3 2012", not "Mazda Mazda 3 2012": the catalog's model name sometimes repeats the make. */
  const carName = (car) => {
    const model = String(car.model);
    return `${model.toLowerCase().startsWith(`${String(car.make).toLowerCase()} `) ? model : `${car.make} ${model}`} ${car.year}`;
  };
  const group = (n) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  /**
   * A car as a card. `position` numbers it as the reply's text does ("dime el número"); `actions` lists the
   * buttons: each sends a sentence naming the car and its stock id, so the assistant knows which car it is.
   */
  // ---------- cards are not repeated as text ----------
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const amountsIn = (text) => (text.match(/\d[\d,]*(?:\.\d+)?/g) || []).map((token) => token.replace(/,/g, "").replace(/\.0+$/, ""));
  const LIST_ITEM = /^\s*(?:[-•]|\*?\d+[.)])\s/;
  /** A block or a list line that names a car shown as a card and its price: the WhatsApp-style text of that card. */
  const repeatsCard = (text, cars) => {
    const folded = fold(text).replace(/[*_]/g, "");
    const amounts = amountsIn(text);
    return cars.some((car) => folded.includes(fold(carName(car))) && amounts.includes(String(car.price)));
  };
  /**
   * The reply's text as the widget shows it under cards: without the blocks (and list lines) that only
   * repeat a card shown above. While the text streams, a last block that may become a card is held back.
   * WhatsApp and the stored history keep the whole text.
   */
  const withoutCardText = (text, cars, streaming) => {
    if (!cars.length) return text;
    const blocks = text.split(/\n[ \t]*\n/);
    const kept = [];
    blocks.forEach((block, index) => {
      const last = index === blocks.length - 1;
      if (repeatsCard(block, cars)) {
        if (kept.length) kept[kept.length - 1] = kept[kept.length - 1].replace(/:\s*$/, ".");
        return;
      }
      const lines = block.split("\n").filter((line) => !(LIST_ITEM.test(line) && repeatsCard(line, cars)));
      if (!lines.length) return;
      const rest = lines.join("\n");
      const mayBecomeCard = LIST_ITEM.test(rest) || /^\s*\*/.test(rest) || cars.some((car) => fold(rest).includes(fold(String(car.model))));
      if (streaming && last && mayBecomeCard) return;
      kept.push(rest);
    });
    return kept.join("\n\n");
  };

  const carCard = (car, { details, position, actions }) => {
    const name = carName(car);
    const facts = [km(car.km), transmissionLabel(car.transmission), car.bodyType ? bodyLabel[car.bodyType] || car.bodyType : null];
    if (details && details.seats) facts.push(`${details.seats} asientos`);
    const chips = [];
    if (car.bluetooth === true) chips.push("Bluetooth");
    if (car.carPlay === true) chips.push("CarPlay");
    const size = details && details.lengthMm && details.widthMm && details.heightMm
      ? `Medidas: ${group(details.lengthMm)} × ${group(details.widthMm)} × ${group(details.heightMm)} mm (largo × ancho × alto)`
      : null;
    const label = `${name} (stock ${car.stockId})`;
    const buttons = actions.map((action) => {
      const button = el("button", { type: "button", class: "action", "aria-label": `${action.label}: ${name}`, text: action.label });
      button.addEventListener("click", () => void send(action.message(label)));
      return button;
    });
    return el(
      "article",
      { class: "card", "aria-label": `${position ? `${position}. ` : ""}${name}, ${pesos(car.price)}` },
      el("h3", {}, position ? el("span", { class: "num", text: `${position}. ` }) : null, name),
      el("p", { class: "version", text: car.version }),
      el("p", { class: "price", text: pesos(car.price) }),
      el("p", { class: "facts", text: facts.filter(Boolean).join(" · ") }),
      size ? el("p", { class: "facts", text: size }) : null,
      chips.length ? el("p", { class: "chips" }, ...chips.map((chip) => el("span", { class: "chip", text: chip }))) : null,
      el("p", { class: "stock", text: `Stock ${car.stockId}` }),
      buttons.length ? el("div", { class: "card-actions" }, ...buttons) : null,
    );
  };

  const DETAILS_ACTION = { label: "Ver detalles", message: (car) => `Quiero ver los detalles del ${car}` };
  const FINANCING_ACTION = { label: "Calcular mensualidad", message: (car) => `Quiero calcular la mensualidad del ${car}` };

  const carCards = (cars, heading, firstPosition) =>
    el(
      "section",
      { class: "cards-block", "aria-label": heading },
      el("p", { class: "block-title", text: heading }),
      el(
        "div",
        { class: "cards", tabindex: "0", role: "group", "aria-label": `${heading}: desliza para ver más` },
        ...cars.map((car, i) => carCard(car, { position: firstPosition + i, actions: [DETAILS_ACTION, FINANCING_ACTION] })),
      ),
    );

  const financingPlan = (output) => {
    const name = output.car ? `${output.car.make} ${output.car.model} ${output.car.year}` : "Tu auto";
    const summary = el(
      "dl",
      { class: "summary" },
      el("dt", { text: "Precio" }), el("dd", { text: pesos(output.price) }),
      el("dt", { text: "Enganche" }), el("dd", { text: pesos(output.downPayment) }),
      el("dt", { text: "A financiar" }), el("dd", { text: pesos(output.financed) }),
      el("dt", { text: "Tasa anual" }), el("dd", { text: output.annualRate }),
    );
    const table = el(
      "table",
      {},
      el("caption", { class: "sr-only", text: `Mensualidades para ${name}` }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Plazo" }), el("th", { scope: "col", text: "Mensualidad" }), el("th", { scope: "col", text: "Total a pagar" }))),
      el(
        "tbody",
        {},
        ...output.plans.map((plan) =>
          el("tr", {}, el("th", { scope: "row", text: `${plan.termMonths} meses` }), el("td", { text: pesos(plan.monthlyPayment) }), el("td", { text: pesos(plan.totalPaid) })),
        ),
      ),
    );
    return el("section", { class: "plan", "aria-label": `Plan de financiamiento: ${name}` }, el("p", { class: "block-title", text: `Plan de financiamiento · ${name}` }), summary, table);
  };

  const affordablePlan = (output) =>
    el(
      "section",
      { class: "plan", "aria-label": "Presupuesto según tu mensualidad" },
      el("p", { class: "block-title", text: `Con ${pesos(output.monthlyBudget)} al mes y ${pesos(output.downPayment)} de enganche` }),
      el("ul", {}, ...output.plans.map((plan) => el("li", { text: `A ${plan.termMonths} meses: autos de hasta ${pesos(plan.maxPrice)}` }))),
    );

  /** A confirmed appointment's .ics file (served by the API at its calendarPath), as a download link. */
  const calendarLink = (appointment) => {
    if (appointment.status !== "confirmed" || typeof appointment.calendarPath !== "string" || !appointment.calendarPath.startsWith("/v1/appointments/")) return null;
    return el(
      "p",
      { class: "calendar" },
      el("a", {
        href: `${server}${appointment.calendarPath}`,
        download: "cita-kavak.ics",
        type: "text/calendar",
        "aria-label": `Agregar a mi calendario: ${appointment.when}, ${appointment.sede?.name ?? ""}`.replace(/, $/, ""),
        text: "Agregar a mi calendario",
      }),
    );
  };

  /** The cars a tool's result shows as cards (the reply's text need not repeat them). */
  const carsShownBy = (toolName, output) => {
    if (!output || typeof output !== "object") return [];
    if (toolName === "search_cars") return Array.isArray(output.cars) && output.cars.length ? output.cars : Array.isArray(output.nearest) ? output.nearest : [];
    if (toolName === "get_car_details" && output.found && output.car) return [output.car];
    return [];
  };

  /** A tool's result as something to look at, or null when the text says it all. */
  const renderToolOutput = (toolName, output) => {
    if (!output || typeof output !== "object") return null;
    if (toolName === "search_cars") {
      if (Array.isArray(output.cars) && output.cars.length) return carCards(output.cars, `Autos encontrados (${output.total})`, (Number(output.offset) || 0) + 1);
      if (Array.isArray(output.nearest) && output.nearest.length) return carCards(output.nearest, "Opciones cercanas", 1);
      return null;
    }
    if (toolName === "get_car_details" && output.found && output.car) {
      return el(
        "section",
        { class: "cards-block", "aria-label": "Detalles del auto" },
        el("div", { class: "cards single" }, carCard(output.car, { details: output.car, actions: [FINANCING_ACTION] })),
      );
    }
    if (toolName === "calculate_financing" && output.ok && Array.isArray(output.plans)) return financingPlan(output);
    if (toolName === "calculate_affordable_price" && output.ok && Array.isArray(output.plans)) return affordablePlan(output);
    if ((toolName === "book_appointment" || toolName === "manage_appointment") && output.ok && output.appointment) return calendarLink(output.appointment);
    return null;
  };

  // ---------- DOM ----------
  const host = document.createElement("div");
  host.id = "kavak-chat-widget";
  host.style.cssText = "position:fixed;z-index:2147483000;inset:auto 0 0 auto;";
  const root = host.attachShadow({ mode: "open" });

  const contrast = (() => {
    const probe = document.createElement("span");
    probe.style.color = accent;
    document.documentElement.append(probe);
    const [r, g, b] = (getComputedStyle(probe).color.match(/\d+/g) || [0, 0, 0]).map(Number);
    probe.remove();
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 150 ? "#111" : "#fff";
  })();

  const css = `
    :host { all: initial; }
    *, *::before, *::after { box-sizing: border-box; }
    .root { --accent: ${accent}; --on-accent: ${contrast}; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433; }
    button { font: inherit; cursor: pointer; }
    :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
    .launcher { position: fixed; right: 16px; bottom: 16px; width: 60px; height: 60px; border-radius: 50%; border: none; background: var(--accent); color: var(--on-accent); box-shadow: 0 6px 20px rgba(0,0,0,.25); display: grid; place-items: center; }
    .launcher svg { width: 28px; height: 28px; }
    .panel { position: fixed; inset: 0; display: flex; flex-direction: column; background: #fff; }
    .panel[hidden] { display: none; }
    @media (min-width: 480px) {
      .panel { inset: auto 16px 88px auto; width: 380px; height: min(620px, calc(100vh - 110px)); border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.28); overflow: hidden; }
    }
    .head { display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 16px; background: var(--accent); color: var(--on-accent); }
    .head h2 { font-size: 16px; margin: 0; flex: 1; }
    .head .sub { display: block; font-size: 12px; font-weight: 400; opacity: .85; }
    .icon-btn { background: transparent; color: inherit; border: 1px solid transparent; border-radius: 8px; padding: 6px 8px; min-width: 36px; min-height: 36px; }
    .icon-btn:hover { background: rgba(255,255,255,.15); }
    .log { flex: 1; overflow-y: auto; padding: 16px 12px; display: flex; flex-direction: column; gap: 10px; background: #f4f6f9; overscroll-behavior: contain; }
    .msg { max-width: 88%; padding: 9px 12px; border-radius: 14px; word-wrap: break-word; }
    .msg p { margin: 0; }
    .msg ul { margin: 4px 0; padding-left: 20px; }
    .msg .gap { height: 6px; }
    .msg.user { align-self: flex-end; background: var(--accent); color: var(--on-accent); border-bottom-right-radius: 4px; white-space: pre-wrap; }
    .msg.assistant { align-self: flex-start; background: #fff; border: 1px solid #e1e5eb; border-bottom-left-radius: 4px; }
    .msg.error { background: #fff4f2; border-color: #f3c4bb; }
    .turn { display: flex; flex-direction: column; gap: 8px; align-self: stretch; }
    .status { align-self: flex-start; font-size: 13px; color: #5b6475; display: flex; align-items: center; gap: 8px; }
    .status[hidden] { display: none; }
    .dots::after { content: "…"; }
    .spinner { width: 12px; height: 12px; border-radius: 50%; border: 2px solid #c8ced8; border-top-color: var(--accent); animation: spin .8s linear infinite; }
    @keyframes spin { to { transform: rotate(360deg); } }
    @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
    .block-title { margin: 0 0 6px; font-size: 13px; font-weight: 600; color: #5b6475; }
    .cards { display: flex; gap: 10px; overflow-x: auto; scroll-snap-type: x mandatory; padding: 2px 2px 8px; }
    .cards.single .card { flex-basis: 100%; }
    .card { flex: 0 0 78%; scroll-snap-align: start; background: #fff; border: 1px solid #e1e5eb; border-radius: 12px; padding: 12px; }
    .card h3 { margin: 0; font-size: 15px; }
    .card .num { color: #5b6475; }
    .card p { margin: 2px 0 0; }
    .card .version { color: #5b6475; font-size: 13px; }
    .card .price { font-size: 18px; font-weight: 700; color: var(--accent); margin-top: 6px; }
    .card .facts { font-size: 13px; }
    .card .stock { font-size: 12px; color: #5b6475; }
    .card-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 10px; }
    .action { border: 1px solid var(--accent); background: #fff; color: #1d2433; border-radius: 999px; padding: 6px 12px; min-height: 36px; font-size: 13px; font-weight: 600; }
    .action:hover { background: #eef1f5; }
    .chip { display: inline-block; font-size: 11px; padding: 2px 8px; border-radius: 999px; background: #eef1f5; margin: 4px 4px 0 0; }
    .plan { background: #fff; border: 1px solid #e1e5eb; border-radius: 12px; padding: 12px; }
    .plan dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0 0 8px; font-size: 14px; }
    .plan dt { color: #5b6475; }
    .plan dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
    .plan table { width: 100%; border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
    .plan th, .plan td { padding: 6px 4px; border-top: 1px solid #eef1f5; text-align: right; }
    .plan th[scope=row], .plan thead th:first-child { text-align: left; }
    .plan thead th { font-size: 12px; color: #5b6475; font-weight: 600; border-top: none; }
    .plan ul { margin: 0; padding-left: 18px; }
    .calendar { margin: 0; }
    .calendar a { display: inline-block; padding: 8px 12px; border: 1px solid var(--accent); border-radius: 999px; color: var(--accent); font-weight: 600; text-decoration: none; }
    .calendar a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e1e5eb; background: #fff; }
    textarea { flex: 1; resize: none; font: inherit; padding: 10px 12px; border: 1px solid #c8ced8; border-radius: 12px; max-height: 120px; min-height: 44px; }
    textarea:focus-visible { outline: 2px solid var(--accent); outline-offset: 0; border-color: var(--accent); }
    .send { border: none; border-radius: 12px; padding: 0 16px; min-width: 44px; min-height: 44px; background: var(--accent); color: var(--on-accent); font-weight: 600; }
    .send:disabled { opacity: .5; cursor: default; }
    .attach { position: relative; overflow: hidden; display: inline-flex; align-items: center; justify-content: center; min-width: 44px; min-height: 44px; border: 1px solid #c8ced8; border-radius: 12px; background: #fff; color: #1f2937; font-size: 20px; cursor: pointer; }
    .attach:focus-within { outline: 2px solid var(--accent); outline-offset: 0; }
    .attach input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .note { font-size: 11px; color: #5b6475; text-align: center; padding: 0 10px 8px; background: #fff; margin: 0; }
  `;
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css); // constructed sheets are not blocked by a host page's style-src CSP
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(el("style", { text: css }));
  }

  const chatIcon = () => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z");
    svg.append(path);
    return svg;
  };

  const launcher = el("button", { class: "launcher", type: "button", "aria-label": `Chat con ${title}`, "aria-expanded": "false", "aria-controls": "kv-panel" }, chatIcon());
  const titleId = "kv-title";
  const newButton = el("button", { class: "icon-btn", type: "button", "aria-label": "Nueva conversación", title: "Nueva conversación", text: "Nueva" });
  const closeButton = el("button", { class: "icon-btn", type: "button", "aria-label": "Cerrar chat", title: "Cerrar", text: "✕" });
  const log = el("div", { class: "log", role: "log", "aria-live": "off", "aria-label": "Conversación", tabindex: "0" });
  const statusLine = el("div", { class: "status", role: "status", hidden: true }, el("span", { class: "spinner", "aria-hidden": "true" }), el("span", { class: "status-text" }));
  const announcer = el("div", { class: "sr-only", "aria-live": "polite", "aria-atomic": "true" });
  const input = el("textarea", { id: "kv-input", rows: "1", maxlength: "4000", placeholder: "Escribe tu mensaje…", autocomplete: "off", enterkeyhint: "send" });
  const sendButton = el("button", { class: "send", type: "submit", "aria-label": "Enviar mensaje", text: "Enviar" });
  const photoInput = el("input", { type: "file", id: "kv-photo", accept: PHOTO_TYPES.join(","), "aria-label": "Enviar una foto (por ejemplo, de la placa)" });
  const attachButton = el("label", { class: "attach", title: "Enviar una foto" }, el("span", { "aria-hidden": "true", text: "📷" }), photoInput);
  const form = el("form", { "aria-label": "Enviar un mensaje" }, el("label", { class: "sr-only", for: "kv-input", text: "Escribe tu mensaje" }), attachButton, input, sendButton);
  const panel = el(
    "div",
    { class: "panel", id: "kv-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": titleId, hidden: true },
    el("div", { class: "head" }, el("h2", { id: titleId }, title, el("span", { class: "sub", text: "Te respondo al momento" })), newButton, closeButton),
    log,
    form,
    el("p", { class: "note", text: "Asistente automático. Precios y disponibilidad sujetos a confirmación." }),
  );
  const wrapper = el("div", { class: "root" }, launcher, panel, announcer);
  root.append(wrapper);

  // ---------- conversation view ----------
  let busy = false;
  let historyLoaded = false;

  const scrollToEnd = () => { log.scrollTop = log.scrollHeight; };
  const announce = (text) => {
    announcer.textContent = "";
    setTimeout(() => { announcer.textContent = text; }, 50);
  };
  const setStatus = (text) => {
    statusLine.hidden = !text;
    statusLine.querySelector(".status-text").textContent = text || "";
    if (text) { log.append(statusLine); scrollToEnd(); }
  };
  const addUserMessage = (text) => {
    log.append(el("div", { class: "msg user", text }));
    scrollToEnd();
  };
  const addAssistantMessage = (text, extraClass) => {
    const bubble = el("div", { class: `msg assistant${extraClass ? ` ${extraClass}` : ""}` });
    renderRichText(bubble, text);
    log.append(bubble);
    scrollToEnd();
    return bubble;
  };
  const showWelcome = () => addAssistantMessage(WELCOME, "welcome");

  const loadHistory = async () => {
    historyLoaded = true;
    log.textContent = "";
    if (!conversationId) { showWelcome(); return; }
    try {
      const response = await fetch(`${server}/api/chat/history/${encodeURIComponent(conversationId)}`, { headers: { accept: "application/json" } });
      if (response.status === 404) { showWelcome(); return; }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      if (!body.messages.length) { showWelcome(); return; }
      for (const message of body.messages) {
        if (message.role === "user") addUserMessage(message.text);
        else addAssistantMessage(message.text);
      }
    } catch {
      showWelcome();
      addAssistantMessage("No pude cargar tu conversación anterior, pero podemos seguir desde aquí.", "error");
    }
  };

  const errorText = async (response) => {
    let code = "";
    try { code = (await response.json()).error.code; } catch { /* not JSON */ }
    if (code === "text_too_long") return "Tu mensaje es muy largo. ¿Me lo resumes un poco?";
    if (code === "origin_not_allowed") return "Este sitio no tiene permiso para usar el chat.";
    if (response.status === 429) return "Vas muy rápido 🙂. Espera unos segundos y vuelve a intentarlo, por favor.";
    return "Lo siento, no pude responder en este momento. Intenta de nuevo en un momento, por favor.";
  };

  /** Reads an SSE body of UI message chunks (data: {json}\n\n ... data: [DONE]). */
  const readChunks = async function* (body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let boundary;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) !== -1) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, "");
        const data = event.split(/\r?\n/).filter((line) => line.startsWith("data:")).map((line) => line.slice(5).replace(/^ /, "")).join("\n");
        if (!data) continue;
        if (data === "[DONE]") return;
        try { yield JSON.parse(data); } catch { /* ignore a malformed event */ }
      }
    }
  };

  /** photo: { mediaType, url (a data: URL), filename } sent as an AI SDK UI file part. */
  const send = async (text, photo) => {
    if (busy || (!text.trim() && !photo)) return;
    busy = true;
    sendButton.disabled = true;
    if (!conversationId) {
      conversationId = newConversationId();
      storage.set(STORAGE_KEY, conversationId);
    }
    addUserMessage(photo ? `📷 ${text || "Foto"}` : text);
    const turn = el("div", { class: "turn" });
    log.append(turn);
    setStatus("Escribiendo…");

    const tools = new Map();
    const cars = []; // every car this turn shows as a card
    const texts = new Map(); // text part id -> { bubble, text, shown }
    let errorMessage = null;
    const textPart = (id) => {
      let part = texts.get(id);
      if (!part) {
        part = { bubble: el("div", { class: "msg assistant", "aria-busy": "true", hidden: true }), text: "", shown: "" };
        texts.set(id, part);
        turn.append(part.bubble);
      }
      return part;
    };
    const replyText = () => Array.from(texts.values(), (part) => part.text.trim()).filter(Boolean).join("\n\n");
    const shownText = () => Array.from(texts.values(), (part) => part.shown.trim()).filter(Boolean).join("\n\n");
    /** Renders a text part as shown under this turn's cards (hidden while nothing of it is to be shown). */
    const showPart = (part, streaming) => {
      const shown = withoutCardText(part.text, cars, streaming);
      if (shown !== part.shown) renderRichText(part.bubble, shown);
      part.shown = shown;
      part.bubble.hidden = !shown.trim();
    };

    try {
      const response = await fetch(`${server}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify(
          photo
            ? { id: conversationId, trigger: "submit-message", messages: [{ id: newConversationId(), role: "user", parts: [...(text ? [{ type: "text", text }] : []), { type: "file", ...photo }] }] }
            : { conversationId, text },
        ),
      });
      if (!response.ok || !response.body) {
        errorMessage = await errorText(response);
      } else {
        for await (const chunk of readChunks(response.body)) {
          if (chunk.type === "tool-input-start" || chunk.type === "tool-input-available") {
            tools.set(chunk.toolCallId, chunk.toolName);
            const status = TOOL_STATUS[chunk.toolName] || "Revisando…";
            if (statusLine.hidden || statusLine.textContent !== status) announce(status);
            setStatus(status);
          } else if (chunk.type === "tool-output-available") {
            const view = renderToolOutput(tools.get(chunk.toolCallId), chunk.output);
            if (view) {
              cars.push(...carsShownBy(tools.get(chunk.toolCallId), chunk.output));
              turn.append(view);
              scrollToEnd();
            }
            setStatus("Escribiendo…");
          } else if (chunk.type === "tool-output-error") {
            setStatus("Escribiendo…");
          } else if (chunk.type === "text-start") {
            textPart(chunk.id);
          } else if (chunk.type === "text-delta") {
            const part = textPart(chunk.id);
            part.text += chunk.delta;
            showPart(part, true);
            setStatus("");
            scrollToEnd();
          } else if (chunk.type === "error") {
            errorMessage = "Lo siento, tuve un problema para responder. Intenta de nuevo, por favor.";
          }
        }
      }
    } catch {
      errorMessage = "No me pude conectar. Revisa tu conexión e intenta de nuevo.";
    }
    setStatus("");
    for (const part of texts.values()) {
      showPart(part, false);
      part.bubble.removeAttribute("aria-busy");
      if (!part.shown.trim()) part.bubble.remove();
    }
    const reply = replyText();
    if (!reply && !errorMessage) errorMessage = "Lo siento, no obtuve una respuesta. Intenta de nuevo, por favor.";
    if (errorMessage && !reply) {
      const bubble = el("div", { class: "msg assistant error" });
      renderRichText(bubble, errorMessage);
      turn.append(bubble);
      announce(errorMessage);
    } else {
      const shown = shownText() || `Te muestro ${cars.length === 1 ? "1 auto" : `${cars.length} autos`}.`;
      announce(`${title} dice: ${shown.replace(/[*_]/g, "")}`);
    }
    scrollToEnd();
    busy = false;
    sendButton.disabled = false;
    input.focus();
  };

  // ---------- interaction ----------
  const open = () => {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    storage.set(OPEN_KEY, "1");
    if (!historyLoaded) void loadHistory();
    setTimeout(() => input.focus(), 0);
  };
  const close = () => {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    storage.remove(OPEN_KEY);
    launcher.focus();
  };
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  newButton.addEventListener("click", () => {
    if (busy) return;
    conversationId = null;
    storage.remove(STORAGE_KEY);
    log.textContent = "";
    showWelcome();
    announce("Nueva conversación");
    input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    input.style.height = "";
    void send(text);
  });
  photoInput.addEventListener("change", () => {
    const file = photoInput.files && photoInput.files[0];
    photoInput.value = "";
    if (!file || busy) return;
    if (!PHOTO_TYPES.includes(file.type) || file.size > MAX_PHOTO_BYTES) {
      addAssistantMessage("Solo puedo recibir fotos JPG, PNG o WEBP de hasta 5 MB. 🙏", "error");
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const text = input.value.trim();
      input.value = "";
      input.style.height = "";
      void send(text, { mediaType: file.type, url: String(reader.result), filename: file.name });
    };
    reader.readAsDataURL(file);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  });

  const mount = () => {
    document.body.append(host);
    if (storage.get(OPEN_KEY) === "1") open();
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.KavakChat = { open, close };
})();

// The sandbox console: a view over the control API. It reads /_sandbox/state,
// /_sandbox/world and /_sandbox/credentials, streams /_sandbox/feed over a WebSocket, and
// its forms post to the same routes the `sandbox` CLI calls. Everything the servers send
// is shown with textContent, never parsed as HTML.
"use strict";

// ---------------------------------------------------------------------------------------
// The control calls, one form each. A field is {name, kind?, required?, list?, options?,
// placeholder?}: kind "text" (default), "number", "flag", "pairs" (k=v lines, sent as an
// object), "json" (parsed), "select" (options). `list` names a datalist of suggestions.

const ACTIONS = [
  {
    group: "Twitch",
    open: true,
    actions: [
      {
        title: "Trigger an EventSub notification",
        path: "/_sandbox/twitch/eventsub/trigger",
        fields: [
          { name: "type", required: true, list: "eventsub-types", placeholder: "channel.follow" },
          { name: "version", placeholder: "any" },
          { name: "broadcaster", list: "twitch-users", placeholder: "id or login" },
          { name: "user", list: "twitch-users", placeholder: "who acts (default: viewer)" },
          { name: "event", kind: "json", placeholder: "{\"field\": \"value\"} over the sample" },
        ],
      },
      {
        title: "Say a chat line as a viewer",
        path: "/_sandbox/twitch/chat/say",
        fields: [
          { name: "channel", required: true, list: "twitch-channels", placeholder: "#channel" },
          { name: "user", required: true, list: "twitch-users", placeholder: "login" },
          { name: "text", required: true, placeholder: "hello chat" },
        ],
      },
      {
        title: "Follow",
        path: "/_sandbox/twitch/follow",
        fields: [
          { name: "broadcaster", list: "twitch-users", placeholder: "default: first channel" },
          { name: "user", list: "twitch-users", placeholder: "default: viewer" },
        ],
      },
      {
        title: "Subscribe",
        path: "/_sandbox/twitch/subscribe",
        fields: [
          { name: "broadcaster", list: "twitch-users", placeholder: "default: first channel" },
          { name: "user", list: "twitch-users", placeholder: "default: viewer" },
          { name: "tier", kind: "select", options: ["", "1000", "2000", "3000"] },
        ],
      },
      {
        title: "Cheer",
        path: "/_sandbox/twitch/cheer",
        fields: [
          { name: "broadcaster", list: "twitch-users", placeholder: "default: first channel" },
          { name: "user", list: "twitch-users", placeholder: "default: viewer" },
          { name: "bits", kind: "number", placeholder: "100" },
          { name: "text", placeholder: "Cheer100 great stream!" },
        ],
      },
      {
        title: "Raid",
        path: "/_sandbox/twitch/raid",
        fields: [
          { name: "broadcaster", list: "twitch-users", placeholder: "default: first channel" },
          { name: "user", list: "twitch-users", placeholder: "raider (default: viewer)" },
          { name: "viewers", kind: "number", placeholder: "10" },
        ],
      },
      {
        title: "Stream goes online",
        path: "/_sandbox/twitch/stream/online",
        fields: [{ name: "broadcaster", list: "twitch-users", placeholder: "default: first channel" }],
      },
      {
        title: "Stream goes offline",
        path: "/_sandbox/twitch/stream/offline",
        fields: [{ name: "broadcaster", list: "twitch-users", placeholder: "default: first channel" }],
      },
      { title: "Ask chat connections to reconnect", path: "/_sandbox/twitch/chat/reconnect", fields: [] },
      { title: "Drop every chat connection", path: "/_sandbox/disconnect/twitch", fields: [] },
      {
        title: "Drop EventSub sessions",
        path: "/_sandbox/disconnect/eventsub",
        fields: [{ name: "session", list: "eventsub-sessions", placeholder: "default: every session" }],
      },
      {
        title: "Make chat hostile (chaos)",
        path: "/_sandbox/chaos/twitch",
        fields: [
          {
            name: "chaos",
            kind: "select",
            options: ["", "drop-mid-handshake", "invalid-utf8", "endless-line", "wrong-types", "slow-loris"],
          },
          { name: "off", kind: "flag" },
          { name: "clear", kind: "flag" },
        ],
      },
      {
        title: "Make EventSub hostile (chaos)",
        path: "/_sandbox/chaos/eventsub",
        fields: [
          {
            name: "chaos",
            kind: "select",
            options: [
              "",
              "huge-numbers",
              "negative-numbers",
              "tiny-heartbeat",
              "drop-mid-handshake",
              "foreign-reconnect-url",
              "duplicate-sequence",
              "out-of-order-sequence",
              "invalid-utf8",
              "endless-line",
              "wrong-types",
              "quick-close",
            ],
          },
          { name: "off", kind: "flag" },
          { name: "clear", kind: "flag" },
        ],
      },
      {
        title: "Make Helix and OAuth hostile (chaos)",
        path: "/_sandbox/chaos/helix",
        fields: [
          {
            name: "chaos",
            kind: "select",
            options: [
              "",
              "huge-numbers",
              "negative-numbers",
              "wrong-type-fields",
              "truncated-body",
              "oversized-body",
              "invalid-utf8-body",
              "slow-body",
            ],
          },
          { name: "off", kind: "flag" },
          { name: "clear", kind: "flag" },
        ],
      },
    ],
  },
  {
    group: "Discord",
    actions: [
      {
        title: "Post a message as a member",
        path: "/_sandbox/discord/message",
        fields: [
          { name: "channel", required: true, list: "discord-channels", placeholder: "id or name" },
          { name: "text", required: true, placeholder: "!ping" },
          { name: "as", list: "discord-users", placeholder: "default: first member" },
        ],
      },
      {
        title: "Run a slash command",
        path: "/_sandbox/discord/command",
        fields: [
          { name: "name", required: true, list: "discord-commands", placeholder: "roll (or \"name sub\")" },
          { name: "options", kind: "pairs", placeholder: "sides=6" },
          { name: "guild", list: "discord-guilds" },
          { name: "channel", list: "discord-channels" },
          { name: "as", list: "discord-users" },
        ],
      },
      {
        title: "Click a button",
        path: "/_sandbox/discord/button",
        fields: [
          { name: "custom_id", required: true },
          { name: "channel", list: "discord-channels" },
          { name: "as", list: "discord-users" },
        ],
      },
      {
        title: "Submit a modal",
        path: "/_sandbox/discord/modal",
        fields: [
          { name: "custom_id", required: true },
          { name: "fields", kind: "pairs", placeholder: "answer=yes" },
          { name: "channel", list: "discord-channels" },
          { name: "as", list: "discord-users" },
        ],
      },
      {
        title: "Send a raw dispatch",
        path: "/_sandbox/discord/dispatch",
        fields: [
          { name: "event", required: true, placeholder: "TYPING_START" },
          { name: "data", kind: "json", placeholder: "{}" },
          { name: "shard", kind: "number", placeholder: "every shard" },
        ],
      },
      {
        title: "Ask shards to reconnect (op 7)",
        path: "/_sandbox/discord/reconnect",
        fields: [{ name: "shard", kind: "number", placeholder: "every shard" }],
      },
      {
        title: "Invalidate sessions (op 9)",
        path: "/_sandbox/discord/invalidate",
        fields: [
          { name: "shard", kind: "number", placeholder: "every shard" },
          { name: "resumable", kind: "flag" },
        ],
      },
      {
        title: "Disconnect shards",
        path: "/_sandbox/discord/disconnect",
        fields: [
          { name: "shard", kind: "number", placeholder: "every shard" },
          { name: "resumable", kind: "flag" },
        ],
      },
      {
        title: "Make the gateway hostile (chaos)",
        path: "/_sandbox/chaos/discord",
        fields: [
          {
            name: "chaos",
            kind: "select",
            options: [
              "",
              "huge-numbers",
              "negative-numbers",
              "tiny-heartbeat",
              "never-ack",
              "drop-mid-handshake",
              "foreign-reconnect-url",
              "duplicate-sequence",
              "out-of-order-sequence",
              "invalid-utf8",
              "truncated-frames",
              "wrong-types",
              "decompression-bomb",
              "oversized-frames",
              "slow-loris",
            ],
          },
          { name: "off", kind: "flag" },
          { name: "clear", kind: "flag" },
        ],
      },
    ],
  },
  {
    group: "Clash of Clans",
    actions: [
      { title: "Start maintenance", path: "/_sandbox/clash/maintenance/start", fields: [] },
      { title: "End maintenance", path: "/_sandbox/clash/maintenance/end", fields: [] },
      {
        title: "Start a war",
        path: "/_sandbox/clash/war/start",
        fields: [{ name: "clan", list: "clash-clans", placeholder: "default: first clan" }],
      },
      {
        title: "Set the war's state",
        path: "/_sandbox/clash/war/state",
        fields: [
          { name: "state", kind: "select", required: true, options: ["preparation", "inWar", "warEnded", "notInWar"] },
          { name: "clan", list: "clash-clans", placeholder: "default: first clan" },
        ],
      },
      {
        title: "War attack",
        path: "/_sandbox/clash/war/attack",
        fields: [
          { name: "clan", list: "clash-clans", placeholder: "default: first clan" },
          { name: "stars", kind: "number", placeholder: "0-3" },
        ],
      },
      {
        title: "War defense",
        path: "/_sandbox/clash/war/defense",
        fields: [
          { name: "clan", list: "clash-clans", placeholder: "default: first clan" },
          { name: "stars", kind: "number", placeholder: "0-3" },
        ],
      },
      {
        title: "Next league round",
        path: "/_sandbox/clash/league/round",
        fields: [{ name: "clan", list: "clash-clans", placeholder: "default: first clan" }],
      },
      {
        title: "A member joins",
        path: "/_sandbox/clash/member/join",
        fields: [
          { name: "name", required: true },
          { name: "clan", list: "clash-clans", placeholder: "default: first clan" },
        ],
      },
      {
        title: "A member leaves",
        path: "/_sandbox/clash/member/leave",
        fields: [
          { name: "member", required: true, list: "clash-players", placeholder: "player tag" },
          { name: "clan", list: "clash-clans", placeholder: "default: first clan" },
        ],
      },
      {
        title: "Donate troops",
        path: "/_sandbox/clash/donate",
        fields: [
          { name: "from", required: true, list: "clash-players" },
          { name: "to", required: true, list: "clash-players" },
          { name: "troops", kind: "number" },
          { name: "clan", list: "clash-clans", placeholder: "default: first clan" },
        ],
      },
      {
        title: "Set a player's trophies",
        path: "/_sandbox/clash/trophies",
        fields: [
          { name: "player", required: true, list: "clash-players" },
          { name: "trophies", kind: "number", required: true },
        ],
      },
      {
        title: "Upgrade a unit",
        path: "/_sandbox/clash/upgrade",
        fields: [
          { name: "player", required: true, list: "clash-players" },
          { name: "unit", required: true, placeholder: "Barbarian" },
        ],
      },
      {
        title: "Make the API hostile (chaos)",
        path: "/_sandbox/chaos/clash",
        fields: [
          {
            name: "chaos",
            kind: "select",
            options: [
              "",
              "huge-numbers",
              "negative-numbers",
              "wrong-type-fields",
              "truncated-body",
              "oversized-body",
              "invalid-utf8-body",
              "slow-body",
            ],
          },
          { name: "off", kind: "flag" },
          { name: "clear", kind: "flag" },
        ],
      },
    ],
  },
  {
    group: "singyeong",
    actions: [
      {
        title: "Send to clients",
        path: "/_sandbox/singyeong/send",
        fields: [
          { name: "application", list: "singyeong-apps" },
          { name: "client", list: "singyeong-clients", placeholder: "one client (optional)" },
          { name: "target", kind: "json", placeholder: "a routing query (instead of application)" },
          { name: "payload", kind: "json", required: true, placeholder: "{\"hello\": 1}" },
          { name: "broadcast", kind: "flag" },
        ],
      },
      {
        title: "GOODBYE",
        path: "/_sandbox/singyeong/goodbye",
        fields: [
          { name: "application", list: "singyeong-apps" },
          { name: "client", list: "singyeong-clients" },
          { name: "reason" },
        ],
      },
      { title: "Drop every client", path: "/_sandbox/disconnect/singyeong", fields: [] },
      {
        title: "Make the mesh hostile (chaos)",
        path: "/_sandbox/chaos/singyeong",
        fields: [
          {
            name: "chaos",
            kind: "select",
            options: [
              "",
              "huge-numbers",
              "negative-numbers",
              "tiny-heartbeat",
              "never-ack",
              "drop-mid-handshake",
              "wrong-type-fields",
              "truncated-body",
              "oversized-body",
              "invalid-utf8-body",
              "slow-body",
            ],
          },
          { name: "off", kind: "flag" },
          { name: "clear", kind: "flag" },
        ],
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------
// DOM helpers.

const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes and children (strings become text nodes). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A table with a header row and one row per item. */
function table(headers, rows, className) {
  return el(
    "table",
    { class: className },
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { text: h })))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => (c instanceof Node && c.tagName === "TD" ? c : el("td", {}, c)))))),
  );
}

/** `name value` pairs in a row. */
function facts(pairs) {
  return el("div", { class: "facts" }, pairs.map(([name, value]) => el("span", {}, `${name} `, el("b", { text: String(value) }))));
}

const empty = (text) => el("p", { class: "empty", text });

/** A compact one-line view of a JSON value. */
function compact(value) {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  return Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)
    .join(" ");
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  return response.json();
}

// ---------------------------------------------------------------------------------------
// Suggestions: datalists from the world and the state.

function fillList(id, options) {
  let list = document.getElementById(id);
  if (!list) {
    list = el("datalist", { id });
    document.body.append(list);
  }
  const next = options.map(([value, label]) => el("option", { value, label: label || undefined }));
  const key = JSON.stringify(options);
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren(...next);
}

function suggestWorld(world) {
  const twitch = world.twitch || {};
  fillList("twitch-users", (twitch.users || []).map((u) => [u.login, `${u.display_name} (${u.id})`]));
  fillList("twitch-channels", (twitch.channels || []).map((c) => [`#${c.broadcaster}`, c.title]));
  fillList("eventsub-types", ((world.eventsub || {}).types || []).map((t) => [t.type, `versions ${t.versions.join(", ")}`]));
  const discord = world.discord || {};
  const channels = [];
  for (const guild of discord.guilds || []) {
    for (const channel of guild.channels || []) channels.push([channel.id, `#${channel.name} (${guild.name}, ${channel.kind})`]);
  }
  fillList("discord-channels", channels);
  fillList("discord-guilds", (discord.guilds || []).map((g) => [g.id, g.name]));
  fillList("discord-users", (discord.users || []).map((u) => [u.id, u.username]));
  const clans = (world.clash || {}).clans || [];
  fillList("clash-clans", clans.map((c) => [c.tag, c.name]));
  fillList("clash-players", clans.flatMap((c) => c.members.map((p) => [p.tag, `${p.name} (${c.name})`])));
}

function suggestState(state) {
  fillList("eventsub-sessions", (state.eventsub.sessions || []).map((s) => [s, ""]));
  fillList("discord-commands", (state.discord.commands || []).map((c) => [c.name, c.guild_id ? `guild ${c.guild_id}` : "global"]));
  const mesh = state.singyeong.clients || [];
  fillList("singyeong-apps", [...new Set(mesh.map((c) => c.application))].map((a) => [a, ""]));
  fillList("singyeong-clients", mesh.map((c) => [c.client_id, c.application]));
}

// ---------------------------------------------------------------------------------------
// Connected clients and rate limits, from /_sandbox/state.

function renderDiscord(discord) {
  const sessions = discord.sessions || [];
  const body = [
    facts([
      ["connections", discord.connections],
      ["identifies", discord.identifies],
      ["resumes", discord.resumes],
    ]),
  ];
  body.push(
    sessions.length
      ? table(
          ["shard", "session", "seq", "connected"],
          sessions.map((s) => [String(s.shard), el("span", { class: "mono", text: s.session_id }), String(s.seq), s.connected ? "yes" : "no (resumable)"]),
          "sessions",
        )
      : empty("No gateway session."),
  );
  const commands = discord.commands || [];
  if (commands.length) {
    body.push(el("p", {}, "commands: ", commands.map((c) => `/${c.name}${c.guild_id ? ` (guild ${c.guild_id})` : ""}`).join(", ")));
  }
  return { count: sessions.filter((s) => s.connected).length, body };
}

function renderTwitch(twitch) {
  const chat = twitch.chat || [];
  const body = [
    chat.length
      ? table(
          ["login", "channels"],
          chat.map((c) => [c.anonymous ? `${c.login} (anonymous)` : c.login, (c.channels || []).map((ch) => `#${ch}`).join(" ") || "(none joined)"]),
          "chat",
        )
      : empty("No chat connection."),
    facts([
      ["Helix calls", twitch.helix.served],
      ["throttled", twitch.helix.throttled],
    ]),
  ];
  return { count: chat.length, body };
}

function transport(t) {
  if (!t) return "";
  if (t.method === "websocket") return `websocket ${t.session_id || ""}`;
  if (t.method === "conduit") return `conduit ${t.conduit_id || ""}`;
  if (t.method === "webhook") return `webhook ${t.callback || ""}`;
  return compact(t);
}

function renderEventSub(eventsub) {
  const sessions = eventsub.sessions || [];
  const subscriptions = eventsub.subscriptions || [];
  const conduits = eventsub.conduits || [];
  const body = [facts([["notifications delivered", eventsub.delivered]])];
  body.push(
    sessions.length
      ? el("ul", { class: "sessions mono" }, sessions.map((s) => el("li", { text: s })))
      : empty("No WebSocket session."),
  );
  if (subscriptions.length) {
    body.push(
      table(
        ["type", "status", "condition", "transport"],
        subscriptions.map((s) => [`${s.type} v${s.version}`, s.status, compact(s.condition), transport(s.transport)]),
        "subscriptions",
      ),
    );
  } else {
    body.push(empty("No subscription."));
  }
  for (const conduit of conduits) {
    body.push(
      el("h4", { text: `conduit ${conduit.id} (${conduit.shard_count} shards)` }),
      table(
        ["shard", "session", "status"],
        (conduit.shards || []).map((s) => [String(s.id), s.session_id || "", s.status]),
        "conduit",
      ),
    );
  }
  return { count: sessions.length, body };
}

function renderClash(clash) {
  return {
    body: [
      facts([
        ["maintenance", clash.maintenance ? "ON" : "off"],
        ["API keys", clash.keys],
        ["throttled", clash.throttled],
      ]),
    ],
  };
}

function renderSingyeong(singyeong) {
  const clients = singyeong.clients || [];
  return {
    count: clients.length,
    body: [
      clients.length
        ? table(
            ["application", "client", "restricted", "metadata"],
            clients.map((c) => [c.application, c.client_id, c.restricted ? "yes" : "no", el("span", { class: "mono", text: compact(c.metadata) })]),
            "clients",
          )
        : empty("No client."),
    ],
  };
}

function renderLimits(state) {
  const body = [];
  const buckets = state.discord.rate_limit_buckets || [];
  body.push(el("h3", { text: "Discord REST buckets" }));
  body.push(
    buckets.length
      ? table(
          ["bucket", "used / limit", "resets in"],
          buckets.map((b) => [el("span", { class: "mono", text: b.bucket }), `${b.used} / ${b.limit}`, `${Number(b.reset_after).toFixed(1)} s`]),
          "buckets",
        )
      : empty("No open window."),
  );
  body.push(facts([["429s answered", state.discord.rate_limited]]));
  const budgets = state.twitch.helix.rate_limit_budgets || [];
  body.push(el("h3", { text: "Twitch Helix budgets" }));
  body.push(
    budgets.length
      ? table(
          ["client id", "used / limit", "resets in"],
          budgets.map((b) => [el("span", { class: "mono", text: b.client_id }), `${b.used} / ${b.limit}`, `${Number(b.reset_after).toFixed(1)} s`]),
          "budgets",
        )
      : empty("No open window."),
  );
  body.push(facts([["429s answered", state.twitch.helix.throttled]]));
  body.push(el("h3", { text: "Clash of Clans" }), facts([["429s answered", state.clash.throttled]]));
  return body;
}

let lastState = "";

function renderState(state) {
  const text = JSON.stringify(state);
  if (text === lastState) return;
  lastState = text;
  const parts = {
    discord: renderDiscord(state.discord),
    twitch: renderTwitch(state.twitch),
    eventsub: renderEventSub(state.eventsub),
    clash: renderClash(state.clash),
    singyeong: renderSingyeong(state.singyeong),
  };
  for (const [platform, part] of Object.entries(parts)) {
    $(`#clients-${platform} .body`).replaceChildren(...part.body);
    const count = document.getElementById(`count-${platform}`);
    if (count && part.count !== undefined) count.textContent = String(part.count);
  }
  $("#limits .body").replaceChildren(...renderLimits(state));
  suggestState(state);
}

function setStatus(id, state, text) {
  const node = document.getElementById(id);
  node.dataset.state = state;
  node.textContent = text;
}

let stateTimer = null;
let stateBusy = false;

async function refreshState() {
  if (stateBusy) return;
  stateBusy = true;
  try {
    const state = await getJson("/_sandbox/state");
    renderState(state);
    setStatus("state-status", "open", "state: live");
  } catch (error) {
    setStatus("state-status", "closed", "state: unreachable");
  } finally {
    stateBusy = false;
  }
}

/** Refreshes the state soon (traffic usually means a client connected or changed). */
function refreshSoon() {
  if (stateTimer !== null) return;
  stateTimer = setTimeout(() => {
    stateTimer = null;
    refreshState();
  }, 200);
}

// ---------------------------------------------------------------------------------------
// Forms.

function fieldInput(field) {
  const attributes = { name: field.name, required: field.required || undefined, placeholder: field.placeholder };
  switch (field.kind) {
    case "flag":
      return el("label", { class: "flag" }, el("input", { type: "checkbox", name: field.name }), field.name);
    case "select":
      return el(
        "label",
        {},
        field.name,
        el("select", attributes, field.options.map((o) => el("option", { value: o, text: o || "(default)" }))),
      );
    case "pairs":
    case "json":
      return el("label", {}, field.name + (field.required ? " *" : ""), el("textarea", attributes));
    case "number":
      return el("label", {}, field.name + (field.required ? " *" : ""), el("input", { ...attributes, type: "number", min: "0", step: "1" }));
    default:
      return el("label", {}, field.name + (field.required ? " *" : ""), el("input", { ...attributes, type: "text", list: field.list, autocomplete: "off" }));
  }
}

/** The JSON body of a form: empty fields left out. Throws on a field that does not parse. */
function formBody(form, fields) {
  const body = {};
  for (const field of fields) {
    const input = form.elements.namedItem(field.name);
    if (field.kind === "flag") {
      if (input.checked) body[field.name] = true;
      continue;
    }
    const raw = input.value.trim();
    if (raw === "") continue;
    if (field.kind === "number") {
      body[field.name] = Number(raw);
    } else if (field.kind === "json") {
      try {
        body[field.name] = JSON.parse(raw);
      } catch (error) {
        throw new Error(`${field.name} is not JSON: ${error.message}`);
      }
    } else if (field.kind === "pairs") {
      const pairs = {};
      for (const line of raw.split(/[\n,]/)) {
        const text = line.trim();
        if (!text) continue;
        const at = text.indexOf("=");
        if (at < 1) throw new Error(`${field.name}: "${text}" is not name=value`);
        pairs[text.slice(0, at).trim()] = text.slice(at + 1).trim();
      }
      body[field.name] = pairs;
    } else {
      body[field.name] = raw;
    }
  }
  return body;
}

/** What the control API answered, in words. */
function describeAnswer(status, answer) {
  if (!answer || answer.ok !== true) {
    return { ok: false, text: `${status}: ${(answer && answer.error) || "the control API refused the call"}` };
  }
  const extra = Object.entries(answer)
    .filter(([key]) => key !== "ok" && key !== "delivered")
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`);
  const delivered = answer.delivered !== undefined ? `delivered to ${answer.delivered}` : "done";
  return { ok: true, text: [delivered, ...extra].join(", ") };
}

async function submit(form, action, output) {
  let body;
  try {
    body = formBody(form, action.fields);
  } catch (error) {
    output.className = "error";
    output.textContent = error.message;
    return;
  }
  output.className = "";
  output.textContent = "sending…";
  try {
    const response = await fetch(action.path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => null);
    const { ok, text } = describeAnswer(response.status, answer);
    output.className = ok ? "ok" : "error";
    output.textContent = text;
  } catch (error) {
    output.className = "error";
    output.textContent = `the sandbox is unreachable: ${error.message}`;
  }
  refreshSoon();
}

function buildForms() {
  const root = document.getElementById("forms");
  for (const group of ACTIONS) {
    const details = el("details", { class: "group", open: group.open || undefined }, el("summary", { text: group.group }));
    for (const action of group.actions) {
      const output = el("output", { "aria-live": "polite" });
      const form = el(
        "form",
        { class: "action", "data-path": action.path },
        el("h4", {}, action.title, " ", el("code", { text: action.path.replace("/_sandbox/", "") })),
        el("div", { class: "fields" }, action.fields.map(fieldInput), el("button", { type: "submit", text: "send" })),
        output,
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        submit(form, action, output);
      });
      details.append(form);
    }
    root.append(details);
  }
}

// ---------------------------------------------------------------------------------------
// The traffic log, from the feed WebSocket.

const KEEP = 2000;
let records = [];
let paused = false;

function matches(record) {
  const platform = $("#traffic-platform").value;
  const kind = $("#traffic-kind").value;
  const needle = $("#traffic-filter").value.trim().toLowerCase();
  if (record.missed !== undefined) return true;
  if (platform && record.platform !== platform) return false;
  if (kind && record.kind !== kind) return false;
  if (!needle) return true;
  return [record.path, record.method, String(record.status), record.frame || "", record.platform]
    .join(" ")
    .toLowerCase()
    .includes(needle);
}

function shortHeader(name) {
  return name.replace(/^x-ratelimit-/, "").replace(/^ratelimit-/, "");
}

function row(record) {
  if (record.missed !== undefined) {
    return el("tr", { class: "missed" }, el("td", { colspan: "7", text: `… the console fell behind and missed ${record.missed} records` }));
  }
  const time = new Date(record.at_ms).toISOString().slice(11, 23);
  const isFrame = record.kind === "frame";
  const frame = el("div", { class: "frame mono", text: record.frame || "" });
  frame.addEventListener("click", () => frame.classList.toggle("open"));
  const statusClass = isFrame ? "" : `status-${String(record.status)[0]}`;
  return el(
    "tr",
    { class: isFrame ? `frame ${record.direction}` : "http", "data-seq": String(record.seq) },
    el("td", { class: "mono", text: time }),
    el("td", { text: record.platform }),
    el("td", { text: isFrame ? (record.direction === "in" ? "in ←" : "out →") : record.method }),
    el("td", { class: "mono", text: record.path }),
    el("td", { class: statusClass, text: isFrame ? "" : String(record.status) }),
    el("td", { class: "mono", text: (record.headers || []).map(([k, v]) => `${shortHeader(k)}: ${v}`).join("\n") }),
    el("td", {}, frame),
  );
}

function renderTraffic() {
  const shown = records.filter(matches).slice(-500).reverse();
  $("#traffic-log tbody").replaceChildren(...shown.map(row));
  countTraffic();
}

function countTraffic() {
  const rows = $("#traffic-log tbody").children.length;
  $("#traffic-count").textContent = `${records.length} records, ${rows} shown${paused ? " (paused)" : ""}`;
}

function addRecord(record) {
  records.push(record);
  if (records.length > KEEP) records = records.slice(-KEEP);
  if (paused || !matches(record)) return;
  const body = $("#traffic-log tbody");
  body.prepend(row(record));
  while (body.children.length > 500) body.lastElementChild.remove();
  countTraffic();
}

let feedDelay = 500;

function connectFeed() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(`${scheme}//${location.host}/_sandbox/feed`);
  setStatus("feed-status", "connecting", "feed: connecting");
  socket.addEventListener("open", () => {
    feedDelay = 500;
    // The feed starts with the recent records again.
    records = [];
    $("#traffic-log tbody").replaceChildren();
    setStatus("feed-status", "open", "feed: live");
    refreshState();
    loadCredentials();
  });
  socket.addEventListener("message", (event) => {
    let record;
    try {
      record = JSON.parse(event.data);
    } catch {
      return;
    }
    addRecord(record);
    refreshSoon();
  });
  socket.addEventListener("close", () => {
    setStatus("feed-status", "closed", `feed: closed, retrying in ${(feedDelay / 1000).toFixed(1)} s`);
    setTimeout(connectFeed, feedDelay);
    feedDelay = Math.min(feedDelay * 2, 8000);
  });
}

// ---------------------------------------------------------------------------------------
// Credentials.

const SECRET_KEYS = new Set(["token", "refresh_token", "client_secret", "password", "dsn"]);
let credentials = null;

function masked(value, show) {
  if (show || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => masked(v, show));
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key) && typeof v === "string" ? "•••••• (show secrets)" : masked(v, show);
  }
  return out;
}

function renderCredentials() {
  const show = $("#show-secrets").checked;
  $("#credentials-text").textContent = credentials ? JSON.stringify(masked(credentials, show), null, 2) : "loading…";
}

async function loadCredentials() {
  try {
    const answer = await getJson("/_sandbox/credentials");
    if (answer.ok) {
      delete answer.ok;
      credentials = answer;
      renderCredentials();
    }
  } catch {
    // The feed's reconnect loads them again.
  }
}

// ---------------------------------------------------------------------------------------

function start() {
  buildForms();
  for (const id of ["#traffic-platform", "#traffic-kind", "#traffic-filter"]) {
    $(id).addEventListener("input", renderTraffic);
  }
  $("#traffic-pause").addEventListener("change", (event) => {
    paused = event.target.checked;
    renderTraffic();
  });
  $("#traffic-clear").addEventListener("click", () => {
    records = [];
    renderTraffic();
  });
  $("#show-secrets").addEventListener("change", renderCredentials);
  getJson("/_sandbox/world")
    .then(suggestWorld)
    .catch(() => {});
  refreshState();
  setInterval(refreshState, 2000);
  connectFeed();
}

start();

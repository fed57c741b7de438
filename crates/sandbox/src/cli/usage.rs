//! Usage texts: one for the whole program, one per command family.

/// `sandbox --help`.
pub(super) const MAIN: &str = "\
usage: sandbox [--config FILE] [--state FILE] [--json] [--host ADDR] [--port FIRST_PORT]
       sandbox COMMAND [--control URL] ...

Without a command, serves every platform (Discord, Twitch chat/Helix/OAuth/EventSub,
Clash of Clans, singyeong) with the world from --config (default: `sandbox world`),
prints base URLs and credentials (--json: the first line is one JSON object), and runs
until Ctrl-C. Ports are consecutive from FIRST_PORT (default 7357, the control API;
0 picks free ports). --state FILE keeps the world and what clients changed.

Commands talk to a running sandbox's control API: --control URL, else $SANDBOX_CONTROL,
else http://127.0.0.1:7357.
  trigger     deliver an EventSub notification        (sandbox trigger --help)
  say         a chat line from a Twitch user          (sandbox say --help)
  twitch      follow, subscribe, cheer, raid, stream  (sandbox twitch --help)
  discord     messages, slash commands, buttons, modals, gateway faults
  clash       maintenance, wars, members, donations
  singyeong   clients, send, goodbye
  chaos       make a platform's server hostile        (sandbox chaos --help)
  disconnect  drop a platform's connections
  state       who is connected, subscriptions, rate-limit buckets
  credentials the base URLs and credentials again
  world       print the built-in world (a --config to start from)";

/// `sandbox trigger --help`.
pub(super) const TRIGGER: &str = "\
usage: sandbox trigger [--control URL] eventsub TYPE [--version V] [--broadcaster ID|LOGIN]
                       [--user ID|LOGIN] [--event JSON]
       sandbox trigger [--control URL] twitch TYPE ...     (the same)

Delivers a notification of subscription type TYPE (channel.follow, stream.online, …; every
current type and version) to every matching subscription, made to fit each one, and exits
0 once delivered; non-zero with a message when no subscription matches.";

/// `sandbox say --help`.
pub(super) const SAY: &str = "\
usage: sandbox say [--control URL] twitch CHANNEL USER TEXT

A chat line from USER (a login) in CHANNEL (#optional) to every chat connection in it.";

/// `sandbox twitch --help`.
pub(super) const TWITCH: &str = "\
usage: sandbox twitch [--control URL] follow|subscribe|cheer|raid [--broadcaster X] [--user U]
                      [--tier 1000|2000|3000] [--bits N] [--text TEXT] [--viewers N]
       sandbox twitch [--control URL] online|offline [--broadcaster X]
       sandbox twitch [--control URL] reconnect

The EventSub notification and the chat line Twitch sends for each (a sub and a raid are
USERNOTICEs, a cheer a PRIVMSG with bits). The broadcaster defaults to the world's first
channel, the user to the viewer. online/offline also change Helix's GET /streams.";

/// `sandbox discord --help`.
pub(super) const DISCORD: &str = "\
usage: sandbox discord [--control URL] message CHANNEL TEXT [--as USER]
       sandbox discord [--control URL] command NAME [--option k=v]... [--guild G] [--channel C] [--as USER]
       sandbox discord [--control URL] button CUSTOM_ID [--channel C] [--as USER]
       sandbox discord [--control URL] modal CUSTOM_ID [--field k=v]... [--channel C] [--as USER]
       sandbox discord [--control URL] reconnect [--shard N]
       sandbox discord [--control URL] invalidate [--shard N] [--resumable]

Channels and users by id or name. A command must be registered by the bot; NAME may be
\"name sub\" for a subcommand; options are read by their declared types.";

/// `sandbox clash --help`.
pub(super) const CLASH: &str = "\
usage: sandbox clash [--control URL] maintenance start|end
       sandbox clash [--control URL] war start|attack|defense [--clan TAG] [--stars N]
       sandbox clash [--control URL] war state preparation|inWar|warEnded|notInWar [--clan TAG]
       sandbox clash [--control URL] league round [--clan TAG]
       sandbox clash [--control URL] member join NAME [--clan TAG]
       sandbox clash [--control URL] member leave TAG [--clan TAG]
       sandbox clash [--control URL] donate FROM TO [--troops N] [--clan TAG]
       sandbox clash [--control URL] trophies PLAYER N
       sandbox clash [--control URL] upgrade PLAYER UNIT

The clan defaults to the world's first.";

/// `sandbox singyeong --help`.
pub(super) const SINGYEONG: &str = "\
usage: sandbox singyeong [--control URL] clients
       sandbox singyeong [--control URL] send APPLICATION PAYLOAD_JSON [--client ID] [--broadcast]
       sandbox singyeong [--control URL] goodbye [APPLICATION] [--client ID]";

/// `sandbox chaos --help`.
pub(super) const CHAOS: &str = "\
usage: sandbox chaos [--control URL] PLATFORM BEHAVIOUR [--off]
       sandbox chaos [--control URL] PLATFORM clear
       sandbox chaos [--control URL] PLATFORM

Switches a hostile behaviour of the platform's server on (or --off), every behaviour off
(clear), or lists those on. PLATFORM is discord, eventsub, twitch (chat), clash, helix
(Helix and OAuth) or singyeong.
  discord: huge-numbers, negative-numbers, tiny-heartbeat, never-ack, drop-mid-handshake,
           foreign-reconnect-url, duplicate-sequence, out-of-order-sequence, invalid-utf8,
           truncated-frames, wrong-types, decompression-bomb (once), oversized-frames
           (once), slow-loris
  eventsub: huge-numbers, negative-numbers, tiny-heartbeat (the welcome's keepalive),
           drop-mid-handshake (no welcome), foreign-reconnect-url, duplicate-sequence,
           out-of-order-sequence, invalid-utf8, endless-line, wrong-types, quick-close
  twitch:  drop-mid-handshake (after PASS/NICK), invalid-utf8, endless-line, wrong-types,
           slow-loris (TCP)
  clash, helix (every HTTP answer): huge-numbers, negative-numbers (JSON numbers,
           Ratelimit-* headers, Cache-Control max-age), wrong-type-fields, truncated-body,
           oversized-body, invalid-utf8-body, slow-body
  singyeong: the HTTP ones on its REST API, and on the gateway huge-numbers,
           negative-numbers, tiny-heartbeat (HELLO), never-ack, drop-mid-handshake";

/// `sandbox disconnect --help`.
pub(super) const DISCONNECT: &str = "\
usage: sandbox disconnect [--control URL] discord [--shard N] [--resumable]
       sandbox disconnect [--control URL] twitch|singyeong
       sandbox disconnect [--control URL] eventsub [--session ID]

Discord: resumable closes with 4000 (the client resumes), otherwise the session is
forgotten and closed with 4009 (the client identifies anew).";

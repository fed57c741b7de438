//! The cache: what each event leaves in it, every lookup, the resource switches, and that
//! forgetting a guild removes exactly what it owned.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use svc_gateway::cache::{Cache, CacheConfig, ResourceType};
use svc_gateway::event::Event;
use svc_gateway::model::{Id, Status};

#[allow(clippy::needless_pass_by_value)] // called with `json!` values built inline
fn event(t: &str, d: Value) -> Event {
    let payload = json!({"t": t, "s": 1, "op": 0, "d": d});
    Event::from_slice(&mut serde_json::to_vec(&payload).unwrap()).unwrap()
}

fn user(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name.to_uppercase(), "avatar": "1269e74af4df7417b13759eae50c83dc"})
}

/// Guild `g` with channels `g*100+1` (text) and `g*100+2` (voice), roles `g` (@everyone)
/// and `g*100+5`, members 1 and 2 (2 in voice), a presence for 1.
fn guild_create(g: u64) -> Value {
    json!({
        "id": g.to_string(), "name": format!("guild {g}"), "icon": null, "owner_id": "1",
        "features": ["COMMUNITY"], "verification_level": 1, "preferred_locale": "en-US",
        "emojis": [{"id": "77", "name": "blob", "animated": false}],
        "roles": [
            {"id": (g * 100 + 5).to_string(), "name": "mods", "color": 1, "position": 1, "permissions": "8"},
            {"id": g.to_string(), "name": "@everyone", "color": 0, "position": 0, "permissions": "0"},
        ],
        "channels": [
            {"id": (g * 100 + 1).to_string(), "type": 0, "name": "general"},
            {"id": (g * 100 + 2).to_string(), "type": 2, "name": "voice"},
        ],
        "threads": [],
        "members": [
            {"user": user(1, "ana"), "nick": "a", "roles": [(g * 100 + 5).to_string()], "joined_at": "2024-03-01T12:00:00+00:00", "deaf": false, "mute": false},
            {"user": user(2, "bo"), "roles": [], "joined_at": "2024-03-02T12:00:00+00:00", "deaf": false, "mute": false},
        ],
        "presences": [{"user": {"id": "1"}, "status": "online", "activities": [{"name": "a game", "type": 0}]}],
        "voice_states": [{"user_id": "2", "channel_id": (g * 100 + 2).to_string(), "session_id": "s", "deaf": false, "mute": false, "self_deaf": false, "self_mute": true, "self_video": false, "suppress": false}],
        "member_count": 2, "large": false, "unavailable": false, "joined_at": "2024-03-01T12:00:00+00:00",
    })
}

fn message(id: u64, channel: u64, content: &str) -> Value {
    json!({"id": id.to_string(), "channel_id": channel.to_string(), "guild_id": "9", "author": user(3, "cy"), "content": content, "timestamp": "2024-03-01T12:00:00+00:00"})
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items
}

#[test]
fn a_guild_create_answers_every_lookup() {
    let cache = Cache::new(CacheConfig::default());
    cache.update(&event("GUILD_CREATE", guild_create(9)));

    let guild = cache.guild(Id::new(9)).expect("guild");
    assert_eq!(guild.name, "guild 9");
    assert_eq!(guild.features, ["COMMUNITY"]);
    assert_eq!(guild.emojis[0].name.as_deref(), Some("blob"));
    // Roles come back with the guild, in Discord's order (position).
    let names: Vec<&str> = guild.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["@everyone", "mods"]);
    assert_eq!(cache.guild_ids(), [Id::new(9)]);
    assert_eq!(cache.guild_roles(Id::new(9)), guild.roles);
    assert_eq!(cache.role(Id::new(905)).unwrap().name, "mods");

    let general = cache.channel(Id::new(901)).expect("channel");
    assert_eq!(
        general.guild_id,
        Some(Id::new(9)),
        "filled in from the guild"
    );
    assert_eq!(
        sorted(cache.guild_channels(Id::new(9))),
        [Id::new(901), Id::new(902)]
    );

    let ana = cache.member(Id::new(9), Id::new(1)).expect("member");
    assert_eq!(ana.nick.as_deref(), Some("a"));
    assert_eq!(ana.roles, [Id::new(905)]);
    assert_eq!(ana.user.as_ref().unwrap().username, "ana");
    assert_eq!(cache.user(Id::new(1)), ana.user);
    assert_eq!(
        sorted(cache.guild_members(Id::new(9))),
        [Id::new(1), Id::new(2)]
    );
    assert_eq!(cache.user_guilds(Id::new(2)), [Id::new(9)]);

    let presence = cache.presence(Id::new(9), Id::new(1)).expect("presence");
    assert_eq!(
        (presence.status, presence.guild_id),
        (Status::Online, Some(Id::new(9)))
    );
    assert_eq!(presence.activities[0].name, "a game");
    assert_eq!(cache.guild_presences(Id::new(9)), [Id::new(1)]);

    let voice = cache
        .voice_state(Id::new(9), Id::new(2))
        .expect("voice state");
    assert!(voice.self_mute);
    assert_eq!(voice.channel_id, Some(Id::new(902)));
    assert_eq!(
        voice
            .member
            .and_then(|m| m.user)
            .map(|u| u.username)
            .as_deref(),
        Some("bo")
    );
    assert_eq!(cache.guild_voice_states(Id::new(9)), [Id::new(2)]);
    assert_eq!(cache.voice_channel_states(Id::new(902)).len(), 1);

    let stats = cache.stats();
    assert_eq!(
        (
            stats.guilds,
            stats.channels,
            stats.roles,
            stats.members,
            stats.users,
            stats.presences,
            stats.voice_states
        ),
        (1, 2, 2, 2, 2, 1, 1)
    );
    assert!(stats.approx_bytes > 0);
}

#[test]
fn deleting_a_guild_forgets_exactly_what_it_owned() {
    let cache = Cache::new(CacheConfig::default());
    cache.update(&event("GUILD_CREATE", guild_create(9)));
    cache.update(&event("GUILD_CREATE", guild_create(8)));
    cache.update(&event("MESSAGE_CREATE", message(50, 901, "hi")));
    cache.update(&event("MESSAGE_CREATE", message(51, 801, "hi")));

    // An outage keeps everything.
    cache.update(&event(
        "GUILD_DELETE",
        json!({"id": "9", "unavailable": true}),
    ));
    assert!(cache.guild(Id::new(9)).is_some());

    cache.update(&event("GUILD_DELETE", json!({"id": "9"})));
    assert!(cache.guild(Id::new(9)).is_none());
    assert!(cache.channel(Id::new(901)).is_none() && cache.channel(Id::new(902)).is_none());
    assert!(cache.role(Id::new(905)).is_none() && cache.role(Id::new(9)).is_none());
    assert!(cache.member(Id::new(9), Id::new(1)).is_none());
    assert!(cache.presence(Id::new(9), Id::new(1)).is_none());
    assert!(cache.voice_state(Id::new(9), Id::new(2)).is_none());
    assert!(cache.messages(Id::new(901)).is_empty());
    assert!(cache.guild_channels(Id::new(9)).is_empty());

    // The other guild is untouched, and users (who may be elsewhere) stay.
    assert_eq!(cache.guild_ids(), [Id::new(8)]);
    assert!(cache.channel(Id::new(801)).is_some() && cache.role(Id::new(805)).is_some());
    assert!(cache.member(Id::new(8), Id::new(1)).is_some());
    assert_eq!(cache.messages(Id::new(801)).len(), 1);
    assert_eq!(cache.user_guilds(Id::new(1)), [Id::new(8)]);
    assert!(cache.user(Id::new(1)).is_some());
    let stats = cache.stats();
    assert_eq!(
        (stats.guilds, stats.channels, stats.roles, stats.members),
        (1, 2, 2, 2)
    );
}

#[test]
fn channel_role_and_member_events_keep_the_guild_indexes_true() {
    let cache = Cache::new(CacheConfig::default());
    cache.update(&event("GUILD_CREATE", guild_create(9)));

    cache.update(&event(
        "CHANNEL_CREATE",
        json!({"id": "903", "type": 0, "guild_id": "9", "name": "new"}),
    ));
    cache.update(&event(
        "CHANNEL_DELETE",
        json!({"id": "901", "type": 0, "guild_id": "9"}),
    ));
    assert_eq!(
        sorted(cache.guild_channels(Id::new(9))),
        [Id::new(902), Id::new(903)]
    );

    cache.update(&event(
        "GUILD_ROLE_CREATE",
        json!({"guild_id": "9", "role": {"id": "906", "name": "vip", "position": 2, "permissions": "0"}}),
    ));
    cache.update(&event(
        "GUILD_ROLE_DELETE",
        json!({"guild_id": "9", "role_id": "905"}),
    ));
    let roles: Vec<String> = cache
        .guild_roles(Id::new(9))
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(roles, ["@everyone", "vip"]);

    // GUILD_UPDATE carries the whole role list: a role missing from it is gone.
    let mut update = guild_create(9);
    update["name"] = json!("renamed");
    update["roles"] = json!([{"id": "9", "name": "@everyone", "position": 0, "permissions": "0"}]);
    cache.update(&event("GUILD_UPDATE", update));
    let guild = cache.guild(Id::new(9)).unwrap();
    assert_eq!(guild.name, "renamed");
    assert_eq!(guild.roles.len(), 1);
    assert!(cache.role(Id::new(906)).is_none());

    // A member update changes what it carries and keeps the rest; an unknown member is
    // created from it.
    cache.update(&event(
        "GUILD_MEMBER_UPDATE",
        json!({"guild_id": "9", "roles": ["9"], "user": user(1, "ana"), "nick": "renamed", "pending": false}),
    ));
    let ana = cache.member(Id::new(9), Id::new(1)).unwrap();
    assert_eq!((ana.nick.as_deref(), ana.roles.len()), (Some("renamed"), 1));
    assert!(
        ana.joined_at.is_some(),
        "no joined_at in the update keeps the known one"
    );
    cache.update(&event(
        "GUILD_MEMBER_UPDATE",
        json!({"guild_id": "9", "roles": [], "user": user(4, "di"), "nick": null, "pending": true}),
    ));
    assert!(cache.member(Id::new(9), Id::new(4)).unwrap().pending);

    // Presence: status changes, activities kept when unchanged; removal forgets both.
    cache.update(&event(
        "PRESENCE_UPDATE",
        json!({"user": {"id": "1"}, "guild_id": "9", "status": "idle", "activities": [{"name": "a game", "type": 0}]}),
    ));
    assert_eq!(
        cache.presence(Id::new(9), Id::new(1)).unwrap().status,
        Status::Idle
    );
    cache.update(&event(
        "GUILD_MEMBER_REMOVE",
        json!({"guild_id": "9", "user": user(1, "ana")}),
    ));
    assert!(cache.member(Id::new(9), Id::new(1)).is_none());
    assert!(cache.presence(Id::new(9), Id::new(1)).is_none());

    // Leaving voice removes the voice state.
    cache.update(&event(
        "VOICE_STATE_UPDATE",
        json!({"guild_id": "9", "channel_id": null, "user_id": "2", "session_id": "s"}),
    ));
    assert!(cache.voice_state(Id::new(9), Id::new(2)).is_none());
    assert!(cache.voice_channel_states(Id::new(902)).is_empty());
}

#[test]
fn each_switch_keeps_only_its_resource() {
    let cases = [
        (ResourceType::GUILD, [1, 0, 0, 0, 0, 0, 0]),
        (ResourceType::CHANNEL, [0, 2, 0, 0, 0, 0, 0]),
        (ResourceType::ROLE, [0, 0, 2, 0, 0, 0, 0]),
        // A member is kept with its user.
        (ResourceType::MEMBER, [0, 0, 0, 2, 2, 0, 0]),
        // Users from members, without the members; and the message author.
        (ResourceType::USER, [0, 0, 0, 0, 3, 0, 0]),
        (ResourceType::MESSAGE, [0, 0, 0, 0, 0, 1, 0]),
        (ResourceType::PRESENCE, [0, 0, 0, 0, 0, 0, 1]),
    ];
    for (resource, expected) in cases {
        let cache = Cache::new(CacheConfig::new(resource));
        cache.update(&event("GUILD_CREATE", guild_create(9)));
        cache.update(&event("MESSAGE_CREATE", message(50, 901, "hi")));
        let s = cache.stats();
        assert_eq!(
            [
                s.guilds,
                s.channels,
                s.roles,
                s.members,
                s.users,
                s.messages,
                s.presences
            ],
            expected,
            "{resource:?}"
        );
    }
    let none = Cache::new(CacheConfig::none());
    none.update(&event("GUILD_CREATE", guild_create(9)));
    let counts = svc_gateway::cache::CacheStats {
        approx_bytes: 0, // the empty tables themselves
        ..none.stats()
    };
    assert_eq!(counts, svc_gateway::cache::CacheStats::default());
    let no_messages = Cache::new(CacheConfig {
        messages_per_channel: 0,
        ..CacheConfig::default()
    });
    no_messages.update(&event("MESSAGE_CREATE", message(50, 901, "hi")));
    assert_eq!(no_messages.stats().messages, 0);
}

#[test]
fn messages_are_shared_not_copied_on_read_and_copied_on_write() {
    let cache = Cache::new(CacheConfig::default());
    cache.update(&event("MESSAGE_CREATE", message(50, 901, "first")));
    let read = cache.message(Id::new(901), Id::new(50)).unwrap();
    assert!(Arc::ptr_eq(&read, &cache.messages(Id::new(901))[0]));
    cache.update(&event(
        "MESSAGE_UPDATE",
        json!({"id": "50", "channel_id": "901", "content": "second"}),
    ));
    // The reader's copy is what it read; the cache has the update.
    assert_eq!(read.content, "first");
    assert_eq!(
        cache.message(Id::new(901), Id::new(50)).unwrap().content,
        "second"
    );
    cache.update(&event(
        "MESSAGE_DELETE",
        json!({"id": "50", "channel_id": "901"}),
    ));
    assert!(cache.messages(Id::new(901)).is_empty());
}

#[test]
fn readers_and_a_writer_run_together_without_waiting_on_each_other_forever() {
    let cache = Arc::new(Cache::new(CacheConfig::default()));
    let (done, finished) = std::sync::mpsc::channel();
    let writer = {
        let cache = Arc::clone(&cache);
        std::thread::spawn(move || {
            for round in 0..200 {
                cache.update(&event("GUILD_CREATE", guild_create(9)));
                cache.update(&event("MESSAGE_CREATE", message(50 + round, 901, "hi")));
                cache.update(&event("GUILD_DELETE", json!({"id": "9"})));
            }
        })
    };
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (cache, done) = (Arc::clone(&cache), done.clone());
            std::thread::spawn(move || {
                for _ in 0..2_000 {
                    let _ = cache.guild(Id::new(9));
                    let _ = cache.voice_state(Id::new(9), Id::new(2));
                    let _ = cache.stats();
                    let _ = cache.guild_ids();
                    let _ = cache.voice_channel_states(Id::new(902));
                }
                let _ = done.send(());
            })
        })
        .collect();
    for _ in &readers {
        finished
            .recv_timeout(Duration::from_mins(1))
            .expect("readers finish");
    }
    writer.join().unwrap();
    assert!(cache.guild(Id::new(9)).is_none());
}

#[test]
fn stage_instances_are_cached_per_guild_and_go_with_it() {
    let stage = |id: u64, channel: u64, topic: &str| {
        json!({"id": id.to_string(), "guild_id": "9", "channel_id": channel.to_string(),
               "topic": topic, "privacy_level": 2, "discoverable_disabled": false,
               "guild_scheduled_event_id": null})
    };
    let cache = Cache::new(CacheConfig::default());
    let mut create = guild_create(9);
    create["stage_instances"] = json!([stage(70, 903, "town hall")]);
    cache.update(&event("GUILD_CREATE", create));
    let live = cache.stage_instance(Id::new(9), Id::new(903)).unwrap();
    assert_eq!((live.id, live.topic.as_str()), (Id::new(70), "town hall"));
    assert_eq!(live.privacy_level, 2);

    cache.update(&event("STAGE_INSTANCE_CREATE", stage(71, 904, "q&a")));
    cache.update(&event(
        "STAGE_INSTANCE_UPDATE",
        stage(70, 903, "office hours"),
    ));
    let topics: Vec<String> = cache
        .guild_stage_instances(Id::new(9))
        .into_iter()
        .map(|s| s.topic)
        .collect();
    assert_eq!(topics, ["office hours", "q&a"]);
    assert_eq!(cache.stats().stage_instances, 2);

    cache.update(&event("STAGE_INSTANCE_DELETE", stage(71, 904, "q&a")));
    assert!(cache.stage_instance(Id::new(9), Id::new(904)).is_none());
    cache.update(&event(
        "GUILD_DELETE",
        json!({"id": "9", "unavailable": false}),
    ));
    assert!(cache.guild_stage_instances(Id::new(9)).is_empty());

    let off = Cache::new(CacheConfig::new(
        ResourceType::all() - ResourceType::STAGE_INSTANCE,
    ));
    off.update(&event("STAGE_INSTANCE_CREATE", stage(71, 904, "q&a")));
    assert_eq!(off.stats().stage_instances, 0);
}

//! Step: Clash of Clans. Keys from the developer site (login, caller IP from the JWT,
//! key creation), typed REST with paging, then the events client noticing a member join,
//! a war attack and a hero upgrade (named from the shipped game data), and riding out a
//! maintenance window.

use std::time::Duration;

use sandbox::clash::{Clash, DEFAULT_EMAIL, DEFAULT_PASSWORD};
use switchboard::gameapi::events::{
    ClanEvent, Event, EventsClient, MaintenanceEvent, MemberChange, PlayerEvent, WarEvent,
};
use switchboard::gameapi::{Client, Tag};

pub(crate) async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== clash of clans (sandbox REST API + developer site)");
    let clash = Clash::new();
    let control = clash.control();
    // Short max-ages so the tour's pollers come round within a second.
    control.set_max_age(Some(1));
    let server = sandbox::Server::builder().serve(clash).await?;

    let client = Client::builder()
        .base_url(format!("{}/v1", server.base_url()))
        .developer_site(server.base_url())
        .login(DEFAULT_EMAIL, DEFAULT_PASSWORD)
        .key_count(2)
        .build()
        .await?;
    println!(
        "keys: logged in, {} keys created for 127.0.0.1",
        control.keys().len()
    );

    let main = control.main_clan();
    let sloppy = main.trim_start_matches('#').to_lowercase();
    let clan = client.clan(&sloppy).await?;
    println!(
        "rest: clan {sloppy:?} -> {} {} (level {}, {} members)",
        clan.tag, clan.name, clan.clan_level, clan.members
    );
    let war = client.current_war(&main).await?;
    println!(
        "rest: current war {:?}, {} attacks so far, {} v {}",
        war.state,
        war.attacks().len(),
        war.team_size,
        war.team_size
    );

    let events = EventsClient::builder(client)
        .min_interval(Duration::from_millis(500))
        .maintenance_interval(Duration::from_millis(500))
        .build()?;
    events
        .hub()
        .on(|event: Event| {
            if !is_rank_shuffle(&event) {
                println!("event: {}", describe(&event));
            }
        })
        .detach();
    let player = control.main_members()[1].clone();
    events.add_clans([&main]);
    events.add_wars([&main]);
    events.add_players([&player]);
    tokio::time::sleep(Duration::from_millis(300)).await; // the baseline: no events

    let joined = events.hub().wait_for(
        |e: &ClanEvent| matches!(e, ClanEvent::MemberJoined { .. }),
        Duration::from_secs(5),
    );
    control.member_join(&main, "TourGuide");
    joined.await?;
    let attacked = events.hub().wait_for(
        |e: &WarEvent| matches!(e, WarEvent::NewAttack { .. }),
        Duration::from_secs(5),
    );
    control.add_attack(&main, 3);
    attacked.await?;
    let upgraded = events.hub().wait_for(
        |e: &PlayerEvent| matches!(e, PlayerEvent::UnitUpgraded { .. }),
        Duration::from_secs(5),
    );
    control.upgrade_unit(&player, "Archer Queen");
    upgraded.await?;

    let over = events.hub().wait_for(
        |e: &MaintenanceEvent| *e == MaintenanceEvent::Completed,
        Duration::from_secs(10),
    );
    control.set_maintenance(true);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    control.set_maintenance(false);
    over.await?;
    tokio::time::sleep(Duration::from_millis(50)).await; // let the printing listener catch up
    println!(
        "clash: {} requests served by the sandbox",
        server.log().len()
    );
    Ok(())
}

fn describe(event: &Event) -> String {
    let tag = |t: &Tag| t.to_string();
    match event {
        Event::Clan(ClanEvent::MemberJoined { clan, member }) => {
            format!("{} joined {}", member.name, tag(clan))
        }
        Event::War(WarEvent::NewAttack { attack, .. }) => format!(
            "attack #{} by {} on {}: {} stars",
            attack.order, attack.attacker_tag, attack.defender_tag, attack.stars
        ),
        Event::Player(PlayerEvent::UnitUpgraded {
            player,
            unit,
            info: Some(info),
            ..
        }) => format!(
            "{} of {} reached level {} of {} ({:?}, game id {})",
            unit.name,
            tag(player),
            unit.level,
            info.max_level,
            info.kind,
            info.id
                .map_or_else(|| "unknown".to_owned(), |id| id.to_string())
        ),
        Event::Clan(ClanEvent::Changed { clan, change }) => format!("{}: {change}", tag(clan)),
        Event::Clan(ClanEvent::MemberChanged { member, change, .. }) => {
            format!("member {}: {change}", member.name)
        }
        Event::Maintenance(state) => format!("maintenance {state:?}"),
        other => format!("{other:?}"),
    }
}

/// A join or a trophy change re-ranks half the clan; the tour leaves those out.
fn is_rank_shuffle(event: &Event) -> bool {
    matches!(
        event,
        Event::Clan(ClanEvent::MemberChanged {
            change: MemberChange::ClanRank(_)
                | MemberChange::PreviousClanRank(_)
                | MemberChange::BuilderBaseRank(_),
            ..
        })
    )
}

//! Parse + typed conversion of the mixed chat stream in `fixtures/twitch/chat.txt`, ours next
//! to `twitch-irc`'s (`IRCMessage::parse` + `ServerMessage::try_from`) and `twitch_message`'s
//! (`parse` + `Message::as_enum`), in the same run.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/twitch/chat.txt"
));

fn lines() -> Vec<&'static str> {
    FIXTURE.lines().collect()
}

fn mixed_stream(c: &mut Criterion) {
    let lines = lines();
    let mut group = c.benchmark_group("parse+typed/mixed-stream");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("svc-ircchat", |b| {
        b.iter(|| {
            let mut typed = 0usize;
            for line in &lines {
                let message =
                    svc_ircchat::IrcMessage::parse(black_box(line)).expect("fixture lines parse");
                if let Ok(message) = svc_ircchat::ServerMessage::try_from(message) {
                    typed += usize::from(!matches!(message, svc_ircchat::ServerMessage::Other(_)));
                    black_box(&message);
                }
            }
            typed
        });
    });
    group.bench_function("twitch-irc", |b| {
        b.iter(|| {
            let mut typed = 0usize;
            for line in &lines {
                let message = twitch_irc::message::IRCMessage::parse(black_box(line))
                    .expect("fixture lines parse");
                if let Ok(message) = twitch_irc::message::ServerMessage::try_from(message) {
                    typed += 1;
                    black_box(&message);
                }
            }
            typed
        });
    });
    group.bench_function("twitch_message", |b| {
        b.iter(|| {
            let mut typed = 0usize;
            for line in &lines {
                if let Ok(parsed) = twitch_message::parse(black_box(line)) {
                    let message = parsed.message.as_enum();
                    typed += 1;
                    black_box(&message);
                }
            }
            typed
        });
    });
    group.finish();
}

fn privmsg_only(c: &mut Criterion) {
    let lines: Vec<&str> = lines()
        .into_iter()
        .filter(|l| l.contains(" PRIVMSG "))
        .collect();
    let mut group = c.benchmark_group("parse+typed/privmsg");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("svc-ircchat", |b| {
        b.iter(|| {
            for line in &lines {
                let message = svc_ircchat::ServerMessage::parse(black_box(line));
                black_box(&message);
            }
        });
    });
    group.bench_function("twitch-irc", |b| {
        b.iter(|| {
            for line in &lines {
                let message = twitch_irc::message::IRCMessage::parse(black_box(line))
                    .map(twitch_irc::message::ServerMessage::try_from);
                black_box(&message);
            }
        });
    });
    group.bench_function("twitch_message", |b| {
        b.iter(|| {
            for line in &lines {
                let message = twitch_message::parse(black_box(line)).map(|p| p.message.as_enum());
                black_box(&message);
            }
        });
    });
    group.finish();
}

criterion_group!(benches, mixed_stream, privmsg_only);
criterion_main!(benches);

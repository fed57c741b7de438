//! One AFL++ harness for every target: `fuzz-afl TARGET` (see `fuzz/README.md`). Persistent
//! mode; a panic is a crash. One binary for all targets builds once instead of sixteen times.
#![forbid(unsafe_code)]

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(target) = fuzz_targets::target(&name) else {
        eprintln!("usage: fuzz-afl TARGET; targets:");
        for target in fuzz_targets::TARGETS {
            eprintln!("  {}", target.name);
        }
        std::process::exit(2);
    };
    afl::fuzz!(|data: &[u8]| {
        (target.run)(data);
    });
}

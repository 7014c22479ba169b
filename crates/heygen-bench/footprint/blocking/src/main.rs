//! Footprint probe for `heygen-blocking`: a client from the environment (`HEYGEN_API_KEY`,
//! `HEYGEN_API_BASE`), then `GET /v3/avatars/{group_id}` (`HEYGEN_FOOTPRINT_GROUP`),
//! `HEYGEN_FOOTPRINT_CALLS` times (default 1). Prints the group's name, and on stderr the
//! resident memory after 100 calls and at the end, in bytes.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a probe program reports to the terminal"
)]

use std::process::ExitCode;

use heygen_blocking::Client;
use heygen_blocking::model::AvatarGroupId;

fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn main() -> ExitCode {
    let calls: u32 = env_or("HEYGEN_FOOTPRINT_CALLS", "1").parse().unwrap_or(1);
    let group = match AvatarGroupId::new(env_or("HEYGEN_FOOTPRINT_GROUP", "grp_demo")) {
        Ok(group) => group,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut warm = 0;
    for call in 1..=calls {
        match client.avatars().get(&group) {
            Ok(found) if call == 1 => println!("{} ({:?} looks)", found.name, found.looks_count),
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        if call == calls.min(100) {
            warm = rss();
        }
    }
    eprintln!("rss_warm={warm} rss_end={}", rss());
    ExitCode::SUCCESS
}

//! Footprint probe for `heygen-async`: a client from the environment (`HEYGEN_API_KEY`,
//! `HEYGEN_API_BASE`), then `GET /v3/avatars/{group_id}` (`HEYGEN_FOOTPRINT_GROUP`),
//! `HEYGEN_FOOTPRINT_CALLS` times (default 1), on a current-thread tokio runtime. Prints the
//! group's name, and on stderr the resident memory after 100 calls and at the end, in bytes.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a probe program reports to the terminal"
)]

use std::process::ExitCode;

use heygen_async::Client;
use heygen_async::model::AvatarGroupId;

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

async fn run() -> Result<(), String> {
    let calls: u32 = env_or("HEYGEN_FOOTPRINT_CALLS", "1").parse().unwrap_or(1);
    let group = AvatarGroupId::new(env_or("HEYGEN_FOOTPRINT_GROUP", "grp_demo"))
        .map_err(|e| e.to_string())?;
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let mut warm = 0;
    for call in 1..=calls {
        let found = client
            .avatars()
            .get(&group)
            .await
            .map_err(|e| e.to_string())?;
        if call == 1 {
            println!("{} ({:?} looks)", found.name, found.looks_count);
        }
        if call == calls.min(100) {
            warm = rss();
        }
    }
    eprintln!("rss_warm={warm} rss_end={}", rss());
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

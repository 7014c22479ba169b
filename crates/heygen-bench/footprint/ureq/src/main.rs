//! Reference probe: the same program as the SDK probes on bare ureq 3 (with rustls compiled
//! in) and `serde_json` into a plain struct, without the SDK.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a probe program reports to the terminal"
)]

use std::process::ExitCode;

use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    data: Group,
}

#[derive(Deserialize)]
struct Group {
    name: String,
    looks_count: u32,
}

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

fn get(agent: &ureq::Agent, url: &str, key: &str) -> Result<Group, String> {
    let mut response = agent
        .get(url)
        .header("x-api-key", key)
        .call()
        .map_err(|e| e.to_string())?;
    let bytes = response
        .body_mut()
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    Ok(envelope.data)
}

fn main() -> ExitCode {
    let calls: u32 = env_or("HEYGEN_FOOTPRINT_CALLS", "1").parse().unwrap_or(1);
    let key = env_or("HEYGEN_API_KEY", "");
    let base = env_or("HEYGEN_API_BASE", "https://api.heygen.com");
    let url = format!(
        "{base}/v3/avatars/{}",
        env_or("HEYGEN_FOOTPRINT_GROUP", "grp_demo")
    );
    let agent = ureq::Agent::new_with_defaults();
    let mut warm = 0;
    for call in 1..=calls {
        match get(&agent, &url, &key) {
            Ok(group) if call == 1 => println!("{} ({} looks)", group.name, group.looks_count),
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

//! Reference probe: the same program as the SDK probes on bare hyper 1 + hyper-util +
//! hyper-rustls (`ring`, webpki roots) + tokio and `serde_json`, without the SDK.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a probe program reports to the terminal"
)]

use std::process::ExitCode;

use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
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

async fn run() -> Result<(), String> {
    let calls: u32 = env_or("HEYGEN_FOOTPRINT_CALLS", "1").parse().unwrap_or(1);
    let key = env_or("HEYGEN_API_KEY", "");
    let base = env_or("HEYGEN_API_BASE", "https://api.heygen.com");
    let url = format!(
        "{base}/v3/avatars/{}",
        env_or("HEYGEN_FOOTPRINT_GROUP", "grp_demo")
    );
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
    let mut warm = 0;
    for call in 1..=calls {
        let request = hyper::Request::get(url.as_str())
            .header("x-api-key", key.as_str())
            .body(Empty::new())
            .map_err(|e| e.to_string())?;
        let response = client.request(request).await.map_err(|e| e.to_string())?;
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        if call == 1 {
            println!(
                "{} ({} looks)",
                envelope.data.name, envelope.data.looks_count
            );
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

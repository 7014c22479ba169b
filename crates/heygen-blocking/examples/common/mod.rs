//! Shared setup of the examples: the real API when `HEYGEN_API_KEY` is set, otherwise a local
//! emulator whose clock runs 60 times faster than real time.

use std::path::PathBuf;
use std::time::Duration;

use heygen_blocking::{Client, PollPolicy};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

/// A client, and the emulator behind it when there is no API key.
pub(crate) struct Setup {
    pub(crate) client: Client,
    pub(crate) emulator: Option<EmulatorHandle>,
}

pub(crate) fn setup() -> Result<Setup, Box<dyn std::error::Error>> {
    if std::env::var("HEYGEN_API_KEY").is_ok_and(|k| !k.trim().is_empty()) {
        println!("using the HeyGen API (HEYGEN_API_KEY is set)");
        return Ok(Setup {
            client: Client::from_env()?,
            emulator: None,
        });
    }
    let emulator = Emulator::start(EmulatorOptions::default().speed(60.0))?;
    println!(
        "HEYGEN_API_KEY is not set: using the emulator at {} (clock x60)",
        emulator.base_url()
    );
    let config = heygen_blocking::Config::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .poll_policy(
            PollPolicy::new()
                .initial_interval(Duration::from_millis(250))
                .max_interval(Duration::from_secs(2))
                .deadline(Duration::from_mins(2)),
        )
        .build()?;
    Ok(Setup {
        client: Client::new(config)?,
        emulator: Some(emulator),
    })
}

/// A bundled sample file (`portrait.png`, `footage.mp4`), or the path given as first argument.
#[allow(dead_code, reason = "not every example reads a sample file")]
pub(crate) fn sample(name: &str) -> PathBuf {
    std::env::args_os().nth(1).map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../heygen-cli/samples")
                .join(name)
        },
        PathBuf::from,
    )
}

//! Shared by the examples: a client for the real API when `HEYGEN_API_KEY` is set, otherwise
//! for a local emulator started here.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    reason = "shared by several examples, each using a part"
)]

use std::path::PathBuf;
use std::time::Duration;

use heygen_async::{Client, Config, PollPolicy};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

/// The client, and the emulator when one was started (it stops when dropped).
pub struct Demo {
    pub client: Client,
    pub emulator: Option<EmulatorHandle>,
}

pub async fn demo() -> Result<Demo, Box<dyn std::error::Error>> {
    if std::env::var_os("HEYGEN_API_KEY").is_some() {
        return Ok(Demo {
            client: Client::from_env()?,
            emulator: None,
        });
    }
    // Emulated time runs 120 times faster, so training and rendering take seconds.
    let emulator = Emulator::start_async(EmulatorOptions::default().speed(120.0)).await?;
    println!(
        "HEYGEN_API_KEY is not set: using the emulator at {}",
        emulator.base_url()
    );
    let config = Config::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .poll_policy(
            PollPolicy::new()
                .initial_interval(Duration::from_millis(250))
                .max_interval(Duration::from_secs(1))
                .deadline(Duration::from_mins(2)),
        )
        .build()?;
    Ok(Demo {
        client: Client::new(config)?,
        emulator: Some(emulator),
    })
}

/// A bundled sample file, or the first command-line argument.
pub fn sample(name: &str) -> PathBuf {
    std::env::args_os().nth(1).map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../heygen-cli/samples")
                .join(name)
        },
        PathBuf::from,
    )
}

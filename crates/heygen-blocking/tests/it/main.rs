//! Integration tests of the blocking client: the shared scenario table on the emulator,
//! request shaping through closure transports, and upload/redirect hygiene.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::too_many_lines,
    reason = "tests"
)]

mod asset_batch;
mod download;
mod hygiene;
mod late;
mod oauth;
mod reopen;
mod review;
mod scenarios;
mod shaping;
mod traced;
mod video_batch;
mod voices;

//! End-to-end tests of the `heygen` binary against emulators started in the test process, on
//! both transports: stdout JSON, the stderr error envelope and exit codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::too_many_lines,
    unreachable_pub,
    reason = "tests"
)]

mod asset_batch;
mod auth;
mod cases;
mod contract;
mod demo;
mod download;
mod emulator_cmd;
mod field_cases;
mod field_mock;
mod listen_support;
mod parity;
mod support;
mod upload;
mod video_batch;
mod voice;
mod webhook;
mod webhook_emulator;

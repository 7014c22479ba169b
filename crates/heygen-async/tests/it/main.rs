//! Integration tests of `heygen-async`: the shared scenario table on the emulator, mock
//! transports for request shaping, concurrency, cancel safety, and credential hygiene.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs,
    unreachable_pub,
    clippy::items_after_statements,
    clippy::redundant_closure_for_method_calls,
    reason = "tests"
)]

mod announced;
mod asset_batch;
mod download;
mod emulator;
mod lease;
mod mock;
mod oauth;
mod reopen;
mod review;
mod scenarios;
mod video_batch;
mod voices;

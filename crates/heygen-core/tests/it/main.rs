//! Integration tests for heygen-core: one binary, one module per concern.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly by design"
)]

mod call;
mod cases;
mod corpus;
mod fixtures;
mod fuzz_findings;
mod golden;
mod paginate;
mod poll;
mod props;
mod redaction;
mod retry;
mod review;
mod support;
mod upload;
mod webhook;
mod workflows;

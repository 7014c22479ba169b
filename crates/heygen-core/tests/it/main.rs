//! Integration tests for heygen-core: one binary, one module per concern.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly by design"
)]

mod assets;
mod batches;
mod call;
mod cases;
mod corpus;
mod download;
mod fixtures;
mod fuzz_findings;
mod golden;
mod oauth;
mod paginate;
mod poll;
mod props;
mod redaction;
mod retry;
mod review;
mod schema_contract;
mod schema_gen;
mod support;
mod upload;
mod voices;
mod webhook;
mod workflows;

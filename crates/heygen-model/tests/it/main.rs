//! Integration tests for `heygen-model`, in one binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreadable_literal,
    clippy::doc_markdown,
    clippy::float_cmp,
    reason = "test code: a panic is a test failure, and wire literals are copied verbatim"
)]

mod asset_batches;
mod cases;
mod compile_fail;
mod corpus;
mod redaction;
mod roundtrip;
mod schema;
mod validation;
mod video_kinds;
mod voice;
mod wire;

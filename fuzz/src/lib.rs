//! The logic of every heygen-rs fuzz target, as plain functions over bytes.
//!
//! Each `fuzz_targets/<name>.rs` binary is a five-line libFuzzer wrapper over the function of
//! the same name here, and the stable test `tests/corpus.rs` runs the same functions over every
//! file in `corpus/<name>/`, so CI replays the corpus without nightly or libFuzzer.
//!
//! A target does more than "does not panic": each one asserts the invariants of what it feeds
//! (a framed body is exactly its planned `Content-Length`, no presigned signature survives
//! redaction, a parsed timestamp matches an independent calendar, a webhook is accepted only
//! with the body's signature, …). An assertion failure is a bug
//! the fuzzer found; see `docs/fuzzing.md`.
//!
//! Inputs are split into fields with [`input::fields`] (NUL-separated) or read as an HTTP-like
//! response with [`input::Response`], so hand-written seeds stay readable.

pub mod input;
pub mod known;
pub mod parse;
pub mod redact;
pub mod request;
pub mod retry;
pub mod secrets;
pub mod time;
pub mod upload;
pub mod webhook;

/// One fuzz target: its name (the binary, the corpus directory) and its logic.
pub type Target = (&'static str, fn(&[u8]));

/// Every fuzz target, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[Target] = &[
    ("model_responses", model_responses),
    ("model_requests", model_requests),
    ("parse_response", parse_response),
    ("parse_operation", parse::parse_operation),
    ("retry_after", retry::retry_after),
    ("timestamp", time::timestamp),
    ("redact", redact::redact),
    ("multipart", upload::multipart),
    ("upload_plan", upload::upload_plan),
    ("request_inputs", request::request_inputs),
    ("webhook", webhook::webhook),
];

/// Decodes bytes into every `heygen-model` response type; decoded values must round-trip
/// (`heygen_model::fuzzing::decode_responses`).
pub fn model_responses(data: &[u8]) {
    heygen_model::fuzzing::decode_responses(data);
}

/// Decodes bytes into every `heygen-model` request type; decoded values must round-trip and
/// `validate` must not panic (`heygen_model::fuzzing::decode_requests`).
pub fn model_requests(data: &[u8]) {
    heygen_model::fuzzing::decode_requests(data);
}

/// Feeds one response to the `parse` of every operation (`heygen_core::fuzzing::parse_response`);
/// [`parse::parse_operation`] does the same one operation at a time, with invariants.
pub fn parse_response(data: &[u8]) {
    heygen_core::fuzzing::parse_response(data);
}

//! Integration tests for `heygen-model`, in one binary.

mod cases;
mod compile_fail;
mod corpus;
mod roundtrip;
mod schema;
mod validation;
mod wire;

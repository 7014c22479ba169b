//! One operation per endpoint.
//!
//! Each operation is a plain value built from the model's request types; see [`crate::Operation`]
//! for the protocol and [`crate::Call`] for how transports send them.

mod raw;

pub use raw::RawJson;

//! Placeholder crate root; see the crate README.

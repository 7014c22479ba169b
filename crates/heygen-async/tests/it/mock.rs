//! Mock transport tests.

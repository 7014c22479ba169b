//! Tests against the emulator.

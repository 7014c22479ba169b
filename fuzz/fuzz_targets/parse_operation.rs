#![no_main]
//! One response through one operation's `parse` (picked by the first byte), with invariants.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::parse::parse_operation(data);
});

#![no_main]
//! RFC 3339 and JSON timestamps and durations, checked against an independent calendar.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::time::timestamp(data);
});

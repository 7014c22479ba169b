#![no_main]
//! `Retry-After` parsing and the retry decision over any response.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::retry::retry_after(data);
});

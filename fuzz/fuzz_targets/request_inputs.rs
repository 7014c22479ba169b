#![no_main]
//! Ids, page tokens, data URIs and other user text that ends up in a request.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::request::request_inputs(data);
});

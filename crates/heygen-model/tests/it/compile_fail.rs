//! Compile-fail tests: id kinds cannot be mixed up (BR-13).

#[test]
fn ids_of_different_kinds_do_not_mix() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

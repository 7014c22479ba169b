//! Authentication and request ids.

use crate::Emu;

#[test]
fn auth_rules() {
    let emu = Emu::start();
    let key = emu.h.api_key().to_owned();
    let token = emu.h.access_token().to_owned();
    emu.raw("GET", "/v3/users/me", &[], None)
        .assert_error(401, "unauthorized", None);
    emu.raw("GET", "/v3/users/me", &[("X-Api-Key", "wrong")], None)
        .assert_error(401, "unauthorized", None);
    emu.raw(
        "GET",
        "/v3/users/me",
        &[("Authorization", "Bearer nope")],
        None,
    )
    .assert_error(401, "unauthorized", None);
    emu.raw(
        "GET",
        "/v3/users/me",
        &[("Authorization", "Basic abc")],
        None,
    )
    .assert_error(401, "unauthorized", None);
    emu.raw("GET", "/v3/users/me", &[("Authorization", "Bearer ")], None)
        .assert_error(401, "unauthorized", None);
    emu.raw(
        "GET",
        "/v3/users/me",
        &[
            ("X-Api-Key", &key),
            ("Authorization", &format!("Bearer {token}")),
        ],
        None,
    )
    .assert_error(401, "unauthorized", None);
    assert_eq!(
        emu.raw("GET", "/v3/users/me", &[("X-Api-Key", &key)], None)
            .status,
        200
    );
    assert_eq!(
        emu.raw(
            "GET",
            "/v3/users/me",
            &[("Authorization", &format!("Bearer {token}"))],
            None
        )
        .status,
        200
    );
    // Every response carries a distinct X-Request-Id.
    let a = emu
        .raw("GET", "/v3/users/me", &[], None)
        .header("x-request-id")
        .unwrap();
    let b = emu.raw("GET", "/v3/nothing", &[("X-Api-Key", &key)], None);
    b.assert_error(404, "not_found", None);
    assert_ne!(a, b.header("x-request-id").unwrap());
}

#[test]
fn custom_key_and_admin_needs_no_key() {
    let emu = Emu::with(heygen_emulator::EmulatorOptions::default().api_key("custom_key"));
    assert_eq!(
        emu.raw("GET", "/v3/users/me", &[("X-Api-Key", "custom_key")], None)
            .status,
        200
    );
    emu.raw(
        "GET",
        "/v3/users/me",
        &[("X-Api-Key", "hg_emulator_key")],
        None,
    )
    .assert_error(401, "unauthorized", None);
    assert_eq!(emu.raw("GET", "/_emulator/health", &[], None).status, 200);
}

//! The OAuth authorization server: authorization code with PKCE, refresh with rotation,
//! expiry on the emulated clock, revocation, the device flow, and bearer tokens on the API.

use base64::Engine as _;
use heygen_emulator::EmulatorOptions;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{Emu, Resp};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT: &str = "http://127.0.0.1:53682/oauth/callback";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn form(emu: &Emu, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    emu.raw(
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ],
        Some(body.join("&").into_bytes()),
    )
}

#[track_caller]
fn oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"], error, "{v}");
    assert!(
        v["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
}

/// The query parameter `name` of a URL.
fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// The action of the page's form whose button says `button`.
fn form_action(html: &str, button: &str) -> String {
    html.split("<form")
        .find(|f| f.contains(&format!(">{button}</button>")))
        .and_then(|f| f.split("action=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {button} form in {html}"))
        .to_owned()
}

/// Opens the authorize page and presses `button`; returns the redirect's `Location`.
fn authorize(emu: &Emu, client_id: &str, state: &str, button: &str) -> String {
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={}&scope={}&state={state}&code_challenge={}&code_challenge_method=S256",
        enc(REDIRECT),
        enc("openid profile email"),
        challenge(VERIFIER)
    );
    let page = emu.raw("GET", &url, &[], None);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().contains(client_id));
    let action = form_action(&page.text(), button);
    let answer = emu.raw("POST", &action, &[], None);
    assert_eq!(answer.status, 303, "{}", answer.text());
    let location = answer.header("location").unwrap();
    assert!(location.starts_with(REDIRECT), "{location}");
    // The request is answered once.
    assert_eq!(emu.raw("POST", &action, &[], None).status, 404);
    location
}

fn tokens_from_code(emu: &Emu, client_id: &str) -> Value {
    let location = authorize(emu, client_id, "st_1", "Approve");
    assert_eq!(param(&location, "state").as_deref(), Some("st_1"));
    let code = param(&location, "code").unwrap();
    let r = form(
        emu,
        "/v1/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", client_id),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn me(emu: &Emu, token: &str) -> Resp {
    emu.raw(
        "GET",
        "/v3/users/me",
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    )
}

#[test]
fn authorization_code_with_pkce_gives_tokens_the_api_accepts() {
    let emu = Emu::start();
    let tokens = tokens_from_code(&emu, "app_1");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 864_000);
    assert_eq!(tokens["scope"], "openid profile email");
    let access = tokens["access_token"].as_str().unwrap();
    assert!(tokens["refresh_token"].as_str().is_some());
    assert_eq!(me(&emu, access).status, 200);
    let events = emu.h.oauth_events();
    let kinds: Vec<(&str, bool)> = events.iter().map(|e| (e.kind.as_str(), e.ok)).collect();
    assert_eq!(kinds, [("authorize", true), ("authorization_code", true)]);
}

#[test]
fn code_exchange_checks_verifier_redirect_client_and_single_use() {
    let emu = Emu::start();
    let exchange = |code: &str, redirect: &str, client: &str, verifier: &str| {
        form(
            &emu,
            "/v1/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect),
                ("client_id", client),
                ("code_verifier", verifier),
            ],
        )
    };
    let wrong_verifier = "x".repeat(43);
    let cases = [
        (REDIRECT, "app_1", wrong_verifier.as_str()),
        ("http://127.0.0.1:1/other", "app_1", VERIFIER),
        (REDIRECT, "app_2", VERIFIER),
    ];
    for (redirect, client, verifier) in cases {
        let location = authorize(&emu, "app_1", "s", "Approve");
        let code = param(&location, "code").unwrap();
        oauth_error(
            &exchange(&code, redirect, client, verifier),
            400,
            "invalid_grant",
        );
        // A failed exchange spends the code too.
        oauth_error(
            &exchange(&code, REDIRECT, "app_1", VERIFIER),
            400,
            "invalid_grant",
        );
    }
    let location = authorize(&emu, "app_1", "s", "Approve");
    let code = param(&location, "code").unwrap();
    assert_eq!(exchange(&code, REDIRECT, "app_1", VERIFIER).status, 200);
    oauth_error(
        &exchange(&code, REDIRECT, "app_1", VERIFIER),
        400,
        "invalid_grant",
    );
    // An expired code.
    let location = authorize(&emu, "app_1", "s", "Approve");
    let code = param(&location, "code").unwrap();
    emu.advance(601);
    oauth_error(
        &exchange(&code, REDIRECT, "app_1", VERIFIER),
        400,
        "invalid_grant",
    );
}

#[test]
fn the_authorize_page_denies_and_refuses_bad_requests() {
    let emu = Emu::start();
    let location = authorize(&emu, "app_1", "st_9", "Deny");
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&location, "state").as_deref(), Some("st_9"));
    assert_eq!(param(&location, "code"), None);
    // No PKCE: the error goes back to the redirect URI.
    let r = emu.raw(
        "GET",
        &format!(
            "/oauth/authorize?response_type=code&client_id=a&redirect_uri={}&state=s",
            enc(REDIRECT)
        ),
        &[],
        None,
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        param(&r.header("location").unwrap(), "error").as_deref(),
        Some("invalid_request")
    );
    // A redirect to a non-loopback http host is refused on the page itself.
    for redirect in [
        "http://evil.example/cb",
        "http://127.0.0.1.evil.example/cb",
        "http://127.0.0.1@evil.example/cb",
    ] {
        let r = emu.raw(
            "GET",
            &format!(
                "/oauth/authorize?response_type=code&client_id=a&redirect_uri={}",
                enc(redirect)
            ),
            &[],
            None,
        );
        assert_eq!(r.status, 400, "{redirect}");
        assert!(r.header("location").is_none());
    }
}

#[test]
fn tokens_expire_on_the_emulated_clock_and_refresh_rotates() {
    let emu = Emu::with(EmulatorOptions::default().seed(7).oauth_token_secs(2));
    let tokens = tokens_from_code(&emu, "app_1");
    assert_eq!(tokens["expires_in"], 2);
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(me(&emu, &access).status, 200);
    emu.advance(3);
    let expired = me(&emu, &access);
    expired.assert_error(401, "unauthorized", None);
    assert!(expired.text().contains("expired"), "{}", expired.text());

    let refresh_with = |token: &str, client: &str| {
        form(
            &emu,
            "/v1/oauth/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", token),
                ("client_id", client),
            ],
        )
    };
    oauth_error(&refresh_with(&refresh, "app_2"), 400, "invalid_grant");
    let renewed = refresh_with(&refresh, "app_1");
    assert_eq!(renewed.status, 200, "{}", renewed.text());
    let renewed = renewed.json();
    let access2 = renewed["access_token"].as_str().unwrap();
    assert_ne!(access2, access);
    assert_ne!(renewed["refresh_token"].as_str().unwrap(), refresh);
    assert_eq!(me(&emu, access2).status, 200);
    // The old refresh token is spent.
    oauth_error(&refresh_with(&refresh, "app_1"), 400, "invalid_grant");
    assert_eq!(emu.h.oauth_refreshes(), 1);
    let admin = emu.raw("GET", "/_emulator/oauth/events", &[], None).json();
    let kinds: Vec<&str> = admin["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "authorize",
            "authorization_code",
            "refresh_token",
            "refresh_token",
            "refresh_token"
        ]
    );
    // The lifetime can change while running.
    emu.h.set_oauth_token_secs(60);
    let longer = refresh_with(renewed["refresh_token"].as_str().unwrap(), "app_1").json();
    assert_eq!(longer["expires_in"], 60);
}

#[test]
fn revoking_a_refresh_token_revokes_its_access_tokens() {
    let emu = Emu::start();
    let tokens = tokens_from_code(&emu, "app_1");
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let r = form(
        &emu,
        "/v1/oauth/revoke",
        &[("token", refresh), ("client_id", "app_1")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let refused = me(&emu, access);
    refused.assert_error(401, "unauthorized", None);
    assert!(refused.text().contains("revoked"));
    oauth_error(
        &form(
            &emu,
            "/v1/oauth/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh),
                ("client_id", "app_1"),
            ],
        ),
        400,
        "invalid_grant",
    );
    // An unknown token is not an error (RFC 7009).
    assert_eq!(
        form(
            &emu,
            "/v1/oauth/revoke",
            &[("token", "nope"), ("client_id", "app_1")]
        )
        .status,
        200
    );
    // An access token alone.
    let tokens = tokens_from_code(&emu, "app_1");
    let access = tokens["access_token"].as_str().unwrap();
    form(
        &emu,
        "/v1/oauth/revoke",
        &[("token", access), ("client_id", "app_1")],
    );
    assert_eq!(me(&emu, access).status, 401);
}

#[test]
fn device_flow_pending_slow_down_approval_denial_and_expiry() {
    let emu = Emu::with(
        EmulatorOptions::default()
            .seed(7)
            .oauth_device_interval_secs(2),
    );
    let start = |client: &str| {
        let r = form(
            &emu,
            "/v1/oauth/device_authorization",
            &[("client_id", client), ("scope", "openid")],
        );
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    };
    let poll = |device_code: &str| {
        form(
            &emu,
            "/v1/oauth/token",
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", device_code),
                ("client_id", "app_1"),
            ],
        )
    };
    let device = start("app_1");
    assert_eq!(device["interval"], 2);
    assert_eq!(device["expires_in"], 600);
    let user_code = device["user_code"].as_str().unwrap();
    let device_code = device["device_code"].as_str().unwrap();
    assert!(
        device["verification_uri"]
            .as_str()
            .unwrap()
            .ends_with("/oauth/device")
    );
    oauth_error(&poll(device_code), 400, "authorization_pending");
    oauth_error(&poll(device_code), 400, "slow_down");
    emu.advance(2);
    oauth_error(&poll(device_code), 400, "authorization_pending");
    // The person approves on the verification page.
    let page = emu.raw(
        "GET",
        &format!("/oauth/device?user_code={user_code}"),
        &[],
        None,
    );
    assert!(page.text().contains(user_code));
    let approve = emu.raw("POST", &form_action(&page.text(), "Approve"), &[], None);
    assert_eq!(approve.status, 200);
    emu.advance(2);
    let tokens = poll(device_code);
    assert_eq!(tokens.status, 200, "{}", tokens.text());
    let access = tokens.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(me(&emu, &access).status, 200);
    emu.advance(2);
    oauth_error(&poll(device_code), 400, "invalid_grant");

    // Denied through the handle.
    let device = start("app_1");
    assert!(
        emu.h
            .decide_device(device["user_code"].as_str().unwrap(), false)
    );
    oauth_error(
        &poll(device["device_code"].as_str().unwrap()),
        400,
        "access_denied",
    );
    // Expired.
    let device = start("app_1");
    emu.advance(601);
    oauth_error(
        &poll(device["device_code"].as_str().unwrap()),
        400,
        "expired_token",
    );
    assert!(
        !emu.h
            .decide_device(device["user_code"].as_str().unwrap(), true)
    );
}

#[test]
fn token_endpoint_refuses_malformed_requests_in_the_oauth_shape() {
    let emu = Emu::start();
    oauth_error(
        &form(
            &emu,
            "/v1/oauth/token",
            &[("grant_type", "password"), ("client_id", "a")],
        ),
        400,
        "unsupported_grant_type",
    );
    oauth_error(
        &form(&emu, "/v1/oauth/token", &[("grant_type", "refresh_token")]),
        400,
        "invalid_request",
    );
    let json_body = emu.raw(
        "POST",
        "/v1/oauth/token",
        &[("Content-Type", "application/json")],
        Some(br#"{"grant_type":"refresh_token"}"#.to_vec()),
    );
    oauth_error(&json_body, 400, "invalid_request");
    // A made-up bearer token is still refused by the API.
    me(&emu, "hgo_at_0000").assert_error(401, "unauthorized", None);
}

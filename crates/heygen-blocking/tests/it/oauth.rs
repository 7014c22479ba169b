//! OAuth against the emulator's authorization server: a login with PKCE (the browser step done
//! here with plain HTTP), then a client that stays logged in across 2-second tokens.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use heygen_blocking::core::oauth::{
    ExchangeCode, OAuthApp, OAuthCredential, OAuthSession, Pkce, parse_redirect,
};
use heygen_blocking::{Client, Config, Error};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

const REDIRECT: &str = "http://127.0.0.1:53682/oauth/callback";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// The authorization-code login: the person's browser opens the authorize URL and presses
/// Approve; the redirect's code is exchanged with the PKCE verifier.
fn login(emu: &EmulatorHandle, app: &OAuthApp) -> OAuthCredential {
    let pkce = Pkce::from_entropy(&[42; 32]);
    let url = app.authorization_url(REDIRECT, Some("openid profile email"), "st_login", &pkce);
    let agent = agent();
    let page = agent
        .get(&url)
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    let action = page
        .split("<form")
        .find(|f| f.contains(">Approve</button>"))
        .and_then(|f| f.split("action=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let answer = agent
        .post(&format!("{}{action}", emu.base_url()))
        .send_empty()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 303);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    let query = location.split_once('?').unwrap().1;
    let code = parse_redirect(query, "st_login").unwrap();
    // Sending the OAuth operations needs no credential; any configuration carries them.
    let plain = Client::new(
        Config::builder()
            .base_url(emu.base_url())
            .api_key(emu.api_key())
            .build()
            .unwrap(),
    )
    .unwrap();
    let sent_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let response = plain
        .send(&ExchangeCode::new(app.clone(), code, REDIRECT, &pkce))
        .unwrap();
    OAuthCredential::from_response(response, Some(sent_at))
}

fn app(emu: &EmulatorHandle) -> OAuthApp {
    OAuthApp::new("app_blocking")
        .with_authorize_url(&format!("{}/oauth/authorize", emu.base_url()))
        .unwrap()
        .with_base_url(&emu.base_url())
        .unwrap()
}

#[test]
fn twenty_calls_over_ten_seconds_with_two_second_tokens_all_succeed() {
    let emu = Emulator::start(EmulatorOptions::default().oauth_token_secs(2)).unwrap();
    let app = app(&emu);
    let credential = login(&emu, &app);
    let persisted = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&persisted);
    let session = OAuthSession::new(app, credential).on_refresh(move |c: &OAuthCredential| {
        sink.lock()
            .unwrap()
            .push(c.access_token.expose_secret().to_owned());
    });
    let client = Client::new(
        Config::builder()
            .base_url(emu.base_url())
            .oauth(session.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    for _ in 0..20 {
        client.users().me().unwrap();
        std::thread::sleep(Duration::from_millis(500));
    }
    // A 2-second token is renewed at half its life: about every second, never per call.
    let refreshes = emu.oauth_refreshes();
    assert!((5..=12).contains(&refreshes), "{refreshes} refreshes");
    assert_eq!(session.refreshes(), refreshes as u64);
    assert_eq!(persisted.lock().unwrap().len(), refreshes);
    // No call was refused: every API request carried a live token.
    let refused = emu
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v3/") && r.status == 401)
        .count();
    assert_eq!(refused, 0);
    let events = emu.oauth_events();
    assert!(events.iter().all(|e| e.ok), "{events:?}");
}

#[test]
fn a_token_the_server_expired_early_is_refreshed_after_the_401_and_the_call_retried() {
    let emu = Emulator::start(EmulatorOptions::default().oauth_token_secs(3600)).unwrap();
    let app = app(&emu);
    let session = OAuthSession::new(app.clone(), login(&emu, &app));
    let client = Client::new(
        Config::builder()
            .base_url(emu.base_url())
            .oauth(session.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    client.users().me().unwrap();
    // The emulated clock jumps past the expiry; the client's own clock does not know.
    emu.advance(Duration::from_secs(3601));
    client.users().me().unwrap();
    let tail: Vec<(String, u16)> = emu
        .requests()
        .iter()
        .skip(3)
        .map(|r| (r.path.clone(), r.status))
        .collect();
    assert_eq!(
        tail,
        [
            ("/v3/users/me".to_owned(), 200),
            ("/v3/users/me".to_owned(), 401),
            ("/v1/oauth/token".to_owned(), 200),
            ("/v3/users/me".to_owned(), 200),
        ]
    );
    assert_eq!(session.refreshes(), 1);

    // Revoked on the server: the refresh token is dead, a typed error says log in again.
    let refresh = session.credential().refresh_token.unwrap();
    client
        .send(&heygen_blocking::core::oauth::RevokeToken::refresh_token(
            app, &refresh,
        ))
        .unwrap();
    let error = client.users().me().unwrap_err();
    assert!(matches!(error, Error::LoginRequired(_)), "{error:?}");
    assert!(!format!("{error:?} {error}").contains(refresh.expose_secret()));
    assert!(session.login_required());
}

#[test]
fn a_token_endpoint_outage_is_retried_and_is_not_a_dead_login() {
    use heygen_emulator::{Fault, FaultRule};
    let emu = Emulator::start(EmulatorOptions::default().oauth_token_secs(3600)).unwrap();
    let app = app(&emu);
    let session = OAuthSession::new(app.clone(), login(&emu, &app));
    let client = Client::new(
        Config::builder()
            .base_url(emu.base_url())
            .oauth(session.clone())
            .retry_policy(heygen_blocking::RetryPolicy::new().base_delay(Duration::from_millis(50)))
            .build()
            .unwrap(),
    )
    .unwrap();
    emu.advance(Duration::from_secs(3601));
    emu.inject(
        FaultRule::new(
            "/v1/oauth/token",
            Fault::Html {
                status: 503,
                retry_after: None,
            },
        )
        .times(1),
    );
    client.users().me().unwrap();
    let tail: Vec<(String, u16)> = emu
        .requests()
        .iter()
        .skip(3)
        .map(|r| (r.path.clone(), r.status))
        .collect();
    assert_eq!(
        tail,
        [
            ("/v3/users/me".to_owned(), 401),
            ("/v1/oauth/token".to_owned(), 503),
            ("/v1/oauth/token".to_owned(), 200),
            ("/v3/users/me".to_owned(), 200),
        ]
    );
    assert!(!session.login_required());
    assert_eq!(session.refreshes(), 1);
}

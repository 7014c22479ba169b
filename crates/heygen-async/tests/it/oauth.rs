//! OAuth against the emulator's authorization server: a device-flow login, then a client that
//! stays logged in across 2-second tokens, and one refresh for 16 concurrent calls at expiry.

use std::time::Duration;

use heygen_async::core::oauth::{
    AuthorizeDevice, DeviceLogin, OAuthApp, OAuthCredential, OAuthSession,
};
use heygen_async::{Client, Config};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

fn app(emu: &EmulatorHandle) -> OAuthApp {
    OAuthApp::new("app_async")
        .with_base_url(&emu.base_url())
        .unwrap()
}

/// The device flow: start it, let the person approve the user code, poll until tokens come.
async fn login(emu: &EmulatorHandle, app: &OAuthApp) -> OAuthCredential {
    let plain = Client::new(
        Config::builder()
            .base_url(emu.base_url())
            .api_key(emu.api_key())
            .build()
            .unwrap(),
    )
    .unwrap();
    let device = plain
        .send(&AuthorizeDevice::new(app.clone(), Some("openid".into())))
        .await
        .unwrap();
    assert!(emu.decide_device(&device.user_code, true));
    let tokens = plain
        .run(DeviceLogin::new(app.clone(), &device))
        .await
        .unwrap();
    tokens.credential()
}

async fn start() -> (EmulatorHandle, OAuthSession, Client) {
    let emu = Emulator::start_async(
        EmulatorOptions::default()
            .oauth_token_secs(2)
            .oauth_device_interval_secs(1),
    )
    .await
    .unwrap();
    let app = app(&emu);
    let session = OAuthSession::new(app.clone(), login(&emu, &app).await);
    let client = Client::new(
        Config::builder()
            .base_url(emu.base_url())
            .oauth(session.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    (emu, session, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_calls_over_ten_seconds_with_two_second_tokens_all_succeed() {
    let (emu, session, client) = start().await;
    for _ in 0..20 {
        client.users().me().await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let refreshes = emu.oauth_refreshes();
    assert!((5..=12).contains(&refreshes), "{refreshes} refreshes");
    assert_eq!(session.refreshes(), refreshes as u64);
    let refused = emu
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v3/") && r.status == 401)
        .count();
    assert_eq!(refused, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_calls_at_expiry_cause_exactly_one_refresh() {
    let (emu, session, client) = start().await;
    // The login's 2-second token is renewed at half its life, not at once (the default skew
    // is 60 s).
    client.users().me().await.unwrap();
    assert_eq!(emu.oauth_refreshes(), 0);
    // Past half the token's life: the next call must refresh first.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.users().me().await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(emu.oauth_refreshes(), 1);
    assert_eq!(session.refreshes(), 1);
    let token_requests = emu
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/oauth/token")
        .count();
    // The device-flow polls and the one refresh.
    let polls = emu
        .oauth_events()
        .iter()
        .filter(|e| e.kind == "device_code")
        .count();
    assert_eq!(token_requests, polls + 1);
}

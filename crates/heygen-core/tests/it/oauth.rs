//! OAuth: PKCE vectors, the authorize URL, the token requests, the credential's refresh
//! decisions, a call's refresh-before-expiry and 401 handling, the device flow, and that no
//! token is ever printed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use heygen_core::oauth::{
    AccessToken, AuthDecision, AuthorizationCode, AuthorizeDevice, CredentialStore,
    DeviceAuthorization, DeviceLogin, ExchangeCode, OAuthApp, OAuthCredential, OAuthSession, Pkce,
    PollDeviceToken, REFRESH_WAIT, RefreshAccessToken, RefreshToken, RevokeToken, TokenResponse,
    parse_redirect,
};
use heygen_core::ops::{GetVideo, RawJson};
use heygen_core::{Body, Call, Config, Cx, Error, ErrorClass, Event, Next, Operation, Workflow};
use http::{Method, Request};

use crate::support::video;

const T0: Duration = Duration::from_hours(500_000);
const AT: &str = "at_canary_first_0001";
const RT: &str = "rt_canary_refresh_0001";
const AT2: &str = "at_canary_second_0002";
const RT2: &str = "rt_canary_refresh_0002";

fn app() -> OAuthApp {
    OAuthApp::new("app_client_1")
}

fn credential(expires_at: Duration) -> OAuthCredential {
    OAuthCredential::new(AccessToken::new(AT))
        .with_refresh_token(RefreshToken::new(RT))
        .with_expires_at(expires_at)
}

fn session(expires_at: Duration) -> OAuthSession {
    OAuthSession::new(app(), credential(expires_at))
}

fn oauth_config(session: &OAuthSession) -> Config {
    Config::builder()
        .oauth(session.clone())
        .retry_policy(
            heygen_core::RetryPolicy::new()
                .base_delay(Duration::from_millis(100))
                .jitter(1.0, 1.0),
        )
        .build()
        .unwrap()
}

fn tokens_json(access: &str, refresh: Option<&str>, expires_in: &str) -> String {
    match refresh {
        Some(refresh) => format!(
            r#"{{"access_token":"{access}","refresh_token":"{refresh}","expires_in":{expires_in},"token_type":"Bearer"}}"#
        ),
        None => format!(r#"{{"access_token":"{access}","expires_in":{expires_in}}}"#),
    }
}

fn form(request: &Request<Body>) -> String {
    match request.body() {
        Body::Bytes(bytes) => String::from_utf8(bytes.to_vec()).unwrap(),
        other => panic!("expected bytes, got {other:?}"),
    }
}

fn header<'a>(request: &'a Request<Body>, name: &str) -> Option<&'a str> {
    request.headers().get(name).map(|v| v.to_str().unwrap())
}

/// One request as the script saw it.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    authorization: Option<String>,
    key: Option<String>,
    body: String,
}

/// Runs `workflow` with the wall clock at `unix` (advanced by sleeps), answering each request
/// with `answer`; returns the result, the steps (`POST /v1/oauth/token`, `sleep 20ms`) and
/// what each request carried.
fn drive<W: Workflow>(
    mut workflow: W,
    config: &Config,
    unix: Duration,
    mut answer: impl FnMut(&Seen) -> (u16, String),
) -> (Result<W::Output, Error>, Vec<String>, Vec<Seen>) {
    let mut now = Duration::ZERO;
    let mut steps = Vec::new();
    let mut seen = Vec::new();
    for _ in 0..1000 {
        let cx = Cx::new(config, now, [9; 16]).at_unix_time(unix + now);
        match workflow.next(&cx) {
            Next::Send(outgoing) => {
                let request = &outgoing.request;
                let one = Seen {
                    line: format!("{} {}", request.method(), request.uri().path()),
                    authorization: header(request, "authorization").map(str::to_owned),
                    key: header(request, "idempotency-key").map(str::to_owned),
                    body: match request.body() {
                        Body::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
                        _ => String::new(),
                    },
                };
                steps.push(one.line.clone());
                let (status, body) = answer(&one);
                seen.push(one);
                let response = http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Bytes::from(body))
                    .unwrap();
                workflow.handle_exchange(Ok((response, None)), &cx);
            }
            Next::Sleep(delay) => {
                steps.push(format!("sleep {}ms", delay.as_millis()));
                now += delay;
            }
            Next::Done(result) => return (result, steps, seen),
            _ => panic!("unexpected effect"),
        }
    }
    panic!("the workflow did not end: {steps:?}");
}

fn video_json() -> String {
    r#"{"data":{"id":"vid_0001","status":"processing"}}"#.to_owned()
}

#[test]
fn pkce_matches_rfc_7636_appendix_b() {
    let octets: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    let pkce = Pkce::from_entropy(&octets);
    assert_eq!(
        pkce.verifier().expose_secret(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    assert_eq!(
        pkce.challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let again = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
    assert_eq!(again, pkce);
    assert!(!format!("{pkce:?}").contains("dBjftJeZ"));
    for bad in ["short", &"a".repeat(129), &format!("{}+", "a".repeat(43))] {
        assert!(Pkce::from_verifier(bad).is_err(), "{bad}");
    }
}

#[test]
fn authorize_url_carries_every_parameter_encoded() {
    let pkce = Pkce::from_entropy(&[0; 32]);
    let url = app().authorization_url(
        "http://127.0.0.1:53682/oauth/callback",
        Some("openid profile email"),
        "st_1",
        &pkce,
    );
    assert_eq!(
        url,
        format!(
            "https://app.heygen.com/oauth/authorize?response_type=code&client_id=app_client_1\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback\
             &scope=openid%20profile%20email&state=st_1&code_challenge={}\
             &code_challenge_method=S256",
            pkce.challenge()
        )
    );
    let local = app()
        .with_authorize_url("http://127.0.0.1:9/oauth/authorize")
        .unwrap();
    assert!(
        local
            .authorization_url("r", None, "s", &pkce)
            .starts_with("http://127.0.0.1:9/oauth/authorize?response_type=code&client_id=")
    );
    assert!(app().with_base_url("http://example.com").is_err());
}

#[test]
fn redirect_checks_state_once_and_reads_errors() {
    let code = parse_redirect("code=c%2B1&state=st_1", "st_1").unwrap();
    assert_eq!(code.expose_secret(), "c+1");
    assert!(!format!("{code:?}").contains("c+1"));
    let wrong = parse_redirect("code=c1&state=other", "st_1").unwrap_err();
    assert!(wrong.to_string().contains("state"), "{wrong}");
    assert!(parse_redirect("code=c1", "st_1").is_err());
    let denied = parse_redirect("error=access_denied&state=st_1", "st_1").unwrap_err();
    assert!(denied.to_string().contains("access_denied"), "{denied}");
    assert!(parse_redirect("state=st_1", "st_1").is_err());
}

#[test]
fn token_requests_are_form_posts_without_api_credentials() {
    let config = oauth_config(&session(T0 + Duration::from_hours(1)));
    let pkce = Pkce::from_entropy(&[1; 32]);
    let exchange = ExchangeCode::new(
        app(),
        AuthorizationCode::new("code 1"),
        "http://127.0.0.1:1/oauth/callback",
        &pkce,
    );
    let cases: Vec<(Request<Body>, &str, String)> = vec![
        (
            exchange.build(&config).unwrap(),
            "/v1/oauth/token",
            format!(
                "grant_type=authorization_code&code=code%201\
                 &redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Foauth%2Fcallback\
                 &client_id=app_client_1&code_verifier={}",
                pkce.verifier().expose_secret()
            ),
        ),
        (
            RefreshAccessToken::new(app(), RefreshToken::new(RT))
                .build(&config)
                .unwrap(),
            "/v1/oauth/token",
            format!("grant_type=refresh_token&refresh_token={RT}&client_id=app_client_1"),
        ),
        (
            RevokeToken::refresh_token(app(), &RefreshToken::new(RT))
                .build(&config)
                .unwrap(),
            "/v1/oauth/revoke",
            format!("token={RT}&client_id=app_client_1"),
        ),
        (
            AuthorizeDevice::new(app(), Some("openid profile".into()))
                .build(&config)
                .unwrap(),
            "/v1/oauth/device_authorization",
            "client_id=app_client_1&scope=openid%20profile".to_owned(),
        ),
        (
            PollDeviceToken::new(app(), heygen_core::oauth::DeviceCode::new("dc_1"))
                .build(&config)
                .unwrap(),
            "/v1/oauth/token",
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code\
             &device_code=dc_1&client_id=app_client_1"
                .to_owned(),
        ),
    ];
    for (request, path, body) in cases {
        assert_eq!(request.method(), Method::POST);
        assert_eq!(
            request.uri().to_string(),
            format!("https://api2.heygen.com{path}")
        );
        assert_eq!(
            header(&request, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(header(&request, "accept"), Some("application/json"));
        assert_eq!(header(&request, "authorization"), None);
        assert_eq!(header(&request, "x-api-key"), None);
        assert_eq!(form(&request), body);
    }
    // Through a call: no idempotency key, no bearer.
    let call = Call::new(
        RefreshAccessToken::new(app(), RefreshToken::new(RT)),
        &config,
        [3; 16],
    )
    .unwrap();
    assert_eq!(call.idempotency_key(), None);
    assert_eq!(header(call.request(), "authorization"), None);
    // The base URL is the app's.
    let local = app().with_base_url("http://127.0.0.1:4010/").unwrap();
    let request = RefreshAccessToken::new(local, RefreshToken::new(RT))
        .build(&config)
        .unwrap();
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:4010/v1/oauth/token"
    );
}

#[test]
fn token_answers_parse_with_string_expires_in_and_oauth_errors() {
    let op = RefreshAccessToken::new(app(), RefreshToken::new(RT));
    let limits = heygen_core::ResponseLimits::default();
    let ok = |body: &str| {
        op.parse(crate::support::json_resp(200, body), &limits)
            .unwrap()
    };
    let token = ok(&tokens_json(AT2, Some(RT2), "\"3600\""));
    assert_eq!(token.expires_in, Some(3600));
    assert_eq!(token.access_token.expose_secret(), AT2);
    let credential = OAuthCredential::from_response(token, Some(T0));
    assert_eq!(credential.expires_at, Some(T0 + Duration::from_hours(1)));
    assert_eq!(ok(&tokens_json(AT2, None, "3600")).expires_in, Some(3600));

    let error = op
        .parse(
            crate::support::json_resp(
                400,
                r#"{"error":"invalid_grant","error_description":"refresh token revoked"}"#,
            ),
            &limits,
        )
        .unwrap_err();
    assert_eq!(error.api_code(), Some("invalid_grant"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(
        error.to_string().contains("refresh token revoked"),
        "{error}"
    );
    // HeyGen's own envelope and HTML still read as usual.
    let envelope = op
        .parse(
            crate::support::json_resp(503, r#"{"error":{"code":"internal_error","message":"x"}}"#),
            &limits,
        )
        .unwrap_err();
    assert_eq!(envelope.api_code(), Some("internal_error"));
}

/// `at` minus `by`.
fn before(at: Duration, by: Duration) -> Duration {
    at.checked_sub(by).unwrap()
}

#[test]
fn refresh_is_due_at_the_skew_boundary() {
    let expires = T0 + Duration::from_secs(1000);
    let c = credential(expires);
    let skew = Duration::from_mins(1);
    assert!(!c.needs_refresh(before(expires, Duration::from_secs(61)), skew));
    assert!(!c.needs_refresh(
        before(before(expires, skew), Duration::from_millis(1)),
        skew
    ));
    assert!(c.needs_refresh(before(expires, skew), skew));
    assert!(c.needs_refresh(expires + Duration::from_secs(5), skew));
    assert!(!c.is_expired(before(expires, Duration::from_millis(1))));
    assert!(c.is_expired(expires));
    assert!(!OAuthCredential::new(AccessToken::new(AT)).needs_refresh(T0, skew));

    // The session decides the same at the default skew, and at a configured one.
    let s = session(expires);
    assert!(matches!(
        s.decide(Some(before(expires, Duration::from_secs(61))), None),
        AuthDecision::Use { generation: 0, .. }
    ));
    let lease = match s.decide(Some(before(expires, Duration::from_mins(1))), None) {
        AuthDecision::Refresh(lease) => lease,
        other => panic!("{other:?}"),
    };
    // While one call holds the lease, the others wait.
    assert!(matches!(
        s.decide(Some(before(expires, Duration::from_mins(1))), None),
        AuthDecision::Wait
    ));
    drop(lease);
    assert!(matches!(
        s.decide(Some(before(expires, Duration::from_mins(1))), None),
        AuthDecision::Refresh(_)
    ));
    // A token that lives 2 s is renewed at half its life, not at once.
    let lived = OAuthSession::new(
        app(),
        credential(T0 + Duration::from_secs(2)).with_issued_at(T0),
    );
    assert_eq!(lived.credential().lifetime(), Some(Duration::from_secs(2)));
    assert!(matches!(
        lived.decide(Some(T0 + Duration::from_millis(999)), None),
        AuthDecision::Use { .. }
    ));
    assert!(matches!(
        lived.decide(Some(T0 + Duration::from_secs(1)), None),
        AuthDecision::Refresh(_)
    ));
    let short = session(expires).refresh_skew(Duration::from_secs(10));
    assert!(matches!(
        short.decide(Some(before(expires, Duration::from_secs(11))), None),
        AuthDecision::Use { .. }
    ));
    assert!(matches!(
        short.decide(Some(before(expires, Duration::from_secs(10))), None),
        AuthDecision::Refresh(_)
    ));
}

#[test]
fn a_call_refreshes_before_expiry_and_the_observer_sees_the_new_tokens() {
    let expires = T0 + Duration::from_secs(30);
    let observed = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&observed);
    let s = session(expires).on_refresh(move |c: &OAuthCredential| {
        sink.lock().unwrap().push(c.clone());
    });
    let config = oauth_config(&s);
    let (result, steps, seen) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |one| match one.line.as_str() {
            "POST /v1/oauth/token" => (200, tokens_json(AT2, Some(RT2), "\"3600\"")),
            _ => (200, video_json()),
        },
    );
    result.unwrap();
    assert_eq!(steps, ["POST /v1/oauth/token", "GET /v3/videos/vid_0001"]);
    assert_eq!(seen[0].authorization, None);
    assert_eq!(
        seen[0].body,
        format!("grant_type=refresh_token&refresh_token={RT}&client_id=app_client_1")
    );
    assert_eq!(
        seen[1].authorization.as_deref(),
        Some(&*format!("Bearer {AT2}"))
    );
    assert_eq!(s.generation(), 1);
    assert_eq!(s.refreshes(), 1);
    let now = s.credential();
    assert_eq!(now.access_token.expose_secret(), AT2);
    assert_eq!(now.refresh_token.unwrap().expose_secret(), RT2);
    assert_eq!(now.expires_at, Some(T0 + Duration::from_hours(1)));
    let observed = observed.lock().unwrap();
    assert_eq!(observed.len(), 1);
    assert_eq!(observed[0].access_token.expose_secret(), AT2);

    // Far from expiry: no refresh, the current token.
    let (result, steps, seen) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| (200, video_json()),
    );
    result.unwrap();
    assert_eq!(steps, ["GET /v3/videos/vid_0001"]);
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(&*format!("Bearer {AT2}"))
    );
}

#[test]
fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
    let s = session(T0);
    let config = oauth_config(&s);
    let (result, _, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |one| match one.line.as_str() {
            "POST /v1/oauth/token" => (200, tokens_json(AT2, None, "60")),
            _ => (200, video_json()),
        },
    );
    result.unwrap();
    assert_eq!(s.credential().refresh_token.unwrap().expose_secret(), RT);
}

#[test]
fn a_401_refreshes_once_and_retries_once_with_the_same_idempotency_key() {
    // The expiry is far: only the 401 says the token is bad.
    let s = session(T0 + Duration::from_hours(10));
    let config = oauth_config(&s);
    let op = RawJson::new(Method::POST, "/v3/videos").body(serde_json::json!({"type": "avatar"}));
    let mut video_posts = 0;
    let (result, steps, seen) = drive(
        Call::new(op.clone(), &config, [5; 16]).unwrap(),
        &config,
        T0,
        |one| {
            if one.line == "POST /v1/oauth/token" {
                return (200, tokens_json(AT2, Some(RT2), "3600"));
            }
            video_posts += 1;
            if video_posts == 1 {
                (
                    401,
                    r#"{"error":{"code":"unauthorized","message":"token expired"}}"#.into(),
                )
            } else {
                (200, r#"{"data":{"video_id":"vid_1"}}"#.into())
            }
        },
    );
    result.unwrap();
    assert_eq!(
        steps,
        ["POST /v3/videos", "POST /v1/oauth/token", "POST /v3/videos"]
    );
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(&*format!("Bearer {AT}"))
    );
    assert_eq!(
        seen[2].authorization.as_deref(),
        Some(&*format!("Bearer {AT2}"))
    );
    assert!(seen[0].key.is_some());
    assert_eq!(seen[0].key, seen[2].key);
    assert_eq!(seen[1].key, None);
    assert_eq!(s.refreshes(), 1);

    // A second 401 after the retry is the answer: no second refresh, no third attempt.
    let (result, steps, _) = drive(
        Call::new(op, &config, [6; 16]).unwrap(),
        &config,
        T0,
        |one| match one.line.as_str() {
            "POST /v1/oauth/token" => (200, tokens_json(AT, Some(RT), "3600")),
            _ => (
                401,
                r#"{"error":{"code":"unauthorized","message":"no"}}"#.into(),
            ),
        },
    );
    let error = result.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.class(), ErrorClass::Unauthorized);
    assert_eq!(
        steps,
        ["POST /v3/videos", "POST /v1/oauth/token", "POST /v3/videos"]
    );
    assert_eq!(s.refreshes(), 2);
}

#[test]
fn a_401_after_another_call_refreshed_retries_without_refreshing_again() {
    let s = session(T0 + Duration::from_hours(10));
    let config = oauth_config(&s);
    let mut call = Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap();
    let cx = Cx::new(&config, Duration::ZERO, [0; 16]).at_unix_time(T0);
    // The call sends with generation 0 …
    assert!(matches!(call.next(&cx), Next::Send(_)));
    // … meanwhile another call refreshed.
    s.set_credential(
        credential(T0 + Duration::from_hours(10)).with_refresh_token(RefreshToken::new(RT2)),
    );
    let response = http::Response::builder()
        .status(401)
        .body(&br#"{"error":{"code":"unauthorized"}}"#[..])
        .unwrap();
    call.handle(
        Event::Response {
            response,
            sent: None,
        },
        &cx,
    );
    match call.next(&cx) {
        Next::Send(outgoing) => assert_eq!(outgoing.request.uri().path(), "/v3/videos/vid_0001"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.refreshes(), 0);
}

#[test]
fn a_dead_refresh_token_is_a_typed_login_required_error() {
    let s = session(T0);
    let config = oauth_config(&s);
    let (result, steps, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| {
            (
                400,
                format!(r#"{{"error":"invalid_grant","error_description":"unknown token {RT}"}}"#),
            )
        },
    );
    let error = result.unwrap_err();
    assert!(matches!(error, Error::LoginRequired(_)), "{error:?}");
    assert_eq!(error.class(), ErrorClass::Unauthorized);
    assert_eq!(error.api_code(), Some("invalid_grant"));
    assert!(error.to_string().contains("log in again"), "{error}");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("canary"), "{text}");
    }
    // One token request: a 400 is not retried.
    assert_eq!(steps, ["POST /v1/oauth/token"]);
    assert!(s.login_required());
    // Every later call fails at once, sending nothing.
    let (result, steps, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| panic!("nothing is sent"),
    );
    assert!(matches!(result, Err(Error::LoginRequired(_))));
    assert!(steps.is_empty());
    // A new login clears it.
    s.set_credential(credential(T0 + Duration::from_hours(1)));
    assert!(!s.login_required());

    // A 401 from the token endpoint means the same.
    let s = session(T0);
    let config = oauth_config(&s);
    let (result, _, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| (401, r#"{"error":"invalid_client"}"#.into()),
    );
    assert!(matches!(result, Err(Error::LoginRequired(_))));
}

#[test]
fn other_token_endpoint_failures_are_transient_and_retried() {
    let s = session(T0);
    let config = oauth_config(&s);
    let (result, steps, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| (503, "<html>busy</html>".into()),
    );
    let error = result.unwrap_err();
    assert!(!matches!(error, Error::LoginRequired(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_retryable());
    assert_eq!(
        steps,
        [
            "POST /v1/oauth/token",
            "sleep 100ms",
            "POST /v1/oauth/token",
            "sleep 200ms",
            "POST /v1/oauth/token"
        ]
    );
    assert!(!s.login_required());
    // The next call tries again and succeeds.
    let (result, steps, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |one| match one.line.as_str() {
            "POST /v1/oauth/token" => (200, tokens_json(AT2, Some(RT2), "3600")),
            _ => (200, video_json()),
        },
    );
    result.unwrap();
    assert_eq!(steps, ["POST /v1/oauth/token", "GET /v3/videos/vid_0001"]);
}

#[test]
fn concurrent_calls_at_expiry_cause_one_refresh() {
    let s = session(T0);
    let config = oauth_config(&s);
    let cx = Cx::new(&config, Duration::ZERO, [0; 16]).at_unix_time(T0);
    let mut calls: Vec<_> = (0..16)
        .map(|_| Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap())
        .collect();
    let mut first = Vec::new();
    for call in &mut calls {
        first.push(match call.next(&cx) {
            Next::Send(out) => out.request.uri().path().to_owned(),
            Next::Sleep(delay) => format!("sleep {}", delay.as_millis()),
            other => panic!("{other:?}"),
        });
    }
    assert_eq!(first[0], "/v1/oauth/token");
    assert!(
        first[1..]
            .iter()
            .all(|s| *s == format!("sleep {}", REFRESH_WAIT.as_millis())),
        "{first:?}"
    );
    // The refresh lands.
    let body = tokens_json(AT2, Some(RT2), "3600");
    let response = http::Response::builder()
        .status(200)
        .body(body.as_bytes())
        .unwrap();
    calls[0].handle(
        Event::Response {
            response,
            sent: None,
        },
        &cx,
    );
    for call in &mut calls {
        match call.next(&cx) {
            Next::Send(out) => {
                assert_eq!(out.request.uri().path(), "/v3/videos/vid_0001");
                assert_eq!(
                    header(&out.request, "authorization"),
                    Some(&*format!("Bearer {AT2}"))
                );
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(s.refreshes(), 1);
}

#[test]
fn an_abandoned_refresh_lets_another_call_refresh() {
    let s = session(T0);
    let config = oauth_config(&s);
    let cx = Cx::new(&config, Duration::ZERO, [0; 16]).at_unix_time(T0);
    let mut first = Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap();
    assert!(matches!(first.next(&cx), Next::Send(_)));
    drop(first);
    let mut second = Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap();
    match second.next(&cx) {
        Next::Send(out) => assert_eq!(out.request.uri().path(), "/v1/oauth/token"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn api_keys_and_fixed_tokens_are_untouched() {
    for config in [
        Config::builder().api_key("hg_key_123456").build().unwrap(),
        Config::builder()
            .access_token("fixed_token_123")
            .build()
            .unwrap(),
    ] {
        assert!(config.oauth().is_none());
        let (result, steps, _) = drive(
            Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
            &config,
            T0,
            |_| (401, r#"{"error":{"code":"unauthorized"}}"#.into()),
        );
        assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(401));
        assert_eq!(steps, ["GET /v3/videos/vid_0001"]);
    }
    assert!(
        Config::builder()
            .api_key("k")
            .oauth(session(T0))
            .build()
            .is_err()
    );
}

#[test]
fn no_token_in_any_debug_display_or_error() {
    let s = session(T0);
    let config = oauth_config(&s);
    let call = Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap();
    let refresh = RefreshAccessToken::new(app(), RefreshToken::new(RT));
    let texts = [
        format!("{s:?}"),
        format!("{config:?}"),
        format!("{:?}", config.credentials()),
        format!("{:?}", s.credential()),
        format!("{call:?}"),
        format!("{:?}", call.request()),
        format!("{refresh:?}"),
        format!(
            "{:?}",
            RevokeToken::refresh_token(app(), &RefreshToken::new(RT))
        ),
        format!("{:?}", Config::builder().oauth(s.clone())),
    ];
    for text in &texts {
        assert!(!text.contains("canary"), "{text}");
    }
    // A server that echoes the tokens cannot leak them through an error.
    let (result, _, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |one| {
            (
                503,
                format!(
                    r#"{{"error":{{"code":"x","message":"got {} {}"}}}}"#,
                    one.body, AT
                ),
            )
        },
    );
    let error = result.unwrap_err();
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("canary"), "{text}");
    }
    let token: TokenResponse = serde_json::from_str(&tokens_json(AT2, Some(RT2), "1")).unwrap();
    assert!(!format!("{token:?}").contains("canary"));
}

fn device() -> DeviceAuthorization {
    serde_json::from_str(
        r#"{"device_code":"dc_canary","user_code":"WXYZ-1234","verification_uri":"https://app.heygen.com/device","expires_in":"600","interval":5}"#,
    )
    .unwrap()
}

#[test]
fn device_login_polls_at_the_interval_and_slows_down() {
    let config = oauth_config(&session(T0 + Duration::from_hours(1)));
    let mut answers = vec![
        (400, r#"{"error":"authorization_pending"}"#.to_owned()),
        (400, r#"{"error":"slow_down"}"#.to_owned()),
        (400, r#"{"error":"authorization_pending"}"#.to_owned()),
        (200, tokens_json(AT2, Some(RT2), "\"864000\"")),
    ]
    .into_iter();
    let (result, steps, seen) = drive(DeviceLogin::new(app(), &device()), &config, T0, |_| {
        answers.next().unwrap()
    });
    let tokens = result.unwrap();
    assert_eq!(
        steps,
        [
            "POST /v1/oauth/token",
            "sleep 5000ms",
            "POST /v1/oauth/token",
            "sleep 10000ms",
            "POST /v1/oauth/token",
            "sleep 10000ms",
            "POST /v1/oauth/token"
        ]
    );
    assert!(seen[0].body.contains("device_code=dc_canary"));
    let credential = tokens.credential();
    assert_eq!(credential.access_token.expose_secret(), AT2);
    // Sent at T0 + 25 s (the last poll), plus 10 days.
    assert_eq!(
        credential.expires_at,
        Some(T0 + Duration::from_secs(25 + 864_000))
    );
    assert!(!format!("{tokens:?}").contains("canary"));
}

#[test]
fn device_login_ends_on_denial_and_expiry() {
    let config = oauth_config(&session(T0 + Duration::from_hours(1)));
    for code in ["access_denied", "expired_token"] {
        let (result, steps, _) = drive(DeviceLogin::new(app(), &device()), &config, T0, |_| {
            (400, format!(r#"{{"error":"{code}"}}"#))
        });
        assert_eq!(result.unwrap_err().api_code(), Some(code));
        assert_eq!(steps, ["POST /v1/oauth/token"]);
    }
    // The device code's own lifetime ends the polls.
    let (result, steps, _) = drive(DeviceLogin::new(app(), &device()), &config, T0, |_| {
        (400, r#"{"error":"authorization_pending"}"#.to_owned())
    });
    assert!(result.unwrap_err().to_string().contains("expired"));
    assert_eq!(steps.iter().filter(|s| s.starts_with("POST")).count(), 120);
}

#[test]
fn a_token_shorter_lived_than_the_skew_is_refreshed_at_half_its_life() {
    let s = session(T0);
    let config = oauth_config(&s);
    let answer = |one: &Seen| match one.line.as_str() {
        "POST /v1/oauth/token" => (200, tokens_json(AT2, Some(RT2), "2")),
        _ => (200, video_json()),
    };
    let run = |unix: Duration| {
        let (result, steps, _) = drive(
            Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
            &config,
            unix,
            answer,
        );
        result.unwrap();
        steps
    };
    // The first call refreshes and then uses the 2-second token, not refreshing again.
    assert_eq!(run(T0), ["POST /v1/oauth/token", "GET /v3/videos/vid_0001"]);
    // Within the first half of its life the token is used; from the half on it is renewed.
    assert_eq!(
        run(T0 + Duration::from_millis(900)),
        ["GET /v3/videos/vid_0001"]
    );
    assert_eq!(
        run(T0 + Duration::from_secs(1)),
        ["POST /v1/oauth/token", "GET /v3/videos/vid_0001"]
    );
    assert_eq!(s.refreshes(), 2);
}

proptest::proptest! {
    /// The OAuth operations and the redirect reader take any status and any body without
    /// panicking, and their errors format and classify.
    #[test]
    fn oauth_parses_never_panic(
        status in 100u16..600,
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..256),
        json in "[{}\"a-z_:0-9, ]{0,64}",
    ) {
        let limits = heygen_core::ResponseLimits::new(128);
        let device: DeviceAuthorization = serde_json::from_str(
            r#"{"device_code":"dc_1","user_code":"A","verification_uri":"https://x"}"#,
        )
        .unwrap();
        for bytes in [body.as_slice(), json.as_bytes()] {
            let response = || {
                http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(bytes)
                    .unwrap()
            };
            let refresh = RefreshAccessToken::new(app(), RefreshToken::new(RT));
            if let Err(error) = refresh.parse(response(), &limits) {
                let _ = (error.to_string(), format!("{error:?}"), error.class());
            }
            let _ = RevokeToken::refresh_token(app(), &RefreshToken::new(RT)).parse(response(), &limits);
            let _ = AuthorizeDevice::new(app(), None).parse(response(), &limits);
            let _ = PollDeviceToken::new(app(), device.device_code.clone()).parse(response(), &limits);
            let pkce = Pkce::from_entropy(&[0; 32]);
            let _ = ExchangeCode::new(app(), AuthorizationCode::new("c"), "r", &pkce)
                .parse(response(), &limits);
        }
        let _ = parse_redirect(&json, "s");
    }
}

/// A credential store as several processes sharing one login see it: what `acquire` and `load`
/// return, and how often each was called and the lock released.
#[derive(Default)]
struct Shared {
    on_acquire: Mutex<Option<OAuthCredential>>,
    on_load: Mutex<Option<OAuthCredential>>,
    calls: Mutex<Vec<&'static str>>,
}

#[derive(Clone, Default)]
struct Store(Arc<Shared>);

impl CredentialStore for Store {
    fn acquire(&self) -> Option<OAuthCredential> {
        self.0.calls.lock().unwrap().push("acquire");
        self.0.on_acquire.lock().unwrap().clone()
    }
    fn load(&self) -> Option<OAuthCredential> {
        self.0.calls.lock().unwrap().push("load");
        self.0.on_load.lock().unwrap().clone()
    }
    fn release(&self) {
        self.0.calls.lock().unwrap().push("release");
    }
}

fn rotated() -> OAuthCredential {
    OAuthCredential::new(AccessToken::new(AT2))
        .with_refresh_token(RefreshToken::new(RT2))
        .with_expires_at(T0 + Duration::from_hours(1))
}

#[test]
fn a_refresh_token_rotated_by_another_process_is_taken_from_the_store() {
    let store = Store::default();
    *store.0.on_acquire.lock().unwrap() = Some(credential(T0));
    *store.0.on_load.lock().unwrap() = Some(rotated());
    let observed = Arc::new(Mutex::new(0));
    let sink = Arc::clone(&observed);
    let s = session(T0)
        .store(store.clone())
        .on_refresh(move |_| *sink.lock().unwrap() += 1);
    let config = oauth_config(&s);
    let (result, steps, seen) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |one| match one.line.as_str() {
            "POST /v1/oauth/token" => (400, r#"{"error":"invalid_grant"}"#.into()),
            _ => (200, video_json()),
        },
    );
    result.unwrap();
    // The stored file still held the old login when the refresh began; the refused refresh
    // token sent the session back to the store, which by then held the rotated one.
    assert_eq!(steps, ["POST /v1/oauth/token", "GET /v3/videos/vid_0001"]);
    assert_eq!(
        seen[1].authorization.as_deref(),
        Some(&*format!("Bearer {AT2}"))
    );
    assert_eq!(
        *store.0.calls.lock().unwrap(),
        ["acquire", "load", "release"]
    );
    assert!(!s.login_required());
    assert_eq!(s.generation(), 1);
    assert_eq!(s.refreshes(), 0);
    assert_eq!(s.credential().refresh_token.unwrap().expose_secret(), RT2);
    // The credential came from the store: nothing to save.
    assert_eq!(*observed.lock().unwrap(), 0);
}

#[test]
fn a_store_holding_the_same_refresh_token_means_the_login_is_dead() {
    let store = Store::default();
    *store.0.on_load.lock().unwrap() = Some(credential(T0));
    let s = session(T0).store(store.clone());
    let config = oauth_config(&s);
    let (result, steps, _) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| (400, r#"{"error":"invalid_grant"}"#.into()),
    );
    assert!(matches!(result, Err(Error::LoginRequired(_))), "{result:?}");
    assert_eq!(steps, ["POST /v1/oauth/token"]);
    assert_eq!(
        *store.0.calls.lock().unwrap(),
        ["acquire", "load", "release"]
    );
    assert!(s.login_required());
}

#[test]
fn a_login_renewed_by_another_process_is_used_without_refreshing() {
    let store = Store::default();
    *store.0.on_acquire.lock().unwrap() = Some(rotated());
    let s = session(T0).store(store.clone());
    let config = oauth_config(&s);
    let (result, steps, seen) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |_| (200, video_json()),
    );
    result.unwrap();
    assert_eq!(steps, ["GET /v3/videos/vid_0001"]);
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(&*format!("Bearer {AT2}"))
    );
    assert_eq!(*store.0.calls.lock().unwrap(), ["acquire", "release"]);
    assert_eq!(s.refreshes(), 0);

    // A stored login that is due too is refreshed with its own refresh token.
    let store = Store::default();
    *store.0.on_acquire.lock().unwrap() = Some(rotated().with_expires_at(T0));
    let s = session(T0).store(store.clone());
    let config = oauth_config(&s);
    let (result, steps, seen) = drive(
        Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap(),
        &config,
        T0,
        |one| match one.line.as_str() {
            "POST /v1/oauth/token" => (200, tokens_json("at_third", Some("rt_third"), "3600")),
            _ => (200, video_json()),
        },
    );
    result.unwrap();
    assert_eq!(steps, ["POST /v1/oauth/token", "GET /v3/videos/vid_0001"]);
    assert!(
        seen[0].body.contains(&format!("refresh_token={RT2}&")),
        "{}",
        seen[0].body
    );
    assert_eq!(
        *store.0.calls.lock().unwrap(),
        ["acquire", "release", "acquire", "release"]
    );
}

#[test]
fn any_400_or_401_from_the_token_endpoint_means_log_in_again() {
    for (status, content_type, body) in [
        (401, "text/html", "<html><body>Unauthorized</body></html>"),
        (400, "text/plain", ""),
        (400, "application/json", r#"{"message":"bad"}"#),
    ] {
        let s = session(T0);
        let config = oauth_config(&s);
        let mut workflow = Call::new(GetVideo::new(video()), &config, [0; 16]).unwrap();
        let cx = Cx::new(&config, Duration::ZERO, [9; 16]).at_unix_time(T0);
        let Next::Send(outgoing) = workflow.next(&cx) else {
            panic!("a refresh first");
        };
        assert_eq!(outgoing.request.uri().path(), "/v1/oauth/token");
        let response = http::Response::builder()
            .status(status)
            .header("content-type", content_type)
            .body(Bytes::from(body))
            .unwrap();
        workflow.handle_exchange(Ok((response, None)), &cx);
        let Next::Done(result) = workflow.next(&cx) else {
            panic!("no retry of a {status}");
        };
        let error = result.unwrap_err();
        assert!(
            matches!(error, Error::LoginRequired(_)),
            "{status} {body}: {error:?}"
        );
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(s.login_required());
    }
}

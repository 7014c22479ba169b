//! Findings of the review, each kind of fault as a scripted workflow: waits never read an
//! unknown or missing status as success and say what they saw at their deadline; the configured
//! credential never appears in an error; a page with a cursor and no `has_more` is followed;
//! `redact_secrets` covers every form a secret is written in.

use std::time::Duration;

use heygen_core::ops::{GetAvatarGroup, GetCurrentUser, GetVideo, ListLooks};
use heygen_core::redact::{redact_secrets, snippet};
use heygen_core::workflow::{Scripted, script_items};
use heygen_core::{Call, Config, Error, ErrorClass, Next, PollPolicy, Wait, WaitGoal, Waited};
use heygen_model::ListLooksQuery;

use crate::support::{KEY, config, group, look, play, video};

fn secs(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(secs(2))
        .max_interval(secs(5))
        .deadline(secs(10))
}

fn video_json(status: &str) -> String {
    format!(r#"{{"data":{{"id":"vid_0001","status":{status}}}}}"#)
}

fn group_json(status: &str, consent: &str) -> String {
    format!(
        r#"{{"data":{{"id":"grp_0001","name":"G","created_at":1,"looks_count":1,"status":{status},"consent_status":{consent}}}}}"#
    )
}

fn look_json(status: &str) -> String {
    format!(
        r#"{{"data":{{"id":"look_0001","name":"L","avatar_type":"photo_avatar","status":{status}}}}}"#
    )
}

/// Four checks (at 0, 2, 5 and 9.5 s), all answered with `body`; the wait must not end early.
fn four(body: &str) -> Vec<Scripted> {
    (0..4).map(|_| Scripted::json(200, body)).collect()
}

// ---- VideoStatus `error` ------------------------------------------------------------------

#[test]
fn a_video_in_status_error_fails_the_wait_at_once() {
    let run = play(
        Wait::video(&video()).policy(policy()),
        &config(),
        [Scripted::json(
            200,
            r#"{"data":{"id":"vid_0001","status":"error","failure_code":"render_error","failure_message":"the renderer crashed"}}"#,
        )],
    );
    assert_eq!(run.steps, ["send GET /v3/videos/vid_0001"]);
    let Err(Error::JobFailed(failed)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(failed.code.as_deref(), Some("render_error"));
    assert_eq!(failed.message.as_deref(), Some("the renderer crashed"));
}

// ---- unknown and missing statuses ---------------------------------------------------------

#[test]
fn a_terminal_looking_unknown_video_status_is_never_success() {
    for status in [
        r#""succeeded""#,
        r#""done""#,
        r#""complete""#,
        r#""cancelled""#,
        "null",
    ] {
        let run = play(
            Wait::video(&video()).policy(policy()),
            &config(),
            four(&video_json(status)),
        );
        let Err(Error::WaitTimedOut(timed_out)) = &run.result else {
            panic!("{status}: {:?}", run.result)
        };
        let shown = status.trim_matches('"');
        if status == "null" {
            assert_eq!(timed_out.last_status, None);
            assert!(
                run.result
                    .as_ref()
                    .unwrap_err()
                    .to_string()
                    .contains("none of 4 responses carried a status"),
                "{:?}",
                run.result
            );
        } else {
            assert_eq!(timed_out.last_status.as_deref(), Some(shown));
            assert!(run.result.as_ref().unwrap_err().to_string().contains(shown));
        }
    }
}

/// A private avatar whose status is briefly `null` is still being trained: the wait goes on
/// and ends with the real outcome.
#[test]
fn a_missing_avatar_status_is_not_completion() {
    let run = play(
        Wait::avatar(&group()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &group_json("null", "null")),
            Scripted::json(200, &group_json(r#""processing""#, "null")),
            Scripted::json(200, &group_json("null", "null")),
            Scripted::json(200, &group_json(r#""completed""#, "null")),
        ],
    );
    assert_eq!(run.sent.len(), 4);
    assert!(run.result.unwrap().is_completed());
    let run = play(
        Wait::look(&look()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &look_json("null")),
            Scripted::json(200, &look_json(r#""failed""#)),
        ],
    );
    assert_eq!(run.sent.len(), 2);
    assert_eq!(run.result.unwrap_err().class(), ErrorClass::JobFailed);
    // An unknown avatar status is not completion either.
    let run = play(
        Wait::avatar(&group()).policy(policy()),
        &config(),
        four(&group_json(r#""ready""#, "null")),
    );
    assert!(
        matches!(run.result, Err(Error::WaitTimedOut(_))),
        "{:?}",
        run.result
    );
}

/// A consent wait needs a known status past consent, or `approved`: an unknown or missing
/// status is not consent.
#[test]
fn a_consent_wait_does_not_take_an_unknown_status_for_consent() {
    for (status, consent) in [
        ("null", "null"),
        (r#""awaiting_review""#, "null"),
        (r#""processing""#, r#""skipped""#),
    ] {
        let run = play(
            Wait::consent(&group()).policy(policy()),
            &config(),
            four(&group_json(status, consent)),
        );
        assert!(
            matches!(run.result, Err(Error::WaitTimedOut(_))),
            "{status} {consent}: {:?}",
            run.result
        );
    }
    for (status, consent) in [
        (r#""processing""#, r#""approved""#),
        (r#""processing""#, "null"),
        ("null", r#""approved""#),
    ] {
        let run = play(
            Wait::new(GetAvatarGroup::new(group()), "grp_0001", WaitGoal::Consent).policy(policy()),
            &config(),
            [Scripted::json(200, &group_json(status, consent))],
        );
        // With `null` + approved, the explicit approval is the consent.
        assert!(
            matches!(run.result, Ok(Waited::Completed(_))),
            "{status} {consent}: {:?}",
            run.result
        );
    }
}

// ---- what a timed-out wait says ------------------------------------------------------------

/// A wait that saw only 503s says so, rather than "(no status seen)".
#[test]
fn a_wait_that_saw_only_503s_says_so_at_its_deadline() {
    let policy = PollPolicy::new()
        .initial_interval(secs(2))
        .max_interval(secs(2))
        .deadline(secs(6));
    let answers: Vec<Scripted> = (0..40)
        .map(|_| {
            Scripted::json(
                503,
                r#"{"error":{"code":"internal_error","message":"busy"}}"#,
            )
        })
        .collect();
    let mut answers = answers.into_iter();
    let run = crate::support::play_with(
        Wait::video(&video()).policy(policy),
        &config(),
        |next, _| match next {
            Next::Send(_) => answers.next().unwrap(),
            _ => Scripted::reader_consumed(),
        },
    );
    let error = run.result.unwrap_err();
    let Error::WaitTimedOut(timed_out) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(timed_out.last_status, None);
    assert!(timed_out.checks >= 2, "{timed_out:?}");
    let text = error.to_string();
    assert!(text.contains("503"), "{text}");
    assert!(text.contains("no status seen in"), "{text}");
    assert!(!text.contains("(no status seen)"), "{text}");
}

#[test]
fn a_wait_that_saw_a_status_then_503s_names_both() {
    let mut answers = vec![Scripted::json(200, &video_json(r#""processing""#))];
    answers.extend((0..40).map(|_| Scripted::json(503, "{}")));
    let mut answers = answers.into_iter();
    let run = crate::support::play_with(
        Wait::video(&video()).policy(policy()),
        &config(),
        |next, _| match next {
            Next::Send(_) => answers.next().unwrap(),
            _ => Scripted::reader_consumed(),
        },
    );
    let text = run.result.unwrap_err().to_string();
    assert!(text.contains("last status processing"), "{text}");
    assert!(text.contains("503"), "{text}");
}

// ---- the configured credential never reaches an error -------------------------------------

fn echo(status: u16, message: &str) -> Scripted {
    Scripted::json(
        status,
        &serde_json::json!({"error": {"code": "unauthorized", "message": message, "param": message}}).to_string(),
    )
}

#[test]
fn an_echoed_api_key_is_scrubbed_from_every_error() {
    let config = Config::builder()
        .api_key(KEY)
        .retry_policy(heygen_core::RetryPolicy::never())
        .build()
        .unwrap();
    let bodies = [
        echo(401, &format!("invalid api key {KEY}")),
        // As a JSON-escaped and a percent-encoded echo inside an HTML page.
        Scripted::json(
            502,
            &format!("<html>key={} and %22{}%22</html>", KEY, "hg_test_KEY"),
        )
        .header("content-type", "text/html"),
        Scripted::json(200, &format!(r#"{{"data":{{"username":{}}}}}"#, 5))
            .header("x-request-id", KEY),
    ];
    for answer in bodies {
        let call = Call::new(GetCurrentUser::new(), &config, [0; 16]).unwrap();
        let run = play(call, &config, [answer]);
        let error = run.result.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(KEY), "{shown}");
    }
    // An encoded key is found too.
    let odd = "hg key/with+chars";
    let config = Config::builder()
        .api_key(odd)
        .retry_policy(heygen_core::RetryPolicy::never())
        .build()
        .unwrap();
    let call = Call::new(GetCurrentUser::new(), &config, [0; 16]).unwrap();
    let run =
        play(
            call,
            &config,
            [Scripted::json(400, "<p>hg%20key%2Fwith%2Bchars</p>")
                .header("content-type", "text/html")],
        );
    let error = run.result.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("hg%20key%2Fwith%2Bchars") && !shown.contains(odd),
        "{shown}"
    );
}

#[test]
fn an_access_token_echoed_in_a_job_failure_is_scrubbed() {
    let token = "eyJhbGciOi.secret_token";
    let config = Config::builder().access_token(token).build().unwrap();
    let run = play(
        Wait::video(&video()).policy(policy()),
        &config,
        [Scripted::json(
            200,
            &format!(
                r#"{{"data":{{"id":"vid_0001","status":"failed","failure_message":"token {token} expired"}}}}"#
            ),
        )],
    );
    let error = run.result.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(token) && shown.contains("<redacted>"),
        "{shown}"
    );
}

// ---- pages ---------------------------------------------------------------------------------

/// A page with a cursor but no `has_more` has a next page: the walk follows it.
#[test]
fn a_page_with_a_token_and_no_has_more_is_followed() {
    let walk = heygen_core::Walk::new(ListLooks::new(ListLooksQuery::new().limit(2)));
    let mut pages = vec![
        Scripted::json(
            200,
            r#"{"data":[{"id":"look_1","avatar_type":"photo_avatar"}],"next_token":"tok_2"}"#,
        ),
        Scripted::json(
            200,
            r#"{"data":[{"id":"look_2","avatar_type":"photo_avatar"}],"next_token":null}"#,
        ),
    ]
    .into_iter();
    let (result, _steps, items) = script_items(walk, &config(), |next, _| match next {
        Next::Send(_) => pages.next().unwrap(),
        _ => Scripted::reader_consumed(),
    });
    result.unwrap();
    let ids: Vec<_> = items.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["look_1", "look_2"]);
}

// ---- redaction of error snippets -----------------------------------------------------------

#[test]
fn snippets_redact_json_tokens_nested_signatures_and_sig_lines() {
    let body = concat!(
        r#"{"X-Amz-Security-Token": "FwoTOKEN", "#,
        r#""next":"https%3A%2F%2Fs%2Fk%3FX-Amz-Signature%3DNESTEDSIG%26a%3D1", "#,
        r#""log":"sig: SIGLINE"}"#
    );
    let text = snippet(body.as_bytes());
    for secret in ["FwoTOKEN", "NESTEDSIG", "SIGLINE"] {
        assert!(!text.contains(secret), "{text}");
    }
    assert!(!redact_secrets(body).contains("NESTEDSIG"));
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    let run = play(
        call,
        &Config::builder()
            .api_key(KEY)
            .retry_policy(heygen_core::RetryPolicy::never())
            .build()
            .unwrap(),
        [Scripted::json(200, body).header("content-type", "text/html")],
    );
    let error = run.result.unwrap_err();
    let shown = format!("{error:?}");
    for secret in ["FwoTOKEN", "NESTEDSIG", "SIGLINE"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

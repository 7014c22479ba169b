//! The poller.

use std::time::Duration;

use heygen_core::ops::{GetAvatarGroup, GetVideo};
use heygen_core::{
    Error, ErrorClass, Next, Operation, PollPolicy, Poller, ResponseLimits, WaitGoal, Waited,
};
use heygen_model::{AvatarGroup, Video};

use crate::support::{group, json_resp, resp, video};

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(Duration::from_secs(2))
        .max_interval(Duration::from_secs(5))
        .deadline(Duration::from_mins(1))
}

fn video_with(status: &str) -> Video {
    let body = format!(r#"{{"data":{{"id":"vid_0001","status":"{status}"}}}}"#);
    GetVideo::new(video())
        .parse(json_resp(200, &body), &ResponseLimits::default())
        .unwrap()
}

fn group_with(status: &str, consent: &str) -> AvatarGroup {
    let body = format!(
        r#"{{"data":{{"id":"grp_0001","name":"G","created_at":1,"looks_count":1,"status":"{status}","consent_status":{consent}}}}}"#
    );
    GetAvatarGroup::new(group())
        .parse(json_resp(200, &body), &ResponseLimits::default())
        .unwrap()
}

#[test]
fn intervals_grow_to_the_cap_and_stop_at_the_deadline() {
    let mut poller = Poller::for_resource::<Video>("vid_0001", &policy(), Duration::ZERO);
    let mut now = Duration::ZERO;
    let mut delays = Vec::new();
    loop {
        match poller.on_status(video_with("processing"), now) {
            Next::Sleep(d) => {
                delays.push(d.as_secs_f64());
                now += d;
            }
            Next::Done(Err(err)) => {
                let Error::WaitTimedOut(t) = &err else {
                    panic!()
                };
                assert_eq!(t.id, "vid_0001");
                assert_eq!(t.last_status.as_deref(), Some("processing"));
                assert!(err.is_timeout());
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(&delays[..4], &[2.0, 3.0, 4.5, 5.0]);
    assert_eq!(now, Duration::from_mins(1));
}

#[test]
fn video_terminal_states() {
    let mut poller = Poller::for_resource::<Video>("vid_0001", &policy(), Duration::ZERO);
    for status in ["pending", "waiting", "processing", "rendering_somehow"] {
        assert!(matches!(
            poller.on_status(video_with(status), Duration::ZERO),
            Next::Sleep(_)
        ));
    }
    assert!(matches!(
        poller.on_status(video_with("completed"), Duration::ZERO),
        Next::Done(Ok(Waited::Completed(_)))
    ));
    let body = r#"{"data":{"id":"vid_0001","status":"failed","failure_code":"bad_script","failure_message":"nope"}}"#;
    let v = GetVideo::new(video())
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap();
    let mut poller = Poller::for_resource::<Video>("vid_0001", &policy(), Duration::ZERO);
    let Next::Done(Err(err)) = poller.on_status(v, Duration::ZERO) else {
        panic!()
    };
    assert_eq!(err.api_code(), Some("bad_script"));
    assert_eq!(err.class(), ErrorClass::JobFailed);
    assert_eq!(err.to_string(), "video vid_0001 failed (bad_script): nope");
}

#[test]
fn pending_consent_goals() {
    let pending = || group_with("pending_consent", "\"pending\"");
    let mut p = Poller::for_resource::<AvatarGroup>("grp_0001", &policy(), Duration::ZERO);
    assert!(matches!(
        p.on_status(pending(), Duration::ZERO),
        Next::Done(Ok(Waited::PendingConsent(_)))
    ));
    let mut p = Poller::for_resource::<AvatarGroup>("grp_0001", &policy(), Duration::ZERO)
        .goal(WaitGoal::CompletionThroughConsent);
    assert!(matches!(
        p.on_status(pending(), Duration::ZERO),
        Next::Sleep(_)
    ));
    let mut p = Poller::for_resource::<AvatarGroup>("grp_0001", &policy(), Duration::ZERO)
        .goal(WaitGoal::Consent);
    assert!(matches!(
        p.on_status(pending(), Duration::ZERO),
        Next::Sleep(_)
    ));
    assert!(matches!(
        p.on_status(group_with("processing", "\"approved\""), Duration::ZERO),
        Next::Done(Ok(Waited::Completed(_)))
    ));
    let body = r#"{"data":{"id":"grp_0001","name":"G","created_at":1,"looks_count":1,"status":"failed","error":{"code":"bad_footage","message":"no face"}}}"#;
    let g = GetAvatarGroup::new(group())
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap();
    let mut p = Poller::for_resource::<AvatarGroup>("grp_0001", &policy(), Duration::ZERO);
    let Next::Done(Err(err)) = p.on_status(g, Duration::ZERO) else {
        panic!()
    };
    assert_eq!(err.api_code(), Some("bad_footage"));
}

#[test]
fn errors_while_polling() {
    let op = GetVideo::new(video());
    let mut p = Poller::for_resource::<Video>("vid_0001", &policy(), Duration::ZERO);
    let e503 = op
        .parse(
            resp(503, &[("content-type", "text/html")], b"<html/>"),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert!(matches!(
        p.on_error::<Video>(e503, Duration::ZERO),
        Next::Sleep(_)
    ));
    let e429 = op
        .parse(
            resp(
                429,
                &[("retry-after", "9")],
                br#"{"error":{"code":"rate_limit_exceeded"}}"#,
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let Next::Sleep(d) = p.on_error::<Video>(e429, Duration::ZERO) else {
        panic!()
    };
    assert_eq!(d, Duration::from_secs(9));
    let timeout = Error::transport(heygen_core::TransportErrorKind::Timeout, None);
    assert!(matches!(
        p.on_error::<Video>(timeout, Duration::ZERO),
        Next::Sleep(_)
    ));
    let e404 = op
        .parse(
            json_resp(404, r#"{"error":{"code":"not_found"}}"#),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert!(matches!(
        p.on_error::<Video>(e404, Duration::ZERO),
        Next::Done(Err(_))
    ));
    let e401 = op
        .parse(json_resp(401, "{}"), &ResponseLimits::default())
        .unwrap_err();
    let mut p = Poller::for_resource::<Video>("vid_0001", &policy(), Duration::ZERO);
    assert!(matches!(
        p.on_error::<Video>(e401, Duration::ZERO),
        Next::Done(Err(_))
    ));
    // A transient error past the deadline ends the wait with the last status.
    let mut p = Poller::for_resource::<Video>("vid_0001", &policy(), Duration::ZERO);
    let _ = p.on_status(video_with("processing"), Duration::ZERO);
    let e500 = op
        .parse(json_resp(500, "{}"), &ResponseLimits::default())
        .unwrap_err();
    let Next::Done(Err(Error::WaitTimedOut(t))) =
        p.on_error::<Video>(e500, Duration::from_secs(61))
    else {
        panic!()
    };
    assert_eq!(t.last_status.as_deref(), Some("processing"));
}

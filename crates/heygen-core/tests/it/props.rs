//! Property tests (modest case counts).

use std::fmt::Write as _;
use std::time::Duration;

use heygen_core::error::StallReason;
use heygen_core::ops::ListLooks;
use heygen_core::retry::{Decision, backoff, decide};
use heygen_core::{
    Error, Next, Observation, Paginator, PollPolicy, Pollable, Poller, RequestFacts,
    ResponseLimits, RetryPolicy, TransportErrorKind,
};
use http::Method;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        ..ProptestConfig::default()
    }
}

fn outcome(status: u16, retry_after: Option<u64>) -> Error {
    use heygen_core::Operation as _;
    let body = br#"{"error":{"code":"x"}}"#;
    let mut builder = http::Response::builder().status(status);
    if let Some(s) = retry_after {
        builder = builder.header("retry-after", s.to_string());
    }
    heygen_core::ops::GetCurrentUser::new()
        .parse(builder.body(&body[..]).unwrap(), &ResponseLimits::default())
        .err()
        .unwrap_or_else(|| Error::transport(TransportErrorKind::Io, None))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn delays_never_exceed_the_cap(
        attempt in 1u32..100,
        jitter in 0.0f64..1.0,
        base_ms in 0u64..100_000,
        cap_ms in 0u64..100_000,
        status in prop::sample::select(vec![429u16, 409, 500, 502, 503, 504]),
        retry_after in proptest::option::of(0u64..1_000_000),
    ) {
        let policy = RetryPolicy::default()
            .max_retries(200)
            .base_delay(Duration::from_millis(base_ms))
            .max_delay(Duration::from_millis(cap_ms));
        prop_assert!(backoff(attempt, &policy, jitter) <= policy.max_delay);
        let facts = RequestFacts::new(Method::GET, true);
        if let Decision::RetryAfter(d) = decide(attempt, &facts, &outcome(status, retry_after), Duration::ZERO, jitter, &policy) {
            prop_assert!(d <= policy.max_delay);
        }
    }

    #[test]
    fn attempts_never_exceed_the_budget(max_retries in 0u32..6, statuses in prop::collection::vec(prop::sample::select(vec![429u16, 500, 503, 200, 404]), 1..20)) {
        let policy = RetryPolicy::default().max_retries(max_retries);
        let facts = RequestFacts::new(Method::GET, true);
        let mut attempts = 0u32;
        for (i, status) in statuses.iter().enumerate() {
            attempts += 1;
            let attempt = u32::try_from(i).unwrap() + 1;
            match decide(attempt, &facts, &outcome(*status, None), Duration::ZERO, 0.5, &policy) {
                Decision::Stop => break,
                Decision::RetryAfter(_) => {}
            }
        }
        prop_assert!(attempts <= max_retries + 1);
    }

    #[test]
    fn paginator_terminates_and_never_repeats_a_token(
        cursors in prop::collection::vec((any::<bool>(), proptest::option::of("[a-c]{0,2}")), 0..40),
    ) {
        let mut pages = Paginator::new(ListLooks::default());
        let mut used = std::collections::HashSet::new();
        let mut steps = 0usize;
        let mut script = cursors.iter();
        while let Some(op) = pages.next_operation() {
            steps += 1;
            if let Some(token) = op.query().token.clone() {
                prop_assert!(used.insert(token), "token requested twice");
            }
            let Some((more, token)) = script.next() else { break };
            if pages.on_cursor(*more, token.as_deref(), 1).is_err() {
                break;
            }
        }
        prop_assert!(steps <= cursors.len() + 1);
        prop_assert!(pages.next_operation().is_none() || steps == cursors.len() + 1 || cursors.is_empty());
    }

    #[test]
    fn paginator_terminates_against_a_server_that_always_has_more(
        counts in prop::collection::vec(0usize..3, 1..20),
        cap in 1u32..200,
    ) {
        // Fresh tokens forever, `has_more` always true: only the empty-page rule and the cap
        // stop the walk, and no more than MAX_EMPTY_PAGES empty pages come in a row.
        let mut pages = Paginator::new(ListLooks::default()).max_pages(cap);
        let mut received = 0u32;
        let mut empty_in_a_row = 0u32;
        let outcome = loop {
            let Some(_op) = pages.next_operation() else { break None };
            let items = counts[received as usize % counts.len()];
            received += 1;
            empty_in_a_row = if items == 0 { empty_in_a_row + 1 } else { 0 };
            prop_assert!(received <= cap, "walked past the page cap");
            if let Err(e) = pages.on_cursor(true, Some(&format!("t{received}")), items) {
                break Some(e);
            }
        };
        let Some(Error::PaginationStalled(stalled)) = outcome else {
            return Err(TestCaseError::fail(format!("no stall: {outcome:?}")));
        };
        prop_assert!(empty_in_a_row <= heygen_core::paginate::MAX_EMPTY_PAGES);
        if stalled.reason == StallReason::EmptyPages {
            prop_assert_eq!(empty_in_a_row, heygen_core::paginate::MAX_EMPTY_PAGES);
        } else {
            prop_assert_eq!(stalled.reason, StallReason::PageCap);
            prop_assert_eq!(received, cap);
        }
        prop_assert!(pages.next_operation().is_none());
    }

    #[test]
    fn poller_never_reports_done_for_a_non_terminal_status(
        statuses in prop::collection::vec(prop::sample::select(vec!["pending", "waiting", "processing", "queued", "", "Completed"]), 1..30),
        steps in prop::collection::vec(0u64..100, 1..30),
    ) {
        struct S(&'static str);
        impl Pollable for S {
            const RESOURCE: &'static str = "video";
            fn observe(&self) -> Observation {
                match self.0 {
                    "completed" => Observation::Completed,
                    "failed" => Observation::Failed { code: None, message: None },
                    _ => Observation::InProgress,
                }
            }
            fn raw_status(&self) -> Option<&str> {
                Some(self.0)
            }
        }
        let policy = PollPolicy::default().deadline(Duration::from_secs(500));
        let mut poller = Poller::new("video", "vid_0001", &policy, Duration::ZERO);
        let mut now = Duration::ZERO;
        for (status, step) in statuses.iter().zip(steps.iter().cycle()) {
            now += Duration::from_secs(*step);
            match poller.on_status(S(status), now) {
                Next::Done(Ok(_)) => prop_assert!(false, "done on {status}"),
                Next::Sleep(d) => prop_assert!(now + d <= Duration::from_secs(500)),
                Next::Done(Err(e)) => { prop_assert!(e.is_timeout()); break; }
                _ => prop_assert!(false, "a poller only sleeps or stops"),
            }
        }
    }

    #[test]
    fn parse_never_panics(
        status in 100u16..600,
        headers in prop::collection::vec((prop::sample::select(vec!["content-type", "content-encoding", "retry-after", "date", "x-request-id", "location"]), "[ -~]{0,40}"), 0..4),
        body in prop::collection::vec(any::<u8>(), 0..300),
        json_like in any::<bool>(),
    ) {
        let mut input = format!("{status}\n");
        for (name, value) in &headers {
            writeln!(input, "{name}: {value}").unwrap();
        }
        input.push('\n');
        let mut data = input.into_bytes();
        if json_like {
            data.extend_from_slice(b"{\"data\":");
        }
        data.extend_from_slice(&body);
        heygen_core::fuzzing::parse_response(&data);
    }
}

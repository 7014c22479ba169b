//! A batch of three videos (one made to fail) on the emulator through the blocking client:
//! created once under one idempotency key (its first attempt answered 503), polled page by page,
//! and ended with each video's outcome in the order submitted.

use std::time::Duration;

use heygen_blocking::Client;
use heygen_core::batch::ItemOutcome;
use heygen_core::{Config, PollPolicy};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Fault, FaultRule};
use heygen_model::{
    BatchPageQuery, CreateAvatarVideo, CreateVideoBatchRequest, CreateVideoRequest, LookId,
    VideoLookupStatus, VideoStatus, VideoStatusesQuery,
};

/// An emulator whose clock runs 200 times faster than real time: a video (65 emulated
/// seconds) renders in about a third of a second.
fn start() -> (EmulatorHandle, Client) {
    let emu = Emulator::start(
        EmulatorOptions::default()
            .speed(200.0)
            .check_responses(true),
    )
    .unwrap();
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .build()
        .unwrap();
    (emu, Client::new(config).unwrap())
}

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(50))
        .deadline(Duration::from_secs(30))
}

fn three() -> CreateVideoBatchRequest {
    let look = LookId::new("Abigail_office_front_public").unwrap();
    let video = |title: &str| -> CreateVideoRequest {
        CreateAvatarVideo::new(look.clone())
            .script("Hello there")
            .title(title)
            .into()
    };
    CreateVideoBatchRequest::new([video("one"), video("[fail] two"), video("three")])
        .title("Launch")
}

#[test]
fn a_batch_of_three_ends_with_each_outcome_in_order() {
    let (emu, client) = start();
    emu.inject(
        FaultRule::new(
            "/v3/videos/batches",
            Fault::Html {
                status: 503,
                retry_after: None,
            },
        )
        .method("POST")
        .times(1),
    );
    let outcome = client.videos().run_batch_with(three(), &policy()).unwrap();

    let posts: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/v3/videos/batches")
        .collect();
    assert_eq!(posts.len(), 2, "the 503 was retried once");
    let key = posts[0].headers.get("idempotency-key").unwrap();
    assert_eq!(posts[1].headers.get("idempotency-key"), Some(key));

    assert_eq!(outcome.items.len(), 3);
    assert_eq!(
        outcome
            .items
            .iter()
            .map(ItemOutcome::index)
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let ItemOutcome::Failed { error, .. } = &outcome.items[1] else {
        panic!("{:?}", outcome.items[1])
    };
    assert_eq!(error.as_ref().unwrap().code, "video_render_failed");
    for (index, title) in [(0, "one"), (2, "three")] {
        let ItemOutcome::Completed { id, .. } = &outcome.items[index] else {
            panic!("{:?}", outcome.items[index])
        };
        let video = client.videos().get(id).unwrap();
        assert_eq!(video.status, Some(VideoStatus::Completed));
        assert_eq!(video.title.as_deref(), Some(title));
    }
    assert_eq!((outcome.completed(), outcome.failed()), (2, 1));
    assert!(
        emu.schema_violations().is_empty(),
        "{:?}",
        emu.schema_violations()
    );
}

#[test]
fn create_then_read_pages_statuses_and_wait() {
    let (emu, client) = start();
    let videos = client.videos();
    let created = videos.create_batch(three()).unwrap();
    assert_eq!(created.total_items, Some(3));

    let first = videos
        .get_batch_page(&created.batch_id, BatchPageQuery::new().limit(2))
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let token = first.next_token().unwrap().to_owned();
    let second = videos
        .get_batch_page(
            &created.batch_id,
            BatchPageQuery::new().limit(2).token(token),
        )
        .unwrap();
    assert_eq!(second.items[0].item_index, 2);
    assert!(!second.has_more());

    let outcome = videos
        .wait_for_batch_with(&created.batch_id, &policy())
        .unwrap();
    assert_eq!(outcome.batch_id, created.batch_id);
    assert_eq!(
        outcome
            .items
            .iter()
            .map(ItemOutcome::is_completed)
            .collect::<Vec<_>>(),
        [true, false, true]
    );

    let statuses = videos
        .statuses(VideoStatusesQuery::new().batch(created.batch_id.clone()))
        .unwrap();
    let seen: Vec<_> = statuses
        .data
        .iter()
        .map(|e| e.status.clone().unwrap())
        .collect();
    assert_eq!(
        seen,
        [
            VideoLookupStatus::Completed,
            VideoLookupStatus::Failed,
            VideoLookupStatus::Completed
        ]
    );
    assert!(
        emu.schema_violations().is_empty(),
        "{:?}",
        emu.schema_violations()
    );
}

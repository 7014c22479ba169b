//! Video batches and bulk statuses: golden requests, fixture parses, and the sans-IO batch
//! workflows (create once, poll every item page, end with each item's outcome in order).

use std::time::Duration;

use heygen_core::Paginate as _;
use heygen_core::batch::{ItemOutcome, RunVideoBatch, WaitBatch};
use heygen_core::ops::{
    CreateVideo, CreateVideoBatch, GetVideoBatch, GetVideoStatuses, ListVideos,
};
use heygen_core::workflow::Scripted;
use heygen_core::{Call, Error, Operation, PollPolicy, ResponseLimits};
use heygen_model::{
    AspectRatio, BatchId, BatchPageQuery, BatchStatus, CreateAvatarVideo, CreateCinematicVideo,
    CreateImageVideo, CreateStudioVideo, CreateVideoBatchRequest, CreateVideoRequest, FolderId,
    IdempotencyKey, ImageScene, ListVideosQuery, ResourceError, StudioScene, VideoId,
    VideoLookupStatus, VideoStatusesQuery,
};
use serde_json::{Value, json};

use crate::fixtures::{
    envelope_4xx, error_on_200, gzip_error_body, html_5xx, malformed_2xx, oversized_body,
};
use crate::support::{ENTROPY, GENERATED_KEY, built, expect_request as expect};
use crate::support::{body_json, config, json_resp, key_of, look, play};

fn batch() -> BatchId {
    BatchId::new("batch_0001").unwrap()
}

fn three_videos() -> CreateVideoBatchRequest {
    let say =
        |text: &str| -> CreateVideoRequest { CreateAvatarVideo::new(look()).script(text).into() };
    CreateVideoBatchRequest::new([say("one"), say("two"), say("three")]).title("Launch")
}

// ---- golden requests ------------------------------------------------------------------------

#[test]
fn create_cinematic_and_studio_videos() {
    let cinematic = CreateVideo::new(
        CreateCinematicVideo::new([look()], "A walk on the beach")
            .auto_duration(true)
            .aspect_ratio(AspectRatio::Portrait9x16),
    );
    expect(
        &built(cinematic),
        "POST",
        "https://api.heygen.com/v3/videos",
        Some(GENERATED_KEY),
        Some(json!({
            "type": "cinematic_avatar",
            "avatar_id": ["look_0001"],
            "prompt": "A walk on the beach",
            "auto_duration": true,
            "aspect_ratio": "9:16"
        })),
    );
    let studio = CreateVideo::new(CreateStudioVideo::new([StudioScene::Image(
        ImageScene::silent(
            heygen_model::AssetInput::url("https://example.com/a.png"),
            4.0,
        ),
    )]));
    expect(
        &built(studio),
        "POST",
        "https://api.heygen.com/v3/videos",
        Some(GENERATED_KEY),
        Some(json!({
            "type": "studio",
            "scenes": [{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}, "duration": 4.0}]
        })),
    );
}

#[test]
fn a_video_breaking_a_cross_field_rule_is_not_built() {
    let image = CreateVideo::new(
        CreateImageVideo::new(heygen_model::AssetInput::url("https://example.com/a.png"))
            .script("Hi"),
    );
    let Err(Error::InvalidRequest(invalid)) = Call::new(image, &config(), ENTROPY) else {
        panic!("built a video with a script and no voice")
    };
    assert_eq!(invalid.field.as_deref(), Some("voice_id"));
}

#[test]
fn create_video_batch_with_a_caller_key() {
    let op = CreateVideoBatch::new(three_videos())
        .idempotency_key(IdempotencyKey::new("launch-2026").unwrap());
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/videos/batches",
        Some("launch-2026"),
        Some(json!({
            "videos": [
                {"type": "avatar", "avatar_id": "look_0001", "script": "one"},
                {"type": "avatar", "avatar_id": "look_0001", "script": "two"},
                {"type": "avatar", "avatar_id": "look_0001", "script": "three"}
            ],
            "title": "Launch"
        })),
    );
    // Without one, a key is generated from the entropy.
    expect(
        &built(CreateVideoBatch::new(CreateVideoBatchRequest::new([]))),
        "POST",
        "https://api.heygen.com/v3/videos/batches",
        Some(GENERATED_KEY),
        Some(json!({"videos": []})),
    );
}

#[test]
fn create_video_batch_over_one_hundred_is_not_built() {
    let video: CreateVideoRequest = CreateAvatarVideo::new(look()).script("x").into();
    let op = CreateVideoBatch::new(CreateVideoBatchRequest::new(vec![video; 101]));
    let Err(Error::InvalidRequest(invalid)) = Call::new(op, &config(), ENTROPY) else {
        panic!("built a batch of 101 videos")
    };
    assert_eq!(invalid.field.as_deref(), Some("videos"));
}

#[test]
fn get_video_batch_pages() {
    expect(
        &built(GetVideoBatch::new(batch())),
        "GET",
        "https://api.heygen.com/v3/videos/batches/batch_0001",
        None,
        None,
    );
    expect(
        &built(GetVideoBatch::new(batch()).page(BatchPageQuery::new().limit(2).token("t 2/3"))),
        "GET",
        "https://api.heygen.com/v3/videos/batches/batch_0001?limit=2&token=t%202%2F3",
        None,
        None,
    );
    expect(
        &built(GetVideoBatch::new(BatchId::new("../x").unwrap())),
        "GET",
        "https://api.heygen.com/v3/videos/batches/..%2Fx",
        None,
        None,
    );
    let Err(Error::InvalidRequest(invalid)) = Call::new(
        GetVideoBatch::new(batch()).page(BatchPageQuery::new().limit(0)),
        &config(),
        ENTROPY,
    ) else {
        panic!("built a page of 0 items")
    };
    assert_eq!(invalid.field.as_deref(), Some("limit"));
}

#[test]
fn get_video_statuses_joins_ids_with_commas() {
    let query = VideoStatusesQuery::new()
        .video(VideoId::new("vid_1").unwrap())
        .video(VideoId::new("vid_2").unwrap())
        .batch(batch());
    expect(
        &built(GetVideoStatuses::new(query)),
        "GET",
        "https://api.heygen.com/v3/videos/statuses?video_ids=vid_1%2Cvid_2&batch_ids=batch_0001",
        None,
        None,
    );
    let Err(Error::InvalidRequest(invalid)) = Call::new(
        GetVideoStatuses::new(VideoStatusesQuery::new()),
        &config(),
        ENTROPY,
    ) else {
        panic!("built a lookup of nothing")
    };
    assert_eq!(invalid.field.as_deref(), Some("video_ids"));
}

#[test]
fn list_videos_by_folder_and_title() {
    let query = ListVideosQuery::new()
        .limit(5)
        .folder_id(FolderId::new("fld_1").unwrap())
        .title("launch day");
    expect(
        &built(ListVideos::new(query.clone())),
        "GET",
        "https://api.heygen.com/v3/videos?limit=5&folder_id=fld_1&title=launch%20day",
        None,
        None,
    );
    // The next page keeps both filters.
    let next = ListVideos::new(query).with_token(Some("t2"));
    expect(
        &built(next),
        "GET",
        "https://api.heygen.com/v3/videos?limit=5&token=t2&folder_id=fld_1&title=launch%20day",
        None,
        None,
    );
}

// ---- fixture parses -------------------------------------------------------------------------

fn parse<O: Operation>(op: &O, status: u16, body: &str) -> Result<O::Output, Error> {
    op.parse(json_resp(status, body), &ResponseLimits::default())
}

#[test]
fn every_batch_operation_parses_errors_like_the_others() {
    let create = CreateVideoBatch::new(three_videos());
    let get = GetVideoBatch::new(batch());
    let statuses = GetVideoStatuses::new(VideoStatusesQuery::new().batch(batch()));
    macro_rules! each {
        ($check:ident) => {
            $check(&create);
            $check(&get);
            $check(&statuses);
        };
    }
    each!(envelope_4xx);
    each!(html_5xx);
    each!(error_on_200);
    each!(malformed_2xx);
    each!(gzip_error_body);
    each!(oversized_body);
}

#[test]
fn batch_responses_parse() {
    let created = parse(
        &CreateVideoBatch::new(three_videos()),
        202,
        r#"{"data":{"batch_id":"batch_0001","status":"processing","total_items":3,"created_at":1764400000}}"#,
    )
    .unwrap();
    assert_eq!(created.batch_id, batch());
    assert_eq!(created.total_items, Some(3));

    let page = parse(
        &GetVideoBatch::new(batch()),
        200,
        &batch_page(
            "processing",
            &[item(0, "completed", Some("vid_0")), item(1, "queued", None)],
            Some("next"),
        ),
    )
    .unwrap();
    assert_eq!(page.status, Some(BatchStatus::Processing));
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_token(), Some("next"));

    let statuses = parse(
        &GetVideoStatuses::new(VideoStatusesQuery::new().batch(batch())),
        200,
        r#"{"data":[{"video_id":"vid_0","status":"completed","batch_id":"batch_0001","item_index":0},{"video_id":null,"status":"queued","batch_id":"batch_0001","item_index":1}],"has_more":false,"next_token":null}"#,
    )
    .unwrap();
    assert_eq!(statuses.data[1].status, Some(VideoLookupStatus::Queued));
    assert!(statuses.data[1].video_id.is_none());
}

// ---- the batch workflows --------------------------------------------------------------------

fn policy() -> PollPolicy {
    PollPolicy::new()
        .initial_interval(Duration::from_secs(2))
        .max_interval(Duration::from_secs(5))
        .deadline(Duration::from_secs(10))
}

fn item(index: u64, status: &str, video: Option<&str>) -> Value {
    let mut item = json!({"item_index": index, "status": status, "video_id": video});
    if status == "failed" {
        item["error"] = json!({"code": "invalid_voice", "message": "voice not found"});
    }
    item
}

fn batch_page(status: &str, items: &[Value], next: Option<&str>) -> String {
    json!({"data": {
        "batch_id": "batch_0001", "status": status, "total_items": 3,
        "counts_by_status": {}, "created_at": 1_764_400_000, "title": "Launch",
        "items": items, "has_more": next.is_some(), "next_token": next
    }})
    .to_string()
}

fn expected_items() -> Vec<ItemOutcome<VideoId>> {
    vec![
        ItemOutcome::Completed {
            index: 0,
            id: VideoId::new("vid_0").unwrap(),
        },
        ItemOutcome::Failed {
            index: 1,
            id: None,
            error: Some(ResourceError::new("invalid_voice", "voice not found")),
        },
        ItemOutcome::Completed {
            index: 2,
            id: VideoId::new("vid_2").unwrap(),
        },
    ]
}

fn uris(sent: &[heygen_core::Outgoing]) -> Vec<String> {
    sent.iter().map(|o| o.request.uri().to_string()).collect()
}

#[test]
fn run_batch_creates_once_then_walks_every_page_until_each_item_is_final() {
    let run = play(
        RunVideoBatch::new(three_videos())
            .policy(policy())
            .page_limit(2),
        &config(),
        [
            // The create is rate limited once and retried with the same key.
            Scripted::json(
                429,
                r#"{"error":{"code":"rate_limit_exceeded","message":"slow"}}"#,
            )
            .header("retry-after", "1"),
            Scripted::json(
                202,
                r#"{"data":{"batch_id":"batch_0001","status":"processing","total_items":3}}"#,
            ),
            // First poll: two pages, one item still running, one queued.
            Scripted::json(
                200,
                &batch_page(
                    "processing",
                    &[
                        item(0, "completed", Some("vid_0")),
                        item(1, "processing", None),
                    ],
                    Some("p2"),
                ),
            ),
            Scripted::json(
                200,
                &batch_page("processing", &[item(2, "queued", None)], None),
            ),
            // Second poll: every item final, one failed.
            Scripted::json(
                200,
                &batch_page(
                    "completed",
                    &[item(0, "completed", Some("vid_0")), item(1, "failed", None)],
                    Some("p3"),
                ),
            ),
            Scripted::json(
                200,
                &batch_page("completed", &[item(2, "completed", Some("vid_2"))], None),
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/videos/batches",
            "sleep 1000ms",
            "send POST /v3/videos/batches",
            "send GET /v3/videos/batches/batch_0001",
            "send GET /v3/videos/batches/batch_0001",
            "sleep 2000ms",
            "send GET /v3/videos/batches/batch_0001",
            "send GET /v3/videos/batches/batch_0001",
        ]
    );
    assert_eq!(
        uris(&run.sent)[2..],
        [
            "https://api.heygen.com/v3/videos/batches/batch_0001?limit=2",
            "https://api.heygen.com/v3/videos/batches/batch_0001?limit=2&token=p2",
            "https://api.heygen.com/v3/videos/batches/batch_0001?limit=2",
            "https://api.heygen.com/v3/videos/batches/batch_0001?limit=2&token=p3",
        ]
    );
    // One idempotency key for every attempt of the create; none on the reads.
    let first_key = key_of(&run.sent[0]).unwrap().to_owned();
    assert_eq!(key_of(&run.sent[1]), Some(first_key.as_str()));
    assert!(run.sent[2..].iter().all(|o| key_of(o).is_none()));
    assert_eq!(
        body_json(&run.sent[0].request),
        body_json(&run.sent[1].request)
    );

    let outcome = run.result.unwrap();
    assert_eq!(outcome.batch_id, batch());
    assert_eq!(outcome.status, Some(BatchStatus::Completed));
    assert_eq!(outcome.items, expected_items());
    assert_eq!((outcome.completed(), outcome.failed()), (2, 1));
    assert_eq!(
        serde_json::to_value(&outcome.items[1]).unwrap(),
        json!({"status": "failed", "index": 1,
               "error": {"code": "invalid_voice", "message": "voice not found"}})
    );
}

#[test]
fn outcomes_follow_item_index_whatever_the_page_order() {
    let run = play(
        WaitBatch::video(&batch()).policy(policy()),
        &config(),
        [Scripted::json(
            200,
            &batch_page(
                "completed",
                &[
                    item(2, "completed", Some("vid_2")),
                    item(0, "completed", Some("vid_0")),
                    item(1, "failed", None),
                ],
                None,
            ),
        )],
    );
    assert_eq!(run.steps, ["send GET /v3/videos/batches/batch_0001"]);
    assert_eq!(run.result.unwrap().items, expected_items());
}

#[test]
fn a_batch_that_never_finishes_ends_at_the_deadline_naming_its_progress() {
    let running = batch_page(
        "processing",
        &[
            item(0, "completed", Some("vid_0")),
            item(1, "processing", None),
            // Completed without its video id yet: not final.
            item(2, "completed", None),
        ],
        None,
    );
    let run = play(
        WaitBatch::video(&batch()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &running),
            Scripted::json(200, &running),
            Scripted::json(200, &running),
            Scripted::json(200, &running),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/batches/batch_0001",
            "sleep 2000ms",
            "send GET /v3/videos/batches/batch_0001",
            "sleep 3000ms",
            "send GET /v3/videos/batches/batch_0001",
            "sleep 4500ms",
            "send GET /v3/videos/batches/batch_0001",
            "sleep 500ms",
        ]
    );
    let Err(Error::WaitTimedOut(timed_out)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(timed_out.resource, "video batch");
    assert_eq!(timed_out.id, "batch_0001");
    assert_eq!(
        timed_out.last_status.as_deref(),
        Some("processing (1 of 3 items final)")
    );
    assert_eq!(timed_out.checks, 4);
}

#[test]
fn a_page_missing_items_is_not_final_even_if_every_item_seen_is() {
    // `total_items` says three; only two came back.
    let partial = batch_page(
        "processing",
        &[item(0, "completed", Some("vid_0")), item(1, "failed", None)],
        None,
    );
    let run = play(
        WaitBatch::video(&batch()).policy(policy()),
        &config(),
        [
            Scripted::json(200, &partial),
            Scripted::json(
                200,
                &batch_page(
                    "completed",
                    &[
                        item(0, "completed", Some("vid_0")),
                        item(1, "failed", None),
                        item(2, "completed", Some("vid_2")),
                    ],
                    None,
                ),
            ),
        ],
    );
    assert_eq!(run.steps.len(), 3, "{:?}", run.steps);
    assert_eq!(run.result.unwrap().items, expected_items());
}

#[test]
fn a_transient_failure_mid_round_restarts_the_round_after_a_sleep() {
    let run = play(
        WaitBatch::video(&batch()).policy(policy()),
        &config(),
        [
            Scripted::json(
                200,
                &batch_page(
                    "processing",
                    &[item(0, "completed", Some("vid_0"))],
                    Some("p2"),
                ),
            ),
            // The second page fails for good (after the call's own retries)…
            Scripted::json(503, "<html>busy</html>"),
            Scripted::json(503, "<html>busy</html>"),
            Scripted::json(503, "<html>busy</html>"),
            // …and the next poll starts again from the first page.
            Scripted::json(
                200,
                &batch_page(
                    "completed",
                    &[item(0, "completed", Some("vid_0")), item(1, "failed", None)],
                    Some("p2"),
                ),
            ),
            Scripted::json(
                200,
                &batch_page("completed", &[item(2, "completed", Some("vid_2"))], None),
            ),
        ],
    );
    let gets: Vec<_> = uris(&run.sent);
    assert_eq!(
        gets[0],
        "https://api.heygen.com/v3/videos/batches/batch_0001"
    );
    assert_eq!(
        gets[1],
        "https://api.heygen.com/v3/videos/batches/batch_0001?token=p2"
    );
    assert_eq!(
        gets[4],
        "https://api.heygen.com/v3/videos/batches/batch_0001"
    );
    assert_eq!(
        gets[5],
        "https://api.heygen.com/v3/videos/batches/batch_0001?token=p2"
    );
    assert_eq!(run.result.unwrap().items, expected_items());
}

#[test]
fn an_unknown_batch_ends_the_wait_at_once() {
    let run = play(
        WaitBatch::video(&batch()).policy(policy()),
        &config(),
        [Scripted::json(
            404,
            r#"{"error":{"code":"not_found","message":"batch not found"}}"#,
        )],
    );
    assert_eq!(run.steps, ["send GET /v3/videos/batches/batch_0001"]);
    assert_eq!(
        run.result.unwrap_err().status().map(|s| s.as_u16()),
        Some(404)
    );
}

#[test]
fn the_created_batch_is_told_before_a_failing_poll() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let hook = std::sync::Arc::clone(&seen);
    let run = play(
        RunVideoBatch::new(three_videos())
            .policy(policy())
            .on_batch_created(move |id| hook.lock().unwrap().push(id.as_str().to_owned())),
        &config(),
        [
            Scripted::json(
                202,
                r#"{"data":{"batch_id":"batch_0001","status":"processing","total_items":3}}"#,
            ),
            Scripted::json(
                404,
                r#"{"error":{"code":"not_found","message":"batch not found"}}"#,
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/videos/batches",
            "send GET /v3/videos/batches/batch_0001"
        ]
    );
    assert_eq!(run.result.unwrap_err().status().unwrap(), 404);
    assert_eq!(*seen.lock().unwrap(), ["batch_0001"]);
}

#[test]
fn a_refused_create_ends_the_run_without_polling() {
    let run = play(
        RunVideoBatch::new(three_videos()).policy(policy()),
        &config(),
        [Scripted::json(
            400,
            r#"{"error":{"code":"invalid_parameter","message":"bad","param":"videos"}}"#,
        )],
    );
    assert_eq!(run.steps, ["send POST /v3/videos/batches"]);
    assert_eq!(
        run.result.unwrap_err().api_code(),
        Some("invalid_parameter")
    );
}

#[test]
fn a_repeated_item_cursor_is_a_stall_not_a_loop() {
    let run = play(
        WaitBatch::video(&batch()).policy(policy()),
        &config(),
        [
            Scripted::json(
                200,
                &batch_page(
                    "processing",
                    &[item(0, "completed", Some("vid_0"))],
                    Some("same"),
                ),
            ),
            Scripted::json(
                200,
                &batch_page("processing", &[item(1, "queued", None)], Some("same")),
            ),
        ],
    );
    assert_eq!(run.steps.len(), 2);
    assert!(
        matches!(run.result, Err(Error::PaginationStalled(_))),
        "{:?}",
        run.result
    );
}

//! Asset management and upload batches: golden requests, fixture parses, and the many-files
//! upload workflow run against a scripted API and storage.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use heygen_core::ops::{
    CompleteUploadBatch, CreateUploadBatch, DeleteAsset, GetAsset, GetAssetBatch, GetAssetStatuses,
    ListAssets,
};
use heygen_core::upload::{BatchFileOutcome, Sha256, UploadMany};
use heygen_core::workflow::Scripted;
use heygen_core::{
    Body, Call, Error, Next, Operation, Outgoing, Paginate, ResponseLimits, Sent, Source,
};
use heygen_model::{
    AssetId, AssetProcessingStatus, AssetStatusesQuery, AssetType, BatchId, BatchItemStatus,
    BatchPageQuery, BatchStatus, CompleteUploadBatchRequest, CreateDirectUploadRequest,
    CreateUploadBatchRequest, FolderId, IdempotencyKey, ListAssetsQuery,
};
use http::{Method, Request};
use serde_json::{Value, json};

use crate::support::{ENTROPY, GENERATED_KEY, built};
use crate::support::{KEY, asset, body_json, config, json_resp, play_with};

fn headers(request: &Request<Body>) -> BTreeMap<String, String> {
    request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect()
}

/// Method, URI, every header, and the JSON body (or none).
fn expect(
    request: &Request<Body>,
    method: &str,
    uri: &str,
    key: Option<&str>,
    body: Option<Value>,
) {
    assert_eq!(request.method().as_str(), method);
    assert_eq!(request.uri().to_string(), uri);
    let mut want = BTreeMap::new();
    for (name, value) in [
        ("accept", "application/json"),
        ("accept-encoding", "gzip"),
        ("x-api-key", KEY),
    ] {
        want.insert(name.to_owned(), value.to_owned());
    }
    want.insert(
        "user-agent".to_owned(),
        format!("heygen-rs/{}", env!("CARGO_PKG_VERSION")),
    );
    if let Some(key) = key {
        want.insert("idempotency-key".to_owned(), key.to_owned());
    }
    if body.is_some() {
        want.insert("content-type".to_owned(), "application/json".to_owned());
    }
    assert_eq!(headers(request), want);
    assert!(request.headers().get("x-api-key").unwrap().is_sensitive());
    match body {
        Some(body) => assert_eq!(body_json(request), body),
        None => assert_eq!(request.body(), &Body::Bytes(Bytes::new())),
    }
}

fn batch_id() -> BatchId {
    BatchId::new("batch_0001").unwrap()
}

fn parse<O: Operation>(op: &O, status: u16, body: &str) -> Result<O::Output, Error> {
    op.parse(json_resp(status, body), &ResponseLimits::default())
}

// ---------------------------------------------------------------------------------------------
// Golden requests
// ---------------------------------------------------------------------------------------------

#[test]
fn list_assets_sends_the_username_and_filters() {
    expect(
        &built(ListAssets::new(ListAssetsQuery::new("ada lovelace"))),
        "GET",
        "https://api.heygen.com/v3/assets?username=ada%20lovelace",
        None,
        None,
    );
    let q = ListAssetsQuery::new("ada")
        .limit(100)
        .folder_id(FolderId::new("fld_1").unwrap());
    expect(
        &built(ListAssets::new(q)),
        "GET",
        "https://api.heygen.com/v3/assets?username=ada&limit=100&folder_id=fld_1",
        None,
        None,
    );
    // The root of the space is an empty folder_id; the next page repeats every filter.
    let root = ListAssets::new(ListAssetsQuery::new("ada").limit(5).root_folder());
    expect(
        &built(root.with_token(Some("tok 2"))),
        "GET",
        "https://api.heygen.com/v3/assets?username=ada&limit=5&token=tok%202&folder_id=",
        None,
        None,
    );
}

#[test]
fn list_assets_without_a_username_sends_nothing() {
    let err = Call::new(
        ListAssets::new(ListAssetsQuery::new("")),
        &config(),
        ENTROPY,
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    assert!(err.to_string().contains("username"), "{err}");
    let err = Call::new(
        ListAssets::new(ListAssetsQuery::new("ada").limit(101)),
        &config(),
        ENTROPY,
    )
    .unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn get_and_delete_asset() {
    expect(
        &built(GetAsset::new(asset())),
        "GET",
        "https://api.heygen.com/v3/assets/asset_0001",
        None,
        None,
    );
    expect(
        &built(DeleteAsset::new(asset())),
        "DELETE",
        "https://api.heygen.com/v3/assets/asset_0001",
        Some(GENERATED_KEY),
        None,
    );
    // An id cannot change the route.
    let odd = AssetId::new("a/b?c").unwrap();
    assert_eq!(
        built(GetAsset::new(odd)).uri().path(),
        "/v3/assets/a%2Fb%3Fc"
    );
}

#[test]
fn asset_statuses_join_ids() {
    let q = AssetStatusesQuery::assets([asset(), AssetId::new("asset_0002").unwrap()])
        .batch_id(batch_id());
    expect(
        &built(GetAssetStatuses::new(q)),
        "GET",
        "https://api.heygen.com/v3/assets/statuses?asset_ids=asset_0001%2Casset_0002&batch_ids=batch_0001",
        None,
        None,
    );
    assert!(
        Call::new(
            GetAssetStatuses::new(AssetStatusesQuery::new()),
            &config(),
            ENTROPY
        )
        .is_err()
    );
}

#[test]
fn create_upload_batch_carries_one_key_and_every_file() {
    let request = CreateUploadBatchRequest::new(vec![
        CreateDirectUploadRequest::new("a.mp4", "video/mp4", 1000),
        CreateDirectUploadRequest::new("b.png", "image/png", 20),
    ])
    .title("clips");
    expect(
        &built(CreateUploadBatch::new(request.clone())),
        "POST",
        "https://api.heygen.com/v3/assets/direct-uploads/batches",
        Some(GENERATED_KEY),
        Some(json!({"files": [
            {"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 1000},
            {"filename": "b.png", "content_type": "image/png", "size_bytes": 20}
        ], "title": "clips"})),
    );
    let mine = IdempotencyKey::new("upload-run-7").unwrap();
    let op = CreateUploadBatch::new(request).idempotency_key(mine);
    assert_eq!(
        built(op).headers()["idempotency-key"].to_str().unwrap(),
        "upload-run-7"
    );
    let too_many = CreateUploadBatchRequest::new(
        (0..101)
            .map(|i| CreateDirectUploadRequest::new(format!("{i}.png"), "image/png", 1))
            .collect(),
    );
    assert!(Call::new(CreateUploadBatch::new(too_many), &config(), ENTROPY).is_err());
}

#[test]
fn complete_upload_batch_and_get_batch() {
    let op = CompleteUploadBatch::new(CompleteUploadBatchRequest::new(batch_id()));
    assert!(op.is_idempotent() && op.retries_conflict());
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/assets/complete/batches",
        Some(GENERATED_KEY),
        Some(json!({"batch_id": "batch_0001"})),
    );
    expect(
        &built(GetAssetBatch::new(batch_id())),
        "GET",
        "https://api.heygen.com/v3/assets/batches/batch_0001",
        None,
        None,
    );
    expect(
        &built(GetAssetBatch::new(batch_id()).page(BatchPageQuery::new().limit(50).token("p2"))),
        "GET",
        "https://api.heygen.com/v3/assets/batches/batch_0001?limit=50&token=p2",
        None,
        None,
    );
}

// ---------------------------------------------------------------------------------------------
// Fixture parses
// ---------------------------------------------------------------------------------------------

#[test]
fn parses_asset_pages_details_and_deletes() {
    let op = ListAssets::new(ListAssetsQuery::new("ada"));
    let page = parse(
        &op,
        200,
        r#"{"data":[{"id":"a1","name":"clip.mp4","type":"video","owner":"ada","space_id":"s1",
            "uploaded_at":1764400000,"url":"https://cdn.example/a1?sig=x","folder_id":null}],
            "has_more":true,"next_token":"n2"}"#,
    )
    .unwrap();
    assert_eq!(page.data[0].asset_type, Some(AssetType::Video));
    assert_eq!(page.next_token(), Some("n2"));
    let err = parse(
        &op,
        400,
        r#"{"error":{"code":"invalid_parameter","message":"username is required","param":"username"}}"#,
    )
    .unwrap_err();
    assert_eq!(err.api_code(), Some("invalid_parameter"));

    let one = parse(
        &GetAsset::new(asset()),
        200,
        r#"{"data":{"id":"asset_0001","name":"x.png","type":"image","owner":"ada","space_id":"s","uploaded_at":1,"url":null}}"#,
    )
    .unwrap();
    assert!(one.url.is_none());
    let gone = parse(
        &DeleteAsset::new(asset()),
        200,
        r#"{"data":{"id":"asset_0001"}}"#,
    )
    .unwrap();
    assert_eq!(gone.id, "asset_0001");
    let err = parse(
        &DeleteAsset::new(asset()),
        404,
        r#"{"error":{"code":"not_found","message":"asset not found"}}"#,
    )
    .unwrap_err();
    assert_eq!(err.status().unwrap(), 404);
}

#[test]
fn parses_statuses_with_the_asset_id_in_video_id() {
    let page = parse(
        &GetAssetStatuses::new(AssetStatusesQuery::assets([asset()])),
        200,
        r#"{"data":[{"video_id":"asset_0001","status":"completed"},
                    {"video_id":"nope","status":"not_found"}],"has_more":false,"next_token":null}"#,
    )
    .unwrap();
    assert_eq!(page.data[0].asset_id.as_ref().unwrap(), &asset());
    assert_eq!(page.data[1].status, AssetProcessingStatus::NotFound);
}

#[test]
fn parses_upload_batches_and_their_reads() {
    let created = parse(
        &CreateUploadBatch::new(CreateUploadBatchRequest::new(vec![
            CreateDirectUploadRequest::new("a.mp4", "video/mp4", 1),
        ])),
        200,
        r#"{"data":{"batch_id":"batch_0001","items":[{"asset_id":"a1",
            "upload_url":"https://s3.example/a1?X-Amz-Signature=S","upload_headers":{"Content-Type":"video/mp4"},
            "expires_in_seconds":900,"max_bytes":1,"status":"pending_upload"}]}}"#,
    )
    .unwrap();
    assert_eq!(
        created.items[0].upload_headers.get("content-type"),
        Some("video/mp4")
    );

    let complete = CompleteUploadBatch::new(CompleteUploadBatchRequest::new(batch_id()));
    let accepted = parse(&complete, 202, r#"{"data":{"batch_id":"batch_0001"}}"#).unwrap();
    assert_eq!(accepted.batch_id, Some(batch_id()));
    let empty = complete
        .parse(
            crate::support::resp(202, &[], b""),
            &ResponseLimits::default(),
        )
        .unwrap();
    assert_eq!(empty.batch_id, Some(batch_id()));

    let batch = parse(
        &GetAssetBatch::new(batch_id()),
        200,
        r#"{"data":{"batch_id":"batch_0001","status":"processing","total_items":2,
            "counts_by_status":{"completed":1,"queued":1},"created_at":1764400000,
            "items":[{"item_index":0,"status":"completed","video_id":"a1"},
                     {"item_index":1,"status":"failed","video_id":"a2","error":{"code":"invalid_file","message":"not a png"}}],
            "has_more":false,"next_token":null}}"#,
    )
    .unwrap();
    assert_eq!(batch.status, Some(BatchStatus::Processing));
    assert_eq!(batch.items[0].id.as_ref().unwrap().as_str(), "a1");
    assert_eq!(batch.items[1].status, Some(BatchItemStatus::Failed));
    assert_eq!(batch.items[1].error.as_ref().unwrap().code, "invalid_file");
}

// ---------------------------------------------------------------------------------------------
// The many-files workflow
// ---------------------------------------------------------------------------------------------

const MP4: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const MP3: &[u8] = b"ID3\x04\0\0\0\0\0\0\0\0\0\0\0\0";

fn bytes(head: &[u8], size: usize) -> Vec<u8> {
    let mut b = head.to_vec();
    b.resize(size, 0x5a);
    b
}

fn stream(outgoing: &Outgoing, file: &[u8]) -> Sent {
    let Body::Stream(plan) = outgoing.request.body() else {
        panic!("not a stream: {:?}", outgoing.request.body())
    };
    let mut tap = plan.tap();
    tap.chunk(file).unwrap();
    tap.end().unwrap();
    tap.finish().unwrap()
}

/// A scripted API and storage for one upload batch of `files` (path, bytes); `put_status` for
/// the `PUT` of each slot (by index), `final_status` of each item once completed.
struct BatchServer {
    files: Vec<(&'static str, Vec<u8>)>,
    put_status: Vec<u16>,
    item_errors: Vec<Option<&'static str>>,
    /// Reads answered `processing` before the final state.
    busy_reads: usize,
    inspected: usize,
    digests: Vec<Option<String>>,
}

impl BatchServer {
    fn new(files: Vec<(&'static str, Vec<u8>)>) -> Self {
        let n = files.len();
        Self {
            files,
            put_status: vec![200; n],
            item_errors: vec![None; n],
            busy_reads: 1,
            inspected: 0,
            digests: vec![None; n],
        }
    }

    fn slots(&self) -> Value {
        let items: Vec<Value> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, (name, b))| {
                let ty = heygen_core::upload::media_type_by_extension(name).unwrap();
                json!({"asset_id": format!("asset_{i}"),
                       "upload_url": format!("https://storage.example.com/b/{i}?X-Amz-Signature=SIG{i}"),
                       "upload_headers": {"Content-Type": ty},
                       "expires_in_seconds": 900, "max_bytes": b.len(), "status": "pending_upload"})
            })
            .collect();
        json!({"data": {"batch_id": "batch_0001", "items": items}})
    }

    fn batch(&mut self) -> Value {
        let done = self.busy_reads == 0;
        self.busy_reads = self.busy_reads.saturating_sub(1);
        let items: Vec<Value> = (0..self.files.len())
            .map(|i| {
                let failed = self.put_status[i] != 200 || self.item_errors[i].is_some();
                match (done, failed) {
                    (false, _) => json!({"item_index": i, "status": "processing", "video_id": format!("asset_{i}")}),
                    (true, false) => json!({"item_index": i, "status": "completed", "video_id": format!("asset_{i}")}),
                    (true, true) => json!({"item_index": i, "status": "failed", "video_id": format!("asset_{i}"),
                        "error": {"code": "invalid_file", "message": self.item_errors[i].unwrap_or("no object was uploaded")}}),
                }
            })
            .collect();
        json!({"data": {"batch_id": "batch_0001", "status": if done {"completed"} else {"processing"},
            "total_items": self.files.len(), "counts_by_status": {}, "created_at": 1_764_400_000,
            "items": items, "has_more": false, "next_token": null}})
    }

    fn answer<T>(&mut self, next: &Next<T>) -> Scripted {
        match next {
            Next::Inspect(path) => {
                let (name, b) = &self.files[self.inspected];
                assert_eq!(path.to_str().unwrap(), format!("/data/{name}"));
                self.inspected += 1;
                Scripted::file(b.len() as u64, &b[..16])
            }
            Next::Send(out) => {
                let path = out.request.uri().path().to_owned();
                match (out.request.method().as_str(), path.as_str()) {
                    ("POST", "/v3/assets/direct-uploads/batches") => {
                        Scripted::json(200, &self.slots().to_string())
                    }
                    ("PUT", p) if p.starts_with("/b/") => {
                        let i: usize = p[3..].parse().unwrap();
                        let sent = stream(out, &self.files[i].1);
                        self.digests[i].clone_from(&sent.sha256);
                        let body = if self.put_status[i] == 200 {
                            ""
                        } else {
                            "<Error><Code>AccessDenied</Code></Error>"
                        };
                        Scripted::json(self.put_status[i], body)
                            .header("content-type", "application/xml")
                            .sent(sent)
                    }
                    ("POST", "/v3/assets/complete/batches") => {
                        Scripted::json(202, r#"{"data":{"batch_id":"batch_0001"}}"#)
                    }
                    ("GET", "/v3/assets/batches/batch_0001") => {
                        Scripted::json(200, &self.batch().to_string())
                    }
                    other => panic!("unexpected request {other:?}"),
                }
            }
            _ => Scripted::reader_consumed(),
        }
    }
}

fn three() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("a.mp4", bytes(MP4, 1000)),
        ("b.png", bytes(PNG, 300)),
        ("c.mp3", bytes(MP3, 500)),
    ]
}

fn paths() -> [&'static str; 3] {
    ["/data/a.mp4", "/data/b.png", "/data/c.mp3"]
}

#[test]
fn uploads_three_files_through_one_batch_in_order() {
    let mut server = BatchServer::new(three());
    let run = play_with(UploadMany::paths(paths()), &config(), |next, _| {
        server.answer(next)
    });
    assert_eq!(
        run.steps,
        [
            "inspect /data/a.mp4",
            "inspect /data/b.png",
            "inspect /data/c.mp3",
            "send POST /v3/assets/direct-uploads/batches",
            "send PUT /b/0",
            "send PUT /b/1",
            "send PUT /b/2",
            "send POST /v3/assets/complete/batches",
            "send GET /v3/assets/batches/batch_0001",
            "sleep 2000ms",
            "send GET /v3/assets/batches/batch_0001",
        ]
    );
    let done = run.result.unwrap();
    assert_eq!(done.batch_id, batch_id());
    assert!(done.all_completed());
    let ids: Vec<_> = done.files.iter().map(|f| f.asset_id.as_str()).collect();
    assert_eq!(ids, ["asset_0", "asset_1", "asset_2"]);
    let paths: Vec<_> = done
        .files
        .iter()
        .map(|f| f.path.to_str().unwrap())
        .collect();
    assert_eq!(paths, self::paths());
    for (i, file) in done.files.iter().enumerate() {
        assert_eq!(
            file.sha256.as_deref(),
            Some(Sha256::hex_digest(&three()[i].1).as_str())
        );
    }

    // One create with every file's facts and an idempotency key.
    let create = &run.sent[0];
    assert_eq!(
        body_json(&create.request),
        json!({"files": [
            {"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 1000},
            {"filename": "b.png", "content_type": "image/png", "size_bytes": 300},
            {"filename": "c.mp3", "content_type": "audio/mpeg", "size_bytes": 500}
        ]})
    );
    assert!(create.request.headers().contains_key("idempotency-key"));
    // Each PUT: its slot's URL byte for byte, only its headers and the length, the file
    // streamed from its path and hashed, no credentials.
    for (i, put) in run.sent[1..4].iter().enumerate() {
        assert_eq!(put.request.method(), Method::PUT);
        assert_eq!(
            put.request.uri().to_string(),
            format!("https://storage.example.com/b/{i}?X-Amz-Signature=SIG{i}")
        );
        let mut names: Vec<_> = put
            .request
            .headers()
            .keys()
            .map(http::HeaderName::as_str)
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["content-length", "content-type"]);
        let Body::Stream(plan) = put.request.body() else {
            panic!()
        };
        assert!(plan.sha256);
        assert_eq!(plan.source, Source::File(self::paths()[i].into()));
    }
    assert_eq!(
        body_json(&run.sent[4].request),
        json!({"batch_id": "batch_0001"})
    );
}

#[test]
fn a_failed_put_marks_that_file_and_the_others_go_on() {
    let mut server = BatchServer::new(three());
    server.put_status[1] = 403;
    let run = play_with(UploadMany::paths(paths()), &config(), |next, _| {
        server.answer(next)
    });
    // A 403 is not retried; the next file is sent and the batch completed.
    assert_eq!(
        run.steps[4..],
        [
            "send PUT /b/0",
            "send PUT /b/1",
            "send PUT /b/2",
            "send POST /v3/assets/complete/batches",
            "send GET /v3/assets/batches/batch_0001",
            "sleep 2000ms",
            "send GET /v3/assets/batches/batch_0001",
        ]
    );
    let done = run.result.unwrap();
    assert!(!done.all_completed());
    assert!(done.files[0].outcome.is_completed() && done.files[2].outcome.is_completed());
    let BatchFileOutcome::NotUploaded(Error::UploadFailed(failed)) = &done.files[1].outcome else {
        panic!("{:?}", done.files[1].outcome)
    };
    assert_eq!(failed.asset_id, "asset_1");
    assert_eq!(failed.source.status().unwrap(), 403);
    assert!(done.files[1].sha256.is_none());
    assert!(!format!("{done:?}").contains("SIG1"));
}

#[test]
fn a_file_heygen_refuses_is_failed_with_its_error() {
    let mut server = BatchServer::new(three());
    server.item_errors[2] = Some("the bytes are not audio/mpeg");
    server.busy_reads = 0;
    let run = play_with(UploadMany::paths(paths()), &config(), |next, _| {
        server.answer(next)
    });
    assert_eq!(run.steps.len(), 9, "{:?}", run.steps);
    let done = run.result.unwrap();
    let BatchFileOutcome::Failed(Some(error)) = &done.files[2].outcome else {
        panic!("{:?}", done.files[2].outcome)
    };
    assert_eq!(error.code, "invalid_file");
    assert_eq!(error.message, "the bytes are not audio/mpeg");
    assert!(done.files[2].sha256.is_some());
    assert!(done.files[0].outcome.is_completed() && done.files[1].outcome.is_completed());
}

#[test]
fn when_no_put_succeeds_nothing_is_completed() {
    let mut server = BatchServer::new(three()[..2].to_vec());
    server.put_status = vec![403, 403];
    let run = play_with(UploadMany::paths(&paths()[..2]), &config(), |next, _| {
        server.answer(next)
    });
    assert_eq!(
        run.steps[2..],
        [
            "send POST /v3/assets/direct-uploads/batches",
            "send PUT /b/0",
            "send PUT /b/1"
        ]
    );
    let done = run.result.unwrap();
    assert!(
        done.files
            .iter()
            .all(|f| matches!(f.outcome, BatchFileOutcome::NotUploaded(_)))
    );
}

#[test]
fn an_unreadable_or_unknown_file_sends_nothing() {
    let run = play_with(
        UploadMany::paths(["/data/a.mp4", "/data/notes"]),
        &config(),
        |next, _| match next {
            Next::Inspect(p) if p.ends_with("a.mp4") => Scripted::file(1000, &bytes(MP4, 16)),
            Next::Inspect(_) => Scripted::file(10, b"plain text here!"),
            Next::Send(_) => panic!("nothing is sent"),
            _ => Scripted::reader_consumed(),
        },
    );
    assert_eq!(run.steps, ["inspect /data/a.mp4", "inspect /data/notes"]);
    assert!(matches!(run.result.unwrap_err(), Error::InvalidRequest(_)));
    let run = play_with(UploadMany::paths(["/data/gone.mp4"]), &config(), |_, _| {
        Scripted::unreadable(std::io::Error::from(std::io::ErrorKind::NotFound))
    });
    assert!(run.result.unwrap_err().to_string().contains("gone.mp4"));
    let run = play_with(
        UploadMany::paths(Vec::<&str>::new()),
        &config(),
        |next, _| {
            assert!(matches!(next, Next::Done(_)), "nothing to do");
            Scripted::reader_consumed()
        },
    );
    assert!(run.result.unwrap_err().to_string().contains("files"));
}

#[test]
fn the_wait_ends_at_the_deadline_naming_the_batch() {
    let mut server = BatchServer::new(three()[..1].to_vec());
    server.busy_reads = usize::MAX;
    let policy = heygen_core::PollPolicy::default().deadline(Duration::from_secs(10));
    let config = heygen_core::Config::builder()
        .api_key(KEY)
        .poll_policy(policy)
        .build()
        .unwrap();
    let run = play_with(UploadMany::paths(&paths()[..1]), &config, |next, _| {
        server.answer(next)
    });
    let Err(Error::WaitTimedOut(timed_out)) = run.result else {
        panic!("{:?}", run.result)
    };
    assert_eq!(timed_out.id, "batch_0001");
    assert_eq!(
        timed_out.last_status.as_deref(),
        Some("processing (0 of 1 items final)")
    );
}

#[test]
fn the_created_batch_is_told_before_a_later_failure() {
    let mut server = BatchServer::new(three()[..1].to_vec());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let hook = std::sync::Arc::clone(&seen);
    let upload = UploadMany::paths(&paths()[..1])
        .on_batch_created(move |id| hook.lock().unwrap().push(id.as_str().to_owned()));
    let run = play_with(upload, &config(), |next, _| match &next {
        Next::Send(out) if out.request.uri().path() == "/v3/assets/complete/batches" => {
            Scripted::json(
                404,
                r#"{"error":{"code":"not_found","message":"batch not found"}}"#,
            )
        }
        _ => server.answer(next),
    });
    assert_eq!(
        run.steps,
        [
            "inspect /data/a.mp4",
            "send POST /v3/assets/direct-uploads/batches",
            "send PUT /b/0",
            "send POST /v3/assets/complete/batches",
        ]
    );
    assert_eq!(run.result.unwrap_err().status().unwrap(), 404);
    assert_eq!(*seen.lock().unwrap(), ["batch_0001"]);
}

#[test]
fn a_slot_count_that_does_not_match_the_files_is_an_error() {
    let run = play_with(
        UploadMany::paths(&paths()[..2]),
        &config(),
        |next, _| match next {
            Next::Inspect(_) => Scripted::file(1000, MP4),
            Next::Send(_) => Scripted::json(
                200,
                r#"{"data":{"batch_id":"batch_0001","items":[{"asset_id":"asset_0","upload_url":"https://s.example/0","upload_headers":{}}]}}"#,
            ),
            _ => Scripted::reader_consumed(),
        },
    );
    assert_eq!(run.steps.len(), 3);
    assert!(run.result.unwrap_err().to_string().contains("2 files"));
}

#[test]
fn a_poll_policy_given_to_the_upload_wins_over_the_configuration() {
    let mut server = BatchServer::new(three()[..1].to_vec());
    server.busy_reads = usize::MAX;
    let policy = heygen_core::PollPolicy::default()
        .initial_interval(Duration::from_secs(1))
        .max_interval(Duration::from_secs(1))
        .deadline(Duration::from_secs(3));
    let run = play_with(
        UploadMany::paths(&paths()[..1]).policy(policy),
        &config(),
        |next, _| server.answer(next),
    );
    assert!(matches!(run.result, Err(Error::WaitTimedOut(_))));
    let reads: Vec<_> = run.steps.iter().skip(3).map(String::as_str).collect();
    assert_eq!(
        reads,
        [
            "send POST /v3/assets/complete/batches",
            "send GET /v3/assets/batches/batch_0001",
            "sleep 1000ms",
            "send GET /v3/assets/batches/batch_0001",
            "sleep 1000ms",
            "send GET /v3/assets/batches/batch_0001",
            // The deadline (3 s) comes before a fourth read.
            "sleep 1000ms",
        ]
    );
}

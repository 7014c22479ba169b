//! Asset management and upload batches: list queries, statuses, upload batch requests and the
//! shapes HeyGen answers, with the limits the reference states.

use heygen_model::validate::Rule;
use heygen_model::*;
use serde_json::{Value, json};

const SCHEMAS: &str = include_str!("../../../heygen-emulator/schemas/v3-endpoints.json");

fn schema(method: &str, path: &str, which: &str) -> Value {
    let all: Value = serde_json::from_str(SCHEMAS).unwrap();
    all["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap_or_else(|| panic!("no schema for {method} {path}"))[which]
        .clone()
}

/// OpenAPI `nullable: true` as plain JSON Schema.
fn nullable(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), nullable(v))).collect();
            if out.remove("nullable") == Some(Value::Bool(true))
                && let Some(Value::String(t)) = out.get("type").cloned()
            {
                out.insert("type".into(), json!([t, "null"]));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn assert_valid(schema: &Value, value: &Value) {
    let validator = jsonschema::validator_for(&nullable(schema)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{value} breaks the schema: {errors:?}");
}

fn file(name: &str, ty: &str, size: u64) -> CreateDirectUploadRequest {
    CreateDirectUploadRequest::new(name, ty, size)
}

#[test]
fn list_query_sends_username_first_and_the_root_as_an_empty_folder() {
    let q = ListAssetsQuery::new("ada")
        .limit(50)
        .token("t1")
        .root_folder();
    assert_eq!(
        q.to_query_pairs(),
        vec![
            ("username", "ada".to_owned()),
            ("limit", "50".to_owned()),
            ("token", "t1".to_owned()),
            ("folder_id", String::new()),
        ]
    );
    let q = ListAssetsQuery::new("ada").folder_id(FolderId::new("f_1").unwrap());
    assert_eq!(q.to_query_pairs()[1], ("folder_id", "f_1".to_owned()));
    assert_eq!(ListAssetsQuery::new("ada").to_query_pairs().len(), 1);
}

#[test]
fn list_query_needs_a_username_and_a_limit_of_1_to_100() {
    let err = ListAssetsQuery::new("  ").validate().unwrap_err();
    assert_eq!((&*err.field, &err.rule), ("username", &Rule::Empty));
    for (limit, ok) in [(0, false), (1, true), (100, true), (101, false)] {
        let result = ListAssetsQuery::new("ada").limit(limit).validate();
        assert_eq!(result.is_ok(), ok, "limit {limit}");
    }
}

#[test]
fn statuses_query_joins_ids_with_commas_and_caps_them_at_100() {
    let q = AssetStatusesQuery::assets([AssetId::new("a1").unwrap(), AssetId::new("a2").unwrap()])
        .batch_id(BatchId::new("b1").unwrap());
    q.validate().unwrap();
    assert_eq!(
        q.to_query_pairs(),
        vec![
            ("asset_ids", "a1,a2".to_owned()),
            ("batch_ids", "b1".to_owned())
        ]
    );
    let err = AssetStatusesQuery::new().validate().unwrap_err();
    assert_eq!(err.rule, Rule::Empty);
    let many = AssetStatusesQuery::assets((0..101).map(|i| AssetId::new(format!("a{i}")).unwrap()));
    assert_eq!(
        many.validate().unwrap_err().rule,
        Rule::TooMany {
            max: 100,
            actual: 101
        }
    );
    let comma = AssetStatusesQuery::new().asset_id(AssetId::new("a,b").unwrap());
    assert_eq!(
        comma.validate().unwrap_err().rule,
        Rule::ForbiddenCharacter(',')
    );
}

#[test]
fn upload_batch_request_takes_1_to_100_valid_files_and_names_the_bad_one() {
    let ok = CreateUploadBatchRequest::new(vec![
        file("a.mp4", "video/mp4", 10),
        file("b.png", "image/png", 20),
    ])
    .title("clips");
    ok.validate().unwrap();
    let wire = serde_json::to_value(&ok).unwrap();
    assert_eq!(
        wire,
        json!({"files": [
            {"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 10},
            {"filename": "b.png", "content_type": "image/png", "size_bytes": 20}
        ], "title": "clips"})
    );
    assert_valid(
        &schema(
            "POST",
            "/v3/assets/direct-uploads/batches",
            "request_schema",
        ),
        &wire,
    );

    let empty = CreateUploadBatchRequest::new(Vec::new())
        .validate()
        .unwrap_err();
    assert_eq!((&*empty.field, &empty.rule), ("files", &Rule::Empty));
    let hundred: Vec<_> = (0..100)
        .map(|i| file(&format!("{i}.png"), "image/png", 1))
        .collect();
    CreateUploadBatchRequest::new(hundred.clone())
        .validate()
        .unwrap();
    let mut too_many = hundred;
    too_many.push(file("x.png", "image/png", 1));
    assert_eq!(
        CreateUploadBatchRequest::new(too_many)
            .validate()
            .unwrap_err()
            .rule,
        Rule::TooMany {
            max: 100,
            actual: 101
        }
    );
    let bad = CreateUploadBatchRequest::new(vec![
        file("a.mp4", "video/mp4", 10),
        file("b.png", "png", 1),
    ])
    .validate()
    .unwrap_err();
    assert_eq!(bad.field, "files[1].content_type");
    // No documented lower bound on a size: an empty file is the server's call.
    CreateUploadBatchRequest::new(vec![file("a.mp4", "video/mp4", 0)])
        .validate()
        .unwrap();
}

#[test]
fn complete_batch_request_is_the_batch_id() {
    let req = CompleteUploadBatchRequest::new(BatchId::new("batch_1").unwrap());
    req.validate().unwrap();
    let wire = serde_json::to_value(&req).unwrap();
    assert_eq!(wire, json!({"batch_id": "batch_1"}));
    assert_valid(
        &schema("POST", "/v3/assets/complete/batches", "request_schema"),
        &wire,
    );
}

#[test]
fn upload_batch_response_slots_keep_order_and_hide_signatures() {
    let body = json!({
        "batch_id": "batch_1",
        "items": [
            {"asset_id": "a1", "upload_url": "https://s3.example/a1?X-Amz-Signature=SECRET1",
             "upload_headers": {"Content-Type": "video/mp4"}, "expires_in_seconds": 3600,
             "max_bytes": 10, "status": "pending_upload"},
            {"asset_id": "a2", "upload_url": "https://s3.example/a2?X-Amz-Signature=SECRET2",
             "upload_headers": {"Content-Type": "image/png", "x-amz-meta-n": 2},
             "expires_in_seconds": 3600, "max_bytes": 20, "status": "pending_upload"}
        ]
    });
    let batch: UploadBatch = serde_json::from_value(body).unwrap();
    assert_eq!(batch.batch_id.as_str(), "batch_1");
    let ids: Vec<_> = batch.items.iter().map(|s| s.asset_id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2"]);
    assert_eq!(batch.items[1].upload_headers.get("x-amz-meta-n"), Some("2"));
    assert_eq!(
        batch.items[0].upload_url.as_str(),
        "https://s3.example/a1?X-Amz-Signature=SECRET1"
    );
    let debug = format!("{batch:?}");
    assert!(!debug.contains("SECRET"), "{debug}");
}

#[test]
fn asset_details_read_the_reference_shape_and_nulls() {
    let full = json!({
        "id": "a1", "name": "clip.mp4", "type": "video", "owner": "ada",
        "space_id": "sp", "uploaded_at": 1_700_000_000, "url": "https://cdn.example/a1?sig=S",
        "folder_id": null
    });
    assert_valid(
        &schema("GET", "/v3/assets/{asset_id}", "response_schema")["properties"]["data"],
        &full,
    );
    let a: AssetDetails = serde_json::from_value(full).unwrap();
    assert_eq!(a.asset_type, Some(AssetType::Video));
    assert_eq!(a.owner.as_deref(), Some("ada"));
    assert_eq!(
        a.uploaded_at,
        Some(Timestamp::from_unix_seconds(1_700_000_000))
    );
    assert!(a.folder_id.is_none());
    assert!(!format!("{a:?}").contains("sig=S"));
    let odd: AssetDetails =
        serde_json::from_value(json!({"id": "a2", "name": null, "type": "hologram", "url": null}))
            .unwrap();
    assert_eq!(odd.asset_type.unwrap().as_str(), "hologram");
    assert!(odd.url.is_none());

    let page: ListPage<AssetDetails> = serde_json::from_value(json!({
        "data": [{"id": "a1", "name": "x", "type": "image", "owner": "ada", "space_id": "s",
                  "uploaded_at": 1}],
        "has_more": true, "next_token": "n2"
    }))
    .unwrap();
    assert_eq!(page.next_token(), Some("n2"));
}

#[test]
fn status_entries_read_the_asset_id_from_video_id_and_know_not_found() {
    let page: ListPage<AssetStatusEntry> = serde_json::from_value(json!({
        "data": [
            {"video_id": "a1", "status": "completed"},
            {"video_id": "a2", "status": "failed", "error": {"code": "invalid_file", "message": "bad"},
             "batch_id": "b1", "item_index": 1},
            {"video_id": "zz", "status": "not_found"},
            {"video_id": null, "status": "queued", "batch_id": "b1", "item_index": 2},
            {"status": "thawing"}
        ],
        "has_more": false
    }))
    .unwrap();
    let e = &page.data;
    assert_eq!(e[0].asset_id.as_ref().unwrap().as_str(), "a1");
    assert_eq!(e[1].error.as_ref().unwrap().code, "invalid_file");
    assert_eq!(e[1].item_index, Some(1));
    assert!(e[2].status.is_terminal() && e[2].status == AssetProcessingStatus::NotFound);
    assert!(e[3].asset_id.is_none() && !e[3].status.is_terminal());
    assert!(e[4].status.is_unknown() && !e[4].status.is_terminal());
    let wire = serde_json::to_value(&e[1]).unwrap();
    assert_eq!(wire["video_id"], "a2");
}

#[test]
fn completed_batch_reads_any_object() {
    let c: CompletedUploadBatch =
        serde_json::from_value(json!({"batch_id": "b1", "status": "processing"})).unwrap();
    assert_eq!(c.batch_id.unwrap().as_str(), "b1");
    let empty: CompletedUploadBatch = serde_json::from_value(json!({})).unwrap();
    assert!(empty.batch_id.is_none());
}

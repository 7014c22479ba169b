//! Decoding of the non-uniform wire forms: timestamps, durations, error codes and error shapes.

use heygen_model::*;
use serde_json::json;

#[test]
fn timestamps_decode_from_every_form() {
    let expected = Timestamp::from_unix_seconds(1_764_400_000);
    for wire in [
        "1764400000",
        "1764400000.0",
        "1764400000.9",
        "\"1764400000\"",
        "\"2025-11-29T07:06:40Z\"",
        "\"2025-11-29T07:06:40.250Z\"",
        "\"2025-11-29T08:06:40+01:00\"",
        "\"2025-11-29t02:06:40-05:00\"",
    ] {
        assert_eq!(
            serde_json::from_str::<Timestamp>(wire).unwrap(),
            expected,
            "{wire}"
        );
    }
    assert_eq!(serde_json::to_string(&expected).unwrap(), "1764400000");
}

#[test]
fn timestamps_reject_nonsense() {
    for wire in [
        "-1",
        "-0.5",
        "1e400",
        "\"\"",
        "\"yesterday\"",
        "\"2025-13-01T00:00:00Z\"",
        "\"2025-02-30T00:00:00Z\"",
        "\"1969-12-31T23:59:59Z\"",
        "\"2025-11-29T07:06:40\"",
        "true",
        "null",
        "[]",
    ] {
        assert!(
            serde_json::from_str::<Timestamp>(wire).is_err(),
            "{wire} should fail"
        );
    }
    // Optional timestamps: null is None, a negative value is still an error.
    let video: Video =
        serde_json::from_value(json!({"id":"v","status":"pending","created_at":null})).unwrap();
    assert_eq!(video.created_at, None);
    assert!(
        serde_json::from_value::<Video>(json!({"id":"v","status":"pending","created_at":-5}))
            .is_err()
    );
}

#[test]
fn durations_decode_ints_and_floats() {
    assert_eq!(
        serde_json::from_str::<Seconds>("12").unwrap().as_f64(),
        12.0
    );
    assert_eq!(
        serde_json::from_str::<Seconds>("12.5").unwrap().as_f64(),
        12.5
    );
    assert_eq!(serde_json::from_str::<Seconds>("0").unwrap().as_f64(), 0.0);
    assert_eq!(
        serde_json::from_str::<Seconds>("\"12.5\"")
            .unwrap()
            .as_f64(),
        12.5
    );
    for wire in [
        "-1", "-0.1", "1e999", "\"-1\"", "\"NaN\"", "\"inf\"", "\"12s\"", "\"\"", "null",
    ] {
        assert!(
            serde_json::from_str::<Seconds>(wire).is_err(),
            "{wire} should fail"
        );
    }
    assert_eq!(Seconds::new(f64::NAN), None);
    assert_eq!(Seconds::new(f64::INFINITY), None);
    assert_eq!(Seconds::new(-1.0), None);
    assert_eq!(
        serde_json::to_string(&Seconds::new(2.5).unwrap()).unwrap(),
        "2.5"
    );
}

#[test]
fn error_codes_keep_both_forms() {
    assert_eq!(
        serde_json::from_str::<ErrorCode>("\"not_found\"").unwrap(),
        ErrorCode::Text(ApiErrorCode::NotFound)
    );
    assert_eq!(
        serde_json::from_str::<ErrorCode>("400112").unwrap(),
        ErrorCode::Number(400_112)
    );
    assert_eq!(
        serde_json::from_str::<ErrorCode>("400112.0").unwrap(),
        ErrorCode::Number(400_112)
    );
    assert_eq!(
        serde_json::from_str::<ErrorCode>("\"brand_new\"").unwrap(),
        ErrorCode::Text(ApiErrorCode::Unknown("brand_new".into()))
    );
    assert!(serde_json::from_str::<ErrorCode>("1.5").is_err());
    assert_eq!(
        serde_json::to_string(&ErrorCode::Number(400_112)).unwrap(),
        "400112"
    );
    assert_eq!(ErrorCode::Number(7).to_string(), "7");
}

#[test]
fn error_envelope_shapes() {
    let envelope = ApiErrorBody::from_json_value(&json!({"error":{"code":"invalid_parameter","message":"bad","param":"name","doc_url":"https://docs.example.com/e"}})).unwrap();
    assert_eq!(
        envelope.code,
        Some(ErrorCode::Text(ApiErrorCode::InvalidParameter))
    );
    assert_eq!(envelope.message.as_deref(), Some("bad"));
    assert_eq!(envelope.param.as_deref(), Some("name"));
    assert_eq!(
        envelope.doc_url.as_deref(),
        Some("https://docs.example.com/e")
    );

    let on_200 = ApiErrorBody::from_json_value(&json!({"data":null,"error":{"code":"invalid_parameter","message":"video_id is invalid or expired"}})).unwrap();
    assert!(on_200.code.unwrap().is(&ApiErrorCode::InvalidParameter));

    let flat =
        ApiErrorBody::from_json_value(&json!({"code":400112,"message":"invalid avatar"})).unwrap();
    assert_eq!(flat.code, Some(ErrorCode::Number(400_112)));
    assert_eq!(flat.message.as_deref(), Some("invalid avatar"));

    let detail = ApiErrorBody::from_json_value(
        &json!({"detail":"Unsupported media type '' in request. 'application/json' is required."}),
    )
    .unwrap();
    assert_eq!(detail.code, None);
    assert!(
        detail
            .message
            .unwrap()
            .starts_with("Unsupported media type")
    );

    let detail_list = ApiErrorBody::from_json_value(
        &json!({"detail":[{"loc":["body","name"],"msg":"field required"}]}),
    )
    .unwrap();
    assert!(detail_list.message.unwrap().contains("field required"));
    assert!(detail_list.detail.unwrap().is_array());

    assert_eq!(
        ApiErrorBody::from_json_value(&json!({"data":{"id":"v"},"error":null})),
        None
    );
    assert_eq!(
        ApiErrorBody::from_json_value(&json!({"data":{"id":"v"}})),
        None
    );
    assert_eq!(ApiErrorBody::from_json_value(&json!("text")), None);
    assert_eq!(ApiErrorBody::from_slice(b"<html>nope</html>"), None);
    assert!(ApiErrorBody::from_slice(br#"{"error":"boom"}"#).is_some());
}

#[test]
fn video_status_terminality() {
    assert!(VideoStatus::Completed.is_terminal());
    assert!(VideoStatus::Failed.is_terminal());
    assert!(!VideoStatus::Waiting.is_terminal());
    assert!(!VideoStatus::Unknown("archived".into()).is_terminal());
    // The official CLI reads `error` as a failure; so does the model.
    let error: VideoStatus = serde_json::from_str(r#""error""#).unwrap();
    assert_eq!(error, VideoStatus::Error);
    assert!(error.is_terminal() && error.is_failure());
    assert_eq!(serde_json::to_string(&error).unwrap(), r#""error""#);
    assert!(!VideoStatus::Completed.is_failure());
    for unknown in ["succeeded", "done", "cancelled"] {
        let status: VideoStatus = serde_json::from_str(&format!("{unknown:?}")).unwrap();
        assert!(!status.is_terminal() && !status.is_failure(), "{unknown}");
    }
}

/// `upload_headers` values are "sent verbatim": a number or a boolean is kept as its JSON text;
/// a value with no header form is a decode error that names the header.
#[test]
fn upload_header_values_that_are_not_strings() {
    let upload = |headers: &str| {
        serde_json::from_str::<DirectUpload>(&format!(
            r#"{{"asset_id":"asset_0001","upload_url":"https://s.example.com/k","upload_headers":{headers}}}"#
        ))
    };
    let ok = upload(r#"{"Content-Type":"video/mp4","Content-Length":5242880,"x-amz-meta-n":-3,"x-amz-meta-r":1.5,"x-amz-meta-f":true}"#)
        .unwrap();
    assert_eq!(
        ok.upload_headers.as_slice(),
        &[
            ("Content-Type".to_owned(), "video/mp4".to_owned()),
            ("Content-Length".to_owned(), "5242880".to_owned()),
            ("x-amz-meta-n".to_owned(), "-3".to_owned()),
            ("x-amz-meta-r".to_owned(), "1.5".to_owned()),
            ("x-amz-meta-f".to_owned(), "true".to_owned()),
        ]
    );
    for (headers, name) in [
        (r#"{"Content-Type":null}"#, "Content-Type"),
        (r#"{"A":"b","X-List":["a","b"]}"#, "X-List"),
        (r#"{"X-Obj":{"k":"v"}}"#, "X-Obj"),
    ] {
        let error = upload(headers).unwrap_err().to_string();
        assert!(error.contains(name), "{headers}: {error}");
    }
}

#[test]
fn list_page_stops_on_missing_or_empty_token() {
    let page: ListPage<DeletedResource> =
        serde_json::from_str(r#"{"data":[],"has_more":true,"next_token":""}"#).unwrap();
    assert_eq!(page.next_token(), None);
    let page: ListPage<DeletedResource> =
        serde_json::from_str(r#"{"data":null,"has_more":true,"next_token":"t2"}"#).unwrap();
    assert_eq!(page.next_token(), Some("t2"));
    assert!(page.data.is_empty());
}

#[test]
/// The reference makes `data` optional, so a page without it is an empty page; a body with none
/// of a page's members (a proxy's `{}`, another API's shape) is still an error naming `data`.
fn list_page_requires_data() {
    for body in ["{}", r#"{"result":[{"id":"vid_0001"}]}"#] {
        let err = serde_json::from_str::<ListPage<Video>>(body).unwrap_err();
        assert!(err.to_string().contains("data"), "{body}: {err}");
    }
    for body in [
        r#"{"data":null,"has_more":false}"#,
        r#"{"has_more":false}"#,
        r#"{"has_more":false,"next_token":null}"#,
        r#"{"next_token":null}"#,
    ] {
        let page: ListPage<Video> = serde_json::from_str(body).unwrap();
        assert!(page.data.is_empty(), "{body}");
        assert!(!page.has_more(), "{body}");
        assert_eq!(page.next_token(), None, "{body}");
    }
}

/// A page that gives a cursor but no `has_more` has a next page (the cursor names it); an
/// explicit `has_more: false` still ends the walk, as BR-17 says.
#[test]
fn list_page_with_a_token_and_no_has_more_continues() {
    let page: ListPage<Video> =
        serde_json::from_str(r#"{"data":[{"id":"vid_0001"}],"next_token":"tok_2"}"#).unwrap();
    assert_eq!(page.has_more, None);
    assert!(page.has_more());
    assert_eq!(page.next_token(), Some("tok_2"));
    for body in [
        r#"{"data":[],"has_more":null,"next_token":"tok_2"}"#,
        r#"{"data":[],"next_token":"tok_2"}"#,
    ] {
        let page: ListPage<Video> = serde_json::from_str(body).unwrap();
        assert_eq!(page.next_token(), Some("tok_2"), "{body}");
    }
    for body in [
        r#"{"data":[],"has_more":false,"next_token":"tok_2"}"#,
        r#"{"data":[],"next_token":""}"#,
        r#"{"data":[],"next_token":null}"#,
        r#"{"data":[]}"#,
    ] {
        let page: ListPage<Video> = serde_json::from_str(body).unwrap();
        assert_eq!(page.next_token(), None, "{body}");
    }
}

#[test]
fn null_and_absent_read_the_same_in_response_fields() {
    for (null, absent) in [
        (
            r#"{"id":"look_0001","name":null,"avatar_type":"photo_avatar","image_width":null}"#,
            r#"{"id":"look_0001","avatar_type":"photo_avatar"}"#,
        ),
        (
            r#"{"id":"grp_0001","name":null,"created_at":null,"looks_count":null}"#,
            r#"{"id":"grp_0001"}"#,
        ),
    ] {
        let a: serde_json::Value = serde_json::from_str(null).unwrap();
        let b: serde_json::Value = serde_json::from_str(absent).unwrap();
        if a.get("avatar_type").is_some() {
            let (a, b): (Look, Look) = (
                serde_json::from_value(a).unwrap(),
                serde_json::from_value(b).unwrap(),
            );
            assert_eq!(a, b);
            assert_eq!(a.name, "");
            assert_eq!(a.image_width, None);
        } else {
            let (a, b): (AvatarGroup, AvatarGroup) = (
                serde_json::from_value(a).unwrap(),
                serde_json::from_value(b).unwrap(),
            );
            assert_eq!(a, b);
            assert_eq!(a.looks_count, None, "an unknown count is not zero");
            assert_eq!(a.created_at, None);
        }
    }
    let a: Video = serde_json::from_str(r#"{"id":"vid_0001","status":null}"#).unwrap();
    let b: Video = serde_json::from_str(r#"{"id":"vid_0001"}"#).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.status, None);
    let a: User = serde_json::from_str(r#"{"username":null,"email":null}"#).unwrap();
    let b: User = serde_json::from_str("{}").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.username, None);
    let a: DirectUpload = serde_json::from_str(
        r#"{"asset_id":"asset_0001","upload_url":"https://s.example.com/k","upload_headers":null}"#,
    )
    .unwrap();
    assert!(a.upload_headers.iter().next().is_none());
    // One odd item does not reject the page.
    let page: ListPage<AvatarGroup> = serde_json::from_str(
        r#"{"data":[{"id":"grp_0001","name":null,"created_at":1764400000,"looks_count":null},{"id":"grp_0002","name":"G","created_at":1764400000,"looks_count":1}],"has_more":false,"next_token":null}"#,
    )
    .unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[1].looks_count, Some(1));
}

#[test]
fn numbers_read_in_every_spelling() {
    let look: Look = serde_json::from_str(
        r#"{"id":"look_0001","avatar_type":"photo_avatar","image_width":512.0,"image_height":"512"}"#,
    )
    .unwrap();
    assert_eq!(
        (look.image_width, look.image_height),
        (Some(512), Some(512))
    );
    for wire in ["2", "2.0", "\"2\"", "\" 2 \"", "\"2.0\"", "2e0"] {
        let group: AvatarGroup =
            serde_json::from_str(&format!(r#"{{"id":"grp_0001","looks_count":{wire}}}"#))
                .unwrap_or_else(|e| panic!("{wire}: {e}"));
        assert_eq!(group.looks_count, Some(2), "{wire}");
    }
    let video: Video =
        serde_json::from_str(r#"{"id":"vid_0001","status":"completed","duration":"12.5"}"#)
            .unwrap();
    assert_eq!(video.duration.map(Seconds::as_f64), Some(12.5));
    let asset: Asset = serde_json::from_str(
        r#"{"asset_id":"asset_0001","url":"https://f.example.com/a","mime_type":"image/png","size_bytes":"1024"}"#,
    )
    .unwrap();
    assert_eq!(asset.size_bytes, 1024);
    let user: User = serde_json::from_str(
        r#"{"username":"u","wallet":{"currency":"usd","remaining_balance":"12.5"},"subscription":{"plan":"free","credits":{"premium_credits":{"remaining":"-3"}}}}"#,
    )
    .unwrap();
    assert_eq!(user.wallet.unwrap().remaining_balance, Some(12.5));

    // Nonsense is a serde error, never a panic and never a default.
    for wire in [
        "-1",
        "1.5",
        "\"-1\"",
        "\"1.5\"",
        "4294967296",
        "\"4294967296\"",
        "\"NaN\"",
        "\"inf\"",
        "\"1e999\"",
        "\"two\"",
        "\"\"",
        "true",
        "[]",
        "{}",
    ] {
        let got = serde_json::from_str::<AvatarGroup>(&format!(
            r#"{{"id":"grp_0001","looks_count":{wire}}}"#
        ));
        assert!(got.is_err(), "{wire} should fail: {got:?}");
    }
    for wire in ["-1", "1.5", "\"x\"", "null"] {
        let got = serde_json::from_str::<Asset>(&format!(
            r#"{{"asset_id":"a","url":"u","mime_type":"m","size_bytes":{wire}}}"#
        ));
        assert!(got.is_err(), "{wire} should fail: {got:?}");
    }
    for wire in ["\"NaN\"", "\"-inf\"", "\"1e999\""] {
        let got = serde_json::from_str::<User>(&format!(
            r#"{{"wallet":{{"currency":"usd","remaining_balance":{wire}}}}}"#
        ));
        assert!(got.is_err(), "{wire} should fail: {got:?}");
    }
}

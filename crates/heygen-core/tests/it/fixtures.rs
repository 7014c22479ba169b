//! Fixture parses for every operation: 2xx, envelope 4xx, HTML 5xx, 200 with an error,
//! malformed 2xx, a 2xx of the wrong shape, a gzip error body and an oversized body.

use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, CreateVideo,
    DeleteAvatarGroup, DeleteLook, DeleteVideo, GetAvatarGroup, GetCurrentUser, GetLook, GetVideo,
    ListAvatarGroups, ListLooks, ListVideos, UpdateLook, UploadAsset,
};
use heygen_core::{Error, ErrorClass, Operation, ResponseLimits, Source};
use heygen_model::{
    AssetInput, CompleteUploadRequest, CreateAvatarVideo, CreateConsentRequest,
    CreateDirectUploadRequest, CreatePhotoAvatar, ListAvatarGroupsQuery, ListLooksQuery,
    ListVideosQuery, UpdateLookRequest,
};

use crate::support::{
    GROUP_JSON, LOOK_JSON, VIDEO_JSON, asset, group, gzip, json_resp, look, resp, video,
};

pub(crate) fn envelope_4xx<O: Operation>(op: &O) {
    let body = r#"{"error":{"code":"not_found","message":"Not here","param":"id","doc_url":"https://docs.example.com/e"}}"#;
    let err = op
        .parse(json_resp(404, body), &ResponseLimits::default())
        .err()
        .unwrap();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("not_found"));
    assert_eq!(api.message.as_deref(), Some("Not here"));
    assert_eq!(api.param.as_deref(), Some("id"));
    assert_eq!(api.doc_url.as_deref(), Some("https://docs.example.com/e"));
    assert_eq!(err.request_id(), Some("req_0001"));
    assert_eq!(err.class(), ErrorClass::NotFound);
    let text = err.to_string();
    assert!(text.contains(op.path_template()), "{text}");
    assert!(text.contains("404"), "{text}");
}

pub(crate) fn html_5xx<O: Operation>(op: &O) {
    let body = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = op
        .parse(
            resp(
                502,
                &[("content-type", "text/html"), ("x-request-id", "r2")],
                body,
            ),
            &ResponseLimits::default(),
        )
        .err()
        .unwrap();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.status, 502);
    assert_eq!(u.content_type.as_deref(), Some("text/html"));
    assert!(u.snippet.contains("502 Bad Gateway"));
    assert_eq!(err.request_id(), Some("r2"));
    assert_eq!(err.class(), ErrorClass::Server);
    assert!(err.is_retryable());
}

pub(crate) fn error_on_200<O: Operation>(op: &O) {
    let body = r#"{"data":null,"error":{"code":"invalid_parameter","message":"bad"}}"#;
    let err = op
        .parse(json_resp(200, body), &ResponseLimits::default())
        .err()
        .unwrap();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.api_code(), Some("invalid_parameter"));
    assert!(!err.is_retryable());
}

pub(crate) fn malformed_2xx<O: Operation>(op: &O) {
    let err = op
        .parse(
            json_resp(200, r#"{"data": {"id": "#),
            &ResponseLimits::default(),
        )
        .err()
        .unwrap();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.status, 200);
    assert_eq!(err.request_id(), Some("req_0001"));
}

pub(crate) fn wrong_shape_2xx<O: Operation>(op: &O, path_prefix: &str) {
    let err = op
        .parse(
            json_resp(200, r#"{"data": 12}"#),
            &ResponseLimits::default(),
        )
        .err()
        .unwrap();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert!(d.json_path.starts_with(path_prefix), "{}", d.json_path);
    assert!(d.snippet.contains("12"));
}

pub(crate) fn gzip_error_body<O: Operation>(op: &O) {
    let body = gzip(br#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests"}}"#);
    let err = op
        .parse(
            resp(
                429,
                &[
                    ("content-type", "application/json"),
                    ("content-encoding", "gzip"),
                    ("retry-after", "3"),
                ],
                &body,
            ),
            &ResponseLimits::default(),
        )
        .err()
        .unwrap();
    assert_eq!(err.api_code(), Some("rate_limit_exceeded"));
    assert_eq!(err.class(), ErrorClass::RateLimited);
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(3)));
}

pub(crate) fn oversized_body<O: Operation>(op: &O) {
    let body = vec![b' '; 100];
    let mut response = json_resp(200, "");
    *response.body_mut() = &body;
    let err = op.parse(response, &ResponseLimits::new(64)).err().unwrap();
    let Error::BodyTooLarge(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.limit, 64);
    assert_eq!(t.path, Some(op.path_template()));
    // A gzip body that inflates past the limit is refused too.
    let bomb = gzip(&vec![b'{'; 10_000]);
    let response = resp(200, &[("content-encoding", "gzip")], &bomb);
    assert!(matches!(
        op.parse(response, &ResponseLimits::new(1024)),
        Err(Error::BodyTooLarge(_))
    ));
}

macro_rules! suite {
    ($name:ident, $op:expr, $ok:expr, $path:expr, |$out:ident| $check:block) => {
        mod $name {
            use super::*;

            #[test]
            fn ok_2xx() {
                let $out = $op
                    .parse(json_resp(200, $ok), &ResponseLimits::default())
                    .unwrap();
                $check
            }
            #[test]
            fn envelope_4xx() {
                super::envelope_4xx(&$op);
            }
            #[test]
            fn html_5xx() {
                super::html_5xx(&$op);
            }
            #[test]
            fn error_on_200() {
                super::error_on_200(&$op);
            }
            #[test]
            fn malformed_2xx() {
                super::malformed_2xx(&$op);
            }
            #[test]
            fn wrong_shape_2xx() {
                super::wrong_shape_2xx(&$op, $path);
            }
            #[test]
            fn gzip_error_body() {
                super::gzip_error_body(&$op);
            }
            #[test]
            fn oversized_body() {
                super::oversized_body(&$op);
            }
        }
    };
}

suite!(
    create_avatar,
    CreateAvatar::new(CreatePhotoAvatar::new(
        "A",
        AssetInput::url("https://example.com/a.png")
    )),
    &format!(r#"{{"data":{{"avatar_item":{LOOK_JSON},"avatar_group":{GROUP_JSON}}}}}"#),
    "data",
    |out| {
        assert_eq!(out.avatar_item.unwrap().id.as_str(), "look_0001");
        assert_eq!(out.avatar_group.unwrap().id.as_str(), "grp_0001");
    }
);

suite!(
    create_consent,
    CreateConsent::new(group(), CreateConsentRequest::new()),
    &format!(
        r#"{{"data":{{"avatar_group":{GROUP_JSON},"url":"https://heygen.example/consent/x"}}}}"#
    ),
    "data",
    |out| {
        assert_eq!(out.avatar_group.id.as_str(), "grp_0001");
        assert!(out.url.is_some());
    }
);

suite!(
    get_avatar_group,
    GetAvatarGroup::new(group()),
    &format!(r#"{{"data":{GROUP_JSON}}}"#),
    "data",
    |out| {
        assert_eq!(out.looks_count, Some(2));
        assert!(out.consent_status.is_none());
    }
);

suite!(
    list_avatar_groups,
    ListAvatarGroups::new(ListAvatarGroupsQuery::default()),
    &format!(r#"{{"data":[{GROUP_JSON}],"has_more":true,"next_token":"t2"}}"#),
    "data",
    |out| {
        assert_eq!(out.data.len(), 1);
        assert_eq!(out.next_token(), Some("t2"));
    }
);

suite!(
    delete_avatar_group,
    DeleteAvatarGroup::new(group()),
    r#"{"data":{"id":"grp_0001"}}"#,
    "data",
    |out| {
        assert_eq!(out.id, "grp_0001");
    }
);

suite!(
    list_looks,
    ListLooks::new(ListLooksQuery::new()),
    &format!(r#"{{"data":[{LOOK_JSON}],"has_more":false,"next_token":null}}"#),
    "data",
    |out| {
        assert_eq!(out.data[0].id.as_str(), "look_0001");
        assert_eq!(out.next_token(), None);
    }
);

suite!(
    get_look,
    GetLook::new(look()),
    &format!(r#"{{"data":{LOOK_JSON}}}"#),
    "data",
    |out| {
        assert_eq!(out.name, "A");
    }
);

suite!(
    update_look,
    UpdateLook::new(look(), UpdateLookRequest::new().name("B")),
    r#"{"data":{"id":"look_0001","name":"B","avatar_type":"photo_avatar"}}"#,
    "data",
    |out| {
        assert_eq!(out.name, "B");
    }
);

suite!(
    delete_look,
    DeleteLook::new(look()),
    r#"{"data":{"id":"look_0001"}}"#,
    "data",
    |out| {
        assert_eq!(out.id, "look_0001");
    }
);

suite!(
    upload_asset,
    UploadAsset::new(Source::Reader, "a.png", "image/png", 10, [0; 16]),
    r#"{"data":{"asset_id":"asset_0001","url":"https://files.example.com/a.png","mime_type":"image/png","size_bytes":10}}"#,
    "data",
    |out| {
        assert_eq!(out.asset_id.as_str(), "asset_0001");
        assert_eq!(out.size_bytes, 10);
    }
);

suite!(
    create_direct_upload,
    CreateDirectUpload::new(CreateDirectUploadRequest::new("v.mp4", "video/mp4", 10)),
    r#"{"data":{"asset_id":"asset_0001","upload_url":"https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900","upload_headers":{"Content-Type":"video/mp4"},"expires_in_seconds":900}}"#,
    "data",
    |out| {
        assert_eq!(
            out.upload_url.as_str(),
            "https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900"
        );
        assert_eq!(out.upload_headers.get("Content-Type"), Some("video/mp4"));
    }
);

suite!(
    complete_upload,
    CompleteUpload::new(asset(), CompleteUploadRequest::new()),
    r#"{"data":{"asset_id":"asset_0001","status":"completed"}}"#,
    "data",
    |out| {
        assert_eq!(out.asset_id.as_str(), "asset_0001");
    }
);

suite!(
    create_video,
    CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello")),
    r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
    "data",
    |out| {
        assert_eq!(out.video_id.as_str(), "vid_0001");
    }
);

suite!(
    get_video,
    GetVideo::new(video()),
    &format!(r#"{{"data":{VIDEO_JSON}}}"#),
    "data",
    |out| {
        assert_eq!(
            out.video_url.unwrap().as_str(),
            "https://files.example.com/v.mp4"
        );
    }
);

suite!(
    list_videos,
    ListVideos::new(ListVideosQuery::new()),
    &format!(r#"{{"data":[{VIDEO_JSON},{VIDEO_JSON}],"has_more":false}}"#),
    "data",
    |out| {
        assert_eq!(out.data.len(), 2);
    }
);

suite!(
    delete_video,
    DeleteVideo::new(video()),
    r#"{"data":{"id":"vid_0001","deleted":true}}"#,
    "data",
    |out| {
        assert_eq!(out.deleted, Some(true));
    }
);

suite!(
    get_current_user,
    GetCurrentUser::new(),
    r#"{"data":{"username":"ada","email":"ada@example.com","unknown_field":1}}"#,
    "data",
    |out| {
        assert_eq!(out.username.as_deref(), Some("ada"));
    }
);

#[test]
fn delete_with_no_content_is_ok() {
    let out = DeleteVideo::new(video())
        .parse(resp(204, &[], b""), &ResponseLimits::default())
        .unwrap();
    assert_eq!(out.id, "vid_0001");
}

#[test]
fn flat_and_detail_error_shapes() {
    let op = GetVideo::new(video());
    let err = op
        .parse(
            json_resp(400, r#"{"code": 400112, "message": "Invalid"}"#),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert_eq!(err.api_code(), Some("400112"));
    assert_eq!(err.class(), ErrorClass::Validation);
    let err = op
        .parse(json_resp(
            415,
            r#"{"detail":"Unsupported media type '' in request. 'application/json' is required."}"#,
        ), &ResponseLimits::default())
        .unwrap_err();
    let Error::Api(api) = &err else { panic!() };
    assert!(
        api.message
            .as_deref()
            .unwrap()
            .contains("Unsupported media type")
    );
    let err = op
        .parse(
            json_resp(422, r#"{"detail":[{"loc":["body","x"]}]}"#),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)));
    let err = op
        .parse(resp(503, &[], b""), &ResponseLimits::default())
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)));
    assert_eq!(err.class(), ErrorClass::Server);
    let err = op
        .parse(
            json_resp(
                402,
                r#"{"error":{"code":"insufficient_credit","message":"no"}}"#,
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::InsufficientCredit);
}

#[test]
fn redirect_is_an_error_naming_the_location() {
    let err = GetVideo::new(video())
        .parse(
            resp(
                302,
                &[("location", "https://attacker.example/collect?sig=SECRET")],
                b"",
            ),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let Error::UnexpectedRedirect(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.status, 302);
    assert_eq!(
        r.location.as_deref(),
        Some("https://attacker.example/collect?sig=<redacted>")
    );
    assert!(!err.to_string().contains("SECRET"));
}

#[test]
fn decode_error_names_the_json_path() {
    let body = r#"{"data":{"id":"grp_0001","name":"G","created_at":"yesterday","looks_count":1}}"#;
    let err = GetAvatarGroup::new(group())
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.json_path, "data.created_at");
    let body = r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"photo_avatar","image_width":"wide"}],"has_more":false}"#;
    let err = ListLooks::new(ListLooksQuery::new())
        .parse(json_resp(200, body), &ResponseLimits::default())
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.json_path, "data[0].image_width");
}

#[test]
fn deflate_and_stacked_encodings() {
    use std::io::Write as _;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(format!(r#"{{"data":{VIDEO_JSON}}}"#).as_bytes())
        .unwrap();
    let body = enc.finish().unwrap();
    let out = GetVideo::new(video())
        .parse(
            resp(200, &[("content-encoding", "deflate")], &body),
            &ResponseLimits::default(),
        )
        .unwrap();
    assert_eq!(out.id.as_str(), "vid_0001");
    let garbage = resp(200, &[("content-encoding", "gzip")], b"not gzip");
    let err = GetVideo::new(video())
        .parse(garbage, &ResponseLimits::default())
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    assert!(!err.is_retryable());
    let brotli = resp(503, &[("content-encoding", "br")], b"\x0b");
    let err = GetVideo::new(video())
        .parse(brotli, &ResponseLimits::default())
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Server);
}

#[test]
fn json_array_bodies_are_never_an_envelope() {
    let op = GetVideo::new(video());
    for body in [
        r#"[{"id":"vid_0001","status":"completed"}]"#,
        "[1,2,3]",
        r#"[null,"bad thing","E_CODE"]"#,
        "[]",
        " \n[]",
        "\"data\"",
        "12",
    ] {
        let err = op
            .parse(json_resp(200, body), &ResponseLimits::default())
            .unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(d.status, 200, "{body}");
        assert_eq!(d.message, "expected a json object", "{body}");
        assert_eq!(err.request_id(), Some("req_0001"));
    }
    for (status, body) in [
        (400, r#"[null,"bad thing","E_CODE"]"#),
        (500, "[1,2,3]"),
        (404, r#"[{"error":{"code":"x"}}]"#),
    ] {
        let err = op
            .parse(json_resp(status, body), &ResponseLimits::default())
            .unwrap_err();
        let Error::Api(api) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(api.status, status, "{body}");
        assert_eq!(api.code, None, "{body}");
        assert_eq!(api.message, None, "{body}");
    }
    let whole = ListVideos::new(ListVideosQuery::new());
    let err = whole
        .parse(
            json_resp(200, r#"[{"id":"vid_0001"}]"#),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn an_error_member_that_carries_nothing_is_not_an_error() {
    let op = GetVideo::new(video());
    for error in [
        r#"{"code":"","message":""}"#,
        r#"{"code":null,"message":null}"#,
        r#"{"code":0,"message":" "}"#,
        r#"{"param":"id"}"#,
        "{}",
        "0",
        "false",
        "\"\"",
        "null",
        "[]",
    ] {
        let body = format!(r#"{{"data":{VIDEO_JSON},"error":{error}}}"#);
        let out = op.parse(json_resp(200, &body), &ResponseLimits::default());
        assert!(out.is_ok(), "{error}: {out:?}");
    }
    for error in [
        r#"{"code":"invalid_parameter","message":""}"#,
        r#"{"code":"","message":"video_id is invalid"}"#,
        r#"{"code":400112}"#,
        r#"{"detail":"nope"}"#,
        "\"failed\"",
        "true",
        "1",
    ] {
        let body = format!(r#"{{"data":{VIDEO_JSON},"error":{error}}}"#);
        let err = op
            .parse(json_resp(200, &body), &ResponseLimits::default())
            .unwrap_err();
        assert!(matches!(err, Error::Api(_)), "{error}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    }
}

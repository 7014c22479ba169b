//! Multipart framing, the direct-upload PUT, SHA-256 and sniffing.

use heygen_core::ops::{CreateDirectUpload, UploadAsset};
use heygen_core::upload::{DirectUploadPut, MultipartFraming, Sha256};
use heygen_core::{Body, Call, Error, Operation, ResponseLimits, Source};
use heygen_model::CreateDirectUploadRequest;
use heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES;

use crate::support::{config, json_resp, resp};

#[test]
fn multipart_body_is_exact() {
    let file = b"\x89PNG\r\n\x1a\nabcdef";
    let framing =
        MultipartFraming::new("me.png", "image/png", file.len() as u64, [0xab; 16]).unwrap();
    let mut body = Vec::new();
    body.extend_from_slice(framing.prefix());
    body.extend_from_slice(file);
    body.extend_from_slice(framing.suffix());
    assert_eq!(body.len() as u64, framing.content_length());
    let boundary = "heygen-rs-abababababababababababababababab";
    let mut want = Vec::new();
    want.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    want.extend_from_slice(file);
    want.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(body, want);
    assert_eq!(
        framing.content_type(),
        format!("multipart/form-data; boundary={boundary}")
    );
}

#[test]
fn files_over_32_mb_point_to_direct_upload() {
    let op = UploadAsset::new(
        Source::Reader,
        "big.mp4",
        "video/mp4",
        MAX_MULTIPART_UPLOAD_BYTES + 1,
        [0; 16],
    );
    let err = Call::new(op, &config(), [0; 16]).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(err.to_string().contains("direct upload"), "{err}");
    assert!(
        UploadAsset::new(
            Source::File("ok.mp4".into()),
            "ok.mp4",
            "video/mp4",
            MAX_MULTIPART_UPLOAD_BYTES,
            [0; 16],
        )
        .build(&config())
        .is_ok()
    );
}

#[test]
fn presigned_put_is_byte_for_byte_and_carries_no_credentials() {
    let direct = CreateDirectUpload::new(CreateDirectUploadRequest::new("v.mp4", "video/mp4", 1234))
        .parse(json_resp(
            200,
            r#"{"data":{"asset_id":"asset_0001","upload_url":"https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900","upload_headers":{"Content-Type":"video/mp4","x-amz-meta-a":"1"},"expires_in_seconds":900}}"#,
        ), &ResponseLimits::default())
        .unwrap();
    let put = DirectUploadPut::from_direct_upload(&direct, Source::File("/tmp/v.mp4".into()), 1234);
    let call = Call::new(put, &config(), [0; 16]).unwrap();
    let request = call.request();
    assert_eq!(request.method(), "PUT");
    assert_eq!(
        request.uri().to_string(),
        "https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900"
    );
    let mut names: Vec<_> = request
        .headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["content-length", "content-type", "x-amz-meta-a"]);
    assert_eq!(request.headers()["content-length"], "1234");
    assert_eq!(request.headers()["content-type"], "video/mp4");
    assert!(call.idempotency_key().is_none());
    assert_eq!(call.timeout(), std::time::Duration::from_mins(10));
    // The body is a plan: exactly the file's bytes, hashed as they stream, replayable.
    let Body::Stream(plan) = request.body() else {
        panic!("{:?}", request.body())
    };
    assert!(plan.prefix.is_empty() && plan.suffix.is_empty());
    assert_eq!(plan.len, 1234);
    assert_eq!(plan.content_length(), 1234);
    assert!(plan.sha256);
    assert_eq!(plan.source, Source::File("/tmp/v.mp4".into()));
    assert!(request.body().is_replayable());
    let debug = format!("{call:?} {:?}", call.operation());
    assert!(!debug.contains("ab%2Fcd"), "{debug}");
    assert!(!debug.contains("/tmp"), "{debug}");
}

#[test]
fn presigned_put_responses() {
    let put = DirectUploadPut::new(
        "https://s.example.com/k",
        [("Content-Type", "video/mp4")],
        Source::Reader,
        3,
    );
    assert!(
        put.parse(resp(200, &[], b""), &ResponseLimits::default())
            .is_ok()
    );
    let xml = b"<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><StringToSign>https://s.example.com/k?X-Amz-Signature=SECRETSIG</StringToSign></Error>";
    let err = put
        .parse(
            resp(403, &[("content-type", "application/xml")], xml),
            &ResponseLimits::default(),
        )
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert!(u.snippet.contains("SignatureDoesNotMatch"));
    assert!(!format!("{err:?}{err}").contains("SECRETSIG"));
    let wrapped = Error::upload_failed("asset_0001", err);
    assert!(
        wrapped
            .to_string()
            .starts_with("upload of asset asset_0001 failed")
    );
    assert_eq!(wrapped.status().unwrap(), 403);
}

#[test]
fn presigned_put_validation() {
    let bad = DirectUploadPut::new(
        "http://storage.example.com/k",
        Vec::<(String, String)>::new(),
        Source::Reader,
        3,
    );
    assert!(bad.build(&config()).is_err());
    let loopback = DirectUploadPut::new(
        "http://127.0.0.1:9000/k",
        Vec::<(String, String)>::new(),
        Source::Reader,
        3,
    );
    assert!(loopback.build(&config()).is_ok());
    let mismatch = DirectUploadPut::new(
        "https://s.example.com/k",
        [("Content-Length", "4")],
        Source::Reader,
        3,
    );
    assert!(mismatch.build(&config()).is_err());
    let bad_header = DirectUploadPut::new(
        "https://s.example.com/k",
        [("Bad Name", "x")],
        Source::Reader,
        3,
    );
    assert!(bad_header.build(&config()).is_err());
}

#[test]
fn streaming_sha256_matches_one_shot() {
    let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let mut h = Sha256::new();
    for chunk in data.chunks(777) {
        h.update(chunk);
    }
    assert_eq!(h.len(), 10_000);
    assert_eq!(h.finalize_hex(), Sha256::hex_digest(&data));
}

//! Every URL a response carries may be presigned (`video_url`, `subtitle_url`, …) or signed by a
//! CDN: `Debug` of every response type hides the query of each one, while the value still
//! serializes byte for byte.

use core::fmt::Debug;

use heygen_model::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

const SIGNED: &str =
    "https://files.example.com/k.bin?X-Amz-Signature=SECRETSIG&Expires=1&Key-Pair-Id=KPID";

/// Parses `body` (with `{url}` standing for a signed URL), then checks that `Debug` shows none
/// of the signatures and that every one of the `urls` fields survived a round trip.
fn check<T: DeserializeOwned + Serialize + Debug>(body: &str, urls: usize) {
    let body = body.replace("{url}", SIGNED);
    let value: T = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{body}: {e}"));
    let debug = format!("{value:?}");
    for secret in ["SECRETSIG", "KPID"] {
        assert!(
            !debug.contains(secret),
            "{} leaks: {debug}",
            std::any::type_name::<T>()
        );
    }
    let back = serde_json::to_string(&value).unwrap();
    assert_eq!(
        back.matches("X-Amz-Signature=SECRETSIG").count(),
        urls,
        "{} keeps each URL whole on the wire: {back}",
        std::any::type_name::<T>()
    );
}

#[test]
fn every_response_url_is_hidden_in_debug() {
    let video = r#"{"id":"vid_0001","status":"completed","video_url":"{url}","captioned_video_url":"{url}","gif_url":"{url}","thumbnail_url":"{url}","subtitle_url":"{url}","video_page_url":"{url}"}"#;
    check::<Video>(video, 6);
    check::<ListPage<Video>>(&format!(r#"{{"data":[{video}],"has_more":false}}"#), 6);
    let look = r#"{"id":"look_0001","name":"A","avatar_type":"photo_avatar","preview_image_url":"{url}","preview_video_url":"{url}"}"#;
    check::<Look>(look, 2);
    check::<ListPage<Look>>(&format!(r#"{{"data":[{look}]}}"#), 2);
    let group =
        r#"{"id":"grp_0001","name":"G","preview_image_url":"{url}","preview_video_url":"{url}"}"#;
    check::<AvatarGroup>(group, 2);
    check::<ListPage<AvatarGroup>>(&format!(r#"{{"data":[{group}]}}"#), 2);
    check::<CreateAvatarResponse>(
        &format!(r#"{{"avatar_item":{look},"avatar_group":{group}}}"#),
        4,
    );
    check::<ConsentResponse>(&format!(r#"{{"avatar_group":{group},"url":"{{url}}"}}"#), 3);
    check::<Asset>(
        r#"{"asset_id":"asset_0001","url":"{url}","mime_type":"image/png","size_bytes":3}"#,
        1,
    );
    check::<CompletedUpload>(r#"{"asset_id":"asset_0001","url":"{url}"}"#, 1);
    check::<DirectUpload>(
        r#"{"asset_id":"asset_0001","upload_url":"{url}","upload_headers":{}}"#,
        1,
    );
}

#[test]
fn subtitle_url_is_a_redacting_url() {
    let video: Video =
        serde_json::from_str(&format!(r#"{{"id":"vid_0001","subtitle_url":"{SIGNED}"}}"#)).unwrap();
    let subtitle = video.subtitle_url.as_ref().unwrap();
    assert_eq!(subtitle.as_str(), SIGNED);
    assert_eq!(
        subtitle.to_string(),
        "https://files.example.com/k.bin?<redacted>"
    );
}

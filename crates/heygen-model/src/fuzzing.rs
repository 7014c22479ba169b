//! Entry points shared by the fuzz targets and the corpus-replay test. Not a stable API.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{
    ApiErrorBody, Asset, AvatarGroup, CompletedUpload, ConsentResponse, CreateAvatarRequest,
    CreateAvatarResponse, CreateConsentRequest, CreateDirectUploadRequest, CreateVideoRequest,
    CreateVideoResponse, DeletedResource, DirectUpload, ListPage, Look, User, Video,
};

/// Decodes `data` as `T`; if that works, checks that encoding and decoding again gives the
/// same value. Returns whether `data` decoded.
#[allow(
    clippy::missing_panics_doc,
    reason = "a failed round-trip is the bug the fuzzer looks for"
)]
pub fn round_trip<T>(data: &[u8]) -> bool
where
    T: Serialize + DeserializeOwned + PartialEq + core::fmt::Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return false;
    };
    let Ok(encoded) = serde_json::to_vec(&value) else {
        return true;
    };
    let again: Result<T, _> = serde_json::from_slice(&encoded);
    assert!(
        again.as_ref().is_ok_and(|again| *again == value),
        "round-trip changed the value: {value:?} -> {again:?}"
    );
    true
}

/// Feeds bytes to every response type (bare and inside `{"data": …}`) and to the error-body
/// detector. Never panics unless a decoded value fails to round-trip.
pub fn decode_responses(data: &[u8]) {
    round_trip::<Look>(data);
    round_trip::<AvatarGroup>(data);
    round_trip::<CreateAvatarResponse>(data);
    round_trip::<ConsentResponse>(data);
    round_trip::<Asset>(data);
    round_trip::<DirectUpload>(data);
    round_trip::<CompletedUpload>(data);
    round_trip::<CreateVideoResponse>(data);
    round_trip::<Video>(data);
    round_trip::<DeletedResource>(data);
    round_trip::<User>(data);
    round_trip::<ListPage<Look>>(data);
    round_trip::<ListPage<AvatarGroup>>(data);
    round_trip::<ListPage<Video>>(data);
    round_trip::<ApiErrorBody>(data);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = ApiErrorBody::from_json_value(&value);
        if let Some(Ok(inner)) = value.get("data").map(serde_json::to_vec) {
            decode_responses_inner(&inner);
        }
    }
}

fn decode_responses_inner(data: &[u8]) {
    round_trip::<Look>(data);
    round_trip::<AvatarGroup>(data);
    round_trip::<CreateAvatarResponse>(data);
    round_trip::<ConsentResponse>(data);
    round_trip::<DirectUpload>(data);
    round_trip::<Video>(data);
    round_trip::<User>(data);
}

/// Feeds bytes to every request type; decoded requests must round-trip and `validate` must not
/// panic.
pub fn decode_requests(data: &[u8]) {
    macro_rules! check {
        ($($ty:ty),*) => {$(
            if round_trip::<$ty>(data) {
                if let Ok(value) = serde_json::from_slice::<$ty>(data) {
                    let _ = value.validate();
                }
            }
        )*};
    }
    check!(
        CreateAvatarRequest,
        CreateConsentRequest,
        CreateDirectUploadRequest,
        CreateVideoRequest,
        crate::UpdateLookRequest,
        crate::CompleteUploadRequest,
        crate::ListAvatarGroupsQuery,
        crate::ListLooksQuery,
        crate::ListVideosQuery
    );
}

//! Entry points shared by the fuzz targets and the corpus-replay test. Not a stable API.
//!
//! Input format (so seeds stay readable): the first line is the status code, then header lines
//! `Name: value` up to an empty line, then the body. Anything that does not fit is tolerated:
//! a bad status becomes 200, bad header lines are skipped.

use heygen_model::{
    AssetId, AvatarGroupId, CompleteUploadRequest, CreateConsentRequest, CreateDirectUploadRequest,
    ListAvatarGroupsQuery, ListLooksQuery, ListVideosQuery, LookId, UpdateLookRequest, VideoId,
};
use http::{HeaderName, HeaderValue, Response, StatusCode};

use crate::Operation;
use crate::ops::{
    CompleteUpload, CreateConsent, CreateDirectUpload, DeleteAvatarGroup, DeleteLook, DeleteVideo,
    GetAvatarGroup, GetCurrentUser, GetLook, GetVideo, ListAvatarGroups, ListLooks, ListVideos,
    RawJson, UpdateLook, UploadAsset,
};
use crate::response::ResponseLimits;
use crate::upload::DirectUploadPut;

/// A decoded fuzz input.
#[derive(Debug)]
pub struct Input<'a> {
    /// The status.
    pub status: StatusCode,
    /// Header (name, value) pairs that are valid header text.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body.
    pub body: &'a [u8],
}

/// Splits raw fuzz bytes into status, headers and body.
pub fn split_input(data: &[u8]) -> Input<'_> {
    let (head, body) = match find(data, b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let mut lines = head.split(|b| *b == b'\n');
    let status = lines
        .next()
        .and_then(|l| core::str::from_utf8(l).ok())
        .and_then(|l| l.trim().parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let headers = lines
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let colon = line.iter().position(|b| *b == b':')?;
            let name = HeaderName::from_bytes(&line[..colon]).ok()?;
            let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii()).ok()?;
            Some((name, value))
        })
        .collect();
    Input {
        status,
        headers,
        body,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn response<'a>(input: &Input<'a>) -> Response<&'a [u8]> {
    let mut response = Response::new(input.body);
    *response.status_mut() = input.status;
    for (name, value) in &input.headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    response
}

fn run<O: Operation>(op: &O, input: &Input<'_>) {
    for limits in [ResponseLimits::default(), ResponseLimits::new(64)] {
        let result = op.parse(response(input), &limits);
        if let Err(error) = result {
            // Formatting must not panic either.
            let _ = error.to_string();
            let _ = format!("{error:?}");
            let _ = (
                error.status(),
                error.api_code(),
                error.class(),
                error.is_retryable(),
            );
        }
    }
}

/// Feeds one response to every operation's `parse`. Never panics.
pub fn parse_response(data: &[u8]) {
    let input = split_input(data);
    let (Ok(group), Ok(look), Ok(video), Ok(asset)) = (
        AvatarGroupId::new("grp_0001"),
        LookId::new("look_0001"),
        VideoId::new("vid_0001"),
        AssetId::new("asset_0001"),
    ) else {
        return;
    };
    let create_avatar_json = serde_json::json!({
        "type": "photo", "name": "A", "file": {"type": "url", "url": "https://example.com/a.png"}
    });
    if let Ok(request) =
        serde_json::from_value::<heygen_model::CreateAvatarRequest>(create_avatar_json)
    {
        run(&crate::ops::CreateAvatar::new(request), &input);
    }
    let create_video_json = serde_json::json!({
        "type": "avatar", "avatar_id": "look_0001", "script": "Hello"
    });
    if let Ok(request) =
        serde_json::from_value::<heygen_model::CreateVideoRequest>(create_video_json)
    {
        run(&crate::ops::CreateVideo::new(request), &input);
    }
    run(
        &CreateConsent::new(group.clone(), CreateConsentRequest::new()),
        &input,
    );
    run(&GetAvatarGroup::new(group.clone()), &input);
    run(
        &ListAvatarGroups::new(ListAvatarGroupsQuery::default()),
        &input,
    );
    run(&DeleteAvatarGroup::new(group), &input);
    run(&ListLooks::new(ListLooksQuery::new()), &input);
    run(&GetLook::new(look.clone()), &input);
    run(
        &UpdateLook::new(look.clone(), UpdateLookRequest::new()),
        &input,
    );
    run(&DeleteLook::new(look), &input);
    run(
        &UploadAsset::new(crate::Source::Reader, "a.png", "image/png", 10, [0; 16]),
        &input,
    );
    run(
        &CreateDirectUpload::new(CreateDirectUploadRequest::new("a.mp4", "video/mp4", 10)),
        &input,
    );
    run(
        &CompleteUpload::new(asset, CompleteUploadRequest::new()),
        &input,
    );
    run(&GetVideo::new(video.clone()), &input);
    run(&ListVideos::new(ListVideosQuery::new()), &input);
    run_video_batch_ops(&input, &video);
    run(&DeleteVideo::new(video), &input);
    run(&GetCurrentUser::new(), &input);
    run(&RawJson::new(http::Method::GET, "/v3/x"), &input);
    if let Ok(voice) = heygen_model::VoiceId::new("voice_0001") {
        run(
            &crate::ops::ListVoices::new(heygen_model::ListVoicesQuery::new()),
            &input,
        );
        run(&crate::ops::GetVoice::new(voice.clone()), &input);
        run(
            &crate::ops::DesignVoice::new(heygen_model::DesignVoiceRequest::new("calm")),
            &input,
        );
        run(
            &crate::ops::CloneVoice::new(heygen_model::CloneVoiceRequest::new(
                "A",
                heygen_model::AssetInput::url("https://example.com/a.mp3"),
            )),
            &input,
        );
        run(
            &crate::ops::CreateSpeech::new(heygen_model::SpeechRequest::new(voice.clone(), "Hi")),
            &input,
        );
        run(&crate::ops::DeleteVoice::new(voice), &input);
    }
    run_asset_ops(&input);
    run(
        &DirectUploadPut::new(
            "https://storage.example.com/k",
            [("Content-Type", "video/mp4")],
            crate::Source::Reader,
            10,
        ),
        &input,
    );
}

/// The asset management and upload batch operations over one input.
fn run_asset_ops(input: &Input<'_>) {
    if let (Ok(asset), Ok(batch)) = (
        AssetId::new("asset_0001"),
        heygen_model::BatchId::new("batch_0001"),
    ) {
        run(
            &crate::ops::ListAssets::new(heygen_model::ListAssetsQuery::new("ada")),
            input,
        );
        run(&crate::ops::GetAsset::new(asset.clone()), input);
        run(&crate::ops::DeleteAsset::new(asset.clone()), input);
        run(
            &crate::ops::GetAssetStatuses::new(heygen_model::AssetStatusesQuery::assets([asset])),
            input,
        );
        run(
            &crate::ops::CreateUploadBatch::new(heygen_model::CreateUploadBatchRequest::new(vec![
                CreateDirectUploadRequest::new("a.mp4", "video/mp4", 10),
            ])),
            input,
        );
        run(
            &crate::ops::CompleteUploadBatch::new(heygen_model::CompleteUploadBatchRequest::new(
                batch.clone(),
            )),
            input,
        );
        run(&crate::ops::GetAssetBatch::new(batch), input);
    }
}

/// The video batch and bulk status operations over one input.
fn run_video_batch_ops(input: &Input<'_>, video: &VideoId) {
    if let Ok(batch) = heygen_model::BatchId::new("batch_0001") {
        if let Ok(look) = LookId::new("look_0001") {
            run(
                &crate::ops::CreateVideoBatch::new(heygen_model::CreateVideoBatchRequest::new([
                    heygen_model::CreateAvatarVideo::new(look)
                        .script("Hi")
                        .into(),
                ])),
                input,
            );
        }
        run(&crate::ops::GetVideoBatch::new(batch.clone()), input);
        run(
            &crate::ops::GetVideoStatuses::new(
                heygen_model::VideoStatusesQuery::new()
                    .video(video.clone())
                    .batch(batch),
            ),
            input,
        );
    }
}

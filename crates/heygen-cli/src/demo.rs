//! `heygen demo`: the whole avatar lifecycle against an emulator started in this process.
//!
//! Every step goes through the chosen SDK client; a short log goes to stderr and the summary
//! (ids, statuses, timings) is the only thing on stdout. It never talks to the real API: the
//! base URL and key are the embedded emulator's, whatever the environment says. Before the
//! video is rendered, the demo starts the `heygen webhook listen` receiver on a free loopback
//! port, registers it as a webhook endpoint, and waits for the signed `avatar_video.success`
//! of its video to arrive and verify. It ends by downloading the rendered video from the
//! emulator's file origin into the system's temporary directory.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use heygen_core::download::DownloadOptions;
use heygen_core::ops::{
    CreateAvatar, CreateConsent, CreateVideo, CreateWebhookEndpoint, GetAvatarGroup, GetVideo,
    ListLooks,
};
use heygen_core::upload::MultipartUpload;
use heygen_core::webhook::Verifier;
use heygen_core::{Call, Config, PollPolicy, RetryPolicy, Walk};
use heygen_emulator::{Emulator, EmulatorOptions};
use heygen_model::webhook::CreateWebhookEndpointRequest;
use heygen_model::{
    AssetInput, AvatarGroupId, AvatarStatus, CreateAvatarRequest, CreateAvatarVideo,
    CreateConsentRequest, CreateDigitalTwin, CreatePhotoAvatar, ListLooksQuery, Ownership,
};
use serde::Serialize;

use crate::backend::Backend;
use crate::browser;
use crate::cli::Transport;
use crate::failure::{EXIT_API, EXIT_TIMEOUT, Failure};
use crate::listen::{Background, Bound, Receiver};
use crate::output::Output;
use crate::source::sniff;
use crate::wait::wait_for;

/// The bundled portrait (PNG) for the photo avatar.
const PORTRAIT: &[u8] = include_bytes!("../samples/portrait.png");
/// The bundled footage (MP4) for the digital twin.
const FOOTAGE: &[u8] = include_bytes!("../samples/footage.mp4");

/// Emulated seconds per real second: a 2-minute training takes a fifth of a second.
const SPEED: f64 = 600.0;

/// The event the demo's receiver waits for.
const VIDEO_DONE: &str = "avatar_video.success";

/// How long the demo waits for the video's webhook after the video completed.
const WEBHOOK_WAIT: Duration = Duration::from_secs(15);

/// The JSON summary printed on stdout.
#[derive(Debug, Serialize)]
struct Summary {
    transport: &'static str,
    photo_avatar: AvatarSummary,
    asset: AssetSummary,
    digital_twin: AvatarSummary,
    looks: LooksSummary,
    video: VideoSummary,
    webhook: WebhookSummary,
    download: DownloadSummary,
    total_seconds: f64,
}

#[derive(Debug, Serialize)]
struct DownloadSummary {
    path: String,
    bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct WebhookSummary {
    endpoint_id: String,
    url: String,
    event_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<String>,
    video_id: String,
    verified: bool,
    seconds: f64,
}

/// A verified event, as the demo's receiver hands it over.
#[derive(Debug)]
struct Arrived {
    event_id: Option<String>,
    event_type: String,
    data: serde_json::Value,
}

#[derive(Debug, Serialize)]
struct AvatarSummary {
    group_id: String,
    look_id: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    consent_status: Option<String>,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct AssetSummary {
    asset_id: String,
    size_bytes: u64,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct LooksSummary {
    count: usize,
    look_ids: Vec<String>,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct VideoSummary {
    video_id: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_seconds: Option<f64>,
    seconds: f64,
}

/// Seconds with millisecond precision.
fn secs(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

fn missing(what: &str) -> Failure {
    Failure::new(
        EXIT_API,
        "cli_unexpected_response",
        format!("the response has no {what}"),
    )
}

/// Runs the demo.
///
/// # Errors
/// The first step that fails.
pub(crate) fn run(out: &Output, transport: Transport) -> Result<(), Failure> {
    let started = Instant::now();
    let emulator = Emulator::start(EmulatorOptions::default().speed(SPEED))
        .map_err(|e| Failure::new(EXIT_API, "cli_emulator_failed", e.to_string()))?;
    let name = match transport {
        Transport::Blocking => "blocking",
        Transport::Async => "async",
    };
    out.log(&format!(
        "heygen demo: emulator on {} ({SPEED}x speed), {name} client",
        emulator.base_url()
    ));
    let config = Config::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.api_key())
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(50)))
        .build()?;
    let backend = &Backend::connect(transport, config)?;
    let poll = PollPolicy::new()
        .initial_interval(Duration::from_millis(50))
        .max_interval(Duration::from_millis(250))
        .deadline(Duration::from_mins(1));

    let photo = photo_avatar(out, backend, poll)?;
    let (asset, twin) = digital_twin(out, backend, poll)?;

    let step = Instant::now();
    let private = ListLooksQuery::new().ownership(Ownership::Private);
    let looks = backend.items(Walk::new(ListLooks::new(private)))?;
    out.log(&format!("[6/9] listed {} private looks:", looks.len()));
    for look in &looks {
        out.log(&format!(
            "      {}  {:<13} {}",
            look.id,
            look.avatar_type.as_str(),
            look.name
        ));
    }
    let looks = LooksSummary {
        count: looks.len(),
        look_ids: looks.iter().map(|l| l.id.as_str().to_owned()).collect(),
        seconds: secs(step),
    };

    let (video, webhook) = video_and_webhook(out, backend, poll, &twin.look_id)?;
    let download = download(out, backend, &video.video_id)?;

    let summary = Summary {
        transport: name,
        photo_avatar: photo,
        asset,
        digital_twin: twin,
        looks,
        video,
        webhook,
        download,
        total_seconds: secs(started),
    };
    out.log(&format!(
        "heygen demo: done in {:.2} s",
        summary.total_seconds
    ));
    drop(emulator);
    out.data(&summary)
}

/// Downloads the rendered video into `heygen-demo-<pid>/` under the system's temporary
/// directory (the file stays there), through the same client.
fn download(out: &Output, backend: &Backend, video_id: &str) -> Result<DownloadSummary, Failure> {
    let step = Instant::now();
    let id = heygen_model::VideoId::new(video_id)?;
    let dir = std::env::temp_dir().join(format!("heygen-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| {
        Failure::new(
            EXIT_API,
            "cli_download_failed",
            format!("could not create {}: {e}", dir.display()),
        )
    })?;
    let path = dir.join(format!("{video_id}.mp4"));
    let done = crate::download::to_path(backend, &id, &path, DownloadOptions::new(), None)
        .map_err(|e| crate::download::failure(&e).with_id("video_id", video_id))?;
    out.log(&format!(
        "[9/9] downloaded video {video_id} from the file origin (a presigned link, no credentials): {} bytes{} -> {}",
        done.bytes,
        done.content_type
            .as_deref()
            .map_or_else(String::new, |t| format!(" of {t}")),
        path.display()
    ));
    Ok(DownloadSummary {
        path: path.display().to_string(),
        bytes: done.bytes,
        content_type: done.content_type,
        seconds: secs(step),
    })
}

/// Starts the receiver, registers it, renders a video from `look_id` and waits for its signed
/// `avatar_video.success`.
fn video_and_webhook(
    out: &Output,
    backend: &Backend,
    poll: PollPolicy,
    look_id: &str,
) -> Result<(VideoSummary, WebhookSummary), Failure> {
    let step = Instant::now();
    let (receiver, arrivals, endpoint_id, url) = webhook_endpoint(out, backend)?;

    let look = heygen_model::LookId::new(look_id)?;
    let request = CreateAvatarVideo::new(look)
        .script("Hello! This video was made by the heygen-rs demo, from footage to render.")
        .title("heygen-rs demo");
    let created = backend.run(Call::lazy(CreateVideo::new(request)))?;
    out.log(&format!(
        "[8/9] video {} from the twin's look {} ({}); rendering",
        created.video_id,
        look_id,
        created
            .status
            .as_ref()
            .map_or("status not reported", |s| s.as_str())
    ));
    let id = &created.video_id;
    let (video, seen) = wait_for(
        backend,
        GetVideo::new(id.clone()),
        id.as_str(),
        poll,
        "rendering",
    );
    let video = video.map_err(|e| Failure::from(&e).with_id("video_id", id.as_str()))?;
    let duration = video.duration.map(heygen_model::Seconds::as_f64);
    out.log(&format!(
        "      video {}: {}{}",
        video.id,
        seen.statuses.join(" -> "),
        duration.map_or_else(String::new, |d| format!(", {d} s long"))
    ));
    let arrived = await_video_event(&arrivals, video.id.as_str())?;
    drop(receiver);
    out.log(&format!(
        "      webhook {VIDEO_DONE} for {} arrived at the receiver, signature verified{}",
        video.id,
        arrived
            .event_id
            .as_deref()
            .map_or_else(String::new, |e| format!(" (event {e})"))
    ));
    let webhook = WebhookSummary {
        endpoint_id,
        url,
        event_type: arrived.event_type,
        event_id: arrived.event_id,
        video_id: video.id.as_str().to_owned(),
        verified: true,
        seconds: secs(step),
    };
    let video = VideoSummary {
        video_id: video.id.as_str().to_owned(),
        status: video
            .status
            .as_ref()
            .map_or_else(String::new, |s| s.as_str().to_owned()),
        duration_seconds: duration,
        seconds: secs(step),
    };

    Ok((video, webhook))
}

/// Starts the webhook receiver on a free loopback port and registers it for
/// `avatar_video.success`; the secret from the response goes to the receiver only.
fn webhook_endpoint(
    out: &Output,
    backend: &Backend,
) -> Result<(Background, mpsc::Receiver<Arrived>, String, String), Failure> {
    let bound = Bound::new("/webhook")?;
    let url = bound.url().to_owned();
    let request = CreateWebhookEndpointRequest::new(url.clone()).events([VIDEO_DONE]);
    let endpoint = backend.run(Call::lazy(CreateWebhookEndpoint::new(request)))?;
    let secret = endpoint.secret.ok_or_else(|| missing("signing secret"))?;
    let (sender, arrivals) = mpsc::channel();
    let log = out.clone();
    let receiver = Receiver {
        verifier: Verifier::new(secret),
        path: String::new(),
        max_events: None,
        on_event: Box::new(move |event| {
            let _ = sender.send(Arrived {
                event_id: event.event_id.clone(),
                event_type: event.event_type.clone(),
                data: event.data(),
            });
            Ok(())
        }),
        on_refusal: Box::new(move |failure| {
            log.log(&format!(
                "      webhook delivery refused: {} ({})",
                failure.code, failure.message
            ));
        }),
    };
    let running = bound.serve(receiver)?;
    out.log(&format!(
        "[7/9] webhook endpoint {} for {VIDEO_DONE} -> the listen receiver at {url} (its signing \
         secret stays in memory)",
        endpoint.endpoint_id
    ));
    Ok((running, arrivals, endpoint.endpoint_id.into_string(), url))
}

/// The verified `avatar_video.success` of `video_id` (other events are skipped).
fn await_video_event(
    arrivals: &mpsc::Receiver<Arrived>,
    video_id: &str,
) -> Result<Arrived, Failure> {
    let deadline = Instant::now() + WEBHOOK_WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match arrivals.recv_timeout(left) {
            Ok(event)
                if event.event_type == VIDEO_DONE
                    && event.data.get("video_id").and_then(|v| v.as_str()) == Some(video_id) =>
            {
                return Ok(event);
            }
            Ok(_) => {}
            Err(_) => {
                return Err(Failure::new(
                    EXIT_TIMEOUT,
                    "cli_timeout",
                    format!(
                        "no verified {VIDEO_DONE} webhook arrived within {} s",
                        WEBHOOK_WAIT.as_secs()
                    ),
                )
                .with_id("video_id", video_id));
            }
        }
    }
}

/// Waits for an avatar group to finish training; returns it and the statuses seen.
fn train(
    backend: &Backend,
    group: &AvatarGroupId,
    poll: PollPolicy,
    label: &str,
) -> Result<(heygen_model::AvatarGroup, Vec<String>), Failure> {
    let op = GetAvatarGroup::new(group.clone());
    let (done, seen) = wait_for(backend, op, group.as_str(), poll, label);
    let done = done.map_err(|e| Failure::from(&e).with_id("group_id", group.as_str()))?;
    Ok((done, seen.statuses))
}

fn photo_avatar(
    out: &Output,
    backend: &Backend,
    poll: PollPolicy,
) -> Result<AvatarSummary, Failure> {
    let step = Instant::now();
    let media_type = sniff(PORTRAIT).ok_or_else(|| missing("media type for the sample"))?;
    let input = AssetInput::base64_from_bytes(media_type, PORTRAIT)?;
    let request = CreateAvatarRequest::from(CreatePhotoAvatar::new("Demo Portrait", input));
    let created = backend.run(Call::lazy(CreateAvatar::new(request)))?;
    let group = created
        .avatar_group
        .ok_or_else(|| missing("avatar_group"))?;
    let look = created.avatar_item.ok_or_else(|| missing("avatar_item"))?;
    out.log(&format!(
        "[1/9] photo avatar from samples/portrait.png ({} bytes, {media_type}, inline base64): group {}, look {}",
        PORTRAIT.len(),
        group.id,
        look.id
    ));
    let (done, seen) = train(backend, &group.id, poll, "training photo avatar")?;
    let status = done
        .status
        .as_ref()
        .map_or("unknown", AvatarStatus::as_str)
        .to_owned();
    out.log(&format!("      training: {}", seen.join(" -> ")));
    Ok(AvatarSummary {
        group_id: group.id.into_string(),
        look_id: look.id.into_string(),
        status,
        consent_status: None,
        seconds: secs(step),
    })
}

fn digital_twin(
    out: &Output,
    backend: &Backend,
    poll: PollPolicy,
) -> Result<(AssetSummary, AvatarSummary), Failure> {
    let step = Instant::now();
    let media_type = sniff(FOOTAGE).unwrap_or("application/octet-stream");
    let upload = MultipartUpload::reader("footage.mp4", media_type, FOOTAGE.len() as u64);
    let asset_id = backend.run_with_reader(upload, FOOTAGE)?.asset_id;
    out.log(&format!(
        "[2/9] uploaded samples/footage.mp4 ({} bytes): asset {asset_id}",
        FOOTAGE.len()
    ));
    let asset = AssetSummary {
        asset_id: asset_id.as_str().to_owned(),
        size_bytes: FOOTAGE.len() as u64,
        seconds: secs(step),
    };

    let step = Instant::now();
    let request = CreateAvatarRequest::from(CreateDigitalTwin::new(
        "Demo Twin",
        AssetInput::asset_id(asset_id.clone()),
    ));
    let created = backend
        .run(Call::lazy(CreateAvatar::new(request)))
        .map_err(|e| Failure::from(e).with_id("asset_id", asset_id.as_str()))?;
    let group = created
        .avatar_group
        .ok_or_else(|| missing("avatar_group"))?;
    let look = created.avatar_item.ok_or_else(|| missing("avatar_item"))?;
    out.log(&format!(
        "[3/9] digital twin from asset {asset_id}: group {}, look {}, status {}",
        group.id,
        look.id,
        group
            .status
            .as_ref()
            .map_or("unknown", AvatarStatus::as_str)
    ));

    let consent = backend
        .run(Call::lazy(CreateConsent::new(
            group.id.clone(),
            CreateConsentRequest::new(),
        )))
        .map_err(|e| Failure::from(e).with_id("group_id", group.id.as_str()))?;
    let url = consent.url.ok_or_else(|| missing("consent url"))?;
    out.log(&format!(
        "[4/9] consent requested ({}); the filmed person opens {}",
        consent
            .avatar_group
            .consent_status
            .as_ref()
            .map_or("not required", |s| s.as_str()),
        redact_query(url.as_str())
    ));
    let page =
        browser::approve(url.as_str()).map_err(|f| f.with_id("group_id", group.id.as_str()))?;
    out.log(&format!("      submitted the approve form: \"{page}\""));

    let (done, seen) = train(backend, &group.id, poll, "training digital twin")?;
    let status = done
        .status
        .as_ref()
        .map_or("unknown", AvatarStatus::as_str)
        .to_owned();
    let consent_status = done.consent_status.as_ref().map(|s| s.as_str().to_owned());
    out.log(&format!(
        "[5/9] training: {} (consent {})",
        seen.join(" -> "),
        consent_status.as_deref().unwrap_or("not required")
    ));
    Ok((
        asset,
        AvatarSummary {
            group_id: group.id.into_string(),
            look_id: look.id.into_string(),
            status,
            consent_status,
            seconds: secs(step),
        },
    ))
}

/// A consent URL without its query and its last path segment (the link's token).
fn redact_query(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    match path.rsplit_once('/') {
        Some((head, _))
            if head.contains("://") && head.len() > head.find("://").unwrap_or(0) + 3 =>
        {
            format!("{head}/<token>")
        }
        _ => path.to_owned(),
    }
}

//! Downloading a rendered video from the emulator's file origin, on the hyper transport:
//! the bytes, the credential hygiene of the file request, the refresh of an expired link, and a
//! connection cut mid-file that leaves no file behind.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use heygen_async::Client;
use heygen_core::download::DownloadOptions;
use heygen_core::{Config, DownloadFailure, Error, PollPolicy, RetryPolicy, Timeouts};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Fault, FaultRule};
use heygen_model::{CreateAvatarVideo, LookId, VideoId};

/// A public look the emulator seeds.
const LOOK: &str = "Abigail_office_front_public";

fn client_for(emu: &EmulatorHandle) -> Client {
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(20)))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// An emulator, a client, and a video (rendered unless `render` is false).
async fn rendered(render: bool) -> (EmulatorHandle, Client, VideoId) {
    let emu = Emulator::start_async(EmulatorOptions::default())
        .await
        .unwrap();
    let client = client_for(&emu);
    let created = client
        .videos()
        .create(CreateAvatarVideo::new(LookId::new(LOOK).unwrap()).script("Hello"))
        .await
        .unwrap();
    if render {
        emu.advance(Duration::from_mins(2));
    }
    (emu, client, created.video_id)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "heygen-async-download-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names of the files in `dir`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn reason(error: &Error) -> &DownloadFailure {
    match error {
        Error::DownloadFailed(failed) => &failed.reason,
        other => panic!("not a download failure: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_on_disk_is_what_the_emulator_rendered_and_no_credential_reached_its_origin() {
    let (emu, client, id) = rendered(true).await;
    let dir = temp_dir("bytes");
    let path = dir.join("out.mp4");
    let done = client
        .download_video_to_path(&id, &path, DownloadOptions::new())
        .await
        .unwrap();
    let expected = emu.rendered_video(id.as_str(), false).unwrap();
    assert!(expected.len() > 256 * 1024, "a multi-chunk file");
    assert_eq!(done.bytes, expected.len() as u64);
    assert_eq!(done.content_type.as_deref(), Some("video/mp4"));
    assert!(std::fs::read(&path).unwrap() == expected, "bytes differ");
    assert_eq!(listing(&dir), ["out.mp4"], "the temporary file is gone");
    let files = emu.file_requests();
    assert_eq!(files.len(), 1);
    let request = &files[0];
    assert_eq!(request.status, 200);
    assert!(!request.credentials_rejected);
    for header in [
        "x-api-key",
        "authorization",
        "idempotency-key",
        "user-agent",
    ] {
        assert!(
            !request.headers.contains_key(header),
            "{header} reached the file origin: {:?}",
            request.headers
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_writer_gets_the_bytes() {
    let (emu, client, id) = rendered(true).await;
    let mut sink = Vec::new();
    let done = client
        .download_video(&id, &mut sink, DownloadOptions::new())
        .await
        .unwrap();
    assert_eq!(done.bytes, sink.len() as u64);
    assert!(sink == emu.rendered_video(id.as_str(), false).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_link_is_refreshed_once() {
    let (emu, client, id) = rendered(true).await;
    // The first file request is held for a second: meanwhile the clock passes the link's
    // expiry, which the file origin checks after the delay.
    emu.inject(
        FaultRule::new("/files/videos/*", Fault::Delay { ms: 1_000 })
            .method("GET")
            .times(1),
    );
    let dir = temp_dir("expired");
    let path = dir.join("out.mp4");
    let download = {
        let client = client.clone();
        let (id, path) = (id.clone(), path.clone());
        tokio::spawn(async move {
            client
                .download_video_to_path(&id, &path, DownloadOptions::new())
                .await
        })
    };
    let started = Instant::now();
    while emu.file_requests().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no file request"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    emu.advance(Duration::from_secs(
        2 * heygen_emulator::DEFAULT_FILE_LINK_SECS,
    ));
    let done = download.await.unwrap().unwrap();
    assert_eq!(done.bytes, std::fs::metadata(&path).unwrap().len());
    let statuses: Vec<u16> = emu.file_requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [403, 200]);
    let reads = emu
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == format!("/v3/videos/{}", id.as_str()))
        .count();
    assert_eq!(reads, 2, "one read, one refresh");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_mid_file_leaves_no_file_and_fails() {
    let (emu, client, id) = rendered(true).await;
    emu.inject(FaultRule::new(
        "/files/videos/*",
        Fault::Truncate {
            keep_bytes: Some(100_000),
        },
    ));
    let dir = temp_dir("cut");
    let path = dir.join("out.mp4");
    let error = client
        .download_video_to_path(&id, &path, DownloadOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            reason(&error),
            DownloadFailure::Interrupted { .. } | DownloadFailure::WrongLength { .. }
        ),
        "{error}"
    );
    assert!(!path.exists());
    assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
    assert_eq!(emu.file_requests().len(), 1, "a cut body is not retried");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_still_rendering_is_refused_without_a_file_request() {
    let (emu, client, id) = rendered(false).await;
    let dir = temp_dir("pending");
    let path = dir.join("out.mp4");
    let error = client
        .download_video_to_path(&id, &path, DownloadOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(reason(&error), DownloadFailure::NotCompleted { .. }),
        "{error}"
    );
    assert!(emu.file_requests().is_empty());
    assert!(listing(&dir).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_wait_the_render_is_awaited_then_downloaded() {
    // 100 emulated seconds per real second: the 65 s render takes under a second.
    let emu = Emulator::start_async(EmulatorOptions::default().speed(100.0))
        .await
        .unwrap();
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .poll_policy(
            PollPolicy::new()
                .initial_interval(Duration::from_millis(50))
                .max_interval(Duration::from_millis(100))
                .deadline(Duration::from_secs(30)),
        )
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let created = client
        .videos()
        .create(CreateAvatarVideo::new(LookId::new(LOOK).unwrap()).script("Hello"))
        .await
        .unwrap();
    let id = created.video_id;
    let mut sink = Vec::new();
    let done = client
        .download_video(&id, &mut sink, DownloadOptions::new().wait(true))
        .await
        .unwrap();
    assert_eq!(done.bytes, sink.len() as u64);
    assert!(sink == emu.rendered_video(id.as_str(), false).unwrap());
    let reads = emu
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == format!("/v3/videos/{}", id.as_str()))
        .count();
    assert!(reads >= 2, "polled until completed: {reads}");
    assert_eq!(emu.file_requests().len(), 1);
}

/// A client whose every request class times out after `timeout` (as the CLI's
/// `--request-timeout` sets them).
fn client_with_timeout(emu: &EmulatorHandle, timeout: Duration) -> Client {
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(20)))
        .timeouts(Timeouts::new().read(timeout).write(timeout).upload(timeout))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_but_live_download_outlasts_the_request_timeout() {
    let (emu, _, id) = rendered(true).await;
    // 32 KiB every 100 ms: about a second for the file, twice the 500 ms timeout.
    emu.inject(FaultRule::new(
        "/files/videos/*",
        Fault::Trickle {
            chunk_bytes: 32 * 1024,
            every_ms: 100,
        },
    ));
    let client = client_with_timeout(&emu, Duration::from_millis(500));
    let started = Instant::now();
    let mut sink = Vec::new();
    let done = client
        .download_video(&id, &mut sink, DownloadOptions::new())
        .await
        .unwrap();
    assert!(
        started.elapsed() > Duration::from_millis(500),
        "it was slow"
    );
    assert!(sink == emu.rendered_video(id.as_str(), false).unwrap());
    assert_eq!(done.bytes, sink.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_is_a_timeout_with_the_bytes_received() {
    let (emu, _, id) = rendered(true).await;
    emu.inject(FaultRule::new(
        "/files/videos/*",
        Fault::StallBody {
            after_bytes: 1000,
            ms: 5_000,
        },
    ));
    let client = client_with_timeout(&emu, Duration::from_millis(500));
    let started = Instant::now();
    let error = client
        .download_video(&id, Vec::new(), DownloadOptions::new())
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the idle limit cut it"
    );
    assert!(error.is_timeout(), "{error}");
    assert!(
        matches!(
            reason(&error),
            DownloadFailure::Interrupted { received: 1000, .. }
        ),
        "{error}"
    );
    assert_eq!(emu.file_requests().len(), 1, "bytes were written: no retry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_from_the_file_origin_is_retried() {
    let (emu, client, id) = rendered(true).await;
    emu.inject(
        FaultRule::new(
            "/files/videos/*",
            Fault::Status {
                status: 503,
                code: None,
                message: None,
                retry_after: None,
            },
        )
        .method("GET")
        .times(1),
    );
    let mut sink = Vec::new();
    client
        .download_video(&id, &mut sink, DownloadOptions::new())
        .await
        .unwrap();
    assert!(sink == emu.rendered_video(id.as_str(), false).unwrap());
    let statuses: Vec<u16> = emu.file_requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_gets_the_file_under_its_default_name() {
    let (emu, client, id) = rendered(true).await;
    let dir = temp_dir("directory");
    let done = client
        .download_video_to_path(&id, &dir, DownloadOptions::new())
        .await
        .unwrap();
    let name = format!("{}.mp4", id.as_str());
    assert_eq!(done.file_name, name);
    assert_eq!(done.path.as_deref(), Some(dir.join(&name).as_path()));
    assert_eq!(listing(&dir), std::slice::from_ref(&name));
    assert!(
        std::fs::read(dir.join(&name)).unwrap() == emu.rendered_video(id.as_str(), false).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_directory_fails_naming_the_path_before_any_request() {
    let (emu, client, id) = rendered(true).await;
    let dir = temp_dir("missing");
    let before = emu.requests().len();
    for path in [dir.join("nope").join("out.mp4"), dir.join("nodir/")] {
        let error = client
            .download_video_to_path(&id, &path, DownloadOptions::new())
            .await
            .unwrap_err();
        assert!(matches!(
            reason(&error),
            DownloadFailure::Write { received: 0, .. }
        ));
        assert!(
            error.to_string().contains(&path.display().to_string()),
            "{error}"
        );
    }
    assert_eq!(emu.requests().len(), before, "nothing was sent");
    assert!(emu.file_requests().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_video_is_the_job_failure_with_its_code_and_message() {
    let emu = Emulator::start_async(EmulatorOptions::default())
        .await
        .unwrap();
    let client = client_for(&emu);
    let created = client
        .videos()
        .create(
            CreateAvatarVideo::new(LookId::new(LOOK).unwrap())
                .script("Hello")
                .title("[fail] demo"),
        )
        .await
        .unwrap();
    emu.advance(Duration::from_mins(2));
    let error = client
        .download_video(&created.video_id, Vec::new(), DownloadOptions::new())
        .await
        .unwrap_err();
    let Error::JobFailed(failed) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(failed.code.as_deref(), Some("video_render_failed"));
    assert!(failed.message.is_some(), "{error}");
    assert!(emu.file_requests().is_empty());
}

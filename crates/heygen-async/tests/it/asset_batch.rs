//! Uploading many files through one upload batch on the emulator with the async client: three
//! files (one mislabelled, so HeyGen refuses it) end in order with their assets; the workspace's
//! assets are then listed, read, asked for their statuses and deleted.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt as _;
use heygen_async::{BatchFileOutcome, Client};
use heygen_core::{Config, PollPolicy};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};
use heygen_model::{AssetProcessingStatus, AssetStatusesQuery, AssetType, ListAssetsQuery};

/// An emulator whose clock runs 100 times faster than real time: a batch's items are final
/// about 50 ms after completion.
async fn start() -> (EmulatorHandle, Client) {
    let emu = Emulator::start_async(EmulatorOptions::default().speed(100.0))
        .await
        .unwrap();
    let policy = PollPolicy::new()
        .initial_interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(50))
        .deadline(Duration::from_secs(20));
    let config = Config::builder()
        .base_url(emu.base_url())
        .api_key(emu.api_key())
        .poll_policy(policy)
        .build()
        .unwrap();
    (emu, Client::new(config).unwrap())
}

/// `a.mp4`, `b.png` and `c.mp3` in a fresh directory; when `mislabel` is set, `c.mp3` holds a
/// ZIP archive (bytes the SDK does not recognize, so its extension names it).
fn files(name: &str, mislabel: bool) -> Vec<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "heygen-async-asset-batch-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut mp4 = b"\0\0\0\x18ftypmp42".to_vec();
    mp4.resize(5000, 1);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(700, 2);
    let mut mp3 = b"ID3\x04\0\0\0\0\0\0".to_vec();
    mp3.resize(900, 3);
    let mut zip = b"PK\x03\x04".to_vec();
    zip.resize(900, 4);
    let third = if mislabel { zip } else { mp3 };
    [("a.mp4", mp4), ("b.png", png), ("c.mp3", third)]
        .into_iter()
        .map(|(n, bytes)| {
            let path = dir.join(n);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_files_through_one_batch_in_order_with_the_mislabelled_one_failed() {
    let (emu, client) = start().await;
    let paths = files("three", true);
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let done = client
        .assets()
        .upload_many(&refs, "three files")
        .await
        .unwrap();

    assert_eq!(done.files.len(), 3);
    for (file, path) in done.files.iter().zip(&paths) {
        assert_eq!(&file.path, path);
        assert!(file.sha256.as_ref().is_some_and(|s| s.len() == 64));
    }
    assert!(done.files[0].outcome.is_completed());
    assert!(done.files[1].outcome.is_completed());
    let BatchFileOutcome::Failed(Some(error)) = &done.files[2].outcome else {
        panic!("{:?}", done.files[2].outcome)
    };
    assert_eq!(error.code, "invalid_file");

    // One create, three PUTs without credentials, one complete.
    let log = emu.requests();
    let count = |method: &str, prefix: &str| {
        log.iter()
            .filter(|r| r.method == method && r.path.starts_with(prefix))
            .count()
    };
    assert_eq!(count("POST", "/v3/assets/direct-uploads/batches"), 1);
    assert_eq!(count("POST", "/v3/assets/complete/batches"), 1);
    assert_eq!(count("POST", "/v3/assets/direct-uploads"), 1);
    let puts: Vec<_> = log.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 3);
    for put in puts {
        assert_eq!(put.status, 200);
        assert!(
            !put.headers.contains_key("x-api-key") && !put.headers.contains_key("authorization")
        );
    }

    // The batch and the completed assets read back.
    let batch = client.assets().get_batch(&done.batch_id).await.unwrap();
    let ids: Vec<_> = batch.items.iter().map(|i| i.id.clone().unwrap()).collect();
    let ours: Vec<_> = done.files.iter().map(|f| f.asset_id.clone()).collect();
    assert_eq!(ids, ours);
    let first = client.assets().get(&ours[0]).await.unwrap();
    assert_eq!(first.asset_type, Some(AssetType::Video));
    assert_eq!(first.name, "a.mp4");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_listed_with_their_username_statuses_and_delete() {
    let (_emu, client) = start().await;
    let paths = files("list", false);
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let done = client.assets().upload_paths(&refs).await.unwrap();
    assert!(done.all_completed(), "{done:?}");
    let ours: Vec<_> = done.files.iter().map(|f| f.asset_id.clone()).collect();

    let me = client.users().me().await.unwrap().username.unwrap();
    let walked: Vec<_> = client
        .assets()
        .list_all(ListAssetsQuery::new(me.clone()).limit(2))
        .map(|a| a.unwrap().id)
        .collect()
        .await;
    let mut sorted = walked.clone();
    sorted.sort();
    let mut want = ours.clone();
    want.sort();
    assert_eq!(sorted, want);

    let statuses = client
        .assets()
        .statuses(AssetStatusesQuery::new().batch_id(done.batch_id.clone()))
        .await
        .unwrap();
    assert!(
        statuses
            .data
            .iter()
            .all(|e| e.status == AssetProcessingStatus::Completed)
    );

    let gone = client.assets().delete(&ours[1]).await.unwrap();
    assert_eq!(gone.id, ours[1].as_str());
    let err = client.assets().get(&ours[1]).await.unwrap_err();
    assert_eq!(err.status().unwrap(), 404);
    let left = client
        .assets()
        .list(ListAssetsQuery::new(me))
        .await
        .unwrap();
    assert_eq!(left.data.len(), 2);
}

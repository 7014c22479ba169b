//! `heygen demo` on both transports.

use crate::support::{TRANSPORTS, heygen};

#[test]
fn the_demo_runs_the_whole_lifecycle_on_both_transports() {
    for transport in TRANSPORTS {
        // A key and base URL in the environment must not change where the demo goes.
        let run = heygen(
            &["demo", "--transport", transport],
            &[
                ("HEYGEN_API_KEY", "hg_real_key_must_not_be_used"),
                ("HEYGEN_API_BASE", "https://api.heygen.com"),
            ],
        );
        assert_eq!(run.code, 0, "{run:?}");
        let summary = run.json();
        let data = &summary["data"];
        assert_eq!(data["transport"], transport);
        assert_eq!(data["photo_avatar"]["status"], "completed");
        assert_eq!(data["digital_twin"]["status"], "completed");
        assert_eq!(data["digital_twin"]["consent_status"], "approved");
        assert_eq!(data["video"]["status"], "completed");
        assert_eq!(data["looks"]["count"], 2);
        let look_ids = data["looks"]["look_ids"].as_array().unwrap();
        assert!(look_ids.contains(&data["digital_twin"]["look_id"]));
        assert!(look_ids.contains(&data["photo_avatar"]["look_id"]));
        assert!(data["asset"]["asset_id"].is_string());
        assert!(data["total_seconds"].as_f64().unwrap() < 30.0);
        // The video's signed webhook reached the in-process receiver and verified.
        let webhook = &data["webhook"];
        assert_eq!(webhook["event_type"], "avatar_video.success");
        assert_eq!(webhook["video_id"], data["video"]["video_id"]);
        assert_eq!(webhook["verified"], true);
        assert!(webhook["event_id"].is_string(), "{webhook}");
        assert!(webhook["endpoint_id"].is_string(), "{webhook}");
        assert!(
            webhook["url"]
                .as_str()
                .unwrap()
                .starts_with("http://127.0.0.1:"),
            "{webhook}"
        );
        assert!(!run.stdout.contains("whsec_") && !run.stderr.contains("whsec_"));
        assert!(run.stderr.contains("signature verified"), "{}", run.stderr);
        // The step log is on stderr, one line per step, and names the consent approval.
        for step in 1..=9 {
            assert!(
                run.stderr.contains(&format!("[{step}/9]")),
                "{}",
                run.stderr
            );
        }
        assert!(run.stderr.contains("approve form"), "{}", run.stderr);
        // It ends by downloading the video: the file is on disk with the bytes reported.
        let download = &data["download"];
        let path = std::path::Path::new(download["path"].as_str().unwrap());
        let on_disk = std::fs::metadata(path).unwrap().len();
        assert_eq!(download["bytes"], on_disk, "{download}");
        assert!(on_disk > 256 * 1024, "{download}");
        assert_eq!(download["content_type"], "video/mp4");
        let video_id = data["video"]["video_id"].as_str().unwrap();
        assert!(path.ends_with(format!("{video_id}.mp4")), "{download}");
        let _ = std::fs::remove_file(path);
        assert!(!run.stderr.contains("hg_real_key_must_not_be_used"));
    }
}

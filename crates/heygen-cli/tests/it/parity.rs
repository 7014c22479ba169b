//! The same command on both transports prints the same bytes.

use serde_json::Value;

use crate::support::{
    DIGITAL_TWIN, TRANSPORTS, api, emulator, human_public_looks, owned, public_look, public_looks,
};

/// Runs `args` on both transports and asserts identical stdout, exit code and (request ids
/// aside) stderr.
fn same(emu: &heygen_emulator::EmulatorHandle, args: &[&str]) -> String {
    let runs: Vec<_> = TRANSPORTS.iter().map(|t| api(emu, t, args)).collect();
    assert_eq!(
        runs[0].stdout, runs[1].stdout,
        "stdout differs for {args:?}"
    );
    assert_eq!(
        runs[0].code, runs[1].code,
        "exit code differs for {args:?}: {runs:?}"
    );
    let strip = |stderr: &str| -> Option<Value> {
        let mut value: Value = serde_json::from_str(stderr.trim()).ok()?;
        value["error"].as_object_mut()?.remove("request_id");
        Some(value)
    };
    assert_eq!(
        strip(&runs[0].stderr),
        strip(&runs[1].stderr),
        "stderr differs: {runs:?}"
    );
    runs[0].stdout.clone()
}

#[test]
fn both_transports_print_identical_bytes() {
    let emu = emulator(1.0);
    let created = api(&emu, "blocking", &DIGITAL_TWIN);
    let created = created.ok();
    let group = owned(&created["data"]["avatar_group"]["id"]);
    let look = owned(&created["data"]["avatar_item"]["id"]);
    let public = public_look(&emu);
    let video = api(
        &emu,
        "async",
        &[
            "video",
            "create",
            "--avatar-id",
            &public,
            "--script",
            "Hi",
            "--title",
            "T",
        ],
    )
    .ok();
    let video = owned(&video["data"]["video_id"]);

    let out = same(
        &emu,
        &["avatar", "looks", "list", "--ownership", "public", "--all"],
    );
    assert!(out.len() > 1000);
    same(&emu, &public_looks("3"));
    same(&emu, &["avatar", "list", "--all"]);
    same(&emu, &["avatar", "get", &group]);
    same(&emu, &["avatar", "looks", "get", &look]);
    same(&emu, &["video", "get", &video]);
    same(&emu, &["video", "list"]);
    same(&emu, &["user", "me"]);
    same(&emu, &human_public_looks("4"));
    same(&emu, &["avatar", "get", "grp_missing"]);
    same(&emu, &["avatar", "list", "--limit", "51"]);
}

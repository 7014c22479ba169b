//! The cross-field rules of `POST /v3/videos` (also applied to each item of a video batch) that
//! the schemas cannot state: which fields go together and which exclude each other, as the
//! reference's field descriptions say. Each failure names the parameter (a JSON path such as
//! `scenes[1].input.voice_id`) and says why.

use serde_json::Value;

/// A rule broken: the parameter and the message.
pub(crate) type Broken = (String, String);

/// Cinematic videos: 1 to 3 looks, 4 to 15 seconds, these ratios and resolutions, and at most
/// 3 videos and 9 images across looks and references.
const CINEMATIC_LOOKS: usize = 3;
const CINEMATIC_SECONDS: (i64, i64) = (4, 15);
const CINEMATIC_RATIOS: [&str; 3] = ["16:9", "9:16", "1:1"];
const CINEMATIC_RESOLUTIONS: [&str; 2] = ["720p", "1080p"];
const CINEMATIC_VIDEOS: usize = 3;
const CINEMATIC_IMAGES: usize = 9;
/// Studio videos: 1 to 50 scenes; a silent image scene lasts more than 0 and at most 300 s.
const STUDIO_SCENES: usize = 50;
const SILENT_SECONDS: f64 = 300.0;

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn broken(path: &str, field: &str, message: impl Into<String>) -> Result<(), Broken> {
    Err((join(path, field), message.into()))
}

/// A present, non-null member.
fn set<'a>(v: &'a Value, field: &str) -> Option<&'a Value> {
    v.get(field).filter(|x| !x.is_null())
}

fn text<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

/// Checks one `POST /v3/videos` body (already valid against its schema).
pub(crate) fn check(body: &Value) -> Result<(), Broken> {
    match text(body, "type") {
        Some("avatar") => {
            speech(body, "", false)?;
            engine(body, "")?;
            output(body)
        }
        Some("image") => {
            speech(body, "", true)?;
            output(body)
        }
        Some("cinematic_avatar") => cinematic(body),
        Some("studio") => studio(body),
        _ => Ok(()),
    }
}

/// Exactly one of script, `audio_url` and `audio_asset_id` when any is given; with
/// `voice_required`, a script needs `voice_id` (only a look has a default voice).
fn speech(v: &Value, path: &str, voice_required: bool) -> Result<(), Broken> {
    let given: Vec<&str> = ["script", "audio_url", "audio_asset_id"]
        .into_iter()
        .filter(|k| set(v, k).is_some())
        .collect();
    if given.len() > 1 {
        return broken(
            path,
            given[1],
            format!("`{}` cannot be combined with `{}`", given[1], given[0]),
        );
    }
    if voice_required && given == ["script"] && set(v, "voice_id").is_none() {
        return broken(path, "voice_id", "a `script` needs a `voice_id` here");
    }
    Ok(())
}

/// No `expressiveness` with Avatar V; neither `expressiveness` nor `motion_prompt` with
/// Avatar III.
fn engine(v: &Value, path: &str) -> Result<(), Broken> {
    let Some(engine) = set(v, "engine") else {
        return Ok(());
    };
    // A `reference_look_id` on another engine is an extra field of that variant, which HeyGen
    // accepts like any extra field (see the conformance tests), so it is not refused here.
    let kind = text(engine, "type").unwrap_or_default();
    if matches!(kind, "avatar_v" | "avatar_iii") && set(v, "expressiveness").is_some() {
        return broken(
            path,
            "expressiveness",
            format!("`expressiveness` is not taken with the `{kind}` engine"),
        );
    }
    if kind == "avatar_iii" && set(v, "motion_prompt").is_some() {
        return broken(
            path,
            "motion_prompt",
            "`motion_prompt` is not taken with the `avatar_iii` engine",
        );
    }
    Ok(())
}

/// Background rules: a color needs `value`; an image takes `url` or `asset_id`, not both; `webm`
/// output takes no background.
fn output(v: &Value) -> Result<(), Broken> {
    let Some(background) = set(v, "background") else {
        return Ok(());
    };
    if text(v, "output_format") == Some("webm") {
        return broken(
            "",
            "background",
            "`webm` output removes the background; leave `background` out",
        );
    }
    match text(background, "type") {
        Some("color") if set(background, "value").is_none() => broken(
            "background",
            "value",
            "a `color` background needs `value` (a hex color)",
        ),
        Some("image") => match (set(background, "url"), set(background, "asset_id")) {
            (Some(_), Some(_)) => broken(
                "background",
                "url",
                "an `image` background takes `url` or `asset_id`, not both",
            ),
            (None, None) => broken(
                "background",
                "url",
                "an `image` background needs `url` or `asset_id`",
            ),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Whether an asset input is an image or a video, when its media type or URL says so.
fn kind_of(input: &Value) -> Option<&'static str> {
    let from_mime = |m: &str| {
        if m.starts_with("image/") {
            Some("image")
        } else if m.starts_with("video/") {
            Some("video")
        } else {
            None
        }
    };
    match text(input, "type") {
        Some("base64") => from_mime(&text(input, "media_type")?.to_ascii_lowercase()),
        Some("url") => {
            let url = text(input, "url")?;
            let path = url.split(['?', '#']).next().unwrap_or_default();
            let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
            match ext.as_str() {
                "png" | "jpg" | "jpeg" | "webp" => Some("image"),
                "mp4" | "webm" | "mov" => Some("video"),
                _ => None,
            }
        }
        _ => None,
    }
}

fn cinematic(v: &Value) -> Result<(), Broken> {
    let looks = v
        .get("avatar_id")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if looks == 0 || looks > CINEMATIC_LOOKS {
        return broken(
            "",
            "avatar_id",
            format!("a cinematic video takes 1 to {CINEMATIC_LOOKS} look ids, got {looks}"),
        );
    }
    if let Some(duration) = set(v, "duration") {
        if v.get("auto_duration").and_then(Value::as_bool) == Some(true) {
            return broken(
                "",
                "duration",
                "leave `duration` out with `auto_duration: true`",
            );
        }
        let seconds = duration.as_i64().unwrap_or(0);
        let (min, max) = CINEMATIC_SECONDS;
        if !(min..=max).contains(&seconds) {
            return broken(
                "",
                "duration",
                format!("`duration` is {seconds}; use {min} to {max} seconds"),
            );
        }
    }
    if let Some(ratio) = text(v, "aspect_ratio")
        && !CINEMATIC_RATIOS.contains(&ratio)
    {
        return broken(
            "",
            "aspect_ratio",
            format!("a cinematic video takes `16:9`, `9:16` or `1:1`, not `{ratio}`"),
        );
    }
    if let Some(resolution) = text(v, "resolution")
        && !CINEMATIC_RESOLUTIONS.contains(&resolution)
    {
        return broken(
            "",
            "resolution",
            format!("a cinematic video takes `720p` or `1080p`, not `{resolution}`"),
        );
    }
    let references = v.get("references").and_then(Value::as_array);
    let kinds: Vec<_> = references
        .into_iter()
        .flatten()
        .filter_map(kind_of)
        .collect();
    let videos = kinds.iter().filter(|k| **k == "video").count();
    let images = looks + kinds.iter().filter(|k| **k == "image").count();
    if videos > CINEMATIC_VIDEOS {
        return broken(
            "",
            "references",
            format!("at most {CINEMATIC_VIDEOS} reference videos, got {videos}"),
        );
    }
    if images > CINEMATIC_IMAGES {
        return broken(
            "",
            "references",
            format!("at most {CINEMATIC_IMAGES} images across looks and references, got {images}"),
        );
    }
    Ok(())
}

fn studio(v: &Value) -> Result<(), Broken> {
    let scenes = v
        .get("scenes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if scenes.is_empty() || scenes.len() > STUDIO_SCENES {
        return broken(
            "",
            "scenes",
            format!(
                "a studio video takes 1 to {STUDIO_SCENES} scenes, got {}",
                scenes.len()
            ),
        );
    }
    for (i, scene) in scenes.iter().enumerate() {
        let path = format!("scenes[{i}]");
        match text(scene, "type") {
            Some("avatar_video") => {
                let input = scene.get("input").unwrap_or(&Value::Null);
                let inner = join(&path, "input");
                let is_image = text(input, "type") == Some("image");
                let given = ["script", "audio_url", "audio_asset_id"]
                    .iter()
                    .any(|k| set(input, k).is_some());
                if !given {
                    return broken(
                        &inner,
                        "script",
                        "a speaking scene needs `script`, `audio_url` or `audio_asset_id`",
                    );
                }
                speech(input, &inner, is_image)?;
                if !is_image {
                    engine(input, &inner)?;
                }
            }
            Some("image") => {
                let narrated = ["script", "audio_url", "audio_asset_id"]
                    .iter()
                    .any(|k| set(scene, k).is_some());
                match (set(scene, "duration").and_then(Value::as_f64), narrated) {
                    (Some(_), true) => {
                        return broken(
                            &path,
                            "duration",
                            "an image scene is silent (`duration`) or narrated, not both",
                        );
                    }
                    (Some(d), false) if d <= 0.0 || d > SILENT_SECONDS => {
                        return broken(
                            &path,
                            "duration",
                            format!(
                                "`duration` is {d}; use more than 0 and at most {SILENT_SECONDS} seconds"
                            ),
                        );
                    }
                    (None, false) => {
                        return broken(
                            &path,
                            "duration",
                            "an image scene needs `duration` (silent) or one audio source (narrated)",
                        );
                    }
                    (None, true) => speech(scene, &path, true)?,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(())
}

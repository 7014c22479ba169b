//! The four kinds of `POST /v3/videos`, their cross-field rules, batches and bulk statuses:
//! exact wire JSON, exact validation errors (field and rule), and reference-shaped fixtures.

use heygen_model::*;
use serde_json::json;

fn look(id: &str) -> LookId {
    LookId::new(id).unwrap()
}

fn voice() -> VoiceId {
    VoiceId::new("voice_1").unwrap()
}

fn err(field: &str, rule: Rule) -> Result<(), ValidationError> {
    Err(ValidationError::new(field.to_owned(), rule))
}

fn png() -> AssetInput {
    AssetInput::url("https://example.com/face.png")
}

#[test]
fn cinematic_video_wire_shape() {
    let video: CreateVideoRequest =
        CreateCinematicVideo::new([look("look_a"), look("look_b")], "Two friends at a cafe")
            .duration(8)
            .reference(AssetInput::url("https://example.com/cafe.png"))
            .aspect_ratio(AspectRatio::Square)
            .resolution(Resolution::Fhd1080p)
            .title("Cafe")
            .into();
    video.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&video).unwrap(),
        json!({
            "type": "cinematic_avatar",
            "avatar_id": ["look_a", "look_b"],
            "prompt": "Two friends at a cafe",
            "duration": 8,
            "references": [{"type": "url", "url": "https://example.com/cafe.png"}],
            "aspect_ratio": "1:1",
            "resolution": "1080p",
            "title": "Cafe"
        })
    );
    let back: CreateVideoRequest =
        serde_json::from_value(serde_json::to_value(&video).unwrap()).unwrap();
    assert_eq!(back, video);
}

#[test]
fn studio_video_wire_shape() {
    let video: CreateVideoRequest = CreateStudioVideo::new([
        StudioScene::avatar(
            AvatarSceneInput::script(look("look_a"), "Hello")
                .background(SceneBackground::color("#1a2b3c")),
        ),
        StudioScene::Image(ImageScene::silent(png(), 2.5)),
        StudioScene::talking_image(ImageSceneInput::script(png(), "Hi", voice())),
        StudioScene::Video(
            VideoScene::new(AssetInput::url("https://example.com/clip.mp4"))
                .playback(Playback::new().volume(0.5)),
        ),
    ])
    .title("Tour")
    .into();
    video.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&video).unwrap(),
        json!({
            "type": "studio",
            "scenes": [
                {"type": "avatar_video", "input": {
                    "type": "avatar", "avatar_id": "look_a", "script": "Hello",
                    "background": {"type": "color", "color": "#1a2b3c"}}},
                {"type": "image", "source": {"type": "url", "url": "https://example.com/face.png"},
                 "duration": 2.5},
                {"type": "avatar_video", "input": {
                    "type": "image", "image": {"type": "url", "url": "https://example.com/face.png"},
                    "script": "Hi", "voice_id": "voice_1"}},
                {"type": "video", "source": {"type": "url", "url": "https://example.com/clip.mp4"},
                 "playback": {"volume": 0.5}}
            ],
            "title": "Tour"
        })
    );
}

#[test]
fn cinematic_rules_name_the_field() {
    let base = || CreateCinematicVideo::new([look("look_a")], "p");
    let rows: Vec<(CreateCinematicVideo, Result<(), ValidationError>)> = vec![
        (base(), Ok(())),
        (base().duration(4), Ok(())),
        (base().duration(15), Ok(())),
        (
            CreateCinematicVideo::new([], "p"),
            err("avatar_id", Rule::Empty),
        ),
        (
            CreateCinematicVideo::new([look("a1"), look("a2"), look("a3"), look("a4")], "p"),
            err("avatar_id", Rule::TooMany { max: 3, actual: 4 }),
        ),
        (
            base().duration(3),
            err(
                "duration",
                Rule::OutOfRange {
                    min: 4,
                    max: 15,
                    actual: 3,
                },
            ),
        ),
        (
            base().duration(16),
            err(
                "duration",
                Rule::OutOfRange {
                    min: 4,
                    max: 15,
                    actual: 16,
                },
            ),
        ),
        (
            base().duration(10).auto_duration(true),
            err(
                "duration",
                Rule::Conflict {
                    other: "auto_duration",
                },
            ),
        ),
        (base().duration(10).auto_duration(false), Ok(())),
        (
            base().aspect_ratio(AspectRatio::Portrait4x5),
            err(
                "aspect_ratio",
                Rule::NotAllowed {
                    when: "`type` is `cinematic_avatar`",
                },
            ),
        ),
        (
            base().resolution(Resolution::Uhd4k),
            err(
                "resolution",
                Rule::NotAllowed {
                    when: "`type` is `cinematic_avatar`",
                },
            ),
        ),
        (
            base().reference(AssetInput::url("http://example.com/a.png")),
            err("references[0].url", Rule::NotHttps),
        ),
    ];
    for (i, (request, expected)) in rows.into_iter().enumerate() {
        assert_eq!(request.validate(), expected, "row {i}");
    }
}

#[test]
fn cinematic_reference_limits_count_looks_as_images() {
    let clip = || AssetInput::url("https://example.com/clip.mp4");
    let image = || AssetInput::url("https://example.com/still.jpg?sig=1");
    let mut three_videos = CreateCinematicVideo::new([look("a")], "p");
    for _ in 0..3 {
        three_videos = three_videos.reference(clip());
    }
    assert_eq!(three_videos.validate(), Ok(()));
    assert_eq!(
        three_videos.reference(clip()).validate(),
        err("references", Rule::TooMany { max: 3, actual: 4 })
    );
    // Three looks and six images make nine; a seventh image makes ten.
    let mut nine = CreateCinematicVideo::new([look("a"), look("b"), look("c")], "p");
    for _ in 0..6 {
        nine = nine.reference(image());
    }
    assert_eq!(nine.validate(), Ok(()));
    assert_eq!(
        nine.clone().reference(image()).validate(),
        err("references", Rule::TooMany { max: 9, actual: 10 })
    );
    // An uploaded asset's kind is unknown and not counted; audio is neither.
    let asset = AssetInput::asset_id(AssetId::new("asset_1").unwrap());
    assert_eq!(nine.clone().reference(asset).validate(), Ok(()));
    assert_eq!(
        nine.reference(AssetInput::url("https://example.com/voice.mp3"))
            .validate(),
        Ok(())
    );
}

#[test]
#[allow(clippy::too_many_lines, reason = "one table row per documented rule")]
fn avatar_and_image_cross_field_rules() {
    let avatar = || CreateAvatarVideo::new(look("look_a")).script("Hi");
    let image = || CreateImageVideo::new(png()).script("Hi");
    let webm_bg = avatar()
        .output_format(OutputFormat::Webm)
        .background(Background::color("#000000"));
    let mut colour_without_value = Background::color("#000000");
    colour_without_value.value = None;
    let mut both = Background::image_url("https://example.com/bg.png");
    both.asset_id = Some(AssetId::new("asset_9").unwrap());
    let mut neither = Background::image_url("https://example.com/bg.png");
    neither.url = None;
    let rows: Vec<(CreateVideoRequest, Result<(), ValidationError>)> = vec![
        // The look's default voice speaks a script without `voice_id`.
        (avatar().into(), Ok(())),
        // An image has none.
        (
            image().into(),
            err(
                "voice_id",
                Rule::Required {
                    when: "`script` is set",
                },
            ),
        ),
        (image().voice_id(voice()).into(), Ok(())),
        (
            CreateImageVideo::new(png())
                .audio_url("https://example.com/a.mp3")
                .into(),
            Ok(()),
        ),
        (webm_bg.clone().into(), {
            err(
                "background",
                Rule::NotAllowed {
                    when: "`output_format` is `webm`",
                },
            )
        }),
        (avatar().output_format(OutputFormat::Webm).into(), Ok(())),
        (
            avatar().background(colour_without_value).into(),
            err(
                "background.value",
                Rule::Required {
                    when: "`type` is `color`",
                },
            ),
        ),
        (
            image().voice_id(voice()).background(both).into(),
            err("background.url", Rule::Conflict { other: "asset_id" }),
        ),
        (
            avatar().background(neither).into(),
            err(
                "background.url",
                Rule::Missing {
                    one_of: "`url` or `asset_id`",
                },
            ),
        ),
        (
            avatar()
                .engine(EngineConfig::new(VideoEngine::AvatarIv).reference_look_id(look("ref")))
                .into(),
            err(
                "engine.reference_look_id",
                Rule::NotAllowed {
                    when: "`engine.type` is not `avatar_v`",
                },
            ),
        ),
        (
            avatar()
                .engine(EngineConfig::new(VideoEngine::AvatarV).reference_look_id(look("ref")))
                .into(),
            Ok(()),
        ),
        (
            avatar()
                .engine(EngineConfig::new(VideoEngine::AvatarV))
                .expressiveness(Expressiveness::High)
                .into(),
            err(
                "expressiveness",
                Rule::NotAllowed {
                    when: "`engine.type` is `avatar_v`",
                },
            ),
        ),
        (
            avatar()
                .engine(EngineConfig::new(VideoEngine::AvatarIii))
                .motion_prompt("wave")
                .into(),
            err(
                "motion_prompt",
                Rule::NotAllowed {
                    when: "`engine.type` is `avatar_iii`",
                },
            ),
        ),
        (
            avatar()
                .engine(EngineConfig::new(VideoEngine::AvatarV))
                .motion_prompt("wave")
                .into(),
            Ok(()),
        ),
    ];
    for (i, (request, expected)) in rows.into_iter().enumerate() {
        assert_eq!(request.validate(), expected, "row {i}");
    }
    // The message names the field and says what to do.
    let message = webm_bg.validate().unwrap_err().to_string();
    assert_eq!(
        message,
        "`background` is not allowed when `output_format` is `webm`; remove it"
    );
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one assertion per documented scene rule"
)]
fn studio_rules_name_the_scene_field() {
    let studio = |scene: StudioScene| CreateStudioVideo::new([scene]).validate();
    let mut narrated_with_duration = ImageScene::narrated(png(), "Hi", voice());
    narrated_with_duration.duration = Some(3.0);
    let mut script_without_voice = ImageScene::narrated(png(), "Hi", voice());
    script_without_voice.voice_id = None;
    let mut nothing = ImageScene::silent(png(), 1.0);
    nothing.duration = None;
    let mut talking_without_voice = ImageSceneInput::script(png(), "Hi", voice());
    talking_without_voice.voice_id = None;
    assert_eq!(
        CreateStudioVideo::new([]).validate(),
        err("scenes", Rule::Empty)
    );
    let many = vec![StudioScene::Image(ImageScene::silent(png(), 1.0)); 51];
    assert_eq!(
        CreateStudioVideo::new(many).validate(),
        err(
            "scenes",
            Rule::TooMany {
                max: 50,
                actual: 51
            }
        )
    );
    assert_eq!(
        studio(StudioScene::Image(narrated_with_duration)),
        err("scenes[0].duration", Rule::Conflict { other: "script" })
    );
    assert_eq!(
        studio(StudioScene::Image(script_without_voice)),
        err(
            "scenes[0].voice_id",
            Rule::Required {
                when: "`script` is set"
            }
        )
    );
    assert_eq!(
        studio(StudioScene::Image(nothing)),
        err(
            "scenes[0].duration",
            Rule::Missing {
                one_of: "`duration`, `script`, `audio_url` or `audio_asset_id`"
            }
        )
    );
    assert_eq!(
        studio(StudioScene::Image(ImageScene::silent(png(), 0.0))),
        err(
            "scenes[0].duration",
            Rule::OutOfRangePositive {
                max: 300.0,
                actual: 0.0
            }
        )
    );
    // The message says zero is refused, not "from 0".
    assert_eq!(
        studio(StudioScene::Image(ImageScene::silent(png(), 0.0)))
            .unwrap_err()
            .to_string(),
        "`scenes[0].duration` is 0; use a value above 0 and at most 300"
    );
    assert_eq!(
        studio(StudioScene::Image(ImageScene::silent(png(), 300.0))),
        Ok(())
    );
    assert_eq!(
        studio(StudioScene::talking_image(talking_without_voice)),
        err(
            "scenes[0].input.voice_id",
            Rule::Required {
                when: "`script` is set"
            }
        )
    );
    assert_eq!(
        studio(StudioScene::avatar(
            AvatarSceneInput::script(look("a"), "Hi").background(SceneBackground::color("red"))
        )),
        err(
            "scenes[0].input.background.color",
            Rule::Format {
                expected: "a `#RRGGBB` hex color"
            }
        )
    );
    assert_eq!(
        studio(StudioScene::avatar(
            AvatarSceneInput::script(look("a"), "Hi")
                .engine(EngineConfig::new(VideoEngine::AvatarIii).reference_look_id(look("r")))
        )),
        err(
            "scenes[0].input.engine.reference_look_id",
            Rule::NotAllowed {
                when: "`engine.type` is not `avatar_v`"
            }
        )
    );
    assert_eq!(
        studio(StudioScene::Video(
            VideoScene::new(png()).playback(Playback::new().volume(1.5))
        )),
        err(
            "scenes[0].playback.volume",
            Rule::OutOfRangeNumber {
                min: 0.0,
                max: 1.0,
                actual: 1.5
            }
        )
    );
}

#[test]
fn voice_engine_settings_take_only_their_providers_fields() {
    let settings = |engine: VoiceEngineSettings| {
        CreateAvatarVideo::new(look("a"))
            .script("Hi")
            .voice_settings(VoiceSettings::new().engine_settings(engine))
            .validate()
    };
    assert_eq!(
        settings(
            VoiceEngineSettings::new(VoiceEngineType::Elevenlabs)
                .model(VoiceModel::ElevenV3)
                .similarity_boost(0.5)
        ),
        Ok(())
    );
    assert_eq!(
        settings(
            VoiceEngineSettings::new(VoiceEngineType::Fish)
                .model("s2-pro")
                .similarity(0.2)
        ),
        Ok(())
    );
    assert_eq!(
        settings(VoiceEngineSettings::new(VoiceEngineType::Fish).model(VoiceModel::ElevenV3)),
        err(
            "voice_settings.engine_settings.model",
            Rule::NotAllowed {
                when: "`engine_type` is `fish`"
            }
        )
    );
    assert_eq!(
        settings(VoiceEngineSettings::new(VoiceEngineType::Elevenlabs).similarity(0.2)),
        err(
            "voice_settings.engine_settings.similarity",
            Rule::NotAllowed {
                when: "`engine_type` is `elevenlabs`"
            }
        )
    );
    assert_eq!(
        settings(VoiceEngineSettings::new(VoiceEngineType::Starfish).stability(0.2)),
        err(
            "voice_settings.engine_settings.stability",
            Rule::NotAllowed {
                when: "`engine_type` is `starfish`"
            }
        )
    );
    // Open enums: a new provider or model is read and sent back as is, and not judged.
    let unknown: VoiceEngineSettings =
        serde_json::from_value(json!({"engine_type": "nova", "model": "n1", "style": 0.1}))
            .unwrap();
    assert_eq!(unknown.engine_type.as_str(), "nova");
    assert_eq!(unknown.model.as_ref().map(VoiceModel::as_str), Some("n1"));
    assert_eq!(settings(unknown.clone()), Ok(()));
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        json!({"engine_type": "nova", "model": "n1", "style": 0.1})
    );
}

#[test]
fn batch_request_checks_count_and_names_the_item() {
    let ok: CreateVideoRequest = CreateAvatarVideo::new(look("a")).script("Hi").into();
    let bad: CreateVideoRequest = CreateImageVideo::new(png()).script("Hi").into();
    let batch = CreateVideoBatchRequest::new([ok.clone(), bad]).title("Launch");
    assert_eq!(
        batch.validate(),
        err(
            "videos[1].voice_id",
            Rule::Required {
                when: "`script` is set"
            }
        )
    );
    assert_eq!(
        CreateVideoBatchRequest::new(vec![ok.clone(); 100]).validate(),
        Ok(())
    );
    assert_eq!(
        CreateVideoBatchRequest::new(vec![ok.clone(); 101]).validate(),
        err(
            "videos",
            Rule::TooMany {
                max: 100,
                actual: 101
            }
        )
    );
    assert_eq!(
        serde_json::to_value(CreateVideoBatchRequest::new([ok]).title("Launch")).unwrap(),
        json!({"videos": [{"type": "avatar", "avatar_id": "a", "script": "Hi"}], "title": "Launch"})
    );
}

#[test]
fn batch_read_model_parses_the_reference_shape() {
    let body = json!({
        "batch_id": "batch_1",
        "status": "processing",
        "total_items": 3,
        "counts_by_status": {"completed": 1, "failed": 1, "processing": 1},
        "created_at": 1_700_000_000,
        "title": null,
        "items": [
            {"item_index": 0, "status": "completed", "video_id": "vid_0", "error": null},
            {"item_index": 1, "status": "failed", "video_id": null,
             "error": {"code": "invalid_parameter", "message": "bad voice"}},
            {"item_index": 2, "status": "rendering"}
        ],
        "has_more": true,
        "next_token": "page_2"
    });
    let batch: VideoBatch = serde_json::from_value(body).unwrap();
    assert_eq!(batch.batch_id.as_str(), "batch_1");
    assert_eq!(batch.status, Some(BatchStatus::Processing));
    assert_eq!(batch.total_items, Some(3));
    assert_eq!(batch.counts_by_status.get("failed"), Some(&1));
    assert_eq!(batch.next_token(), Some("page_2"));
    assert_eq!(
        batch.items[0].id.as_ref().map(VideoId::as_str),
        Some("vid_0")
    );
    assert!(batch.items[0].is_terminal());
    assert_eq!(
        batch.items[1].error,
        Some(ResourceError::new("invalid_parameter", "bad voice"))
    );
    // An unknown item status is kept and is not final.
    assert_eq!(
        batch.items[2].status.as_ref().map(BatchItemStatus::as_str),
        Some("rendering")
    );
    assert!(!batch.items[2].is_terminal());

    // The same shape reads as an asset batch, its ids typed as asset ids.
    let assets: AssetBatch = serde_json::from_value(json!({
        "batch_id": "b", "status": "completed", "total_items": 1, "counts_by_status": {},
        "created_at": 1, "items": [{"item_index": 0, "status": "completed", "video_id": "asset_7"}],
        "has_more": false, "next_token": "ignored"
    }))
    .unwrap();
    let id: &AssetId = assets.items[0].id.as_ref().unwrap();
    assert_eq!(id.as_str(), "asset_7");
    assert_eq!(assets.next_token(), None);

    // An odd count is left out, not fatal.
    let odd: VideoBatch = serde_json::from_value(json!({
        "batch_id": "b", "counts_by_status": {"completed": 2, "failed": "1", "queued": -1}
    }))
    .unwrap();
    assert_eq!(odd.counts_by_status.len(), 1);
    assert_eq!(odd.counts_by_status.get("completed"), Some(&2));

    // Nulls and omissions do not reject the page.
    let sparse: VideoBatch =
        serde_json::from_value(json!({"batch_id": "b", "items": null, "counts_by_status": null}))
            .unwrap();
    assert!(sparse.items.is_empty() && sparse.status.is_none() && !sparse.has_more());
}

#[test]
fn batch_page_query_pairs_and_limit() {
    let q = BatchPageQuery::new().limit(50).token("t/1");
    assert_eq!(
        q.to_query_pairs(),
        vec![("limit", "50".to_owned()), ("token", "t/1".to_owned())]
    );
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(
        BatchPageQuery::new().limit(101).validate(),
        err(
            "limit",
            Rule::OutOfRange {
                min: 1,
                max: 100,
                actual: 101
            }
        )
    );
    assert_eq!(
        BatchPageQuery::new()
            .limit(7)
            .with_token("n")
            .to_query_pairs(),
        vec![("limit", "7".to_owned()), ("token", "n".to_owned())]
    );
}

#[test]
fn statuses_query_and_entries() {
    let q = VideoStatusesQuery::new()
        .video(VideoId::new("v1").unwrap())
        .video(VideoId::new("v2").unwrap())
        .batch(BatchId::new("b1").unwrap());
    assert_eq!(
        q.to_query_pairs(),
        vec![
            ("video_ids", "v1,v2".to_owned()),
            ("batch_ids", "b1".to_owned())
        ]
    );
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(
        VideoStatusesQuery::new().validate(),
        err(
            "video_ids",
            Rule::Missing {
                one_of: "`video_ids` or `batch_ids`"
            }
        )
    );
    assert_eq!(
        VideoStatusesQuery::new()
            .batch(BatchId::new("b1").unwrap())
            .batch(BatchId::new("b,2").unwrap())
            .validate(),
        err("batch_ids[1]", Rule::ForbiddenCharacter(','))
    );
    let mut many = VideoStatusesQuery::new();
    many.video_ids = (0..101)
        .map(|i| VideoId::new(format!("v{i}")).unwrap())
        .collect();
    assert_eq!(
        many.validate(),
        err(
            "video_ids",
            Rule::TooMany {
                max: 100,
                actual: 101
            }
        )
    );

    let page: ListPage<VideoStatusEntry> = serde_json::from_value(json!({
        "data": [
            {"video_id": "v1", "status": "completed"},
            {"video_id": "nope", "status": "not_found"},
            {"video_id": null, "status": "queued", "batch_id": "b1", "item_index": 2},
            {"video_id": "v3", "status": "failed", "error": {"code": "x", "message": "y"}}
        ],
        "has_more": false
    }))
    .unwrap();
    let statuses: Vec<_> = page
        .data
        .iter()
        .map(|e| e.status.clone().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            VideoLookupStatus::Completed,
            VideoLookupStatus::NotFound,
            VideoLookupStatus::Queued,
            VideoLookupStatus::Failed
        ]
    );
    assert!(statuses[1].is_terminal() && !statuses[2].is_terminal());
    assert_eq!(page.data[2].item_index, Some(2));
}

#[test]
fn video_status_error_stays_a_failure() {
    let video: Video = serde_json::from_value(json!({"id": "v", "status": "error"})).unwrap();
    let status = video.status.unwrap();
    assert_eq!(status, VideoStatus::Error);
    assert!(status.is_terminal() && status.is_failure());
}

#[test]
fn a_request_read_from_json_refuses_a_field_its_kind_does_not_have() {
    let parse = |value: serde_json::Value| {
        serde_json::from_value::<CreateVideoRequest>(value)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let url = json!({"type": "url", "url": "https://example.com/a.png"});
    let cases = [
        (
            json!({"type": "avatar", "avatar_id": "look_a", "script": "Hi", "titel": "x"}),
            "titel",
        ),
        // Studio renders MP4 only.
        (
            json!({"type": "studio", "output_format": "webm",
                   "scenes": [{"type": "image", "source": url, "duration": 2}]}),
            "output_format",
        ),
        // A raw image takes no engine.
        (
            json!({"type": "image", "image": url, "script": "Hi", "voice_id": "v",
                   "engine": {"type": "avatar_iii"}}),
            "engine",
        ),
        // The prompt drives a cinematic video: no script, no voice.
        (
            json!({"type": "cinematic_avatar", "avatar_id": ["look_a"], "prompt": "A walk",
                   "script": "Hi"}),
            "script",
        ),
        (
            json!({"type": "studio", "scenes": [{"type": "avatar_video", "scene": 1,
                   "input": {"type": "avatar", "avatar_id": "look_a"}}]}),
            "scene",
        ),
        (
            json!({"type": "studio", "scenes": [{"type": "avatar_video",
                   "input": {"type": "avatar", "avatar_id": "look_a", "scirpt": "Hi"}}]}),
            "scirpt",
        ),
        (
            json!({"type": "studio", "scenes": [{"type": "image", "duration": 2,
                   "source": {"type": "url", "uri": "https://example.com/a.png"}}]}),
            "uri",
        ),
        (
            json!({"type": "avatar", "avatar_id": "look_a", "script": "Hi",
                   "voice_settings": {"sped": 1.2}}),
            "sped",
        ),
        (
            json!({"type": "avatar", "avatar_id": "look_a", "script": "Hi",
                   "background": {"type": "color", "value": "#000000", "colour": "red"}}),
            "colour",
        ),
    ];
    for (value, field) in cases {
        let error = parse(value.clone()).unwrap_err();
        assert!(
            error.contains(&format!("unknown field `{field}`")),
            "{value}: {error}"
        );
    }
    // Every documented field of each kind still reads.
    for value in [
        json!({"type": "avatar", "avatar_id": "look_a", "script": "Hi", "voice_id": "v",
               "title": "t", "engine": {"type": "avatar_v", "reference_look_id": "look_b"},
               "voice_settings": {"speed": 1.1, "engine_settings": {"engine_type": "fish",
               "similarity": 0.5}}, "background": {"type": "image", "url": "https://e.com/b.png"},
               "caption": {"file_format": "srt"}, "output_format": "webm"}),
        json!({"type": "studio", "title": "t", "scenes": [
            {"type": "image", "source": url, "duration": 2},
            {"type": "video", "source": url, "playback": {"mute": true}},
            {"type": "avatar_video", "input": {"type": "image", "image": url, "script": "Hi",
             "voice_id": "v"}}]}),
    ] {
        parse(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
    }
    // The same inside a batch.
    let error = serde_json::from_value::<CreateVideoBatchRequest>(json!({"videos": [
        {"type": "avatar", "avatar_id": "look_a", "scirpt": "Hi"}]}))
    .unwrap_err()
    .to_string();
    assert!(error.contains("unknown field `scirpt`"), "{error}");
    let error = serde_json::from_value::<CreateVideoBatchRequest>(json!({"videos": [],
        "titel": "x"}))
    .unwrap_err()
    .to_string();
    assert!(error.contains("unknown field `titel`"), "{error}");
}

#[test]
fn only_rules_the_reference_states_are_checked() {
    // An image video names no audio source the reference requires: the server decides.
    assert_eq!(CreateImageVideo::new(png()).validate(), Ok(()));
    // The avatar kind and the studio scene inputs do need one.
    assert_eq!(
        CreateAvatarVideo::new(look("a")).validate(),
        err(
            "script",
            Rule::Missing {
                one_of: "`script`, `audio_url` or `audio_asset_id`"
            }
        )
    );
    assert_eq!(
        serde_json::from_value::<CreateVideoRequest>(json!({"type": "studio", "scenes": [
            {"type": "avatar_video", "input": {"type": "image",
             "image": {"type": "url", "url": "https://example.com/a.png"}}}]}))
        .unwrap()
        .validate(),
        err(
            "scenes[0].input.script",
            Rule::Missing {
                one_of: "`script`, `audio_url` or `audio_asset_id`"
            }
        )
    );
    // Two sources are still one too many.
    assert_eq!(
        CreateImageVideo::new(png())
            .audio_url("https://example.com/a.mp3")
            .script("Hi")
            .voice_id(voice())
            .validate(),
        err("script", Rule::Conflict { other: "audio_url" })
    );
}

//! Validation tables: per rule, valid and invalid inputs with the exact expected error.

use heygen_model::validate::{self, Rule};
use heygen_model::*;

fn err(field: &'static str, rule: Rule) -> Result<(), ValidationError> {
    Err(ValidationError::new(field, rule))
}

#[test]
fn table_ids() {
    let rows: &[(&str, Result<(), ValidationError>)] = &[
        ("look_0001", Ok(())),
        ("a", Ok(())),
        ("...", Ok(())),
        ("", err("look_id", Rule::Empty)),
        (".", err("look_id", Rule::InvalidId)),
        ("..", err("look_id", Rule::InvalidId)),
    ];
    for (input, expected) in rows {
        assert_eq!(&LookId::new(*input).map(|_| ()), expected, "{input:?}");
    }
    assert_eq!(
        AvatarGroupId::new("").map(|_| ()),
        err("avatar_group_id", Rule::Empty)
    );
    assert_eq!(
        VideoId::new("..").map(|_| ()),
        err("video_id", Rule::InvalidId)
    );
}

#[test]
fn table_idempotency_keys() {
    let long = "k".repeat(255);
    let too_long = "k".repeat(256);
    let rows: Vec<(&str, Result<(), ValidationError>)> = vec![
        ("abc", Ok(())),
        ("A-Z_a:z.0-9", Ok(())),
        (&long, Ok(())),
        ("", err("idempotency_key", Rule::Empty)),
        (
            "bad key!",
            err("idempotency_key", Rule::ForbiddenCharacter(' ')),
        ),
        (
            "slash/",
            err("idempotency_key", Rule::ForbiddenCharacter('/')),
        ),
        ("é", err("idempotency_key", Rule::ForbiddenCharacter('é'))),
        (
            &too_long,
            err(
                "idempotency_key",
                Rule::TooLong {
                    max: 255,
                    actual: 256,
                },
            ),
        ),
    ];
    for (input, expected) in rows {
        assert_eq!(
            IdempotencyKey::new(input).map(|_| ()),
            expected,
            "{input:?}"
        );
    }
}

/// Names have no rule in the reference beyond being strings, so even a blank one is left to the
/// server: the SDK must not be stricter than HeyGen.
#[test]
fn table_names() {
    for input in ["Photo A", "x", "", "   "] {
        let request = CreatePhotoAvatar::new(input, AssetInput::url("https://example.com/a.png"));
        assert_eq!(request.validate(), Ok(()), "{input:?}");
        let twin = CreateDigitalTwin::new(input, AssetInput::url("https://example.com/a.mp4"));
        assert_eq!(twin.validate(), Ok(()), "{input:?}");
        assert_eq!(
            CreatePromptAvatar::new(input, "prompt").validate(),
            Ok(()),
            "{input:?}"
        );
        assert_eq!(
            UpdateLookRequest::new().name(input).validate(),
            Ok(()),
            "{input:?}"
        );
        assert_eq!(
            CreateDirectUploadRequest::new(input, "video/mp4", 1).validate(),
            Ok(()),
            "{input:?}"
        );
    }
    assert_eq!(UpdateLookRequest::new().validate(), Ok(()));
}

#[test]
fn table_prompt() {
    let max = "p".repeat(1000);
    let over = "p".repeat(1001);
    let wide = "é".repeat(1000);
    let rows: Vec<(&str, Result<(), ValidationError>)> = vec![
        ("A presenter", Ok(())),
        (&max, Ok(())),
        (&wide, Ok(())),
        // No lower bound in the reference: the server decides.
        ("", Ok(())),
        (
            &over,
            err(
                "prompt",
                Rule::TooLong {
                    max: 1000,
                    actual: 1001,
                },
            ),
        ),
    ];
    for (input, expected) in rows {
        assert_eq!(
            CreatePromptAvatar::new("P", input).validate(),
            expected,
            "{}",
            input.len()
        );
    }
}

#[test]
fn table_reference_images() {
    let image = || AssetInput::asset_id(AssetId::new("asset_0001").unwrap());
    for (count, expected) in [
        (0, Ok(())),
        (3, Ok(())),
        (
            4,
            err("reference_images", Rule::TooMany { max: 3, actual: 4 }),
        ),
    ] {
        let request = CreatePromptAvatar::new("P", "prompt")
            .reference_images((0..count).map(|_| image()).collect());
        assert_eq!(request.validate(), expected, "{count}");
    }
    let bad = CreatePromptAvatar::new("P", "prompt")
        .reference_images(vec![image(), AssetInput::url("http://example.com/a.png")]);
    assert_eq!(
        bad.validate(),
        err("reference_images[1].url", Rule::NotHttps)
    );
}

#[test]
fn table_asset_urls() {
    let rows = [
        ("https://example.com/a.png", Ok(())),
        ("HTTPS://example.com", Ok(())),
        ("https://user@example.com:8443/x?y=1", Ok(())),
        ("", err("file.url", Rule::Empty)),
        ("http://example.com/a.png", err("file.url", Rule::NotHttps)),
        ("ftp://example.com/a.png", err("file.url", Rule::NotHttps)),
        ("example.com/a.png", err("file.url", Rule::InvalidUrl)),
        ("https:///a.png", err("file.url", Rule::InvalidUrl)),
        (
            "https://exa mple.com",
            err("file.url", Rule::ForbiddenCharacter(' ')),
        ),
    ];
    for (input, expected) in rows {
        let request = CreateDigitalTwin::new("T", AssetInput::url(input));
        assert_eq!(request.validate(), expected, "{input:?}");
    }
}

#[test]
fn table_base64() {
    let rows = [
        ("iVBORw0KGgo=", Ok(())),
        ("AAAA", Ok(())),
        ("", err("file.data", Rule::Empty)),
        (
            "data:image/png;base64,iVBORw0KGgo=",
            err("file.data", Rule::DataUriPrefix),
        ),
        (
            "iVBORw0K\nGgo=",
            err("file.data", Rule::ForbiddenCharacter('\n')),
        ),
        (
            "iVBORw0K Ggo=",
            err("file.data", Rule::ForbiddenCharacter(' ')),
        ),
        ("iVBORw0KGgo", err("file.data", Rule::InvalidBase64)),
        ("iVBORw0KGgo-_==", err("file.data", Rule::InvalidBase64)),
        ("@@@@", err("file.data", Rule::InvalidBase64)),
    ];
    for (input, expected) in rows {
        let file = AssetInput::Base64 {
            media_type: "image/png".into(),
            data: serde_json::from_value(serde_json::Value::String(input.into())).unwrap(),
        };
        assert_eq!(
            CreatePhotoAvatar::new("P", file).validate(),
            expected,
            "{input:?}"
        );
    }
}

#[test]
fn table_media_types() {
    let rows = [
        ("image/png", Ok(())),
        ("application/vnd.api+json", Ok(())),
        ("", err("file.media_type", Rule::Empty)),
        ("png", err("file.media_type", Rule::InvalidMediaType)),
        ("image/", err("file.media_type", Rule::InvalidMediaType)),
        ("/png", err("file.media_type", Rule::InvalidMediaType)),
        (
            "image/png; charset=x",
            err("file.media_type", Rule::InvalidMediaType),
        ),
        (
            "image/png/x",
            err("file.media_type", Rule::InvalidMediaType),
        ),
    ];
    for (input, expected) in rows {
        let file = AssetInput::Base64 {
            media_type: input.into(),
            data: Base64Data::encode(b"abc"),
        };
        assert_eq!(
            CreatePhotoAvatar::new("P", file).validate(),
            expected,
            "{input:?}"
        );
    }
}

#[test]
fn table_magic_bytes() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n....";
    let jpeg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
    let mp4: &[u8] = b"\0\0\0\x18ftypmp42....";
    let webm: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3, 1, 2];
    let mp3: &[u8] = b"ID3\x04\0\0";
    let wav: &[u8] = b"RIFF\x24\0\0\0WAVEfmt ";
    let pdf: &[u8] = b"%PDF-1.7";
    let mismatch = |declared: &str, detected: &'static str| {
        Err(ValidationError::new(
            "media_type",
            Rule::MediaTypeMismatch {
                declared: declared.into(),
                detected,
            },
        ))
    };
    let rows: Vec<(&str, &[u8], Result<(), ValidationError>)> = vec![
        ("image/png", png, Ok(())),
        ("image/jpeg", jpeg, Ok(())),
        ("image/jpg", jpeg, Ok(())),
        ("video/mp4", mp4, Ok(())),
        ("video/webm", webm, Ok(())),
        ("audio/mpeg", mp3, Ok(())),
        ("audio/mp3", mp3, Ok(())),
        ("audio/wav", wav, Ok(())),
        ("audio/x-wav", wav, Ok(())),
        ("application/pdf", pdf, Ok(())),
        ("image/jpeg", png, mismatch("image/jpeg", "image/png")),
        ("image/png", jpeg, mismatch("image/png", "image/jpeg")),
        ("video/mp4", wav, mismatch("video/mp4", "audio/wav")),
        (
            "application/pdf",
            png,
            mismatch("application/pdf", "image/png"),
        ),
        // Bytes of no known format: the SDK cannot tell, the server decides.
        ("image/png", pdf, Ok(())),
        ("video/mp4", b"plain text", Ok(())),
        ("image/webp", png, mismatch("image/webp", "image/png")),
        ("nonsense", png, err("media_type", Rule::InvalidMediaType)),
        ("image/png", b"", err("data", Rule::Empty)),
    ];
    for (declared, bytes, expected) in rows {
        assert_eq!(
            AssetInput::base64_from_bytes(declared, bytes).map(|_| ()),
            expected,
            "{declared}"
        );
    }
}

#[test]
fn table_data_uris() {
    let rows = [
        ("data:image/png;base64,iVBORw0KGgo=", Ok(())),
        ("DATA:image/png;base64,iVBORw0KGgo=", Ok(())),
        ("iVBORw0KGgo=", err("data", Rule::DataUriPrefix)),
        ("data:image/png;base64", err("data", Rule::DataUriPrefix)),
        (
            "data:image/png,iVBORw0KGgo=",
            err("data", Rule::InvalidBase64),
        ),
        (
            "data:png;base64,iVBORw0KGgo=",
            err("media_type", Rule::InvalidMediaType),
        ),
        (
            "data:image/png;base64,iVBO Rw0KGgo=",
            err("data", Rule::ForbiddenCharacter(' ')),
        ),
        ("data:image/png;base64,", err("data", Rule::Empty)),
    ];
    for (input, expected) in rows {
        assert_eq!(
            AssetInput::from_data_uri(input).map(|_| ()),
            expected,
            "{input:?}"
        );
    }
}

#[test]
fn table_consent() {
    let video = || AssetInput::asset_id(AssetId::new("asset_0001").unwrap());
    let rows = [
        (CreateConsentRequest::new(), Ok(())),
        (
            CreateConsentRequest::new().consent_text("I agree to be cloned."),
            Ok(()),
        ),
        (
            CreateConsentRequest::new().reroute_url("https://example.com/done"),
            Ok(()),
        ),
        (CreateConsentRequest::new().consent_video(video()), Ok(())),
        (
            CreateConsentRequest::new().consent_text("I <b>agree</b>"),
            err("consent_text", Rule::ForbiddenCharacter('<')),
        ),
        (
            CreateConsentRequest::new().consent_text("a > b"),
            err("consent_text", Rule::ForbiddenCharacter('>')),
        ),
        (CreateConsentRequest::new().consent_text(""), Ok(())),
        (
            CreateConsentRequest::new()
                .consent_video(video())
                .reroute_url("https://example.com"),
            err(
                "consent_video",
                Rule::Conflict {
                    other: "reroute_url",
                },
            ),
        ),
        (
            CreateConsentRequest::new()
                .consent_video(video())
                .consent_text("ok"),
            err(
                "consent_video",
                Rule::Conflict {
                    other: "consent_text",
                },
            ),
        ),
        (
            CreateConsentRequest::new()
                .consent_video(AssetInput::url("http://x.example.com/v.mp4")),
            err("consent_video.url", Rule::NotHttps),
        ),
        // The reference sets no scheme for the redirect: http is the server's call.
        (
            CreateConsentRequest::new().reroute_url("http://example.com"),
            Ok(()),
        ),
        (
            CreateConsentRequest::new().reroute_url("javascript:alert(1)"),
            err("reroute_url", Rule::InvalidUrl),
        ),
        (
            CreateConsentRequest::new().reroute_url("ftp://example.com/x"),
            err("reroute_url", Rule::NotHttp),
        ),
    ];
    for (request, expected) in rows {
        assert_eq!(request.validate(), expected, "{request:?}");
    }
}

#[test]
fn table_limits() {
    let out = |min: u64, max: u64, actual: u64| err("limit", Rule::OutOfRange { min, max, actual });
    for (limit, expected) in [
        (1, Ok(())),
        (50, Ok(())),
        (0, out(1, 50, 0)),
        (51, out(1, 50, 51)),
    ] {
        assert_eq!(
            ListAvatarGroupsQuery::new().limit(limit).validate(),
            expected,
            "groups {limit}"
        );
        assert_eq!(
            ListLooksQuery::new().limit(limit).validate(),
            expected,
            "looks {limit}"
        );
    }
    for (limit, expected) in [
        (1, Ok(())),
        (100, Ok(())),
        (0, out(1, 100, 0)),
        (101, out(1, 100, 101)),
    ] {
        assert_eq!(
            ListVideosQuery::new().limit(limit).validate(),
            expected,
            "videos {limit}"
        );
    }
    assert_eq!(validate::MAX_AVATAR_PAGE_LIMIT, 50);
    assert_eq!(validate::MAX_VIDEO_PAGE_LIMIT, 100);
}

#[test]
fn table_video_speech_source() {
    let look = || LookId::new("look_0001").unwrap();
    let asset = || AssetId::new("asset_0001").unwrap();
    let rows = [
        (CreateAvatarVideo::new(look()).script("Hello"), Ok(())),
        (
            CreateAvatarVideo::new(look()).audio_url("https://example.com/a.mp3"),
            Ok(()),
        ),
        (
            CreateAvatarVideo::new(look()).audio_asset_id(asset()),
            Ok(()),
        ),
        (
            CreateAvatarVideo::new(look()),
            err(
                "script",
                Rule::Missing {
                    one_of: "`script`, `audio_url` or `audio_asset_id`",
                },
            ),
        ),
        (
            CreateAvatarVideo::new(look())
                .script("Hi")
                .audio_url("https://example.com/a.mp3"),
            err("script", Rule::Conflict { other: "audio_url" }),
        ),
        (
            CreateAvatarVideo::new(look())
                .audio_url("https://e.example.com/a")
                .audio_asset_id(asset()),
            err(
                "audio_url",
                Rule::Conflict {
                    other: "audio_asset_id",
                },
            ),
        ),
        // No lower bound on the script in the reference.
        (CreateAvatarVideo::new(look()).script(" "), Ok(())),
        // The reference sets no scheme for these URLs: plain http is left to the server.
        (
            CreateAvatarVideo::new(look()).audio_url("http://example.com/a.mp3"),
            Ok(()),
        ),
        (
            CreateAvatarVideo::new(look())
                .script("Hi")
                .callback_url("http://example.com/hook"),
            Ok(()),
        ),
        (
            CreateAvatarVideo::new(look())
                .script("Hi")
                .background(Background::image_url("http://x.example.com/b.png")),
            Ok(()),
        ),
        (
            CreateAvatarVideo::new(look()).audio_url("ftp://example.com/a.mp3"),
            err("audio_url", Rule::NotHttp),
        ),
        (
            CreateAvatarVideo::new(look())
                .script("Hi")
                .callback_url("hooks.example.com/x"),
            err("callback_url", Rule::InvalidUrl),
        ),
        (
            CreateAvatarVideo::new(look())
                .script("Hi")
                .background(Background::image_url("file:///etc/passwd")),
            err("background.url", Rule::NotHttp),
        ),
    ];
    for (request, expected) in rows {
        assert_eq!(request.validate(), expected, "{request:?}");
    }
    let image = CreateImageVideo::new(AssetInput::url("ftp://x/y.png")).script("Hi");
    assert_eq!(image.validate(), err("image.url", Rule::NotHttps));
}

/// Voice and watermark numbers: NaN and infinity would be written as `null` (which the schema
/// does not allow for them), and the documented ranges are checked; each error names its field.
#[test]
fn table_video_numbers() {
    let look = || LookId::new("look_0001").unwrap();
    let voice = |settings: VoiceSettings| {
        CreateAvatarVideo::new(look())
            .script("Hi")
            .voice_settings(settings)
            .validate()
    };
    let out = |field: &'static str, min: f64, max: f64, actual: f64| {
        err(field, Rule::OutOfRangeNumber { min, max, actual })
    };
    let rows = [
        (
            VoiceSettings::new().speed(0.5).pitch(-50.0).volume(0.0),
            Ok(()),
        ),
        (
            VoiceSettings::new().speed(1.5).pitch(50.0).volume(1.0),
            Ok(()),
        ),
        (
            VoiceSettings::new().speed(f64::NAN),
            err("voice_settings.speed", Rule::NotFinite),
        ),
        (
            VoiceSettings::new().pitch(f64::INFINITY),
            err("voice_settings.pitch", Rule::NotFinite),
        ),
        (
            VoiceSettings::new().volume(f64::NEG_INFINITY),
            err("voice_settings.volume", Rule::NotFinite),
        ),
        (
            VoiceSettings::new().speed(0.49),
            out("voice_settings.speed", 0.5, 1.5, 0.49),
        ),
        (
            VoiceSettings::new().speed(2.0),
            out("voice_settings.speed", 0.5, 1.5, 2.0),
        ),
        (
            VoiceSettings::new().pitch(-50.5),
            out("voice_settings.pitch", -50.0, 50.0, -50.5),
        ),
        (
            VoiceSettings::new().volume(1.01),
            out("voice_settings.volume", 0.0, 1.0, 1.01),
        ),
        (
            VoiceSettings::new().engine_settings(
                VoiceEngineSettings::new(VoiceEngineType::Fish).similarity(f64::NAN),
            ),
            err("voice_settings.engine_settings.similarity", Rule::NotFinite),
        ),
        (
            VoiceSettings::new().engine_settings(
                VoiceEngineSettings::new(VoiceEngineType::Elevenlabs).stability(f64::INFINITY),
            ),
            err("voice_settings.engine_settings.stability", Rule::NotFinite),
        ),
    ];
    for (settings, expected) in rows {
        assert_eq!(voice(settings.clone()), expected, "{settings:?}");
    }
    let image = || AssetInput::url("https://example.com/logo.png");
    let mark = |w: Watermark| {
        CreateImageVideo::new(image())
            .audio_url("https://example.com/a.mp3")
            .watermark(w)
            .validate()
    };
    let mut w = Watermark::new(image());
    w.opacity = Some(1.0);
    w.scale = Some(250.0);
    assert_eq!(mark(w.clone()), Ok(()));
    w.opacity = Some(f64::NAN);
    assert_eq!(mark(w.clone()), err("watermark.opacity", Rule::NotFinite));
    w.opacity = Some(-0.1);
    assert_eq!(mark(w.clone()), out("watermark.opacity", 0.0, 1.0, -0.1));
    w.opacity = None;
    w.scale = Some(f64::INFINITY);
    assert_eq!(mark(w.clone()), err("watermark.scale", Rule::NotFinite));
    w.scale = None;
    let mut placement = WatermarkPlacement::default();
    placement.offset_y = Some(f64::NAN);
    w.placement = Some(placement);
    assert_eq!(
        mark(w.clone()),
        err("watermark.placement.offset_y", Rule::NotFinite)
    );
    let text = ValidationError::new("voice_settings.speed", Rule::NotFinite).to_string();
    assert!(
        text.contains("`voice_settings.speed`") && text.contains("finite"),
        "{text}"
    );
}

/// A request serialized without `validate()` still never carries `null` for a NaN: the
/// serializer refuses it.
#[test]
fn non_finite_numbers_never_serialize_as_null() {
    let video: CreateVideoRequest = CreateAvatarVideo::new(LookId::new("look_0001").unwrap())
        .script("Hi")
        .voice_settings(VoiceSettings::new().speed(f64::NAN))
        .into();
    let error = serde_json::to_string(&video).unwrap_err().to_string();
    assert!(error.contains("finite"), "{error}");
    let mut w = Watermark::new(AssetInput::url("https://example.com/l.png"));
    w.scale = Some(f64::INFINITY);
    assert!(serde_json::to_string(&w).is_err());
    let ok = VoiceSettings::new().speed(1.25);
    assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"speed":1.25}"#);
}

#[test]
fn table_direct_upload() {
    let ok = "a".repeat(64);
    let rows = [
        (
            CreateDirectUploadRequest::new("f.mp4", "video/mp4", 1),
            Ok(()),
        ),
        (
            CreateDirectUploadRequest::new("f.mp4", "video/mp4", 1).checksum_sha256(ok.clone()),
            Ok(()),
        ),
        (
            CreateDirectUploadRequest::new("f", "mp4", 1),
            err("content_type", Rule::InvalidMediaType),
        ),
        // No documented lower bound: an empty file is the server's call.
        (CreateDirectUploadRequest::new("f", "video/mp4", 0), Ok(())),
        (
            CreateDirectUploadRequest::new("f", "video/mp4", 1).checksum_sha256("abc"),
            err("checksum_sha256", Rule::InvalidChecksum),
        ),
        (
            CreateDirectUploadRequest::new("f", "video/mp4", 1).checksum_sha256("g".repeat(64)),
            err("checksum_sha256", Rule::InvalidChecksum),
        ),
    ];
    for (request, expected) in rows {
        assert_eq!(request.validate(), expected, "{request:?}");
    }
    assert_eq!(
        CompleteUploadRequest::new()
            .checksum_sha256("zz")
            .validate(),
        err("checksum_sha256", Rule::InvalidChecksum)
    );
}

#[test]
fn validation_messages_are_actionable_sentences() {
    let message = ValidationError::new(
        "prompt",
        Rule::TooLong {
            max: 1000,
            actual: 1200,
        },
    )
    .to_string();
    assert_eq!(
        message,
        "`prompt` has 1200 characters; shorten it to at most 1000"
    );
    let message = ValidationError::new("file.data", Rule::DataUriPrefix).to_string();
    assert!(
        message.contains("data:") && message.contains("media_type"),
        "{message}"
    );
    let message = ValidationError::new(
        "media_type",
        Rule::MediaTypeMismatch {
            declared: "image/jpeg".into(),
            detected: "image/png",
        },
    )
    .to_string();
    assert!(
        message.contains("image/jpeg") && message.contains("image/png"),
        "{message}"
    );
}

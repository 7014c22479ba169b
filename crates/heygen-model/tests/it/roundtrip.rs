//! `decode(encode(x)) == x` for every request and response type; unknown enum strings survive.

use heygen_model::strategies::{self as s, Mode};
use heygen_model::*;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + core::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, value, "json: {}", json);
    Ok(())
}

macro_rules! round_trip_tests {
    ($($name:ident => $strategy:expr;)*) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(96))]
            $(
                #[test]
                fn $name(value in $strategy) {
                    round_trip(&value)?;
                }
            )*
        }
    };
}

round_trip_tests! {
    rt_asset_input => s::asset_input();
    rt_create_avatar_request => s::create_avatar_request();
    rt_create_consent_request => s::create_consent_request();
    rt_update_look_request => s::update_look_request();
    rt_list_avatar_groups_query => s::list_avatar_groups_query(Mode::All);
    rt_list_looks_query => s::list_looks_query(Mode::All);
    rt_list_videos_query => s::list_videos_query();
    rt_create_direct_upload_request => s::create_direct_upload_request();
    rt_complete_upload_request => s::complete_upload_request();
    rt_create_video_request => s::create_video_request(Mode::All);
    rt_look => s::look(Mode::All);
    rt_avatar_group => s::avatar_group(Mode::All);
    rt_create_avatar_response => s::create_avatar_response(Mode::All);
    rt_consent_response => s::consent_response(Mode::All);
    rt_asset => s::asset();
    rt_direct_upload => s::direct_upload(Mode::All);
    rt_completed_upload => s::completed_upload(Mode::All);
    rt_create_video_response => s::create_video_response(Mode::All);
    rt_video => s::video(Mode::All);
    rt_deleted_resource => s::deleted_resource();
    rt_user => s::user(Mode::All);
    rt_list_page_looks => s::list_page(s::look(Mode::All));
    rt_list_page_groups => s::list_page(s::avatar_group(Mode::All));
    rt_list_page_videos => s::list_page(s::video(Mode::All));
    rt_api_error_body => s::api_error_body(Mode::All);
    rt_timestamp => any::<Timestamp>();
    rt_seconds => any::<Seconds>();
    rt_idempotency_key => any::<IdempotencyKey>();
    rt_avatar_type => any::<AvatarType>();
    rt_video_status => any::<VideoStatus>();
    rt_consent_status => any::<ConsentStatus>();
    rt_aspect_ratio => any::<AspectRatio>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_requests_pass_validation(
        avatar in s::create_avatar_request(),
        consent in s::create_consent_request(),
        video in s::create_video_request(Mode::All),
        upload in s::create_direct_upload_request(),
        looks in s::list_looks_query(Mode::All),
        videos in s::list_videos_query(),
    ) {
        prop_assert_eq!(avatar.validate(), Ok(()));
        prop_assert_eq!(consent.validate(), Ok(()));
        prop_assert_eq!(video.validate(), Ok(()));
        prop_assert_eq!(upload.validate(), Ok(()));
        prop_assert_eq!(looks.validate(), Ok(()));
        prop_assert_eq!(videos.validate(), Ok(()));
    }

    #[test]
    fn unknown_enum_strings_survive(text in "zz_[a-z0-9_]{0,12}") {
        let json = serde_json::to_string(&text).unwrap();
        prop_assert_eq!(serde_json::to_string(&serde_json::from_str::<AvatarType>(&json).unwrap()).unwrap(), json.clone());
        prop_assert_eq!(serde_json::to_string(&serde_json::from_str::<VideoStatus>(&json).unwrap()).unwrap(), json.clone());
        prop_assert_eq!(serde_json::to_string(&serde_json::from_str::<ApiErrorCode>(&json).unwrap()).unwrap(), json.clone());
        prop_assert_eq!(serde_json::from_str::<ConsentStatus>(&json).unwrap(), ConsentStatus::Unknown(text));
    }

    #[test]
    fn query_pairs_omit_unset_fields(q in s::list_looks_query(Mode::All)) {
        let pairs = q.to_query_pairs();
        prop_assert_eq!(pairs.iter().any(|(k, _)| *k == "limit"), q.limit.is_some());
        prop_assert_eq!(pairs.iter().any(|(k, _)| *k == "token"), q.token.is_some());
        let next = q.with_token("tok_2");
        prop_assert_eq!(next.token.as_deref(), Some("tok_2"));
    }
}

#[test]
fn every_known_enum_value_round_trips_to_itself() {
    fn check<T: enums::OpenEnum + Serialize + DeserializeOwned + PartialEq + core::fmt::Debug>() {
        for value in T::known() {
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value);
        }
    }
    check::<AvatarType>();
    check::<AvatarStatus>();
    check::<ConsentStatus>();
    check::<VideoStatus>();
    check::<Ownership>();
    check::<Orientation>();
    check::<AspectRatio>();
    check::<Resolution>();
    check::<VideoEngine>();
    check::<OutputFormat>();
    check::<Expressiveness>();
    check::<Fit>();
    check::<BackgroundType>();
    check::<UploadStatus>();
    check::<BillingType>();
    check::<Plan>();
    check::<Currency>();
    check::<ApiErrorCode>();
}

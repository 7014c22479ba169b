//! The paginator.

use heygen_core::error::StallReason;
use heygen_core::ops::ListLooks;
use heygen_core::{Error, Operation, Paginator, ResponseLimits};
use heygen_model::{AvatarType, ListLooksQuery, Ownership};

use crate::support::{config, json_resp};

fn uri(op: &ListLooks) -> String {
    op.build(&config()).unwrap().uri().to_string()
}

#[test]
fn repeats_filters_and_limit_with_each_token() {
    let query = ListLooksQuery::new()
        .avatar_type(AvatarType::PhotoAvatar)
        .ownership(Ownership::Public)
        .limit(50);
    let mut pages = Paginator::new(ListLooks::new(query));
    let first = pages.next_operation().unwrap();
    assert_eq!(
        uri(&first),
        "https://api.heygen.com/v3/avatars/looks?avatar_type=photo_avatar&ownership=public&limit=50"
    );
    pages.on_cursor(true, Some("tok_2"), 1).unwrap();
    assert_eq!(
        uri(&pages.next_operation().unwrap()),
        "https://api.heygen.com/v3/avatars/looks?avatar_type=photo_avatar&ownership=public&limit=50&token=tok_2"
    );
    pages.on_cursor(false, None, 1).unwrap();
    assert!(pages.next_operation().is_none());
}

#[test]
fn stops_on_every_end_marker() {
    for (has_more, token) in [
        (false, Some("t")),
        (true, None),
        (true, Some("")),
        (false, None),
    ] {
        let mut pages = Paginator::new(ListLooks::default());
        pages.on_cursor(has_more, token, 1).unwrap();
        assert!(pages.is_done(), "{has_more} {token:?}");
        assert!(pages.next_operation().is_none());
    }
}

#[test]
fn repeated_token_is_an_error_not_a_loop() {
    let mut pages = Paginator::new(ListLooks::default());
    pages.on_cursor(true, Some("a"), 1).unwrap();
    pages.on_cursor(true, Some("b"), 1).unwrap();
    let err = pages.on_cursor(true, Some("a"), 1).unwrap_err();
    let Error::PaginationStalled(s) = &err else {
        panic!()
    };
    assert_eq!(s.reason, StallReason::RepeatedToken);
    assert_eq!(s.pages, 3);
    assert!(pages.next_operation().is_none());
    // The same token twice in a row too.
    let mut pages = Paginator::new(ListLooks::default());
    pages.on_cursor(true, Some("a"), 1).unwrap();
    assert!(pages.on_cursor(true, Some("a"), 1).is_err());
}

#[test]
fn page_cap() {
    let mut pages = Paginator::new(ListLooks::default()).max_pages(2);
    pages.on_cursor(true, Some("a"), 1).unwrap();
    let err = pages.on_cursor(true, Some("b"), 1).unwrap_err();
    let Error::PaginationStalled(s) = &err else {
        panic!()
    };
    assert_eq!(s.reason, StallReason::PageCap);
}

#[test]
fn on_page_reads_the_list_page() {
    let mut pages = Paginator::new(ListLooks::default());
    let op = pages.next_operation().unwrap();
    let page = op
        .parse(
            json_resp(200, r#"{"data":[],"has_more":true,"next_token":"n"}"#),
            &ResponseLimits::default(),
        )
        .unwrap();
    pages.on_page(&page).unwrap();
    assert_eq!(pages.pages(), 1);
    assert!(!pages.is_done());
}

#[test]
fn resumes_at_the_callers_token() {
    let mut pages = Paginator::new(ListLooks::new(ListLooksQuery::new().token("tok_5")));
    assert!(uri(&pages.next_operation().unwrap()).ends_with("?token=tok_5"));
    // The server sending the resume token back is a stall, not a loop.
    assert!(pages.on_cursor(true, Some("tok_5"), 1).is_err());
}

#[test]
fn empty_pages_that_still_claim_more_stall() {
    let mut pages = Paginator::new(ListLooks::default());
    pages.on_cursor(true, Some("a"), 0).unwrap();
    pages.on_cursor(true, Some("b"), 0).unwrap();
    // One page with items resets the count.
    pages.on_cursor(true, Some("c"), 2).unwrap();
    pages.on_cursor(true, Some("d"), 0).unwrap();
    pages.on_cursor(true, Some("e"), 0).unwrap();
    let err = pages.on_cursor(true, Some("f"), 0).unwrap_err();
    let Error::PaginationStalled(s) = err else {
        panic!()
    };
    assert_eq!(s.reason, StallReason::EmptyPages);
    assert_eq!(s.pages, 6);
    assert!(pages.next_operation().is_none());
    // An empty last page is an ordinary end.
    let mut pages = Paginator::new(ListLooks::default());
    pages.on_cursor(false, None, 0).unwrap();
    assert!(pages.is_done());
}

//! Lists every look, page after page, as one stream.
//!
//! `cargo run -p heygen-async --example async_list_looks`

#![allow(clippy::print_stdout, reason = "an example prints its results")]

mod common;

use futures_util::StreamExt as _;
use heygen_async::model::ListLooksQuery;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = common::demo().await?;
    let mut looks = demo
        .client
        .looks()
        .list_all(ListLooksQuery::new().limit(20));
    let mut count = 0;
    while let Some(look) = looks.next().await {
        let look = look?;
        count += 1;
        if count <= 5 {
            println!(
                "{:<28} {:<20} {}",
                look.id.as_str(),
                look.name,
                look.avatar_type
            );
        }
    }
    println!("{count} looks in total (pages of 20)");
    Ok(())
}

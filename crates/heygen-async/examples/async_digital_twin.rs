//! Creates a digital twin from footage, asks for consent, waits for it, then waits for
//! training.
//!
//! `cargo run -p heygen-async --example async_digital_twin [footage.mp4]`
//! Against the emulator the consent is approved here, standing in for the person in the
//! footage; against the real API, open the printed link.

#![allow(
    clippy::print_stdout,
    clippy::redundant_closure_for_method_calls,
    reason = "an example prints its results, with readable closures"
)]

mod common;

use heygen_async::model::CreateConsentRequest;
use heygen_async::{AvatarFileKind, Waited};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = common::demo().await?;
    // Footage is uploaded as an asset (multipart up to 32 MB, direct upload above), never
    // inlined, with progress reported as the bytes stream.
    let client = &demo
        .client
        .clone()
        .with_inline_threshold(0)
        .with_progress(|sent, total| {
            if sent == total {
                println!("uploaded {sent} of {total} bytes");
            }
        });
    let path = common::sample("footage.mp4");
    let created = client
        .create_avatar_from_file(AvatarFileKind::DigitalTwin, "Twin Demo", &path)
        .await?;
    let group = created
        .avatar
        .avatar_group
        .as_ref()
        .map(|g| g.id.clone())
        .or_else(|| {
            created
                .avatar
                .avatar_item
                .as_ref()
                .and_then(|l| l.group_id.clone())
        })
        .ok_or("the response names no avatar group")?;
    let look = created
        .avatar
        .avatar_item
        .as_ref()
        .map(|l| l.id.to_string());
    println!(
        "created digital twin: group {group} look {} (footage sent as {:?})",
        look.as_deref().unwrap_or("?"),
        created.method
    );
    match client.wait_for_avatar(&group).await? {
        Waited::PendingConsent(_) => println!("training waits for consent"),
        Waited::Completed(_) => println!("training already completed"),
        _ => println!("training ended in another state"),
    }
    let consent = client
        .avatars()
        .create_consent(&group, CreateConsentRequest::new())
        .await?;
    println!(
        "consent requested: {}",
        consent.url.as_deref().unwrap_or("(no link returned)")
    );
    if let Some(emulator) = &demo.emulator {
        emulator.approve_consent(group.as_str());
        println!("(emulator) the person in the footage approved");
    }
    let g = client.wait_for_consent(&group).await?;
    println!(
        "consent given: {:?}",
        g.consent_status.as_ref().map(|c| c.as_str())
    );
    match client.wait_for_avatar(&group).await? {
        Waited::Completed(g) => println!(
            "training completed: {} (status {:?})",
            g.name,
            g.status.as_ref().map(|s| s.as_str())
        ),
        other => println!("training did not complete: {:?}", other.is_completed()),
    }
    Ok(())
}

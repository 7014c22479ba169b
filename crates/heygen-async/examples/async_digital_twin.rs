//! Creates a digital twin from footage, asks for consent, waits for it, then waits for
//! training.
//!
//! `cargo run -p heygen-async --example async_digital_twin [footage.mp4]`
//! Against the emulator the consent is approved here, standing in for the person in the
//! footage; against the real API, open the printed link.

#![allow(clippy::print_stdout, reason = "an example prints its results")]

mod common;

use heygen_async::model::CreateConsentRequest;
use heygen_async::{AvatarFileKind, Waited};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = common::demo().await?;
    // Footage is uploaded as an asset (multipart up to 32 MB, direct upload above), never
    // inlined, with progress reported as the bytes stream.
    let client = demo
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
    let group = created.output.group_id()?.clone();
    let look = created.output.look_id()?;
    println!(
        "created digital twin: group {group} look {look} (footage sent as {:?})",
        created.method
    );

    match client.wait_for_avatar(&group).await? {
        Waited::PendingConsent(_) => println!("training waits for consent"),
        Waited::Completed(_) => println!("training already completed"),
    }
    let consent = client
        .avatars()
        .create_consent(&group, CreateConsentRequest::new())
        .await?;
    match &consent.url {
        Some(url) => println!("consent requested: {url}"),
        None => println!("consent requested (no link returned)"),
    }
    if let Some(emulator) = &demo.emulator {
        emulator.approve_consent(group.as_str());
        println!("(emulator) the person in the footage approved");
    }
    client.wait_for_consent(&group).await?;
    println!("consent given");

    match client.wait_for_avatar(&group).await? {
        Waited::Completed(g) => println!("training completed: {} ({})", g.id, g.name),
        Waited::PendingConsent(g) => println!("{} still waits for consent", g.id),
    }
    Ok(())
}

//! What the filmed person's browser does with a consent link: load the page, find the approve
//! form, submit it. Used by `heygen demo` against the embedded emulator.
//!
//! This is plain HTTP to the consent page, not an API call: no API key is ever sent.

use std::time::Duration;

use crate::failure::{EXIT_API, Failure};
use crate::source::is_loopback_url;

/// How long one page load may take.
const PAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// Loads `consent_url`, submits its approve form, and returns the title of the page shown
/// afterwards.
///
/// # Errors
/// `cli_consent_failed` when the URL is neither `https` nor loopback `http`, the page cannot be
/// loaded, has no approve form, or the submission is refused.
pub(crate) fn approve(consent_url: &str) -> Result<String, Failure> {
    let lower = consent_url.to_ascii_lowercase();
    if !(lower.starts_with("https://")
        || lower.starts_with("http://") && is_loopback_url(consent_url))
    {
        return Err(consent_failure(
            "the consent url is not https (or http to a loopback host)",
        ));
    }
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(PAGE_TIMEOUT))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let mut page = agent
        .get(consent_url)
        .header("Accept", "text/html")
        .call()
        .map_err(|e| consent_failure(&format!("could not load the consent page: {e}")))?;
    if page.status().as_u16() != 200 {
        return Err(consent_failure(&format!(
            "the consent page answered status {}",
            page.status().as_u16()
        )));
    }
    let html = page
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .map_err(|e| consent_failure(&format!("could not read the consent page: {e}")))?;
    let action = approve_action(&html)
        .ok_or_else(|| consent_failure("the consent page has no approve form"))?;
    let target = resolve(consent_url, &action);
    if !(target.to_ascii_lowercase().starts_with("https://") || is_loopback_url(&target)) {
        return Err(consent_failure(
            "the approve form points to a plain http host",
        ));
    }
    let mut done = agent
        .post(&target)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("")
        .map_err(|e| consent_failure(&format!("could not submit the consent form: {e}")))?;
    let status = done.status().as_u16();
    if !(200..400).contains(&status) {
        return Err(consent_failure(&format!(
            "submitting the consent form answered status {status}"
        )));
    }
    let text = done
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    Ok(title(&text).unwrap_or_else(|| format!("status {status}")))
}

fn consent_failure(message: &str) -> Failure {
    Failure::new(EXIT_API, "cli_consent_failed", message)
}

/// The `action` of the first `<form>` whose action or button says "approve" or "consent"
/// (but not "decline").
fn approve_action(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut rest = 0;
    while let Some(start) = lower[rest..].find("<form").map(|i| i + rest) {
        let end = lower[start..]
            .find("</form>")
            .map_or(lower.len(), |i| i + start);
        let form = &lower[start..end];
        let tag_end = form.find('>').unwrap_or(form.len());
        let action = attribute(&html[start..start + tag_end], "action");
        let says_yes = form.contains("approve") || form.contains("i consent");
        if says_yes
            && !action
                .as_deref()
                .unwrap_or("")
                .to_ascii_lowercase()
                .contains("decline")
        {
            return action;
        }
        rest = end;
    }
    None
}

/// The value of `name="…"` (or single-quoted) in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let quote = tag[at..].chars().next()?;
    if quote == '"' || quote == '\'' {
        let value = &tag[at + 1..];
        let end = value.find(quote)?;
        Some(value[..end].replace("&amp;", "&"))
    } else {
        let value = &tag[at..];
        let end = value
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(value.len());
        Some(value[..end].to_owned())
    }
}

/// Resolves a form action against the page URL (absolute URLs, absolute paths, and paths
/// relative to the page's directory).
fn resolve(page: &str, action: &str) -> String {
    if action.contains("://") {
        return action.to_owned();
    }
    let scheme_end = page.find("://").map_or(0, |i| i + 3);
    let path_start = page[scheme_end..]
        .find('/')
        .map_or(page.len(), |i| i + scheme_end);
    let origin = &page[..path_start];
    if action.starts_with('/') {
        return format!("{origin}{action}");
    }
    let path = page[path_start..].split(['?', '#']).next().unwrap_or("/");
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    format!("{origin}{dir}/{action}")
}

/// The text of the page's `<title>` or first `<h1>`.
fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for tag in ["<title>", "<h1>"] {
        if let Some(start) = lower.find(tag) {
            let from = start + tag.len();
            let end = lower[from..].find("</").map_or(lower.len(), |i| i + from);
            let text = html[from..end].trim();
            if !text.is_empty() {
                return Some(text.replace("&quot;", "\"").replace("&amp;", "&"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head><title>Consent for \"A\"</title></head><body>\
        <form method=\"post\" action=\"/consent/tok/approve\"><button>I consent</button></form>\
        <form method=\"post\" action=\"/consent/tok/decline\"><button>I decline</button></form>\
        </body></html>";

    #[test]
    fn finds_the_approve_form_not_the_decline_one() {
        assert_eq!(
            approve_action(PAGE).as_deref(),
            Some("/consent/tok/approve")
        );
        let declined_only = "<form action='/x/decline'><button>I decline</button></form>";
        assert_eq!(approve_action(declined_only), None);
    }

    #[test]
    fn resolves_actions() {
        let page = "http://127.0.0.1:9/consent/tok?x=1";
        assert_eq!(
            resolve(page, "/consent/tok/approve"),
            "http://127.0.0.1:9/consent/tok/approve"
        );
        assert_eq!(
            resolve(page, "tok/approve"),
            "http://127.0.0.1:9/consent/tok/approve"
        );
        assert_eq!(resolve(page, "https://h/a"), "https://h/a");
    }

    #[test]
    fn reads_the_title() {
        assert_eq!(title(PAGE).as_deref(), Some("Consent for \"A\""));
    }

    #[test]
    fn refuses_plain_http_to_other_hosts() {
        let failure = approve("http://example.com/consent/tok").unwrap_err();
        assert_eq!(failure.code, "cli_consent_failed");
    }
}

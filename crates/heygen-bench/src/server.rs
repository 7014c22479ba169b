//! The fixed-response server: HTTP/1.1 with keep-alive on `127.0.0.1`, one thread per
//! connection, canned bodies written with one `write_all` each. It runs in its own process
//! (`heygen-bench serve-fixed`) so its work never shares the client's thread.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use crate::fixtures;

/// Pre-rendered responses, head and body in one buffer.
pub(crate) struct Responses {
    create_avatar: Vec<u8>,
    looks_page: Vec<u8>,
    video: Vec<u8>,
    avatar_group: Vec<u8>,
    not_found: Vec<u8>,
    bad_request: Vec<u8>,
}

fn render(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: req_bench_0001\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

impl Responses {
    /// Renders every canned response once.
    pub(crate) fn new() -> Self {
        Self {
            create_avatar: render("200 OK", &fixtures::create_avatar()),
            looks_page: render("200 OK", &fixtures::looks_page()),
            video: render("200 OK", &fixtures::video()),
            avatar_group: render("200 OK", &fixtures::avatar_group()),
            not_found: render(
                "404 Not Found",
                br#"{"error":{"code":"not_found","message":"no such route on the bench server"}}"#,
            ),
            bad_request: render(
                "400 Bad Request",
                br#"{"error":{"code":"invalid_parameter","message":"the bench server needs content-length framing"}}"#,
            ),
        }
    }

    /// The response for a request line's method and target.
    pub(crate) fn route(&self, method: &str, target: &str) -> &[u8] {
        let path = target.split('?').next().unwrap_or(target);
        match (method, path) {
            ("POST", "/v3/avatars") => &self.create_avatar,
            ("GET", "/v3/avatars/looks") => &self.looks_page,
            ("GET", p) if p.starts_with("/v3/videos/") => &self.video,
            ("GET", p) if p.starts_with("/v3/avatars/") => &self.avatar_group,
            _ => &self.not_found,
        }
    }
}

/// Accepts connections forever, one thread each.
pub(crate) fn serve(listener: &TcpListener) {
    let responses = Arc::new(Responses::new());
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let responses = Arc::clone(&responses);
        std::thread::spawn(move || {
            let _ = connection(stream, &responses);
        });
    }
}

/// Serves requests on one connection until the peer closes it.
fn connection(stream: TcpStream, responses: &Responses) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_ascii_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut content_length = 0usize;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        if chunked {
            writer.write_all(&responses.bad_request)?;
            return Ok(());
        }
        body.resize(content_length, 0);
        reader.read_exact(&mut body)?;
        writer.write_all(responses.route(&method, &target))?;
        if close {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let r = Responses::new();
        assert!(
            r.route("POST", "/v3/avatars")
                .ends_with(&fixtures::create_avatar())
        );
        assert!(
            r.route("GET", "/v3/avatars/looks?limit=50")
                .ends_with(&fixtures::looks_page())
        );
        assert!(
            r.route("GET", "/v3/videos/abc")
                .ends_with(&fixtures::video())
        );
        assert!(
            r.route("GET", "/v3/avatars/grp_1")
                .ends_with(&fixtures::avatar_group())
        );
        assert!(
            r.route("DELETE", "/v3/avatars")
                .starts_with(b"HTTP/1.1 404")
        );
    }

    #[test]
    fn keeps_the_connection_alive() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || serve(&listener));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        for _ in 0..3 {
            let mut resp = agent
                .post(format!("http://{addr}/v3/avatars"))
                .header("content-type", "application/json")
                .send(b"{}".as_slice())
                .unwrap();
            assert_eq!(resp.status(), 200);
            assert_eq!(
                resp.body_mut().read_to_vec().unwrap(),
                fixtures::create_avatar()
            );
        }
    }
}

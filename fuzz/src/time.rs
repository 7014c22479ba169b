//! `timestamp`: the wire time values of `heygen-model` (`Timestamp`, `Seconds`).
//!
//! Input: any bytes, read as RFC 3339 text, as a JSON document and as a JSON string.
//!
//! Invariants:
//! - `Timestamp::parse_rfc3339` accepts exactly the well-formed dates from 1970 on: a parsed
//!   value, formatted back as `YYYY-MM-DDThh:mm:ssZ` and shifted by the input's offset, is the
//!   input's date and time (checked with an independent calendar), and a date it refuses is
//!   out of range or malformed;
//! - a JSON number or string decodes to the same `Timestamp` as the text parser gives;
//! - a decoded `Seconds` is finite and non-negative, round-trips through JSON, and converts to a
//!   `Duration` without panicking.

use heygen_model::{Seconds, Timestamp};

/// Days from 1970-01-01 to the civil date, by counting (independent of the model's formula).
fn days_before_year(year: i64) -> i64 {
    let leaps = |y: i64| y / 4 - y / 100 + y / 400;
    (year - 1970) * 365 + leaps(year - 1) - leaps(1969)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn month_days(year: i64, month: i64) -> i64 {
    const DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let index = usize::try_from(month - 1).unwrap_or(0).min(11);
    DAYS[index] + i64::from(month == 2 && is_leap(year))
}

/// The fields of a syntactically valid RFC 3339 date-time (`T`, `t` or space; `Z`, `z` or a
/// `±hh:mm` offset; optional fraction), without range checks.
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    offset: i64,
}

fn two(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn fields(text: &str) -> Option<Fields> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut rest = &b[19..];
    if let Some(after) = rest.strip_prefix(b".") {
        let digits = after.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &after[digits..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (two(&[*h1, *h2])?, two(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 3600 + m * 60;
            if *sign == b'+' { total } else { -total }
        }
        _ => return None,
    };
    Some(Fields {
        year: two(&b[0..4])?,
        month: two(&b[5..7])?,
        day: two(&b[8..10])?,
        hour: two(&b[11..13])?,
        minute: two(&b[14..16])?,
        second: two(&b[17..19])?,
        offset,
    })
}

/// Unix seconds of the fields, when they are in range and not before 1970.
fn expected(f: &Fields) -> Option<u64> {
    if !(1..=12).contains(&f.month)
        || f.day < 1
        || f.day > month_days(f.year, f.month)
        || f.hour > 23
        || f.minute > 59
        || f.second > 60
    {
        return None;
    }
    let mut days = days_before_year(f.year);
    for month in 1..f.month {
        days += month_days(f.year, month);
    }
    days += f.day - 1;
    let seconds = days * 86_400 + f.hour * 3600 + f.minute * 60 + f.second - f.offset;
    u64::try_from(seconds).ok()
}

/// Checks the time parsers on one input.
///
/// # Panics
/// When an invariant above does not hold.
pub fn timestamp(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = Timestamp::parse_rfc3339(&text).map(Timestamp::unix_seconds);
    let want = fields(&text).and_then(|f| expected(&f));
    assert_eq!(parsed, want, "parse_rfc3339({text:?})");

    // The JSON forms: the text as a JSON string, and the bytes as a JSON document.
    if let Ok(json) = serde_json::to_string(&text) {
        let from_json = serde_json::from_str::<Timestamp>(&json).ok();
        let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        if digits {
            assert_eq!(
                from_json.map(Timestamp::unix_seconds),
                text.parse::<u64>().ok(),
                "digit string {text:?}"
            );
        } else {
            assert_eq!(
                from_json.map(Timestamp::unix_seconds),
                parsed,
                "json string {text:?}"
            );
        }
    }
    if let Ok(stamp) = serde_json::from_slice::<Timestamp>(data) {
        let encoded = serde_json::to_string(&stamp).unwrap_or_default();
        assert_eq!(encoded, stamp.unix_seconds().to_string());
    }
    if let Ok(seconds) = serde_json::from_slice::<Seconds>(data) {
        seconds_invariants(seconds);
    }
    if let Ok(json) = serde_json::to_string(&text)
        && let Ok(seconds) = serde_json::from_str::<Seconds>(&json)
    {
        seconds_invariants(seconds);
    }
}

fn seconds_invariants(seconds: Seconds) {
    let value = seconds.as_f64();
    assert!(value.is_finite() && value >= 0.0, "Seconds holds {value}");
    let encoded = serde_json::to_string(&seconds).unwrap_or_default();
    let again: Option<Seconds> = serde_json::from_str(&encoded).ok();
    assert_eq!(again, Some(seconds), "Seconds round-trip through {encoded}");
    let _ = seconds.to_string();
    let _ = seconds.to_duration();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_agrees_on_known_dates() {
        let at = |t: &str| fields(t).and_then(|f| expected(&f));
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(at("2025-11-29T07:06:40Z"), Some(1_764_400_000));
        assert_eq!(at("2025-11-29T08:06:40.5+01:00"), Some(1_764_400_000));
        assert_eq!(at("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        assert_eq!(at("2023-02-29T00:00:00Z"), None);
        assert_eq!(at("1969-12-31T23:59:59Z"), None);
    }
}

//! Wire time values: [`Timestamp`] (Unix seconds) and [`Seconds`] (a duration).
//!
//! HeyGen sends timestamps as integers, integral floats or RFC 3339 strings, and durations as
//! integers, floats or numeric strings. Both types decode every form and reject negative, NaN or infinite values
//! with a serde error.

use core::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as whole seconds since the Unix epoch (UTC).
///
/// Decodes from an integer, a float (fractional seconds are truncated), a string of digits, or
/// an RFC 3339 string; encodes as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// A timestamp from Unix seconds.
    pub const fn from_unix_seconds(seconds: u64) -> Self {
        Self(seconds)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix_seconds(self) -> u64 {
        self.0
    }

    /// Parses an RFC 3339 date-time such as `2025-11-29T07:06:40Z` or
    /// `2025-11-29T08:06:40.5+01:00`. Fractional seconds are dropped.
    ///
    /// Returns `None` when the text is not RFC 3339 or is before 1970.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        parse_rfc3339(text).map(Self)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative Unix timestamp in seconds or an RFC 3339 date-time")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        Ok(Timestamp(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        u64::try_from(v)
            .map(Timestamp)
            .map_err(|_| E::custom(format_args!("negative timestamp {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
        if !(0.0..18_446_744_073_709_551_615.0).contains(&v) {
            return Err(E::custom(format_args!(
                "timestamp {v} is negative, infinite or NaN"
            )));
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked finite, non-negative and below u64::MAX above"
        )]
        let seconds = v.trunc() as u64;
        Ok(Timestamp(seconds))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            return v
                .parse::<u64>()
                .map(Timestamp)
                .map_err(|_| E::custom("timestamp out of range"));
        }
        parse_rfc3339(v)
            .map(Timestamp)
            .ok_or_else(|| E::custom(format_args!("invalid RFC 3339 timestamp {v:?}")))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

fn digits(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0, |acc, b| acc * 10 + u64::from(b - b'0')),
    )
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_rfc3339(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = i64::try_from(digits(&b[0..4])?).ok()?;
    let month = i64::try_from(digits(&b[5..7])?).ok()?;
    let day = i64::try_from(digits(&b[8..10])?).ok()?;
    let hour = i64::try_from(digits(&b[11..13])?).ok()?;
    let minute = i64::try_from(digits(&b[14..16])?).ok()?;
    let second = i64::try_from(digits(&b[17..19])?).ok()?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let frac = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return None;
        }
        rest = &rest[1 + frac..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = i64::try_from(digits(&[*h1, *h2])?).ok()?;
            let om = i64::try_from(digits(&[*m1, *m2])?).ok()?;
            if oh > 23 || om > 59 {
                return None;
            }
            let total = oh * 3600 + om * 60;
            if *sign == b'+' { total } else { -total }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    u64::try_from(seconds).ok()
}

/// A duration in seconds, as HeyGen reports video lengths. Finite and non-negative.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Seconds(f64);

impl Seconds {
    /// Wraps a number of seconds; `None` if it is negative, NaN or infinite.
    pub fn new(seconds: f64) -> Option<Self> {
        (seconds.is_finite() && seconds >= 0.0).then_some(Self(if seconds == 0.0 {
            0.0
        } else {
            seconds
        }))
    }

    /// The duration in seconds.
    pub const fn as_f64(self) -> f64 {
        self.0
    }

    /// The duration as a [`core::time::Duration`], saturating at [`core::time::Duration::MAX`]
    /// for a value too large to represent (a server may send any finite number).
    pub fn to_duration(self) -> core::time::Duration {
        core::time::Duration::try_from_secs_f64(self.0).unwrap_or(core::time::Duration::MAX)
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0)
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0)
    }
}

struct SecondsVisitor;

impl Visitor<'_> for SecondsVisitor {
    type Value = Seconds;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative number of seconds")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
        #[allow(
            clippy::cast_precision_loss,
            reason = "durations are far below 2^52 seconds"
        )]
        Ok(Seconds(v as f64))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
        u64::try_from(v)
            .map_err(|_| E::custom(format_args!("negative duration {v}")))
            .and_then(|v| self.visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seconds, E> {
        Seconds::new(v)
            .ok_or_else(|| E::custom(format_args!("duration {v} is negative, infinite or NaN")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
        crate::num::number::<_, f64>(de::value::StrDeserializer::<E>::new(v))
            .and_then(|v| self.visit_f64(v))
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecondsVisitor)
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for Timestamp {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        use proptest::strategy::Strategy as _;
        (0u64..4_102_444_800).prop_map(Timestamp).boxed()
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for Seconds {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        use proptest::strategy::Strategy as _;
        (0u32..4_000_000)
            .prop_map(|q| Seconds(f64::from(q) / 4.0))
            .boxed()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Timestamp {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self(u.arbitrary()?))
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Seconds {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let raw: u32 = u.arbitrary()?;
        Ok(Self(f64::from(raw) / 4.0))
    }
}

//! One lenient reader for the numbers in responses.
//!
//! HeyGen (and proxies in front of it) send the same number as `512`, `512.0` or `"512"`. Every
//! integer and float field of a response reads all three, the way [`crate::Timestamp`] and
//! [`crate::Seconds`] do, and rejects nonsense with a serde error (never a panic): a negative
//! value where the field is unsigned, a fraction where it is an integer, an out-of-range value,
//! NaN or infinity, or text that is not a number. `null` reads as `None` in `Option` fields.

use core::fmt;
use core::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// A number type a response field holds.
pub(crate) trait WireNumber: Sized {
    /// What the field expects, for error messages.
    const EXPECTING: &'static str;
    /// From a JSON unsigned integer.
    fn from_u64(v: u64) -> Option<Self>;
    /// From a JSON negative integer.
    fn from_i64(v: i64) -> Option<Self>;
    /// From a JSON float (only finite values reach here).
    fn from_f64(v: f64) -> Option<Self>;
}

/// An integral, finite float as an `i128` (wide enough for every target type).
#[allow(
    clippy::cast_possible_truncation,
    reason = "checked integral and within ±2^100 first"
)]
fn integral(v: f64) -> Option<i128> {
    (v.fract() == 0.0 && v.abs() < 1.0e30).then_some(v as i128)
}

macro_rules! wire_integer {
    ($($t:ty => $what:literal),*) => {$(
        impl WireNumber for $t {
            const EXPECTING: &'static str = $what;
            fn from_u64(v: u64) -> Option<Self> {
                Self::try_from(v).ok()
            }
            fn from_i64(v: i64) -> Option<Self> {
                Self::try_from(v).ok()
            }
            fn from_f64(v: f64) -> Option<Self> {
                integral(v).and_then(|v| Self::try_from(v).ok())
            }
        }
    )*};
}

wire_integer!(
    u32 => "a non-negative whole number below 2^32",
    u64 => "a non-negative whole number",
    i64 => "a whole number"
);

impl WireNumber for f64 {
    const EXPECTING: &'static str = "a finite number";
    #[allow(clippy::cast_precision_loss, reason = "a JSON number is an f64 anyway")]
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    #[allow(clippy::cast_precision_loss, reason = "a JSON number is an f64 anyway")]
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

struct NumberVisitor<T>(PhantomData<T>);

impl<T: WireNumber> NumberVisitor<T> {
    fn out_of_range<E: de::Error>(v: impl fmt::Display) -> E {
        E::custom(format_args!(
            "invalid number {v}, expected {}",
            T::EXPECTING
        ))
    }
}

impl<T: WireNumber> Visitor<'_> for NumberVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (a number, or a string holding one)", T::EXPECTING)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        T::from_u64(v)
            .map(Some)
            .ok_or_else(|| Self::out_of_range(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        T::from_i64(v)
            .map(Some)
            .ok_or_else(|| Self::out_of_range(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        if !v.is_finite() {
            return Err(Self::out_of_range(v));
        }
        T::from_f64(v)
            .map(Some)
            .ok_or_else(|| Self::out_of_range(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        let text = v.trim();
        let numeric = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        if !numeric {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        if let Ok(n) = text.parse::<u64>() {
            return self.visit_u64(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return self.visit_i64(n);
        }
        match text.parse::<f64>() {
            Ok(n) => self.visit_f64(n),
            Err(_) => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// Reads a required number in any of its spellings (`null` is an error).
pub(crate) fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: WireNumber,
{
    deserializer
        .deserialize_any(NumberVisitor(PhantomData))?
        .ok_or_else(|| de::Error::custom(format_args!("null, expected {}", T::EXPECTING)))
}

/// Reads an optional number in any of its spellings; `null` is `None` (absent needs
/// `#[serde(default)]` on the field).
pub(crate) fn opt_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WireNumber,
{
    deserializer.deserialize_any(NumberVisitor(PhantomData))
}

/// Writes an optional float of a request, refusing NaN and infinity: `serde_json` would write
/// them as `null`, which the API's schema does not allow for these fields and which would
/// silently replace the caller's value with the server default. `validate()` reports the same
/// fault first, naming the field; this is the guard for a request serialized without it.
#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with hands the field by reference"
)]
pub(crate) fn finite<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) if !v.is_finite() => Err(serde::ser::Error::custom(format_args!(
            "{v} is not a finite number; JSON cannot carry it"
        ))),
        Some(v) => serializer.serialize_some(v),
        None => serializer.serialize_none(),
    }
}

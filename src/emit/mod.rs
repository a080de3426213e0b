//! Document → bytes. Knows indentation, escaping and scalar styles, not what a key means.

mod json;
mod key;
pub(crate) mod wide;
pub(crate) mod yaml;

pub(crate) use json::{escape_inside, task_result};

use std::io::{self, Write};

use crate::render::Document;
use crate::{Format, Profile};

/// Writes `doc` in `format`.
pub(crate) fn write<W: Write>(doc: &Document<'_>, format: Format, profile: Profile, out: &mut W) -> io::Result<()> {
    match format {
        Format::Json => json::write(doc, profile, out),
        Format::Yaml | Format::Yml => yaml::write(doc, profile == Profile::Strict, out),
    }
}

/// Appends `bytes`; a run of 4 to 32 bytes as two overlapping copies of fixed size, which compile
/// to plain moves instead of a call to `memcpy`.
#[inline(always)]
pub(crate) fn put(buf: &mut Vec<u8>, bytes: &[u8]) {
    let (start, len) = (buf.len(), bytes.len());
    if len > 16 && len <= 32 {
        if let (Some(head), Some(tail)) = (bytes.first_chunk::<16>(), bytes.last_chunk::<16>()) {
            buf.reserve(32);
            buf.extend_from_slice(head);
            buf.truncate(start + len - 16);
            buf.extend_from_slice(tail);
            return;
        }
    }
    if len <= 16 {
        if let (Some(head), Some(tail)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            buf.extend_from_slice(head);
            buf.truncate(start + len - 8);
            buf.extend_from_slice(tail);
            return;
        }
        if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
            buf.extend_from_slice(head);
            buf.truncate(start + len - 4);
            buf.extend_from_slice(tail);
            return;
        }
    }
    buf.extend_from_slice(bytes);
}

/// Why a value could not be written: the sink failed, or the value has no form in the format
/// here.
///
/// ```
/// use std::collections::BTreeMap;
///
/// let numbered: BTreeMap<u8, &str> = [(1, "one")].into();
/// let err = apig_export::yaml::to_string(&numbered).unwrap_err();
/// assert!(matches!(err, apig_export::yaml::Error::Unsupported(_)));
/// assert_eq!(err.to_string(), "map keys must be strings");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The sink's own error.
    Io(io::Error),
    /// A value with no form here (a map key that is not a string, bytes, an enum variant with
    /// fields), or a `Serialize` implementation's own error: what it is.
    Unsupported(String),
}

impl Error {
    /// As an `io::Error`: the sink's error itself, anything else as [`io::ErrorKind::Other`]
    /// wrapping this error.
    pub(crate) fn into_io(self) -> io::Error {
        match self {
            Error::Io(e) => e,
            other => io::Error::other(other),
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => e.fmt(f),
            Error::Unsupported(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Unsupported(_) => None,
        }
    }
}

impl serde::ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::Unsupported(crate::quote::truncate(msg.to_string(), 1024))
    }
}

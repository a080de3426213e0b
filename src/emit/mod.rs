//! Document → bytes. Knows indentation, escaping and scalar styles, not what a key means.

mod json;
mod key;
mod wide;
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

/// Appends `bytes`; a run of 4 to 16 bytes as two overlapping copies of fixed size, which compile
/// to plain moves instead of a call to `memcpy`.
#[inline(always)]
pub(crate) fn put(buf: &mut Vec<u8>, bytes: &[u8]) {
    let (start, len) = (buf.len(), bytes.len());
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

/// An error while writing: the sink's, or a value the format cannot hold here.
#[derive(Debug)]
pub(crate) struct Error(io::Error);

impl Error {
    fn into_io(self) -> io::Error {
        self.0
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(io::Error::other(msg.to_string()))
    }
}

//! Document → bytes. Knows indentation, escaping and scalar styles, not what a key means.

mod json;
mod wide;
pub(crate) mod yaml;

pub(crate) use json::task_result;

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

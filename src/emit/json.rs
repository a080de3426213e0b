//! JSON as Go's `json.MarshalIndent(v, "", "\t")` writes it: a TAB per level, `": "` after keys,
//! `[]` / `{}` for empty containers, no trailing newline. The Apig profile also escapes
//! `<`, `>`, `&`, U+2028 and U+2029 as Go does. The Strict profile escapes instead what makes a
//! YAML 1.1 reader see another text: the characters YAML forbids raw (U+007F to U+009F, U+FFFE,
//! U+FFFF) and its line breaks beyond LF and CR (U+0085, U+2028, U+2029), so that validators
//! reading JSON through a YAML parser read the same tree; the string values are the same.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

use crate::render::Document;
use crate::Profile;

/// Writes `doc` as JSON.
pub(crate) fn write<W: Write>(doc: &Document<'_>, profile: Profile, out: &mut W) -> io::Result<()> {
    let Some(trailer) = &doc.trailer else {
        return write_value(&doc.root, profile, 0, false, out);
    };
    // The root object is written without its closing brace, then the trailing member follows:
    // APIG concatenates it after a newline (`\n,\n\t"x-…": …\n}`); Strict makes it an ordinary member.
    write_value(&doc.root, profile, 0, true, out)?;
    if profile == Profile::Apig {
        out.write_all(b"\n")?;
    }
    out.write_all(b",\n\t\"x-apigateway-responses\": ")?;
    write_value(trailer, profile, 1, false, out)?;
    out.write_all(b"\n}")
}

fn write_value<W: Write, T: Serialize + ?Sized>(
    value: &T,
    profile: Profile,
    indent: usize,
    leave_open: bool,
    out: &mut W,
) -> io::Result<()> {
    let formatter = GoFormatter { indent, has_value: false, go_escapes: profile == Profile::Apig, leave_open };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// serde_json formatter reproducing Go's indentation and (optionally) its HTML-safe escaping.
struct GoFormatter {
    indent: usize,
    has_value: bool,
    go_escapes: bool,
    /// Leave the outermost object unclosed (no final newline and brace).
    leave_open: bool,
}

impl GoFormatter {
    fn newline_indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const TABS: &[u8; 33] = b"\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
        let mut rest = self.indent;
        w.write_all(TABS.get(..=rest.min(32)).unwrap_or(b"\n"))?;
        while rest > 32 {
            rest -= 32;
            w.write_all(TABS.get(1..=rest.min(32)).unwrap_or_default())?;
        }
        Ok(())
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.indent = self.indent.saturating_sub(1);
        if self.leave_open && self.indent == 0 {
            return Ok(());
        }
        if self.has_value {
            self.newline_indent(w)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for GoFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline_indent(w)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline_indent(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        write_fragment(w, fragment, self.go_escapes)
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, escape: CharEscape) -> io::Result<()> {
        write_escape(w, escape)
    }
}

/// Compact JSON (`json.Marshal`), with Go's escaping in the Apig profile.
struct GoCompact {
    go_escapes: bool,
}

impl Formatter for GoCompact {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        write_fragment(w, fragment, self.go_escapes)
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, escape: CharEscape) -> io::Result<()> {
        write_escape(w, escape)
    }
}

/// The `task_result` of a finished export task: `{"FileName":…,"FileType":…,"Comment":…}`.
pub(crate) fn task_result(file_name: &str, file_type: &str, content: &str, profile: Profile) -> String {
    #[derive(Serialize)]
    struct TaskResult<'a> {
        #[serde(rename = "FileName")]
        file_name: &'a str,
        #[serde(rename = "FileType")]
        file_type: &'a str,
        #[serde(rename = "Comment")]
        comment: &'a str,
    }
    let mut out = Vec::with_capacity(content.len() + content.len() / 8 + 64);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, GoCompact { go_escapes: profile == Profile::Apig });
    // Serializing strings into a Vec cannot fail.
    let _ = TaskResult { file_name, file_type, comment: content }.serialize(&mut ser);
    String::from_utf8(out).unwrap_or_default()
}

fn write_fragment<W: ?Sized + Write>(w: &mut W, fragment: &str, go_escapes: bool) -> io::Result<()> {
    // Every character that may need escaping starts with one of these bytes: `<` `>` `&`, 0x7F,
    // 0xC2 (U+0080..U+00BF), 0xE2 (U+2028, U+2029), 0xEF (U+FFFE, U+FFFF).
    let candidate = |b: &u8| {
        if go_escapes {
            matches!(b, b'<' | b'>' | b'&' | 0xE2)
        } else {
            matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF)
        }
    };
    if !fragment.as_bytes().iter().any(candidate) {
        return w.write_all(fragment.as_bytes());
    }
    let mut start = 0;
    for (i, ch) in fragment.char_indices() {
        let escape = if go_escapes {
            matches!(ch, '<' | '>' | '&' | '\u{2028}' | '\u{2029}')
        } else {
            matches!(ch, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}')
        };
        if !escape {
            continue;
        }
        w.write_all(fragment.get(start..i).unwrap_or_default().as_bytes())?;
        write!(w, "\\u{:04x}", u32::from(ch))?;
        start = i + ch.len_utf8();
    }
    w.write_all(fragment.get(start..).unwrap_or_default().as_bytes())
}

fn write_escape<W: ?Sized + Write>(w: &mut W, escape: CharEscape) -> io::Result<()> {
    let s: &[u8] = match escape {
        CharEscape::Quote => b"\\\"",
        CharEscape::ReverseSolidus => b"\\\\",
        CharEscape::Solidus => b"\\/",
        CharEscape::Backspace => b"\\b",
        CharEscape::FormFeed => b"\\f",
        CharEscape::LineFeed => b"\\n",
        CharEscape::CarriageReturn => b"\\r",
        CharEscape::Tab => b"\\t",
        CharEscape::AsciiControl(byte) => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let hex = |n: u8| HEX.get(usize::from(n & 0xF)).copied().unwrap_or(b'0');
            return w.write_all(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte)]);
        }
    };
    w.write_all(s)
}

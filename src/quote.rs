//! Bounds on what error messages echo from their input.
//!
//! A message quotes at most [`MAX_QUOTED_CHARS`] characters of any value; a longer value is cut
//! and its full length (in bytes, known without reading it) is stated:
//! `"aaaa…" (50000000 bytes)`. Cutting reads only the part that is kept, so quoting the same
//! huge value in many messages costs nothing per message but the cut.

use std::fmt;

/// How many characters of a value a message quotes.
pub(crate) const MAX_QUOTED_CHARS: usize = 80;

/// `value` in double quotes with Rust's escapes (like `{:?}`), cut after [`MAX_QUOTED_CHARS`]
/// characters with its length stated.
/// Its `Debug` and its `Display` write the same.
#[derive(Clone, Copy)]
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match split(self.0) {
            None => write!(f, "{:?}", self.0),
            Some(kept) => {
                let quoted = format!("{kept:?}");
                let open = quoted.strip_suffix('"').unwrap_or(&quoted);
                write!(f, "{open}…\" ({} bytes)", self.0.len())
            }
        }
    }
}

/// An owned [`Quoted`]: the part of a value a message keeps, and the value's length, for
/// messages written later (warnings).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct QuotedBuf {
    kept: Box<str>,
    len: usize,
}

impl QuotedBuf {
    pub(crate) fn new(value: &str) -> QuotedBuf {
        QuotedBuf { kept: split(value).unwrap_or(value).into(), len: value.len() }
    }

    /// The kept part, without quotes (`…` when cut).
    pub(crate) fn cut(&self) -> String {
        if self.kept.len() < self.len {
            format!("{}…", self.kept)
        } else {
            self.kept.to_string()
        }
    }
}

impl fmt::Debug for QuotedBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for QuotedBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kept.len() < self.len {
            let quoted = format!("{:?}", self.kept);
            let open = quoted.strip_suffix('"').unwrap_or(&quoted);
            write!(f, "{open}…\" ({} bytes)", self.len)
        } else {
            write!(f, "{:?}", self.kept)
        }
    }
}

/// `value` as it is, cut after [`MAX_QUOTED_CHARS`] characters with its length stated
/// (`aaaa… (50000000 bytes)`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cut<'a>(pub(crate) &'a str);

impl fmt::Display for Cut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match split(self.0) {
            None => f.write_str(self.0),
            Some(kept) => write!(f, "{kept}… ({} bytes)", self.0.len()),
        }
    }
}

/// The first [`MAX_QUOTED_CHARS`] characters of `s` when it has more.
fn split(s: &str) -> Option<&str> {
    if s.len() <= MAX_QUOTED_CHARS {
        return None;
    }
    s.char_indices().nth(MAX_QUOTED_CHARS).and_then(|(at, _)| s.get(..at))
}

/// `text` cut to at most `max` bytes (on a character boundary) followed by `…` when longer.
pub(crate) fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut at = max.saturating_sub('…'.len_utf8());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
        text.push('…');
    }
    text
}

/// Cuts every run quoted with `"…"` or `` `…` `` in a message written by someone else (serde's
/// `invalid type: string "…"`, ``unknown variant `…` ``) the way [`Quoted`] does.
pub(crate) fn cut_quoted_runs(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let quote = if from.starts_with('"') { '"' } else { '`' };
        let body = from.get(1..).unwrap_or_default();
        // The closing quote: for `"`, one not escaped by a backslash.
        let mut end = None;
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            if escaped {
                escaped = false;
            } else if quote == '"' && ch == '\\' {
                escaped = true;
            } else if ch == quote {
                end = Some(i);
                break;
            }
        }
        let Some(end) = end else {
            out.push_str(from);
            return out;
        };
        let inner = body.get(..end).unwrap_or_default();
        out.push(quote);
        match split(inner) {
            None => {
                out.push_str(inner);
                out.push(quote);
            }
            Some(kept) => {
                out.push_str(kept);
                out.push('…');
                out.push(quote);
                out.push_str(&format!(" ({} bytes)", inner.len()));
            }
        }
        rest = body.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole() {
        assert_eq!(Quoted("a\"b").to_string(), "\"a\\\"b\"");
        assert_eq!(Cut("abc").to_string(), "abc");
        let eighty = "x".repeat(80);
        assert_eq!(Quoted(&eighty).to_string(), format!("\"{eighty}\""));
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = "é".repeat(1000);
        let kept = "é".repeat(80);
        assert_eq!(Quoted(&long).to_string(), format!("\"{kept}…\" (2000 bytes)"));
        assert_eq!(Cut(&long).to_string(), format!("{kept}… (2000 bytes)"));
    }

    #[test]
    fn runs_in_foreign_messages_are_cut() {
        let long = "y".repeat(200);
        let kept = "y".repeat(80);
        assert_eq!(
            cut_quoted_runs(&format!("invalid type: string \"{long}\", expected a boolean")),
            format!("invalid type: string \"{kept}…\" (200 bytes), expected a boolean")
        );
        assert_eq!(
            cut_quoted_runs(&format!("unknown variant `{long}`, expected one of `A`, `B`")),
            format!("unknown variant `{kept}…` (200 bytes), expected one of `A`, `B`")
        );
        assert_eq!(cut_quoted_runs("a \"b\\\"c\" `d"), "a \"b\\\"c\" `d");
    }

    #[test]
    fn truncation_keeps_characters_whole() {
        assert_eq!(truncate("abc".to_owned(), 10), "abc");
        let t = truncate("é".repeat(100), 11);
        assert!(t.len() <= 11 && t.ends_with('…'), "{t}");
    }
}

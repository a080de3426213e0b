//! Scalars: js-yaml's choice of style (plain, quoted, literal, folded) and how each is written,
//! folding included.

use std::fmt::Write as _;

use super::resolve::*;
use crate::emit::put;
use crate::emit::wide::{at_least_0x7f, below_0x20, equal};

pub(super) fn utf16_len(bytes: &[u8]) -> usize {
    std::str::from_utf8(bytes).map_or(bytes.len(), |s| s.encode_utf16().count())
}

pub(super) fn is_printable(c: char) -> bool {
    let c = u32::from(c);
    (0x20..=0x7E).contains(&c)
        || ((0xA1..=0xD7FF).contains(&c) && c != 0x2028 && c != 0x2029)
        || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
        || (0x10000..=0x10FFFF).contains(&c)
}

pub(super) fn is_white(c: char) -> bool {
    c == ' ' || c == '\t'
}

pub(super) fn plain_safe_first(c: char) -> bool {
    is_printable(c) && !is_white(c) && !"-?:,[]{}#&*!|=>'\"%@`".contains(c)
}

pub(super) fn plain_safe_last(c: char) -> bool {
    !is_white(c) && c != ':'
}

/// js-yaml's `isPlainSafe` in block context.
pub(super) fn plain_safe(c: char, prev: Option<char>) -> bool {
    let ns_or_white = is_printable(c);
    let ns = ns_or_white && !is_white(c);
    (ns_or_white && c != '#' && (ns || prev != Some(':')))
        || (prev.is_some_and(|p| is_printable(p) && !is_white(p)) && c == '#')
        || (prev == Some(':') && ns)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Single,
    Literal,
    Folded,
    Double,
}

/// js-yaml's `chooseScalarStyle` for block context (single-line only for keys).
pub(super) fn choose_style(s: &str, single_line_only: bool, width: usize) -> Style {
    let first = s.chars().next();
    let last = s.chars().next_back();
    let mut plain = first.is_some_and(plain_safe_first) && last.is_some_and(plain_safe_last);
    let mut prev: Option<char> = None;
    let mut has_line_break = false;
    let mut foldable = false;
    let mut i = 0usize; // UTF-16 index
    let mut line_start_index = 0usize;
    let mut at_line_start = true;
    let mut line_first_space = false;
    for c in s.chars() {
        if at_line_start {
            line_first_space = c == ' ';
            at_line_start = false;
        }
        if !single_line_only && c == '\n' {
            has_line_break = true;
            foldable = foldable || (i - line_start_index > width && !line_first_space);
            line_start_index = i + 1;
            at_line_start = true;
        } else if !is_printable(c) {
            return Style::Double;
        }
        plain = plain && plain_safe(c, prev);
        prev = Some(c);
        i += c.len_utf16();
    }
    if at_line_start {
        line_first_space = false;
    }
    if !single_line_only {
        foldable = foldable || (i - line_start_index > width && !line_first_space);
    }
    if !has_line_break && !foldable {
        return if plain && !is_ambiguous(s) { Style::Plain } else { Style::Single };
    }
    if foldable {
        Style::Folded
    } else {
        Style::Literal
    }
}

/// What [`choose_style`] reads of a string made only of printable ASCII (U+0020 to U+007E),
/// found in one scan, eight bytes per step: whether it holds `": "` or `" #"`, the only pairs that
/// keep such a string from being plain. `None` for any other string.
pub(super) fn printable_ascii(bytes: &[u8]) -> Option<bool> {
    let (mut other, mut pairs, mut after_colon, mut after_space) = (0u64, 0u64, 0u64, 0u64);
    let mut step = |word: u64| {
        other |= below_0x20(word) | at_least_0x7f(word);
        let (colon, space, hash) = (equal(word, b':'), equal(word, b' '), equal(word, b'#'));
        // A flag moved up one byte marks the byte after; the last byte's carries into the next word.
        pairs |= (((colon << 8) | after_colon) & space) | (((space << 8) | after_space) & hash);
        (after_colon, after_space) = (colon >> 56, space >> 56);
    };
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        step(u64::from_le_bytes(*word));
        rest = tail;
    }
    if !rest.is_empty() {
        // The last few bytes, padded with a letter, which none of the tests flags.
        let mut word = [b'a'; 8];
        word.iter_mut().zip(rest).for_each(|(w, b)| *w = *b);
        step(u64::from_le_bytes(word));
    }
    (other == 0).then_some(pairs != 0)
}

/// [`choose_style`] for a string of printable ASCII, given whether it holds `": "` or `" #"`:
/// it has no line break and no character to escape, its width is its length, and in it only
/// those pairs make a character unsafe in a plain scalar (a leading `#` fails the first-character test).
pub(super) fn ascii_style(s: &str, pairs: bool, single_line_only: bool, width: usize) -> Style {
    let b = s.as_bytes();
    if !single_line_only && b.len() > width && b.first() != Some(&b' ') {
        return Style::Folded;
    }
    let plain =
        !pairs && s.chars().next().is_some_and(plain_safe_first) && s.chars().next_back().is_some_and(plain_safe_last);
    if plain && !is_ambiguous(s) {
        Style::Plain
    } else {
        Style::Single
    }
}

/// A fast path for the most common scalars: short, starting with a letter, `/` or `_`, not ending
/// with a space, made of characters that never need quoting in block context (spaces included:
/// without `:` and `#` they are plain), and not one of the words js-yaml quotes.
/// Such a string is written plain by every rule below (no other type resolves from it).
pub(super) fn obviously_plain(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() <= 40
        && b.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'_')
        && b.last() != Some(&b' ')
        // Without an early exit: no branch per byte (the scalars are short).
        && b.iter().fold(true, |all, &c| all & PLAIN_BYTES.get(usize::from(c)).copied().unwrap_or(false))
        && (b.len() > LONGEST_WORD || (!DEPRECATED_BOOLEANS.contains(&s) && !TYPED_WORDS.contains(&s)))
}

/// The bytes [`obviously_plain`] accepts anywhere: ASCII letters, digits and ` _-./{}$+()=`.
// Evaluated at compile time: an index out of bounds would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
pub(super) const PLAIN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric()
            || matches!(b, b' ' | b'_' | b'-' | b'.' | b'/' | b'{' | b'}' | b'$' | b'+' | b'(' | b')' | b'=');
        c += 1;
    }
    table
};

/// Writes `s` as js-yaml's `writeScalar` would at `level`; `strict` also quotes number-like
/// plain scalars.
pub(super) fn write_scalar(out: &mut Vec<u8>, s: &str, level: usize, is_key: bool, strict: bool) {
    if obviously_plain(s) {
        put(out, s.as_bytes());
        return;
    }
    if s.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    if deprecated_boolean_or_base60(s) {
        out.push(b'\'');
        out.extend_from_slice(s.as_bytes());
        out.push(b'\'');
        return;
    }
    let indent = 2 * level.max(1);
    let width = 40usize.max(80usize.saturating_sub(indent));
    let style = match printable_ascii(s.as_bytes()) {
        Some(pairs) => ascii_style(s, pairs, is_key, width),
        None => choose_style(s, is_key, width),
    };
    match style {
        Style::Plain if !(strict && number_like(s)) => put(out, s.as_bytes()),
        Style::Plain | Style::Single => {
            out.push(b'\'');
            for part in s.split('\'').enumerate() {
                if part.0 > 0 {
                    out.extend_from_slice(b"''");
                }
                out.extend_from_slice(part.1.as_bytes());
            }
            out.push(b'\'');
        }
        Style::Double => {
            out.push(b'"');
            escape_double(out, s);
            out.push(b'"');
        }
        Style::Literal => {
            out.push(b'|');
            block_header(out, s);
            indent_lines(out, s, indent);
        }
        Style::Folded => {
            out.push(b'>');
            block_header(out, s);
            indent_lines(out, &fold_string(s, width), indent);
        }
    }
}

pub(super) fn block_header(out: &mut Vec<u8>, s: &str) {
    if s.trim_start_matches('\n').starts_with(' ') {
        out.push(b'2');
    }
    let clip = s.ends_with('\n');
    let keep = clip && (s.ends_with("\n\n") || s == "\n");
    if keep {
        out.push(b'+');
    } else if !clip {
        out.push(b'-');
    }
    out.push(b'\n');
}

/// `dropEndingNewline(indentString(s, spaces))`: empty lines stay unindented.
pub(super) fn indent_lines(out: &mut Vec<u8>, s: &str, spaces: usize) {
    let body = s.strip_suffix('\n').unwrap_or(s);
    for (n, line) in body.split('\n').enumerate() {
        if n > 0 {
            out.push(b'\n');
        }
        if !line.is_empty() {
            out.resize(out.len() + spaces, b' ');
            out.extend_from_slice(line.as_bytes());
        }
    }
}

pub(super) fn escape_double(out: &mut Vec<u8>, s: &str) {
    let mut text = String::new();
    for c in s.chars() {
        let seq = match c {
            '\0' => Some("\\0"),
            '\u{7}' => Some("\\a"),
            '\u{8}' => Some("\\b"),
            '\t' => Some("\\t"),
            '\n' => Some("\\n"),
            '\u{b}' => Some("\\v"),
            '\u{c}' => Some("\\f"),
            '\r' => Some("\\r"),
            '\u{1b}' => Some("\\e"),
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\u{85}' => Some("\\N"),
            '\u{a0}' => Some("\\_"),
            '\u{2028}' => Some("\\L"),
            '\u{2029}' => Some("\\P"),
            _ => None,
        };
        match seq {
            Some(seq) => text.push_str(seq),
            None if is_printable(c) => text.push(c),
            None => {
                let code = u32::from(c);
                let _ = match code {
                    0..=0xFF => write!(text, "\\x{code:02X}"),
                    0x100..=0xFFFF => write!(text, "\\u{code:04X}"),
                    _ => write!(text, "\\U{code:08X}"),
                };
            }
        }
    }
    out.extend_from_slice(text.as_bytes());
}

/// js-yaml's `foldString`, on UTF-16 code units.
pub(super) fn fold_string(s: &str, width: usize) -> String {
    // js-yaml counts UTF-16 units; in ASCII text those are the bytes.
    if s.is_ascii() {
        let folded = fold_units(s.as_bytes(), width, b'\n', b' ');
        String::from_utf8(folded).unwrap_or_default()
    } else {
        let units: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16_lossy(&fold_units(&units, width, u16::from(b'\n'), u16::from(b' ')))
    }
}

/// js-yaml's `foldString` over code units, `nl` and `sp` being the newline and the space.
pub(super) fn fold_units<T: Copy + PartialEq>(units: &[T], width: usize, nl: T, sp: T) -> Vec<T> {
    let first_lf = units.iter().position(|&u| u == nl).unwrap_or(units.len());
    let mut result: Vec<T> = Vec::with_capacity(units.len() + units.len() / 16 + 8);
    fold_line(&mut result, units.get(..first_lf).unwrap_or_default(), width, nl, sp);
    let mut prev_more_indented = units.first().is_some_and(|&u| u == nl || u == sp);
    let mut i = first_lf;
    while i < units.len() {
        let newlines = units.get(i..).unwrap_or_default().iter().take_while(|&&u| u == nl).count();
        let line_start = i + newlines;
        let line_len = units.get(line_start..).unwrap_or_default().iter().take_while(|&&u| u != nl).count();
        let line = units.get(line_start..line_start + line_len).unwrap_or_default();
        let more_indented = line.first() == Some(&sp);
        result.extend(std::iter::repeat_n(nl, newlines));
        if !prev_more_indented && !more_indented && !line.is_empty() {
            result.push(nl);
        }
        fold_line(&mut result, line, width, nl, sp);
        prev_more_indented = more_indented;
        i = line_start + line_len;
    }
    result
}

/// js-yaml's greedy `foldLine`, appended to `out`: breaks only at a space followed by a non-space.
pub(super) fn fold_line<T: Copy + PartialEq>(out: &mut Vec<T>, line: &[T], width: usize, nl: T, sp: T) {
    if line.is_empty() || line.first() == Some(&sp) {
        out.extend_from_slice(line);
        return;
    }
    let slice = |a: usize, b: usize| line.get(a..b).unwrap_or_default();
    let (mut start, mut curr) = (0usize, 0usize);
    // Every break but the first is preceded by a newline.
    let mut broken = false;
    let mut j = 0;
    while j + 1 < line.len() {
        if line.get(j) == Some(&sp) && line.get(j + 1) != Some(&sp) {
            let next = j;
            if next - start > width {
                let end = if curr > start { curr } else { next };
                if broken {
                    out.push(nl);
                }
                broken = true;
                out.extend_from_slice(slice(start, end));
                start = end + 1;
            }
            curr = next;
            j += 2;
        } else {
            j += 1;
        }
    }
    if broken {
        out.push(nl);
    }
    if line.len() - start > width && curr > start {
        out.extend_from_slice(slice(start, curr));
        out.push(nl);
        out.extend_from_slice(slice(curr + 1, line.len()));
    } else {
        out.extend_from_slice(slice(start, line.len()));
    }
}

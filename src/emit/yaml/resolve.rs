//! Implicit types: which plain scalars a YAML reader would take for something other than a
//! string (js-yaml's default schema, YAML 1.1 words and numbers), so that the writer quotes them.

/// YAML 1.1 booleans, which js-yaml single-quotes (`DEPRECATED_BOOLEANS_SYNTAX`).
pub(super) const DEPRECATED_BOOLEANS: [&str; 16] =
    ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"];

/// Words js-yaml's default schema reads as null, a boolean or a merge key.
pub(super) const TYPED_WORDS: [&str; 11] =
    ["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "<<"];

/// No word of [`DEPRECATED_BOOLEANS`] is longer: longer scalars skip the list.
pub(super) const LONGEST_BOOLEAN: usize = 3;
/// No word of [`DEPRECATED_BOOLEANS`] or [`TYPED_WORDS`] is longer: longer scalars skip both.
pub(super) const LONGEST_WORD: usize = 5;
// Evaluated at compile time: a longer word, or an index out of bounds, fails the build.
#[allow(clippy::indexing_slicing)]
const _: () = {
    let mut i = 0;
    while i < DEPRECATED_BOOLEANS.len() {
        assert!(DEPRECATED_BOOLEANS[i].len() <= LONGEST_BOOLEAN);
        i += 1;
    }
    let mut i = 0;
    while i < TYPED_WORDS.len() {
        assert!(TYPED_WORDS[i].len() <= LONGEST_WORD);
        i += 1;
    }
};

/// Whether js-yaml's default schema would read `s` as something other than a string.
pub(super) fn is_ambiguous(s: &str) -> bool {
    (s.len() <= LONGEST_WORD && TYPED_WORDS.contains(&s))
        || resolves_int(s.as_bytes())
        || resolves_float(s.as_bytes())
        || resolves_timestamp(s.as_bytes())
}

pub(crate) fn resolves_int(d: &[u8]) -> bool {
    let at = |i: usize| d.get(i).copied();
    let mut i = 0;
    let mut ch = at(0);
    if ch.is_none() {
        return false;
    }
    if ch == Some(b'-') || ch == Some(b'+') {
        i += 1;
        ch = at(i);
    }
    if ch == Some(b'0') {
        if i + 1 == d.len() {
            return true;
        }
        i += 1;
        ch = at(i);
        let radix: Option<fn(u8) -> bool> = match ch {
            Some(b'b') => Some(|c| c == b'0' || c == b'1'),
            Some(b'x') => Some(|c: u8| c.is_ascii_hexdigit()),
            Some(b'o') => Some(|c| (b'0'..=b'7').contains(&c)),
            _ => None,
        };
        if let Some(ok) = radix {
            let mut has_digits = false;
            let mut last = ch;
            for &c in d.iter().skip(i + 1) {
                last = Some(c);
                if c == b'_' {
                    continue;
                }
                if !ok(c) {
                    return false;
                }
                has_digits = true;
            }
            return has_digits && last != Some(b'_');
        }
    }
    if ch == Some(b'_') {
        return false;
    }
    let mut has_digits = false;
    let mut last = ch;
    for &c in d.iter().skip(i) {
        last = Some(c);
        if c == b'_' {
            continue;
        }
        if !c.is_ascii_digit() {
            return false;
        }
        has_digits = true;
    }
    has_digits && last != Some(b'_')
}

/// `^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`,
/// not ending with `_`.
pub(crate) fn resolves_float(d: &[u8]) -> bool {
    if d.last() == Some(&b'_') {
        return false;
    }
    let digits_us = |s: &[u8]| s.iter().all(|c| c.is_ascii_digit() || *c == b'_');
    let exponent = |s: &[u8]| -> bool {
        match s.split_first() {
            None => true,
            Some((e, rest)) if *e == b'e' || *e == b'E' => {
                let rest = rest.strip_prefix(b"-").or_else(|| rest.strip_prefix(b"+")).unwrap_or(rest);
                !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
            }
            Some(_) => false,
        }
    };
    let unsigned = d.strip_prefix(b"-").or_else(|| d.strip_prefix(b"+")).unwrap_or(d);
    if matches!(unsigned, b".inf" | b".Inf" | b".INF") || matches!(d, b".nan" | b".NaN" | b".NAN") {
        return true;
    }
    // [-+]?[0-9][0-9_]*(\.[0-9_]*)?(e..)?
    if unsigned.first().is_some_and(u8::is_ascii_digit) {
        let int_end = unsigned.iter().position(|c| !(c.is_ascii_digit() || *c == b'_')).unwrap_or(unsigned.len());
        let rest = unsigned.get(int_end..).unwrap_or_default();
        let rest = match rest.strip_prefix(b".") {
            Some(r) => {
                let frac_end = r.iter().position(|c| !(c.is_ascii_digit() || *c == b'_')).unwrap_or(r.len());
                r.get(frac_end..).unwrap_or_default()
            }
            None => rest,
        };
        if exponent(rest) {
            return true;
        }
    }
    // \.[0-9_]+(e..)?   (no sign)
    if let Some(r) = d.strip_prefix(b".") {
        let frac_end = r.iter().position(|c| !(c.is_ascii_digit() || *c == b'_')).unwrap_or(r.len());
        if frac_end > 0
            && digits_us(r.get(..frac_end).unwrap_or_default())
            && exponent(r.get(frac_end..).unwrap_or_default())
        {
            return true;
        }
    }
    false
}

/// `^\d{4}-\d\d-\d\d$` or js-yaml's timestamp pattern.
pub(super) fn resolves_timestamp(d: &[u8]) -> bool {
    let digit = |i: usize| d.get(i).is_some_and(u8::is_ascii_digit);
    if d.len() == 10
        && (0..4).all(digit)
        && d.get(4) == Some(&b'-')
        && digit(5)
        && digit(6)
        && d.get(7) == Some(&b'-')
        && digit(8)
        && digit(9)
    {
        return true;
    }
    let mut p = Cursor { d, i: 0 };
    (|| {
        p.digits(4, 4)?;
        p.byte(b'-')?;
        p.digits(1, 2)?;
        p.byte(b'-')?;
        p.digits(1, 2)?;
        let separated = p.byte(b'T').is_some() || p.byte(b't').is_some() || p.many(|c| c == b' ' || c == b'\t') > 0;
        if !separated {
            return None;
        }
        p.digits(1, 2)?;
        p.byte(b':')?;
        p.digits(2, 2)?;
        p.byte(b':')?;
        p.digits(2, 2)?;
        if p.byte(b'.').is_some() {
            p.many(|c| c.is_ascii_digit());
        }
        let before_tz = p.i;
        p.many(|c| c == b' ' || c == b'\t');
        if p.byte(b'Z').is_none() {
            if p.byte(b'-').is_some() || p.byte(b'+').is_some() {
                p.digits(1, 2)?;
                let save = p.i;
                if p.byte(b':').is_some() && p.digits(2, 2).is_none() {
                    p.i = save;
                }
            } else {
                p.i = before_tz;
            }
        }
        (p.i == d.len()).then_some(())
    })()
    .is_some()
}

pub(super) struct Cursor<'d> {
    d: &'d [u8],
    i: usize,
}

impl Cursor<'_> {
    fn byte(&mut self, b: u8) -> Option<()> {
        (self.d.get(self.i) == Some(&b)).then(|| self.i += 1)
    }
    fn many(&mut self, ok: impl Fn(u8) -> bool) -> usize {
        let n = self.d.get(self.i..).unwrap_or_default().iter().take_while(|c| ok(**c)).count();
        self.i += n;
        n
    }
    /// `min` to `max` digits, greedy (the patterns' `[0-9][0-9]?` backtracking is not needed:
    /// what follows a digit group is never a digit).
    fn digits(&mut self, min: usize, max: usize) -> Option<()> {
        let n = self.d.get(self.i..).unwrap_or_default().iter().take(max).take_while(|c| c.is_ascii_digit()).count();
        (n >= min).then(|| self.i += n)
    }
}

pub(super) fn deprecated_boolean_or_base60(s: &str) -> bool {
    if s.len() <= LONGEST_BOOLEAN && DEPRECATED_BOOLEANS.contains(&s) {
        return true;
    }
    // ^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let part = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit() || c == b'_');
    let (mut parts, mut all_digits) = (0usize, true);
    for p in main.split(':') {
        parts += 1;
        all_digits = all_digits && part(p);
    }
    parts >= 2 && all_digits && frac.is_none_or(|f| f.bytes().all(|c| c.is_ascii_digit() || c == b'_'))
}

/// Whether some YAML reader may take `s` for a number: YAML 1.1 or 1.2 integer, float or
/// sexagesimal notation (`_` anywhere, as YAML 1.1 allows), after an optional sign. Slightly
/// broader than any one reader: quoting a string never changes its value.
/// Deliberately broad: quoting a string never changes its value.
pub(super) fn number_like(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let all = |t: &str, ok: fn(char) -> bool| !t.is_empty() && t.chars().all(|c| ok(c) || c == '_');
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return all(hex, |c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        return all(oct, |c| ('0'..='7').contains(&c));
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return all(bin, |c| c == '0' || c == '1');
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i).unwrap_or_default(), body.get(i + 1..)),
        None => (body, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    let dot = mantissa.find('.');
    mantissa.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && mantissa.chars().all(|c| c.is_ascii_digit() || "_.:".contains(c))
        && mantissa.matches('.').count() <= 1
        && dot.is_none_or(|d| !mantissa.get(d..).unwrap_or_default().contains(':'))
        && exponent_ok
}

//! Numbers as JavaScript prints them: js-yaml writes a number with `Number.prototype.toString`.

/// `Number.prototype.toString(10)` as js-yaml's int / float types print it.
pub(crate) fn js_yaml_number(v: f64) -> String {
    if v.is_nan() {
        return ".nan".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { ".inf".to_owned() } else { "-.inf".to_owned() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".to_owned() } else { "0".to_owned() };
    }
    let text = js_number_to_string(v);
    if v.fract() != 0.0 {
        // SCIENTIFIC_WITHOUT_DOT: `5e-7` becomes `5.e-7`.
        let digits_then_e = {
            let t = text.strip_prefix(['-', '+']).unwrap_or(&text);
            let d = t.bytes().take_while(u8::is_ascii_digit).count();
            d > 0 && t.as_bytes().get(d) == Some(&b'e')
        };
        if digits_then_e {
            return text.replacen('e', ".e", 1);
        }
    }
    text
}

/// ECMAScript `Number::toString` for a finite, non-zero double.
pub(super) fn js_number_to_string(v: f64) -> String {
    if v < 0.0 {
        return format!("-{}", js_number_to_string(-v));
    }
    // Shortest round-trip digits and exponent, from Rust's own shortest formatting.
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let zeros = |count: i64| "0".repeat(usize::try_from(count).unwrap_or(0));
    if k <= n && n <= 21 {
        format!("{digits}{}", zeros(n - k))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(n).unwrap_or(0));
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", zeros(-n))
    } else {
        let e = n - 1;
        let sign = if e >= 0 { '+' } else { '-' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{sign}{}", e.abs())
        }
    }
}

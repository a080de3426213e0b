//! Forms of an export's file name that are safe to use as names.
//!
//! APIG's `FileName` is `{group}-{environment}-{define}-{version}`, built from catalog names and
//! the request's `version`; it is kept byte for byte, so it may hold `/`, `..`, `\`, CR, LF, NUL
//! or bidirectional overrides. A gateway that puts it in a path or a header uses these instead.

/// Bytes a safe name keeps at most (ext4, NTFS and most file systems allow 255), extension included.
const MAX_SAFE_BYTES: usize = 200;

/// Names Windows reserves whatever the extension (`COM¹`-style superscripts included).
const WINDOWS_RESERVED: [&str; 32] = [
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// Characters that make a name display other than it is: bidirectional formatting, zero-width
/// and invisible formatting characters (soft hyphen, joiners, word joiner, tags).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Characters replaced by `_`: controls, path separators, and what Windows forbids in names.
fn is_replaced(c: char) -> bool {
    c.is_control()
        || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// `name` + `extension` as a single path component that every common file system accepts and
/// that displays as it is: bidirectional controls removed; controls, `/ \ : * ? " < > |` and line
/// separators replaced by `_`; no leading dots or spaces, no trailing ones before the extension;
/// Windows device names prefixed with `_`; at most 200 bytes (the stem is cut on a character
/// boundary); `export` when nothing is left.
pub(crate) fn safe(name: &str, extension: &str) -> String {
    let mut stem: String =
        name.chars().filter(|&c| !is_bidi_control(c)).map(|c| if is_replaced(c) { '_' } else { c }).collect();
    let trimmed = stem.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']);
    if trimmed.len() != stem.len() {
        stem = trimmed.to_owned();
    }
    if stem.is_empty() {
        stem.push_str("export");
    }
    let device = stem.split('.').next().unwrap_or_default().trim_end();
    if WINDOWS_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)) {
        stem.insert(0, '_');
    }
    let extension = extension.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').collect::<String>();
    let room = MAX_SAFE_BYTES.saturating_sub(extension.len());
    if stem.len() > room {
        let mut cut = room;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        let kept = stem.trim_end_matches(['.', ' ']).len();
        stem.truncate(kept);
    }
    stem + &extension
}

/// RFC 5987 `attr-char`: what `filename*` carries unencoded.
fn is_attr_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b)
}

/// A `Content-Disposition` header value for the safe name (RFC 6266): `attachment`, an ASCII
/// `filename` fallback (every other character as `_`), and `filename*=UTF-8''…` with the name
/// percent-encoded.
pub(crate) fn content_disposition(name: &str, extension: &str) -> String {
    let safe = safe(name, extension);
    let fallback: String = safe.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let mut value = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''");
    for b in safe.bytes() {
        if is_attr_char(b) {
            value.push(char::from(b));
        } else {
            value.push_str(&format!("%{b:02X}"));
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_stay_as_they_are_but_for_colons() {
        assert_eq!(
            safe("demo_shop-RELEASE-all-2024-05-06-10:11:12", ".json"),
            "demo_shop-RELEASE-all-2024-05-06-10_11_12.json"
        );
        assert_eq!(safe("商城-RELEASE-spec-v1", ".yaml"), "商城-RELEASE-spec-v1.yaml");
    }

    #[test]
    fn hostile_names_become_one_harmless_component() {
        assert_eq!(
            safe("../../x\r\nContent-Type: text/html-RELEASE-spec-v1", ".json"),
            "_.._x__Content-Type_ text_html-RELEASE-spec-v1.json"
        );
        assert_eq!(safe("..", ".json"), "export.json");
        assert_eq!(safe(" . .hidden", ".yml"), "hidden.yml");
        assert_eq!(safe("a\0b\\c", ".json"), "a_b_c.json");
        assert_eq!(safe("invoice\u{202e}fdp.exe", ".json"), "invoicefdp.exe.json");
        assert_eq!(safe("con", ".json"), "_con.json");
        assert_eq!(safe("NUL.tar", ".json"), "_NUL.tar.json");
        assert_eq!(safe("name. . ", ".json"), "name.json");
        assert_eq!(safe("a\u{2028}b", ".json"), "a_b.json");
        assert_eq!(safe("pay\u{200b}pal\u{00ad}\u{2060}\u{e0041}", ".json"), "paypal.json");
        for device in ["COM0", "lpt¹", "CONIN$", "conout$", "CON .x"] {
            assert!(safe(device, ".json").starts_with('_'), "{device}");
        }
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary() {
        let long = "漢".repeat(1000);
        let name = safe(&long, ".json");
        assert!(name.len() <= MAX_SAFE_BYTES, "{}", name.len());
        assert!(name.ends_with("漢.json"));
        assert_eq!(safe(&"a".repeat(10_000), ".yaml").len(), MAX_SAFE_BYTES);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever the catalog and the request hold, the safe name is one harmless component and
        /// the header value one line of visible ASCII.
        #[test]
        fn any_name_gives_a_safe_component_and_header(
            name in proptest::prelude::any::<String>(),
            ext in proptest::sample::select(&[".json", ".yaml", ".yml"][..]),
        ) {
            let safe = safe(&name, ext);
            proptest::prop_assert!(!safe.is_empty() && safe.len() <= MAX_SAFE_BYTES);
            proptest::prop_assert!(safe.ends_with(ext));
            proptest::prop_assert!(!safe.starts_with(['.', ' ']));
            proptest::prop_assert!(!safe.chars().any(|c| is_replaced(c) || is_bidi_control(c)), "{:?}", safe);
            let header = content_disposition(&name, ext);
            proptest::prop_assert!(header.bytes().all(|b| b.is_ascii_graphic() || b == b' '), "{:?}", header);
            proptest::prop_assert_eq!(header.matches('"').count(), 2);
        }
    }

    #[test]
    fn content_disposition_has_an_ascii_fallback_and_the_utf8_name() {
        assert_eq!(
            content_disposition("shop-RELEASE-all-2024-05-06-10:11:12", ".json"),
            "attachment; filename=\"shop-RELEASE-all-2024-05-06-10_11_12.json\"; \
             filename*=UTF-8''shop-RELEASE-all-2024-05-06-10_11_12.json"
        );
        assert_eq!(
            content_disposition("商城 \"x\"\r\n", ".yaml"),
            "attachment; filename=\"__ _x___.yaml\"; filename*=UTF-8''%E5%95%86%E5%9F%8E%20_x___.yaml"
        );
    }
}

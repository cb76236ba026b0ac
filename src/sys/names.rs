//! Every file name os2gov makes from user text, in one place: safe stems from Projekt-IDs,
//! plain-ASCII parts for the mails written as files, names bounded in bytes with a stable
//! hash, lossless escapes of any file-name component, and paths shown relative to the
//! working folder. Pure.

/// A file name of at most `max` bytes: unchanged when it fits; otherwise its stem is cut
/// (on a character boundary) and a stable hash of the whole name is added before the
/// extension, so two long names that share a beginning still differ.
pub fn bounded_name(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if name.len() - i <= 16 && i > 0 => (name.get(..i).unwrap_or(name), name.get(i..).unwrap_or("")),
        _ => (name, ""),
    };
    let hash: String = hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(name.as_bytes())[..4]);
    let keep = max.saturating_sub(ext.len() + 1 + hash.len());
    let mut cut = keep.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{hash}{ext}", stem.get(..cut).unwrap_or_default())
}

/// The longest file-name stem made from user text, in bytes: a Projekt-ID of 64 letters
/// of four bytes each would otherwise make a name too long for the file system.
pub const MAX_STEM_BYTES: usize = 120;

/// A file name stem made from any text (a Projekt-ID as typed): only letters, digits, `-`
/// and `_` survive; everything else becomes `_`. Never empty, never a path, at most
/// [`MAX_STEM_BYTES`] bytes (longer ones are cut and get a stable hash, see [`bounded_name`]).
pub fn safe_file_stem(s: &str) -> String {
    let mut out: String =
        s.trim().chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if out.trim_matches(['_', '-']).is_empty() {
        out = "uden-id".to_string();
    }
    if out.starts_with('-') {
        out.insert(0, '_');
    }
    bounded_name(&out, MAX_STEM_BYTES)
}

/// A file-name part in plain ASCII from user text (a Projekt-ID or an address, for the
/// mails written as files): letters written in ASCII by the one letter table
/// ([`crate::text::ascii_letters`]), ASCII letters, digits, `-`, `_` and `.` kept, every
/// run of anything else one `_`; at most `max` characters, never empty (`fallback`), never
/// a path.
pub fn ascii_stem(s: &str, max: usize, fallback: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if let Some(ascii) = crate::text::ascii_letters(c) {
            out.push_str(ascii);
            continue;
        }
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => out.push(c),
            _ => {
                if !out.ends_with('_') {
                    out.push('_')
                }
            }
        }
    }
    let trimmed: String = out.trim_matches(|c| c == '_' || c == '.' || c == '-').chars().take(max).collect();
    let trimmed = trimmed.trim_end_matches(['_', '.', '-']).to_string();
    if trimmed.is_empty() { fallback.to_string() } else { trimmed }
}

/// The longest file name os2gov makes from user text, in bytes (file systems allow 255).
pub const MAX_NAME_BYTES: usize = 200;

/// A file-name component written losslessly as text: `%` becomes `%25` and every byte
/// that is not part of valid UTF-8 becomes `%XX`, so two different names never give the
/// same text (names that differ only in such bytes included). Bounded by
/// [`bounded_name`].
pub fn escaped_component(name: &std::ffi::OsStr) -> String {
    let mut out = String::new();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&chunk.valid().replace('%', "%25"));
            // Bytes that are not UTF-8 are never ASCII, so the encoder writes each as %XX.
            out.extend(percent_encoding::percent_encode(chunk.invalid(), percent_encoding::NON_ALPHANUMERIC));
        }
    }
    #[cfg(not(unix))]
    {
        use std::os::windows::ffi::OsStrExt;
        for unit in char::decode_utf16(name.encode_wide()) {
            match unit {
                Ok('%') => out.push_str("%25"),
                Ok(c) => out.push(c),
                Err(e) => out.push_str(&format!("%u{:04X}", e.unpaired_surrogate())),
            }
        }
    }
    bounded_name(&out, MAX_NAME_BYTES)
}

/// How a file is named for people: relative to `base` when under it.
pub fn display_path(path: &std::path::Path, base: &std::path::Path) -> String {
    path.strip_prefix(base).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems() {
        assert_eq!(safe_file_stem("../../etc/x"), "______etc_x");
        assert_eq!(safe_file_stem("..."), "uden-id");
        assert_eq!(safe_file_stem("OS2iot"), "OS2iot");
        assert_eq!(safe_file_stem("-rf"), "_-rf");
        assert_eq!(ascii_stem("Søren Ærø/../x", 60, "besked"), "Soeren_Aeroe_.._x");
        assert_eq!(ascii_stem("???", 60, "besked"), "besked");
        assert_eq!(ascii_stem(&"a".repeat(100), 60, "besked").len(), 60);
    }
}

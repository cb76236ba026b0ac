//! The zip package: reads parts on demand, keeps changed and new parts in an overlay, and
//! writes the result copying every untouched entry raw (its compressed bytes unchanged).
//! Also relationships (`*.rels`) and `[Content_Types].xml`, which every edit needs. Knows
//! nothing about worksheets.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::ooxml::annotation::OoxmlError;
use crate::ooxml::xml::{
    Edits, Node, as_text, build_tag, check_well_formed, err, esc_attr, next_free_number, parse_tree,
};

pub(crate) const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub(crate) const NS_STRICT_MAIN: &str = "http://purl.oclc.org/ooxml/spreadsheetml/main";
pub(crate) const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(crate) const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
pub(crate) const REL_WORKSHEET: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
pub(crate) const REL_COMMENTS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
pub(crate) const REL_VML: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
pub(crate) const REL_STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
pub(crate) const CT_WORKSHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
pub(crate) const CT_COMMENTS: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
pub(crate) const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
pub(crate) const CT_RELS: &str = "application/vnd.openxmlformats-package.relationships+xml";
pub(crate) const CT_STYLES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";
const CONTENT_TYPES: &str = "[Content_Types].xml";
/// Decompressed parts larger than this are refused (the caller limits input size; this only
/// guards the parts this module reads whole, and with the edited copy a part costs about
/// twice its size). A projektark's parts are well under 1 MB; a sheet of 250,000 filled
/// cells is about 25 MB. A refused part makes the caller rebuild the copy from the values.
pub(crate) const MAX_PART: u64 = 32 * 1024 * 1024;
/// Parts up to this size are kept after reading.
const CACHED_PART: usize = 4 * 1024 * 1024;
/// Deflate level for the parts os2gov rewrites: the fastest level. It costs about 8 % in
/// file size and saves a fifth of the annotation time (measured on 1,000 projektark).
const LEVEL: i64 = 1;
/// Rewritten parts smaller than this are stored uncompressed (relationships, content types,
/// the workbook part): see [`Package::finish`].
const STORED_BELOW: usize = 4 * 1024;

/// Relationship types compared by their last segment, so Strict (purl.oclc.org) names match too.
pub(crate) fn rel_kind(rtype: &str) -> &str {
    rtype.rsplit('/').next().unwrap_or(rtype)
}

pub(crate) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    lower: HashMap<String, usize>,
    /// Changed (`Some`) and removed (`None`) parts, by their name as stored.
    overlay: HashMap<String, Option<Vec<u8>>>,
    added: Vec<String>,
    input: &'a [u8],
    /// Decompressed original parts already read (small ones only).
    cache: HashMap<String, Vec<u8>>,
    /// Changed parts whose edit was proven to keep them well-formed when written
    /// ([`Package::write_proven`]): the self-check in [`Package::finish`] skips them.
    proven: std::collections::HashSet<String>,
}

impl<'a> Package<'a> {
    pub(crate) fn open(input: &'a [u8]) -> Result<Self, OoxmlError> {
        let zip =
            ZipArchive::new(Cursor::new(input)).map_err(|e| OoxmlError(format!("not an xlsx (zip) file: {e}")))?;
        let mut names = Vec::with_capacity(zip.len());
        let mut lower = HashMap::with_capacity(zip.len());
        for i in 0..zip.len() {
            // Names are used normalised (`/`, no leading slash); untouched entries keep their
            // stored name because they are copied raw.
            let name = match zip.name_for_index(i) {
                Some(Ok(n)) => key_case(&n),
                _ => return Err(OoxmlError("xlsx: an entry name cannot be read".into())),
            };
            if lower.insert(key(&name), i).is_some() {
                return Err(OoxmlError(format!("xlsx: the entry {name} occurs twice")));
            }
            names.push(name);
        }
        Ok(Package {
            zip,
            names,
            lower,
            overlay: HashMap::new(),
            added: Vec::new(),
            input,
            cache: HashMap::new(),
            proven: std::collections::HashSet::new(),
        })
    }

    /// The stored name of a part (case-insensitive lookup), if it exists now.
    pub(crate) fn find(&self, name: &str) -> Option<String> {
        let name = name.trim_start_matches('/');
        let stored = match self.lower.get(&key(name)).and_then(|i| self.names.get(*i)) {
            Some(n) => n.clone(),
            None => self.added.iter().find(|a| a.eq_ignore_ascii_case(name))?.clone(),
        };
        match self.overlay.get(&stored) {
            Some(None) => None,
            _ => Some(stored),
        }
    }

    pub(crate) fn exists(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// All part names that exist now.
    pub(crate) fn part_names(&self) -> Vec<String> {
        self.names
            .iter()
            .chain(self.added.iter())
            .filter(|n| !matches!(self.overlay.get(*n), Some(None)))
            .cloned()
            .collect()
    }

    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, OoxmlError> {
        self.read_limited(name, MAX_PART)
    }

    /// At most `limit` bytes of a part (the whole part when it is smaller).
    pub(crate) fn read_limited(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, OoxmlError> {
        let Some(stored) = self.find(name) else { return Ok(None) };
        if let Some(Some(bytes)) = self.overlay.get(&stored) {
            let n = usize::try_from(limit).unwrap_or(usize::MAX).min(bytes.len());
            return Ok(Some(bytes.get(..n).unwrap_or_default().to_vec()));
        }
        if let Some(bytes) = self.cache.get(&stored) {
            let n = usize::try_from(limit).unwrap_or(usize::MAX).min(bytes.len());
            return Ok(Some(bytes.get(..n).unwrap_or_default().to_vec()));
        }
        let Some(index) = self.lower.get(&key(&stored)).copied() else { return Ok(None) };
        let out = self.read_entry(index, limit).map_err(|e| err(&stored, format_args!("cannot be read: {e}")))?;
        if limit == MAX_PART && out.len() as u64 >= MAX_PART {
            return Err(err(&stored, "part too large"));
        }
        // Strip and add read the same small parts; inflating them once is enough.
        if limit == MAX_PART && out.len() <= CACHED_PART {
            self.cache.insert(stored, out.clone());
        }
        Ok(Some(out))
    }

    /// At most `limit` bytes of entry `index`. A stored or deflated entry is taken from the
    /// input directly and inflated with this thread's inflater ([`crate::sys::inflate`]); a
    /// complete one must match its size and checksum. Anything else (an
    /// encrypted entry, another method) is read by the zip crate.
    fn read_entry(&mut self, index: usize, limit: u64) -> Result<Vec<u8>, String> {
        let file = self.zip.by_index_raw(index).map_err(|e| e.to_string())?;
        let method = file.compression();
        let simple = !file.encrypted() && matches!(method, CompressionMethod::Stored | CompressionMethod::Deflated);
        let (size, crc) = (file.size(), file.crc32());
        let raw = file.data_start().and_then(|start| {
            let start = usize::try_from(start).ok()?;
            let end = start.checked_add(usize::try_from(file.compressed_size()).ok()?)?;
            self.input.get(start..end)
        });
        drop(file);
        let (true, Some(raw)) = (simple, raw) else {
            let file = self.zip.by_index(index).map_err(|e| e.to_string())?;
            let mut out = Vec::with_capacity(usize::try_from(file.size().min(limit)).unwrap_or(0));
            file.take(limit).read_to_end(&mut out).map_err(|e| e.to_string())?;
            return Ok(out);
        };
        let mut out = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0));
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let complete = if method == CompressionMethod::Stored {
            out.extend_from_slice(raw.get(..limit.min(raw.len())).unwrap_or_default());
            out.len() == raw.len()
        } else {
            // Up to the limit: a chunk that does not fit whole is the end of what is read.
            let mut take = |chunk: &[u8]| -> Result<bool, String> {
                let room = limit - out.len();
                out.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
                Ok(chunk.len() <= room)
            };
            crate::sys::inflate::inflate(raw, &mut take, |e| e)?
        };
        if complete && (out.len() as u64 != size || crc32fast::hash(&out) != crc) {
            return Err("its size or checksum does not match".into());
        }
        Ok(out)
    }

    pub(crate) fn read_text(&mut self, name: &str) -> Result<Option<String>, OoxmlError> {
        match self.read(name)? {
            Some(bytes) => Ok(Some(as_text(bytes, name)?)),
            None => Ok(None),
        }
    }

    pub(crate) fn write(&mut self, name: &str, bytes: Vec<u8>) {
        let stored = self.stored_name(name);
        self.proven.remove(&stored);
        self.overlay.insert(stored, Some(bytes));
    }

    /// Writes a part whose edit was proven to keep it well-formed
    /// ([`crate::ooxml::xml::Edits::apply_proven`]): the self-check does not read it again.
    fn write_proven(&mut self, name: &str, text: String) {
        let stored = self.stored_name(name);
        self.proven.insert(stored.clone());
        self.overlay.insert(stored, Some(text.into_bytes()));
    }

    /// Writes `src` with `edits` applied. `inside` is where the root element's content lies
    /// when a reader has just read `src` whole and found it well-formed: then the edit is
    /// proven by looking at the edited regions only ([`Edits::apply_proven`]); otherwise,
    /// or when that fails, the whole part is checked when the package is finished.
    pub(crate) fn write_edited(
        &mut self,
        name: &str,
        src: &str,
        edits: Edits,
        inside: Option<(usize, usize)>,
    ) -> Result<(), OoxmlError> {
        match inside {
            Some(inside) => match edits.apply_proven(src, name, inside)? {
                (text, true) => self.write_proven(name, text),
                (text, false) => self.write(name, text.into_bytes()),
            },
            None => self.write(name, edits.apply(src, name)?.into_bytes()),
        }
        Ok(())
    }

    /// The name a part is stored under: an existing part's, else a new part's (added).
    fn stored_name(&mut self, name: &str) -> String {
        match self.lower.get(&key(name)).and_then(|i| self.names.get(*i)) {
            Some(n) => n.clone(),
            None => match self.added.iter().find(|a| a.eq_ignore_ascii_case(name)) {
                Some(a) => a.clone(),
                None => {
                    self.added.push(name.to_string());
                    name.to_string()
                }
            },
        }
    }

    pub(crate) fn remove(&mut self, name: &str) {
        if let Some(stored) = self.find(name) {
            if let Some(i) = self.added.iter().position(|a| *a == stored) {
                self.added.remove(i);
                self.overlay.remove(&stored);
            } else {
                self.overlay.insert(stored, None);
            }
        }
    }

    pub(crate) fn is_changed(&self) -> bool {
        !self.overlay.is_empty()
    }

    /// A new part name `{dir}{stem}{n}{ext}` not used by any existing part (case-insensitive).
    /// A part removed earlier in this edit may be reused, which keeps repeated annotation stable.
    pub(crate) fn unused_name(&self, dir: &str, stem: &str, ext: &str) -> String {
        let all = self.part_names().iter().map(|n| key(n)).collect::<Vec<_>>();
        let prefix = format!("{dir}{stem}").to_lowercase();
        let stems = all.iter().filter_map(|n| n.strip_suffix(&ext.to_lowercase())).collect::<Vec<_>>();
        let mut n = next_free_number(stems.into_iter(), &prefix);
        loop {
            let candidate = format!("{dir}{stem}{n}{ext}");
            if !all.contains(&key(&candidate)) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }

    /// The package as bytes: untouched entries copied raw, in their original order, then new parts.
    ///
    /// The self-check costs a fraction of the package: every part os2gov wrote (`.xml` and
    /// `.rels`; VML drawings are not XML to every writer) must be well-formed – checked here
    /// whole, or, for a part written with [`Package::write_proven`], already by its edit
    /// (only the regions the edit changed) – and the result must open as a zip with exactly
    /// the expected entries. Untouched entries are copied raw and not read again.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, OoxmlError> {
        let mut expected = 0usize;
        for name in self.names.iter().chain(self.added.iter()) {
            match self.overlay.get(name) {
                Some(None) => continue,
                Some(Some(bytes)) => {
                    let lower = name.to_ascii_lowercase();
                    if (lower.ends_with(".xml") || lower.ends_with(".rels")) && !self.proven.contains(name) {
                        check_well_formed(bytes, name)?;
                    }
                }
                None if self.added.contains(name) => continue,
                None => {}
            }
            expected += 1;
        }
        let capacity = self.input.len() + 64 * 1024;
        let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(capacity)));
        // Small parts are stored: deflating them saves a few hundred bytes, and each new
        // compressor costs more to set up (zeroing its tables) than the part to write.
        let options = |len: usize| {
            if len < STORED_BELOW {
                SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
            } else {
                SimpleFileOptions::default()
                    .compression_method(CompressionMethod::Deflated)
                    .compression_level(Some(LEVEL))
            }
        };
        let zerr = |e: zip::result::ZipError| OoxmlError(format!("xlsx could not be written: {e}"));
        for i in 0..self.names.len() {
            let Some(name) = self.names.get(i).cloned() else { continue };
            match self.overlay.remove(&name) {
                Some(None) => {}
                Some(Some(bytes)) => {
                    out.start_file(name.as_str(), options(bytes.len())).map_err(zerr)?;
                    out.write_all(&bytes).map_err(|e| OoxmlError(format!("xlsx could not be written: {e}")))?;
                }
                None => {
                    let file =
                        self.zip.by_index_raw(i).map_err(|e| err(&name, format_args!("cannot be copied: {e}")))?;
                    out.raw_copy_file(file).map_err(zerr)?;
                }
            }
        }
        for name in std::mem::take(&mut self.added) {
            if let Some(Some(bytes)) = self.overlay.remove(&name) {
                out.start_file(name.as_str(), options(bytes.len())).map_err(zerr)?;
                out.write_all(&bytes).map_err(|e| OoxmlError(format!("xlsx could not be written: {e}")))?;
            }
        }
        let bytes = out.finish().map_err(zerr)?.into_inner();
        let reopened = ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(zerr)?;
        if reopened.len() != expected {
            return Err(OoxmlError(format!("xlsx: {} entries written, {expected} expected", reopened.len())));
        }
        Ok(bytes)
    }
}

/// How a part name is looked up: case-insensitive, and with `\` read as `/` (some writers
/// store Windows paths; readers such as calamine and LibreOffice accept them).
fn key(name: &str) -> String {
    key_case(name).to_lowercase()
}

fn key_case(name: &str) -> String {
    name.trim_start_matches(['/', '\\']).replace('\\', "/")
}

/// The directory of a part, with a trailing slash (`xl/` for `xl/workbook.xml`).
pub(crate) fn dir_of(part: &str) -> &str {
    match part.rfind('/') {
        Some(i) => part.get(..=i).unwrap_or_default(),
        None => "",
    }
}

/// `xl/worksheets/_rels/sheet1.xml.rels` for `xl/worksheets/sheet1.xml`.
pub(crate) fn rels_part_for(part: &str) -> String {
    let dir = dir_of(part);
    let file = part.get(dir.len()..).unwrap_or_default();
    format!("{dir}_rels/{file}.rels")
}

/// The part a relationship target points at, relative to the source part.
pub(crate) fn resolve_target(source_part: &str, target: &str) -> String {
    let target = percent_decode(target);
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{}{}", dir_of(source_part), target),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A part name with `%XX` escapes decoded; as it is when the result would not be UTF-8.
fn percent_decode(s: &str) -> String {
    match percent_encoding::percent_decode_str(s).decode_utf8() {
        Ok(decoded) => decoded.into_owned(),
        Err(_) => s.to_string(),
    }
}

/// A relationship target for `to_part` written from `from_part` (relative, with `..`).
pub(crate) fn relative_target(from_part: &str, to_part: &str) -> String {
    let from: Vec<&str> = dir_of(from_part).split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to_part.split('/').collect();
    let common = from.iter().zip(to.iter()).take_while(|(a, b)| a == b).count();
    let common = common.min(to.len().saturating_sub(1));
    let mut out = String::new();
    for _ in common..from.len() {
        out.push_str("../");
    }
    out.push_str(&to.get(common..).unwrap_or_default().join("/"));
    out
}

#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub id: String,
    pub rtype: String,
    pub target: String,
    pub external: bool,
    start: usize,
    end: usize,
}

/// One `.rels` part, with pending additions and removals.
pub(crate) struct Rels {
    pub source: String,
    pub part: String,
    src: String,
    close_start: usize,
    existed: bool,
    pub rels: Vec<Rel>,
    added: Vec<(String, String, String)>,
    removed: Vec<String>,
}

impl Rels {
    /// The relationships of `source_part` (empty when it has no rels part).
    pub(crate) fn load(pkg: &mut Package<'_>, source_part: &str) -> Result<Rels, OoxmlError> {
        let part = rels_part_for(source_part);
        let mut rels = Rels {
            source: source_part.to_string(),
            part: pkg.find(&part).unwrap_or(part),
            src: String::new(),
            close_start: 0,
            existed: false,
            rels: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
        };
        let Some(src) = pkg.read_text(&rels.part)? else { return Ok(rels) };
        let root = parse_tree(&src, &rels.part)?;
        if root.local() != "Relationships" {
            return Err(err(&rels.part, "not a relationships part"));
        }
        for r in root.children_named("Relationship") {
            rels.rels.push(Rel {
                id: r.attr("Id").unwrap_or_default().into_owned(),
                rtype: r.attr("Type").unwrap_or_default().into_owned(),
                target: r.attr("Target").unwrap_or_default().into_owned(),
                external: r.attr("TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")),
                start: r.start,
                end: r.end,
            });
        }
        rels.close_start = root.close_start;
        // An empty `<Relationships/>` is rewritten as a whole when something is added.
        rels.existed = !root.empty;
        rels.src = src;
        Ok(rels)
    }

    pub(crate) fn by_id(&self, id: &str) -> Option<&Rel> {
        self.rels.iter().find(|r| r.id == id && !self.removed.contains(&r.id))
    }

    /// The part a relationship points at (None for external targets).
    pub(crate) fn target_part(&self, rel: &Rel) -> Option<String> {
        (!rel.external).then(|| resolve_target(&self.source, &rel.target))
    }

    pub(crate) fn first_of_kind(&self, kind: &str) -> Option<&Rel> {
        self.rels.iter().find(|r| rel_kind(&r.rtype) == kind && !self.removed.contains(&r.id))
    }

    /// Adds a relationship to `to_part` and returns its new id.
    pub(crate) fn add(&mut self, rtype: &str, to_part: &str) -> String {
        let ids = self.rels.iter().map(|r| r.id.as_str()).chain(self.added.iter().map(|a| a.0.as_str()));
        let id = format!("rId{}", next_free_number(ids, "rId"));
        self.added.push((id.clone(), rtype.to_string(), relative_target(&self.source, to_part)));
        id
    }

    pub(crate) fn remove(&mut self, id: &str) {
        if let Some(i) = self.added.iter().position(|a| a.0 == id) {
            self.added.remove(i);
        } else if self.rels.iter().any(|r| r.id == id) && !self.removed.iter().any(|r| r == id) {
            self.removed.push(id.to_string());
        }
    }

    pub(crate) fn save(self, pkg: &mut Package<'_>) -> Result<(), OoxmlError> {
        if self.added.is_empty() && self.removed.is_empty() {
            return Ok(());
        }
        let remaining = self.rels.iter().filter(|r| !self.removed.contains(&r.id)).count() + self.added.len();
        if remaining == 0 {
            pkg.remove(&self.part);
            return Ok(());
        }
        let new_rels: String = self
            .added
            .iter()
            .map(|(id, t, target)| {
                format!(r#"<Relationship Id="{}" Type="{}" Target="{}"/>"#, esc_attr(id), esc_attr(t), esc_attr(target))
            })
            .collect();
        let text = if self.existed {
            let mut edits = Edits::default();
            for r in self.rels.iter().filter(|r| self.removed.contains(&r.id)) {
                edits.delete(r.start, r.end);
            }
            edits.insert(self.close_start, new_rels);
            edits.apply(&self.src, &self.part)?
        } else {
            let kept: String = self
                .rels
                .iter()
                .filter(|r| !self.removed.contains(&r.id))
                .filter_map(|r| self.src.get(r.start..r.end))
                .collect();
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"{NS_PKG_REL}\">{kept}{new_rels}</Relationships>"
            )
        };
        pkg.write(&self.part, text.into_bytes());
        Ok(())
    }
}

/// `[Content_Types].xml` with pending changes.
pub(crate) struct ContentTypes {
    src: String,
    root: Node,
    edits: Edits,
    added_defaults: Vec<String>,
    added: Vec<String>,
    removed: Vec<String>,
}

impl ContentTypes {
    pub(crate) fn load(pkg: &mut Package<'_>) -> Result<ContentTypes, OoxmlError> {
        let src =
            pkg.read_text(CONTENT_TYPES)?.ok_or_else(|| OoxmlError(format!("xlsx: {CONTENT_TYPES} is missing")))?;
        let root = parse_tree(&src, CONTENT_TYPES)?;
        if root.local() != "Types" || root.empty {
            return Err(err(CONTENT_TYPES, "not a content types part"));
        }
        Ok(ContentTypes {
            src,
            root,
            edits: Edits::default(),
            added_defaults: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
        })
    }

    fn has_override(&self, part: &str) -> bool {
        let name = format!("/{}", key_case(part));
        (self
            .root
            .children_named("Override")
            .any(|o| o.attr("PartName").is_some_and(|p| p.eq_ignore_ascii_case(&name)))
            && !self.removed.iter().any(|r| r.eq_ignore_ascii_case(&name)))
            || self.added.iter().any(|a| a.eq_ignore_ascii_case(&name))
    }

    pub(crate) fn add_override(&mut self, part: &str, ctype: &str) {
        if self.has_override(part) {
            return;
        }
        let name = format!("/{}", key_case(part));
        self.edits.insert(
            self.root.close_start,
            format!(r#"<Override PartName="{}" ContentType="{}"/>"#, esc_attr(&name), esc_attr(ctype)),
        );
        self.added.push(name);
    }

    pub(crate) fn remove_override(&mut self, part: &str) {
        let name = format!("/{}", key_case(part));
        for o in self.root.children_named("Override") {
            if o.attr("PartName").is_some_and(|p| p.eq_ignore_ascii_case(&name)) && !self.removed.contains(&name) {
                self.edits.delete(o.start, o.end);
                self.removed.push(name.clone());
            }
        }
    }

    pub(crate) fn ensure_default(&mut self, ext: &str, ctype: &str) {
        let known = self
            .root
            .children_named("Default")
            .any(|d| d.attr("Extension").is_some_and(|e| e.eq_ignore_ascii_case(ext)))
            || self.added_defaults.iter().any(|e| e.eq_ignore_ascii_case(ext));
        if known {
            return;
        }
        // Defaults conventionally precede overrides.
        let at = self.root.children.first().map_or(self.root.close_start, |c| c.start);
        self.edits.insert(at, format!(r#"<Default Extension="{}" ContentType="{}"/>"#, esc_attr(ext), esc_attr(ctype)));
        self.added_defaults.push(ext.to_string());
    }

    pub(crate) fn save(self, pkg: &mut Package<'_>) -> Result<(), OoxmlError> {
        if self.edits.is_empty() {
            return Ok(());
        }
        pkg.write_edited(CONTENT_TYPES, &self.src, self.edits, self.root.inside())
    }
}

/// Rewrites a start tag of `node` in `src` with attribute changes.
pub(crate) fn retag(edits: &mut Edits, node: &Node, changes: &[(&str, Option<&str>)]) {
    edits.replace(node.start, node.open_end, build_tag(&node.qname, &node.attrs, changes, node.empty));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_and_relativise() {
        assert_eq!(resolve_target("xl/workbook.xml", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("xl/worksheets/sheet1.xml", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resolve_target("xl/workbook.xml", "/xl/worksheets/sheet%201.xml"), "xl/worksheets/sheet 1.xml");
        assert_eq!(resolve_target("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(relative_target("xl/workbook.xml", "xl/worksheets/sheet9.xml"), "worksheets/sheet9.xml");
        assert_eq!(relative_target("xl/worksheets/sheet1.xml", "xl/comments3.xml"), "../comments3.xml");
        assert_eq!(
            relative_target("xl/worksheets/sheet1.xml", "xl/drawings/vmlDrawing2.vml"),
            "../drawings/vmlDrawing2.vml"
        );
        assert_eq!(rels_part_for("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }
}

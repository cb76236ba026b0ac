//! XML plumbing for surgical edits: a span-keeping element tree for small parts, byte-range
//! splicing, start-tag rewriting and text escaping. Nothing here re-serialises markup it was
//! not asked to change: edits are splices into the original text.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::ooxml::annotation::OoxmlError;

pub(crate) fn err(part: &str, what: impl std::fmt::Display) -> OoxmlError {
    OoxmlError(format!("{part}: {what}"))
}

/// A set of replacements of byte ranges of one source text, applied in one go.
#[derive(Debug, Default)]
pub(crate) struct Edits {
    items: Vec<(usize, usize, String)>,
}

impl Edits {
    pub(crate) fn replace(&mut self, start: usize, end: usize, text: impl Into<String>) {
        self.items.push((start, end, text.into()));
    }

    pub(crate) fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.items.push((at, at, text.into()));
    }

    pub(crate) fn delete(&mut self, start: usize, end: usize) {
        self.items.push((start, end, String::new()));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn extend(&mut self, other: Edits) {
        self.items.extend(other.items);
    }

    /// Applies the edits to a part that a reader has just read whole and found well-formed,
    /// and proves that the result is well-formed too, looking only at what the edits touch:
    /// each edit lies inside the root element (`inside`: from the end of its start tag to
    /// the start of its end tag), starts and ends between tags, and leaves the element
    /// stack as the text it replaces did (the same end tags for elements opened before it,
    /// the same elements left open), with well-formed markup of its own. Returns the text
    /// and whether that was proven; when not (an edit of another kind), the text is the
    /// same and the whole part must be checked as usual.
    ///
    /// Precondition: the edits' positions are the reader's event boundaries (the offsets
    /// before and after a tag, a text run, a comment …), as every caller's are. "Between
    /// tags" is checked only locally (a `>` before or a `<` at the position): it catches a
    /// position inside a tag, not one after a `>` inside a comment, CDATA section or
    /// attribute value, which only an event boundary rules out.
    pub(crate) fn apply_proven(
        self,
        src: &str,
        part: &str,
        inside: (usize, usize),
    ) -> Result<(String, bool), OoxmlError> {
        let bytes = src.as_bytes();
        let between_tags =
            |p: usize| p == 0 || p >= bytes.len() || bytes.get(p - 1) == Some(&b'>') || bytes.get(p) == Some(&b'<');
        let proven = self.items.iter().all(|(start, end, text)| {
            let (Some(old), true) = (bytes.get(*start..*end), inside.0 <= *start && *end <= inside.1) else {
                return false;
            };
            if !between_tags(*start) || !between_tags(*end) {
                return false;
            }
            match (scan_markup(old, part, true), scan_markup(text.as_bytes(), part, true)) {
                (Ok(was), Ok(now)) => was.closes == now.closes && was.opens == now.opens,
                _ => false,
            }
        });
        Ok((self.apply(src, part)?, proven))
    }

    /// Applies the edits. Inserts at one position keep the order in which they were added and
    /// come before a replacement starting there; overlapping edits are an error (a bug, but
    /// reported, not panicked on).
    pub(crate) fn apply(mut self, src: &str, part: &str) -> Result<String, OoxmlError> {
        self.items.sort_by_key(|(start, end, _)| (*start, *end));
        let extra: usize = self.items.iter().map(|(_, _, t)| t.len()).sum();
        let mut out = String::with_capacity(src.len() + extra);
        let mut cursor = 0;
        for (start, end, text) in &self.items {
            let (Some(before), Some(_)) = (src.get(cursor..*start), src.get(*start..*end)) else {
                return Err(err(part, "internal error: overlapping edits"));
            };
            out.push_str(before);
            out.push_str(text);
            cursor = *end;
        }
        out.push_str(src.get(cursor..).unwrap_or_default());
        Ok(out)
    }
}

/// An element of a small part, with byte offsets into the source text.
///
/// Trees come from user files and may be nested arbitrarily deep, so nothing here recurses
/// over them: building, walking, cloning and dropping all use an explicit stack (a deep
/// tree would otherwise overflow the thread's stack, which no panic guard can catch).
pub(crate) struct Node {
    pub qname: String,
    /// Start of `<name`.
    pub start: usize,
    /// Just after the start tag (`>` or `/>`).
    pub open_end: usize,
    /// Start of the end tag (== `open_end` for an empty element).
    pub close_start: usize,
    /// Just after the element.
    pub end: usize,
    pub empty: bool,
    /// Attributes with their raw (still escaped) values, in document order.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// The element's own text (entities resolved), without its children's.
    pub text: String,
}

impl Node {
    /// Where the content of this element lies (after its start tag, up to its end tag) – for
    /// the root of a part [`parse_tree`] read whole, what [`Edits::apply_proven`] needs;
    /// None for an empty element.
    pub(crate) fn inside(&self) -> Option<(usize, usize)> {
        (!self.empty).then_some((self.open_end, self.close_start))
    }

    /// This element without its children.
    fn shallow(&self) -> Node {
        Node {
            qname: self.qname.clone(),
            start: self.start,
            open_end: self.open_end,
            close_start: self.close_start,
            end: self.end,
            empty: self.empty,
            attrs: self.attrs.clone(),
            children: Vec::with_capacity(self.children.len()),
            text: self.text.clone(),
        }
    }

    /// Every element of the subtree (this one first), in document order, without recursion.
    pub(crate) fn descendants(&self) -> impl Iterator<Item = &Node> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children.iter().rev());
            Some(node)
        })
    }
}

impl Drop for Node {
    /// Drops the subtree iteratively: children are moved onto a heap stack first, so each
    /// node is dropped with no children of its own.
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut node) = stack.pop() {
            stack.append(&mut node.children);
        }
    }
}

impl Clone for Node {
    /// Copies the subtree iteratively (post-order, with an explicit stack).
    fn clone(&self) -> Node {
        // (original, its copy so far, how many of its children are copied)
        let mut stack: Vec<(&Node, Node, usize)> = vec![(self, self.shallow(), 0)];
        loop {
            let Some((orig, _, next)) = stack.last_mut() else { return self.shallow() };
            if let Some(child) = orig.children.get(*next) {
                *next += 1;
                stack.push((child, child.shallow(), 0));
                continue;
            }
            let Some((_, done, _)) = stack.pop() else { return self.shallow() };
            match stack.last_mut() {
                Some((_, parent, _)) => parent.children.push(done),
                None => return done,
            }
        }
    }
}

impl std::fmt::Debug for Node {
    /// One element, its attributes and how many children it has (never the whole subtree).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("qname", &self.qname)
            .field("span", &(self.start..self.end))
            .field("attrs", &self.attrs)
            .field("children", &self.children.len())
            .finish()
    }
}

pub(crate) fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

pub(crate) fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

/// `x:` for a prefixed name, empty otherwise – ready to put in front of a new element's name.
pub(crate) fn pfx(qname: &str) -> String {
    match prefix_of(qname) {
        "" => String::new(),
        p => format!("{p}:"),
    }
}

impl Node {
    pub(crate) fn local(&self) -> &str {
        local(&self.qname)
    }

    /// The unescaped value of the attribute with exactly this qualified name.
    pub(crate) fn attr(&self, qname: &str) -> Option<Cow<'_, str>> {
        self.attrs.iter().find(|(k, _)| k == qname).map(|(_, v)| unescape_attr(v))
    }

    /// The first prefixed attribute with this local name (`r:id` whatever the prefix is).
    pub(crate) fn prefixed_attr(&self, local_name: &str) -> Option<Cow<'_, str>> {
        self.attrs
            .iter()
            .find(|(k, _)| k.contains(':') && local(k) == local_name && !k.starts_with("xmlns"))
            .map(|(_, v)| unescape_attr(v))
    }

    pub(crate) fn child(&self, local_name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.local() == local_name)
    }

    pub(crate) fn children_named<'a>(&'a self, local_name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.local() == local_name)
    }

    /// All text below this element, in document order.
    pub(crate) fn deep_text(&self, out: &mut String) {
        // Text and children interleave in documents; for the parts read here (`<t>` runs)
        // children carry the text and the element's own text is whitespace or nothing.
        for node in self.descendants() {
            out.push_str(&node.text);
        }
    }

    /// The prefix bound to `uri` by an `xmlns:p` declaration on this element.
    pub(crate) fn ns_prefix(&self, uri: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, v)| k.starts_with("xmlns:") && unescape_attr(v) == uri)
            .map(|(k, _)| k.trim_start_matches("xmlns:").to_string())
    }
}

pub(crate) fn unescape_attr(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        match after.find(';') {
            Some(j) => {
                let name = after.get(..j).unwrap_or_default();
                match resolve_entity(name) {
                    Some(c) => out.push(c),
                    None => {
                        out.push('&');
                        out.push_str(name);
                        out.push(';');
                    }
                }
                rest = after.get(j + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

pub(crate) fn raw_attrs(e: &BytesStart<'_>, part: &str) -> Result<Vec<(String, String)>, OoxmlError> {
    let mut out = Vec::new();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|x| err(part, format_args!("malformed attribute: {x}")))?;
        out.push((a.key.as_ref().to_string(), a.value.into_owned()));
    }
    Ok(out)
}

/// Reads the raw value of one attribute of a start tag (streaming use).
pub(crate) fn attr_of<'a>(e: &'a BytesStart<'_>, qname: &str, part: &str) -> Result<Option<Cow<'a, str>>, OoxmlError> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|x| err(part, format_args!("malformed attribute: {x}")))?;
        if a.key.as_ref() == qname {
            return Ok(Some(a.value));
        }
    }
    Ok(None)
}

/// A start tag rebuilt from the original's attributes (raw values kept) with some set
/// (`Some`, already unescaped text – it is escaped here) or removed (`None`). New attributes
/// go at the end.
pub(crate) fn build_tag(
    qname: &str,
    attrs: &[(String, String)],
    changes: &[(&str, Option<&str>)],
    empty: bool,
) -> String {
    let mut out =
        String::with_capacity(qname.len() + 16 + attrs.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>());
    out.push('<');
    out.push_str(qname);
    let mut done = vec![false; changes.len()];
    for (k, v) in attrs {
        match changes.iter().position(|(ck, _)| ck == k) {
            Some(i) => {
                if let (Some(flag), Some((_, Some(new)))) = (done.get_mut(i), changes.get(i)) {
                    *flag = true;
                    push_attr(&mut out, k, &esc_attr(new));
                } else if let Some(flag) = done.get_mut(i) {
                    *flag = true;
                }
            }
            None => push_attr(&mut out, k, &v.replace('"', "&quot;")),
        }
    }
    for ((k, v), flag) in changes.iter().zip(done) {
        if let (false, Some(v)) = (flag, v) {
            push_attr(&mut out, k, &esc_attr(v));
        }
    }
    out.push_str(if empty { "/>" } else { ">" });
    out
}

fn push_attr(out: &mut String, k: &str, escaped: &str) {
    out.push(' ');
    out.push_str(k);
    out.push_str("=\"");
    out.push_str(escaped);
    out.push('"');
}

/// Turns the raw text of an empty-element tag (`<row r="1" />`) into a start tag (`<row r="1">`).
pub(crate) fn open_of_empty(raw: &str) -> String {
    let body = raw.strip_suffix("/>").unwrap_or(raw).trim_end();
    format!("{body}>")
}

/// The most elements one parsed part may have (a real styles or comments part has a few
/// thousand; each element costs about 200 bytes as a [`Node`]).
pub(crate) const MAX_ELEMENTS: usize = 500_000;

/// Parses a whole (small) part into an element tree. Any well-formedness problem is an
/// error, and so is a part with more than [`MAX_ELEMENTS`] elements. Iterative: any depth.
pub(crate) fn parse_tree(src: &str, part: &str) -> Result<Node, OoxmlError> {
    let mut reader = Reader::from_str(src);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut elements = 0usize;
    loop {
        let pos = offset(reader.buffer_position());
        let ev = reader
            .read_event()
            .map_err(|e| err(part, format_args!("malformed XML near byte {}: {e}", reader.error_position())))?;
        let after = offset(reader.buffer_position());
        if matches!(ev, Event::Start(_) | Event::Empty(_)) {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Err(err(part, format_args!("more than {MAX_ELEMENTS} elements")));
            }
        }
        match ev {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(err(part, "more than one root element"));
            }
            Event::Start(e) => {
                stack.push(new_node(&e, pos, after, false, part)?);
            }
            Event::Empty(e) => {
                let node = new_node(&e, pos, after, true, part)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                let Some(mut node) = stack.pop() else {
                    return Err(err(part, "unexpected end tag"));
                };
                node.close_start = pos;
                node.end = after;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                let text = t.xml_content(XmlVersion::Implicit1_0);
                match stack.last_mut() {
                    Some(node) => node.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(err(part, "text outside the root element")),
                }
            }
            Event::CData(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                let c = resolve_entity(&r).ok_or_else(|| err(part, format_args!("unknown entity &{};", &*r)))?;
                match stack.last_mut() {
                    Some(node) => node.text.push(c),
                    None => return Err(err(part, "text outside the root element")),
                }
            }
            Event::DocType(_) => return Err(err(part, "a DOCTYPE is not allowed in OOXML")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(err(part, "malformed XML: the document ends inside an element"));
    }
    root.ok_or_else(|| err(part, "no root element"))
}

/// Checks that a part os2gov wrote is well-formed XML with one root element: the cheap
/// self-check of an edit (one pass over the changed part, nothing kept). It checks what a
/// reader needs to open the part: UTF-8; every start tag closed by an end tag of the same
/// name, in order; exactly one root element and no text outside it; quoted attribute
/// values; each `&` in text ending in `;`; comments, CDATA and processing instructions
/// closed; no DOCTYPE. (A hand-written scanner: the general XML reader it replaced took
/// 7 % of a batch's time for the same verdicts.)
pub(crate) fn check_well_formed(bytes: &[u8], part: &str) -> Result<(), OoxmlError> {
    std::str::from_utf8(bytes).map_err(|_| err(part, "written part is not UTF-8"))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let shape = scan_markup(bytes, part, false)?;
    if !shape.opens.is_empty() || shape.roots != 1 {
        return Err(err(part, "written part: not exactly one complete root element"));
    }
    Ok(())
}

/// What a run of XML does to the element stack around it: the end tags it has for elements
/// opened before it, then the elements it leaves open, in order; and its elements at its
/// own top level.
#[derive(Debug, PartialEq)]
struct Shape<'a> {
    closes: Vec<&'a [u8]>,
    opens: Vec<&'a [u8]>,
    roots: usize,
}

/// The scanner behind [`check_well_formed`]. A whole part (`fragment` false) may not end an
/// element it did not open, nor have text at its top level; a fragment (a piece of a part
/// between two tags) may, and its [`Shape`] says how.
fn scan_markup<'a>(bytes: &'a [u8], part: &str, fragment: bool) -> Result<Shape<'a>, OoxmlError> {
    let bad = |at: usize, what: &str| err(part, format_args!("written part is malformed near byte {at}: {what}"));
    let n = bytes.len();
    let find = |from: usize, what: &[u8]| memchr::memmem::find(&bytes[from..], what).map(|k| from + k);
    let mut shape = Shape { closes: Vec::new(), opens: Vec::new(), roots: 0 };
    let mut i = 0;
    while i < n {
        // Text up to the next markup.
        let lt = memchr::memchr(b'<', &bytes[i..]).map_or(n, |k| i + k);
        let text = &bytes[i..lt];
        if !fragment && shape.opens.is_empty() && !text.iter().all(|b| is_xml_space(*b)) {
            return Err(err(part, "written part: text outside the root element"));
        }
        if !references_closed(text) {
            return Err(bad(i, "an & that is not a reference"));
        }
        if lt == n {
            break;
        }
        let rest = &bytes[lt..];
        i = if rest.starts_with(b"<!--") {
            find(lt + 4, b"-->").ok_or_else(|| bad(lt, "unclosed comment"))? + 3
        } else if rest.starts_with(b"<![CDATA[") {
            find(lt + 9, b"]]>").ok_or_else(|| bad(lt, "unclosed CDATA"))? + 3
        } else if rest.starts_with(b"<?") {
            if !is_name(name_at(rest, 2).0) {
                return Err(bad(lt, "a processing instruction without a target"));
            }
            find(lt + 2, b"?>").ok_or_else(|| bad(lt, "unclosed processing instruction"))? + 2
        } else if rest.starts_with(b"<!") {
            return Err(bad(lt, "a DOCTYPE is not allowed in OOXML"));
        } else if rest.starts_with(b"</") {
            let gt = memchr::memchr(b'>', rest).ok_or_else(|| bad(lt, "unclosed end tag"))?;
            let name = rest[2..gt].trim_ascii_end();
            if !is_name(name) {
                return Err(bad(lt, "an end tag without a valid name"));
            }
            match shape.opens.pop() {
                Some(start) if start == name => {}
                None if fragment => shape.closes.push(name),
                _ => return Err(bad(lt, "an end tag that does not match its start tag")),
            }
            lt + gt + 1
        } else {
            // A start tag: a name, then attributes `name="value"` (or '…'), each after
            // white space, then `>` or `/>`.
            let (name, mut j) = name_at(rest, 1);
            if !is_name(name) {
                return Err(bad(lt, "a tag without a valid name"));
            }
            let empty = loop {
                let spaced = rest.get(j).is_some_and(|b| is_xml_space(*b));
                while rest.get(j).is_some_and(|b| is_xml_space(*b)) {
                    j += 1;
                }
                match rest.get(j) {
                    None => return Err(bad(lt, "unclosed start tag")),
                    Some(b'>') => break false,
                    Some(b'/') if rest.get(j + 1) == Some(&b'>') => break true,
                    Some(_) if !spaced => return Err(bad(lt + j, "no space before an attribute")),
                    Some(_) => {}
                }
                let (attribute, after) = name_at(rest, j);
                j = after;
                while rest.get(j).is_some_and(|b| is_xml_space(*b)) {
                    j += 1;
                }
                if !is_name(attribute) || rest.get(j) != Some(&b'=') {
                    return Err(bad(lt + j, "an attribute without a name or a value"));
                }
                j += 1;
                while rest.get(j).is_some_and(|b| is_xml_space(*b)) {
                    j += 1;
                }
                let quote = match rest.get(j) {
                    Some(q @ (b'"' | b'\'')) => *q,
                    _ => return Err(bad(lt + j, "an attribute value without quotes")),
                };
                let close = memchr::memchr(quote, &rest[j + 1..]).ok_or_else(|| bad(lt, "unclosed attribute value"))?;
                let value = &rest[j + 1..j + 1 + close];
                if value.contains(&b'<') || !references_closed(value) {
                    return Err(bad(lt + j, "an attribute value with < or a bare &"));
                }
                j += close + 2;
            };
            shape.roots += usize::from(shape.opens.is_empty());
            if !empty {
                shape.opens.push(name);
            }
            lt + j + if empty { 2 } else { 1 }
        };
    }
    Ok(shape)
}

/// XML's white space: space, tab, carriage return, line feed (not Unicode's).
pub(crate) fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The XML name starting at `at` (up to white space or one of `/>=?`), and where it ends.
fn name_at(bytes: &[u8], at: usize) -> (&[u8], usize) {
    let len = bytes[at.min(bytes.len())..]
        .iter()
        .position(|b| is_xml_space(*b) || matches!(b, b'/' | b'>' | b'=' | b'?'))
        .unwrap_or(bytes.len().saturating_sub(at));
    (&bytes[at..at + len], at + len)
}

/// Whether `name` is an XML name: a letter, `_`, `:` or a non-ASCII character first, then
/// also digits, `-` and `.` (non-ASCII characters are not checked further).
fn is_name(name: &[u8]) -> bool {
    let first = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80;
    name.first().is_some_and(|b| first(*b)) && name.iter().all(|b| first(*b) || b.is_ascii_digit() || b"-.".contains(b))
}

/// Whether every `&` in text or an attribute value starts a reference ended by `;`
/// (`&name;`, `&#10;`, `&#x1F;`).
fn references_closed(text: &[u8]) -> bool {
    let mut from = 0;
    while let Some(k) = memchr::memchr(b'&', &text[from..]) {
        let amp = from + k;
        let Some(len) = memchr::memchr(b';', &text[amp + 1..]) else { return false };
        let name = &text[amp + 1..amp + 1 + len];
        let ok = match name.strip_prefix(b"#") {
            Some(hex) if hex.first().is_some_and(|b| *b == b'x') => {
                hex.len() > 1 && hex[1..].iter().all(u8::is_ascii_hexdigit)
            }
            Some(dec) => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
            None => is_name(name),
        };
        if !ok {
            return false;
        }
        from = amp + 2 + len;
    }
    true
}

fn new_node(e: &BytesStart<'_>, start: usize, open_end: usize, empty: bool, part: &str) -> Result<Node, OoxmlError> {
    Ok(Node {
        qname: e.name().as_ref().to_string(),
        start,
        open_end,
        close_start: open_end,
        end: open_end,
        empty,
        attrs: raw_attrs(e, part)?,
        children: Vec::new(),
        text: String::new(),
    })
}

pub(crate) fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

/// A comparable form of an element: local names, attributes sorted with unescaped values,
/// children in order, text ignored. Two style records with the same key look the same.
pub(crate) fn canonical(node: &Node) -> String {
    let mut out = String::new();
    canonical_into(node, &mut out);
    out
}

fn canonical_into(node: &Node, out: &mut String) {
    // Iterative: `Open` writes a start tag and schedules the children and the close.
    enum Step<'a> {
        Open(&'a Node),
        Close,
    }
    let mut stack = vec![Step::Open(node)];
    while let Some(step) = stack.pop() {
        let Step::Open(node) = step else {
            out.push_str("</>");
            continue;
        };
        out.push('<');
        out.push_str(node.local());
        let mut attrs: Vec<(&str, Cow<'_, str>)> = node
            .attrs
            .iter()
            .filter(|(k, _)| !k.starts_with("xmlns"))
            .map(|(k, v)| (local(k), unescape_attr(v)))
            .collect();
        attrs.sort();
        for (k, v) in attrs {
            out.push(' ');
            out.push_str(k);
            out.push('=');
            out.push_str(&v);
            out.push(';');
        }
        out.push('>');
        stack.push(Step::Close);
        stack.extend(node.children.iter().rev().map(Step::Open));
    }
}

/// The schema position of an element among its siblings, for inserting new children. An
/// `mc:AlternateContent` counts as the element inside its first choice.
pub(crate) fn effective_local(node: &Node) -> &str {
    if node.local() == "AlternateContent"
        && let Some(first) = node.children.first().and_then(|choice| choice.children.first())
    {
        return first.local();
    }
    node.local()
}

/// Where to insert a new child named `name` into `parent`, given the schema order of the
/// parent's children: before the first existing child that must come after it.
pub(crate) fn insert_position(parent: &Node, order: &[&str], name: &str) -> usize {
    let Some(rank) = order.iter().position(|n| *n == name) else {
        return parent.close_start;
    };
    for c in &parent.children {
        if let Some(r) = order.iter().position(|n| *n == effective_local(c))
            && r > rank
        {
            return c.start;
        }
    }
    parent.close_start
}

/// Text as it may go into a cell or note: characters XML 1.0 cannot carry become U+FFFD,
/// line ends become `\n`, and it is clipped to Excel's 32,767 UTF-16 units.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut units = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                '\n'
            }
            '\t' | '\n' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        };
        units += c.len_utf16();
        if units > 32_767 {
            break;
        }
        out.push(c);
    }
    out
}

/// Escapes element text. Also protects a literal `_xHHHH_`, which Excel would otherwise read
/// as an escaped character.
pub(crate) fn esc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '_' if looks_like_x_escape(text.get(i..).unwrap_or_default()) => out.push_str("_x005F_"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (double quotes), keeping tabs and line feeds.
pub(crate) fn esc_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '_' if looks_like_x_escape(text.get(i..).unwrap_or_default()) => out.push_str("_x005F_"),
            c => out.push(c),
        }
    }
    out
}

fn looks_like_x_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7
        && b.first() == Some(&b'_')
        && matches!(b.get(1), Some(b'x' | b'X'))
        && b.get(2..6).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
        && b.get(6) == Some(&b'_')
}

/// The text of a part as UTF-8 without a byte-order mark.
pub(crate) fn as_text(bytes: Vec<u8>, part: &str) -> Result<String, OoxmlError> {
    let mut s = String::from_utf8(bytes).map_err(|_| err(part, "not UTF-8 (other encodings are not supported)"))?;
    if s.starts_with('\u{FEFF}') {
        s.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(s)
}

/// Case-insensitive (Unicode) comparison, as Excel compares sheet names.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// One more than the largest number `n` among names `{prefix}{n}` (1 when there is none).
pub(crate) fn next_free_number<'a>(used: impl Iterator<Item = &'a str>, prefix: &str) -> u32 {
    used.filter_map(|u| u.strip_prefix(prefix).and_then(|d| d.parse::<u32>().ok())).max().unwrap_or(0).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_parts_are_checked_for_well_formedness() {
        assert!(check_well_formed(b"<?xml version=\"1.0\"?>\r\n<a x=\"1\"><b/>t&amp;</a>\r\n", "p").is_ok());
        assert!(check_well_formed(b"<a/>", "p").is_ok());
        let good: [&[u8]; 9] = [
            b"\xEF\xBB\xBF<a/>",
            b"<a b = \"1\"\n\tc='2>' d=\"&#x1F;&#10;&quot;'\" />",
            b"<r:a xmlns:r=\"u\"><!-- a - b --><r:b-c.d_e/><![CDATA[ ]] ]>]]></r:a>",
            b"<\xc3\xa6\xc3\xb8 \xc3\xa5=\"1\">x</\xc3\xa6\xc3\xb8>",
            b"<!-- c --><a b='>' c=\"/>\"><![CDATA[<x>&]]><b\n/>&#10;&lt;</a \n>\n",
            b"<x:a xmlns:x=\"u\"><x:b>t</x:b></x:a>",
            b"<?pi x?><a><?pi <b>?><?pi?></a>",
            b"<a>\xc3\xa6 ; &amp;&amp;</a>",
            b"<a\r\n/>",
        ];
        for ok in good {
            assert!(check_well_formed(ok, "p").is_ok(), "{}", String::from_utf8_lossy(ok));
        }
        let bad: [&[u8]; 21] = [
            b"<a><b></a>",
            b"<a>",
            b"<a/><b/>",
            b"x<a/>",
            b"<a></a></b>",
            b"",
            b"<a>\xff</a>",
            b"<a>&amp</a>",
            b"<a>& &amp;</a>",
            b"<a b=\"1></a>",
            b"<a b='1\"></a>",
            b"<a><!-- x </a>",
            b"<a><![CDATA[ x </a>",
            b"<?pi <a/>",
            b"<!DOCTYPE a><a/>",
            b"<a></ab>",
            b"<ab></a>",
            b"<a",
            b"<></>",
            b"<a></a",
            b"<a?></a?>",
        ];
        for bad in bad {
            assert!(check_well_formed(bad, "p").is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    /// The general XML reader's verdict, which the scanner replaced: the reference.
    fn reader_verdict(bytes: &[u8]) -> bool {
        let Ok(src) = std::str::from_utf8(bytes) else { return false };
        let mut reader = Reader::from_str(src);
        reader.config_mut().check_end_names = true;
        let (mut depth, mut roots) = (0usize, 0usize);
        loop {
            match reader.read_event() {
                Err(_) | Ok(Event::DocType(_)) => return false,
                Ok(Event::Start(_)) => {
                    roots += usize::from(depth == 0);
                    depth += 1;
                }
                Ok(Event::Empty(_)) => roots += usize::from(depth == 0),
                Ok(Event::End(_)) => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return false,
                },
                Ok(Event::Text(t)) if depth == 0 && !t.xml_content(XmlVersion::Implicit1_0).trim().is_empty() => {
                    return false;
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
            }
        }
        depth == 0 && roots == 1
    }

    #[test]
    fn the_scanner_is_never_laxer_than_the_xml_reader_on_mutated_parts() {
        let seeds: [&[u8]; 3] = [
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">a &amp; b &lt;c&gt;</t></is></c><c r="B1" s="2"><v>1.5</v></c></row></sheetData><!-- note --><legacyDrawing r:id="rId1"/></worksheet>"#,
            br#"<Relationships xmlns="x"><Relationship Id="rId1" Type="t" Target='a"b'/><Relationship Id="rId2" Target="c&#38;d"/></Relationships>"#,
            br#"<a><![CDATA[<b>&]]><?pi x?><b c="/>">t</b ></a>"#,
        ];
        // A small linear congruential generator: the same mutations every run.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % m
        };
        let alphabet = b"<>/&;\"'!?-[]= ax";
        let (mut checked, mut accepted) = (0, 0);
        for seed in seeds {
            assert!(check_well_formed(seed, "p").is_ok());
            for _ in 0..3000 {
                let mut m = seed.to_vec();
                for _ in 0..1 + next(3) {
                    let at = next(m.len());
                    match next(3) {
                        0 => m[at] = alphabet[next(alphabet.len())],
                        1 => {
                            m.remove(at);
                        }
                        _ => m.insert(at, alphabet[next(alphabet.len())]),
                    }
                }
                // Never laxer than the reader. (It is stricter where the reader does not
                // look: attributes, entity names, tag names.)
                if check_well_formed(&m, "p").is_ok() {
                    assert!(reader_verdict(&m), "{:?}", String::from_utf8_lossy(&m));
                    accepted += 1;
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 9000);
        // The mutations are not all fatal: some still make well-formed parts.
        assert!(accepted > 100, "{accepted}");
    }

    #[test]
    fn tree_keeps_spans_and_rejects_bad_xml() {
        let src = r#"<?xml version="1.0"?><a x="1"><b y='2"'/>t&amp;<c>z</c></a>"#;
        let root = parse_tree(src, "p").unwrap();
        assert_eq!(root.qname, "a");
        let b = root.child("b").unwrap();
        assert_eq!(&src[b.start..b.end], r#"<b y='2"'/>"#);
        assert_eq!(build_tag("b", &b.attrs, &[("z", Some("<"))], true), r#"<b y="2&quot;" z="&lt;"/>"#);
        assert_eq!(root.text, "t&");
        assert!(parse_tree("<a><b></a>", "p").is_err());
        assert!(parse_tree("<a><b>", "p").is_err());
        assert!(parse_tree("<a/><b/>", "p").is_err());
        assert!(parse_tree("<!DOCTYPE a><a/>", "p").is_err());
        assert!(parse_tree("<a>&foo;</a>", "p").is_err());
        assert!(parse_tree("", "p").is_err());
    }

    #[test]
    fn text_is_sanitised_and_escaped() {
        assert_eq!(sanitize("a\u{1}b\r\nc\rd"), "a\u{FFFD}b\nc\nd");
        assert_eq!(sanitize(&"x".repeat(40_000)).len(), 32_767);
        assert_eq!(sanitize(&"😀".repeat(20_000)).chars().count(), 16_383);
        assert_eq!(esc_text("=A1<b>&_x0041_"), "=A1&lt;b&gt;&amp;_x005F_x0041_");
        assert_eq!(unescape_attr("a&amp;b&#10;&#x41;&bad"), "a&b\nA&bad");
    }

    #[test]
    fn edits_splice_in_order() {
        let mut e = Edits::default();
        e.replace(1, 2, "X");
        e.insert(1, "i");
        e.insert(4, "!");
        assert_eq!(e.apply("abcd", "p").unwrap(), "aiXcd!");
        let mut e = Edits::default();
        e.replace(0, 3, "");
        e.replace(1, 2, "");
        assert!(e.apply("abcd", "p").is_err());
    }
}

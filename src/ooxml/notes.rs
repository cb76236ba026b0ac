//! Legacy notes: the comments part (`xl/commentsN.xml`) and the VML drawing that gives each
//! note its box. Adds os2gov's notes next to the user's and removes only notes whose author is
//! os2gov. VML is handled as bytes (it is often not well-formed XML), by its `v:shape` blocks.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::model::cell::{MAX_COL, MAX_ROW, a1, parse_a1};
use crate::ooxml::annotation::{NOTE_AUTHOR, OoxmlError};
use crate::ooxml::sheet::find;
use crate::ooxml::xml::{Edits, Node, build_tag, err, esc_text, parse_tree, pfx, sanitize};

/// A note to add: (row, col, text).
pub(crate) type NewNote = (u32, u32, String);

/// A comments part after removing os2gov's notes: its text, the cells whose notes went, and
/// how many notes remain.
pub(crate) type Removed = (String, Vec<(u32, u32)>, usize);

pub(crate) struct Comments {
    part: String,
    src: String,
    root: Node,
}

fn comment_xml(p: &str, row: u32, col: u32, author: usize, text: &str) -> String {
    format!(
        concat!(
            r#"<{p}comment ref="{r}" authorId="{a}"><{p}text><{p}r><{p}rPr><{p}sz val="9"/><{p}color indexed="81"/>"#,
            r#"<{p}rFont val="Tahoma"/><{p}family val="2"/></{p}rPr><{p}t xml:space="preserve">{t}</{p}t></{p}r></{p}text></{p}comment>"#
        ),
        p = p,
        r = a1(row, col),
        a = author,
        t = esc_text(&sanitize(text))
    )
}

/// A new comments part holding only os2gov's notes.
pub(crate) fn new_comments(notes: &[NewNote]) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
    let _ = write!(
        x,
        r#"<comments xmlns="{}"><authors><author>{NOTE_AUTHOR}</author></authors><commentList>"#,
        crate::ooxml::package::NS_MAIN
    );
    for (r, c, t) in notes {
        x.push_str(&comment_xml("", *r, *c, 0, t));
    }
    x.push_str("</commentList></comments>");
    x
}

impl Comments {
    pub(crate) fn parse(part: &str, src: String) -> Result<Comments, OoxmlError> {
        let root = parse_tree(&src, part)?;
        if root.local() != "comments" {
            return Err(err(part, "not a comments part"));
        }
        Ok(Comments { part: part.to_string(), src, root })
    }

    fn authors(&self) -> Vec<String> {
        self.root
            .child("authors")
            .map(|a| {
                a.children_named("author")
                    .map(|n| {
                        let mut t = String::new();
                        n.deep_text(&mut t);
                        t
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn comments(&self) -> impl Iterator<Item = &Node> {
        self.root.child("commentList").into_iter().flat_map(|l| l.children_named("comment"))
    }

    /// The cells that have a note (anyone's).
    pub(crate) fn cells(&self) -> HashSet<(u32, u32)> {
        self.comments().filter_map(|c| c.attr("ref").and_then(|r| parse_a1(&r))).collect()
    }

    /// The part with os2gov's notes appended.
    pub(crate) fn append(&self, notes: &[NewNote]) -> Result<String, OoxmlError> {
        let mut edits = Edits::default();
        let p = pfx(&self.root.qname);
        if self.root.empty {
            let new: String = notes.iter().map(|(r, c, t)| comment_xml(&p, *r, *c, 0, t)).collect();
            let open = build_tag(&self.root.qname, &self.root.attrs, &[], false);
            let body = format!(
                "<{p}authors><{p}author>{NOTE_AUTHOR}</{p}author></{p}authors><{p}commentList>{new}</{p}commentList>"
            );
            edits.replace(self.root.start, self.root.end, format!("{open}{body}</{}>", self.root.qname));
            return edits.apply(&self.src, &self.part);
        }
        let authors = self.authors();
        let author = match authors.iter().position(|a| a == NOTE_AUTHOR) {
            Some(i) => i,
            None => {
                let new = format!("<{p}author>{NOTE_AUTHOR}</{p}author>");
                match self.root.child("authors") {
                    Some(a) if a.empty => {
                        edits.replace(
                            a.start,
                            a.end,
                            format!("{}{new}</{}>", build_tag(&a.qname, &a.attrs, &[], false), a.qname),
                        );
                    }
                    Some(a) => edits.insert(a.close_start, new),
                    None => edits.insert(self.root.open_end, format!("<{p}authors>{new}</{p}authors>")),
                }
                authors.len()
            }
        };
        let new: String = notes.iter().map(|(r, c, t)| comment_xml(&p, *r, *c, author, t)).collect();
        match self.root.child("commentList") {
            Some(l) if l.empty => edits.replace(
                l.start,
                l.end,
                format!("{}{new}</{}>", build_tag(&l.qname, &l.attrs, &[], false), l.qname),
            ),
            Some(l) => edits.insert(l.close_start, new),
            None => {
                let at = self.root.child("authors").map_or(self.root.open_end, |a| a.end);
                edits.insert(at, format!("<{p}commentList>{new}</{p}commentList>"));
            }
        }
        edits.apply(&self.src, &self.part)
    }

    /// Removes os2gov's notes: those by os2gov, and those on `ours` (cells os2gov remembers
    /// noting) whose author is blank – LibreOffice drops authors when it saves. Returns the new
    /// text, the cells whose notes were removed and how many notes remain; None when nothing
    /// changes.
    pub(crate) fn remove_ours(&self, ours: &HashSet<(u32, u32)>) -> Result<Option<Removed>, OoxmlError> {
        let authors = self.authors();
        let by_os2gov = |id: usize| authors.get(id).is_some_and(|a| a == NOTE_AUTHOR);
        let anonymous = |id: usize| authors.get(id).is_none_or(|a| a.trim().is_empty());
        let mut edits = Edits::default();
        let mut removed = Vec::new();
        let mut kept: Vec<(&Node, usize)> = Vec::new();
        for c in self.comments() {
            let id = c.attr("authorId").and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(usize::MAX);
            let cell = c.attr("ref").and_then(|r| parse_a1(&r));
            if by_os2gov(id) || cell.is_some_and(|cell| ours.contains(&cell) && anonymous(id)) {
                edits.delete(c.start, c.end);
                removed.extend(cell);
            } else {
                kept.push((c, id));
            }
        }
        let unused: Vec<usize> =
            (0..authors.len()).filter(|i| by_os2gov(*i) && !kept.iter().any(|(_, id)| id == i)).collect();
        if removed.is_empty() && unused.is_empty() {
            return Ok(None);
        }
        for (c, id) in &kept {
            let shift = unused.iter().filter(|u| *u < id).count();
            if shift > 0 && *id != usize::MAX {
                let new = (id - shift).to_string();
                edits.replace(c.start, c.open_end, build_tag(&c.qname, &c.attrs, &[("authorId", Some(&new))], c.empty));
            }
        }
        if let Some(list) = self.root.child("authors") {
            for (i, a) in list.children_named("author").enumerate() {
                if unused.contains(&i) {
                    edits.delete(a.start, a.end);
                }
            }
        }
        Ok(Some((edits.apply(&self.src, &self.part)?, removed, kept.len())))
    }
}

const VML_HEAD: &str = concat!(
    r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">"#,
    "\r\n <o:shapelayout v:ext=\"edit\">\r\n  <o:idmap v:ext=\"edit\" data=\"{data}\"/>\r\n </o:shapelayout>"
);

const NOTE_SHAPETYPE: &str = concat!(
    "\r\n <v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\">",
    "\r\n  <v:stroke joinstyle=\"miter\"/>\r\n  <v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/>\r\n </v:shapetype>"
);

fn shape_xml(id: u32, row: u32, col: u32, text: &str) -> String {
    let lines: usize = text.lines().map(|l| 1 + l.chars().count() / 40).sum::<usize>().clamp(3, 20);
    let rows = u32::try_from(lines).unwrap_or(20) + 1;
    let top = row.saturating_sub(1);
    let top_off = if row == 0 { 2 } else { 10 };
    format!(
        concat!(
            "\r\n <v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:59.25pt;",
            "margin-top:1.5pt;width:216pt;height:{h}pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">",
            "<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>",
            "<v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>",
            "<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>",
            "<x:Anchor>{c1}, 15, {top}, {top_off}, {c2}, 15, {bottom}, 4</x:Anchor><x:AutoFill>False</x:AutoFill>",
            "<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"
        ),
        id = id,
        h = rows * 15,
        z = id % 1024,
        c1 = col.saturating_add(1).min(MAX_COL),
        c2 = col.saturating_add(4).min(MAX_COL),
        top = top,
        top_off = top_off,
        bottom = top.saturating_add(rows).min(MAX_ROW),
        row = row,
        col = col
    )
}

/// A new VML drawing with a note box per note; `data` is the drawing's shape-id block.
pub(crate) fn new_vml(data: u32, notes: &[NewNote]) -> Vec<u8> {
    let mut x = VML_HEAD.replace("{data}", &data.to_string());
    x.push_str(NOTE_SHAPETYPE);
    let base = data.saturating_mul(1024);
    for (i, (r, c, t)) in notes.iter().enumerate() {
        x.push_str(&shape_xml(base.saturating_add(shape_number(i)), *r, *c, t));
    }
    x.push_str("\r\n</xml>");
    x.into_bytes()
}

/// The `data` numbers of `o:idmap` in a VML part (shape-id blocks in use).
pub(crate) fn idmap_blocks(vml: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = vml;
    while let Some(i) = find(rest, b"idmap") {
        rest = rest.get(i + 5..).unwrap_or_default();
        let tag_end = rest.iter().position(|b| *b == b'>').unwrap_or(rest.len());
        let tag = rest.get(..tag_end).unwrap_or_default();
        if let Some(j) = find(tag, b"data=") {
            let v = tag.get(j + 6..).unwrap_or_default();
            let v = v.get(..v.iter().position(|b| *b == b'"' || *b == b'\'').unwrap_or(v.len())).unwrap_or_default();
            out.extend(String::from_utf8_lossy(v).split(',').filter_map(|n| n.trim().parse::<u32>().ok()));
        }
    }
    out
}

/// Appends note boxes to an existing VML part, numbering shapes after `last_id`. None when the
/// part is not one os2gov can safely extend (no `</xml>` end or missing namespace declarations).
pub(crate) fn append_vml(vml: &[u8], notes: &[NewNote], last_id: u32) -> Option<Vec<u8>> {
    let end = rfind(vml, b"</xml>")?;
    for ns in [
        &b"urn:schemas-microsoft-com:vml"[..],
        b"urn:schemas-microsoft-com:office:office",
        b"urn:schemas-microsoft-com:office:excel",
    ] {
        find(vml, ns)?;
    }
    if find(vml, b"xmlns:v=").is_none() || find(vml, b"xmlns:o=").is_none() || find(vml, b"xmlns:x=").is_none() {
        return None;
    }
    let mut add = String::new();
    if find(vml, b"_x0000_t202").is_none() {
        add.push_str(NOTE_SHAPETYPE);
    }
    for (i, (r, c, t)) in notes.iter().enumerate() {
        add.push_str(&shape_xml(last_id.saturating_add(shape_number(i)), *r, *c, t));
    }
    let mut out = Vec::with_capacity(vml.len() + add.len());
    out.extend_from_slice(vml.get(..end)?);
    out.extend_from_slice(add.as_bytes());
    out.extend_from_slice(vml.get(end..)?);
    Some(out)
}

fn shape_number(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1)
}

/// The largest `_x0000_sN` shape id in a VML part (0 when there is none).
pub(crate) fn max_shape_id(vml: &[u8]) -> u32 {
    let mut max = 0;
    let mut rest = vml;
    while let Some(i) = find(rest, b"_x0000_s") {
        rest = rest.get(i + 8..).unwrap_or_default();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if let Some(n) =
            rest.get(..digits).and_then(|d| std::str::from_utf8(d).ok()).and_then(|d| d.parse::<u32>().ok())
        {
            max = max.max(n);
        }
    }
    max
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|i| hay.get(*i..*i + needle.len()) == Some(needle))
}

/// The `<v:shape …>…</v:shape>` blocks of a VML part: (start, end).
fn shapes(vml: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = vml.get(at..).and_then(|r| find(r, b"<v:shape")) {
        let start = at + i;
        let after_name = start + b"<v:shape".len();
        let next = vml.get(after_name).copied();
        if !matches!(next, Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
            at = after_name;
            continue;
        }
        let tag_end = match vml.get(start..).and_then(|r| r.iter().position(|b| *b == b'>')) {
            Some(j) => start + j,
            None => break,
        };
        let end = if vml.get(tag_end.saturating_sub(1)) == Some(&b'/') {
            tag_end + 1
        } else {
            match vml.get(tag_end..).and_then(|r| find(r, b"</v:shape>")) {
                Some(j) => tag_end + j + b"</v:shape>".len(),
                None => break,
            }
        };
        out.push((start, end));
        at = end;
    }
    out
}

fn tag_number(block: &[u8], tag: &[u8]) -> Option<u32> {
    let i = find(block, tag)? + tag.len();
    let rest = block.get(i..)?;
    let end = rest.iter().position(|b| *b == b'<')?;
    std::str::from_utf8(rest.get(..end)?).ok()?.trim().parse().ok()
}

/// Removes the note boxes of these cells. Returns the new bytes and how many shapes remain.
pub(crate) fn remove_vml_notes(vml: &[u8], cells: &[(u32, u32)]) -> (Vec<u8>, usize) {
    let cells: HashSet<(u32, u32)> = cells.iter().copied().collect();
    let all = shapes(vml);
    let mut out = Vec::with_capacity(vml.len());
    let mut cursor = 0;
    let mut remaining = 0;
    for (start, end) in &all {
        let block = vml.get(*start..*end).unwrap_or_default();
        let is_note = find(block, b"ObjectType=\"Note\"").is_some() || find(block, b"ObjectType='Note'").is_some();
        let cell = tag_number(block, b"<x:Row>").zip(tag_number(block, b"<x:Column>"));
        if is_note && cell.is_some_and(|c| cells.contains(&c)) {
            out.extend_from_slice(vml.get(cursor..*start).unwrap_or_default());
            cursor = *end;
            // Drop the line break os2gov writes before each of its blocks.
            if out.ends_with(b"\r\n ") {
                out.truncate(out.len() - 3);
            }
        } else {
            remaining += 1;
        }
    }
    out.extend_from_slice(vml.get(cursor..).unwrap_or_default());
    (out, remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vml_round_trip() {
        let notes = vec![(6, 6, "Hej".to_string()), (0, 0, "a\nb".to_string())];
        let vml = new_vml(3, &notes);
        assert_eq!(idmap_blocks(&vml), vec![3]);
        assert_eq!(shapes(&vml).len(), 2);
        let more = append_vml(&vml, &[(1, 1, "x".into())], max_shape_id(&vml)).unwrap();
        assert_eq!(shapes(&more).len(), 3);
        assert!(find(&more, b"_x0000_s3075").is_some());
        let (less, remaining) = remove_vml_notes(&more, &[(6, 6), (1, 1)]);
        assert_eq!(remaining, 1);
        assert_eq!(shapes(&less).len(), 1);
        assert!(find(&less, b"<x:Row>0</x:Row>").is_some());
        assert!(String::from_utf8(less).unwrap().ends_with("</xml>"));
        assert!(append_vml(b"<xml>no namespaces</xml>", &notes, 0).is_none());
    }

    #[test]
    fn comments_append_and_remove_keep_the_users() {
        let src = r#"<comments xmlns="m"><authors><author>Mette</author></authors><commentList><comment ref="A2" authorId="0"><text><r><t>Hers</t></r></text></comment></commentList></comments>"#;
        let c = Comments::parse("c", src.to_string()).unwrap();
        assert!(c.cells().contains(&(1, 0)));
        let added = c.append(&[(6, 6, "<b>=1".into())]).unwrap();
        assert!(added.contains("<author>Mette</author><author>os2gov</author>"));
        assert!(added.contains(r#"ref="G7" authorId="1""#));
        assert!(added.contains("&lt;b&gt;=1"));
        let back = Comments::parse("c", added).unwrap().remove_ours(&HashSet::new()).unwrap().unwrap();
        assert_eq!(back.0, src);
        assert_eq!(back.1, vec![(6, 6)]);
        assert_eq!(back.2, 1);
        // os2gov as the first author: the user's authorId moves down.
        let src2 = r#"<comments xmlns="m"><authors><author>os2gov</author><author>Mette</author></authors><commentList><comment ref="A1" authorId="0"><text/></comment><comment ref="A2" authorId="1"><text/></comment></commentList></comments>"#;
        let back = Comments::parse("c", src2.to_string()).unwrap().remove_ours(&HashSet::new()).unwrap().unwrap();
        assert_eq!(
            back.0,
            r#"<comments xmlns="m"><authors><author>Mette</author></authors><commentList><comment ref="A2" authorId="0"><text/></comment></commentList></comments>"#
        );
        // After LibreOffice: every author is blank; only the remembered cells go.
        let lo = r#"<comments xmlns="m"><authors><author> </author></authors><commentList><comment ref="A1" authorId="0"><text/></comment><comment ref="A2" authorId="0"><text/></comment></commentList></comments>"#;
        let ours: HashSet<(u32, u32)> = [(0, 0)].into_iter().collect();
        let back = Comments::parse("c", lo.to_string()).unwrap().remove_ours(&ours).unwrap().unwrap();
        assert_eq!(back.1, vec![(0, 0)]);
        assert!(back.0.contains(r#"<author> </author></authors><commentList><comment ref="A2""#));
        assert!(Comments::parse("c", lo.to_string()).unwrap().remove_ours(&HashSet::new()).unwrap().is_none());
        // Degenerate parts still take notes.
        for odd in [r#"<comments xmlns="m"/>"#, r#"<comments xmlns="m"><authors/><commentList/></comments>"#] {
            let added = Comments::parse("c", odd.to_string()).unwrap().append(&[(0, 0, "n".into())]).unwrap();
            let again = Comments::parse("c", added).unwrap();
            assert_eq!(again.cells(), [(0, 0)].into_iter().collect());
            assert_eq!(again.authors(), vec![NOTE_AUTHOR.to_string()]);
        }
    }
}

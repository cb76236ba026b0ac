//! `xl/styles.xml`: appends the fonts, fills and cell formats os2gov needs, reusing an
//! identical record when one exists (so repeated annotation does not grow the part). Existing
//! records are never changed or reordered, so every style index in the workbook stays valid.

use std::collections::HashMap;

use crate::ooxml::annotation::{Look, OoxmlError};
use crate::ooxml::package::{CT_STYLES, ContentTypes, Package, REL_STYLES, Rels};
use crate::ooxml::workbook::Workbook;
use crate::ooxml::xml::{Edits, Node, build_tag, canonical, err, esc_attr, insert_position, parse_tree, pfx};

const STYLES_ORDER: &[&str] = &[
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
];

const MINIMAL_STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n",
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    "<fonts count=\"1\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font></fonts>",
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>",
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>",
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    "<cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>",
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>",
    "</styleSheet>"
);

/// One list of style records (`fonts`, `fills`, `cellXfs`).
struct List {
    local: &'static str,
    /// The container element, when the part has one.
    node: Option<Node>,
    /// Records as written in the part (their nodes).
    items: Vec<Node>,
    index: HashMap<String, u32>,
    /// Prefix for new records (`x:` when the part uses one).
    prefix: String,
    added: Vec<String>,
    /// Records a missing container needs before os2gov's own (Excel's implied defaults).
    defaults: Vec<String>,
}

/// The canonical form of a style record os2gov writes (see [`canonical`]), remembered per
/// thread: the same few records (os2gov's own fonts, fills and formats) are interned into
/// every workbook of a batch, and parsing each anew cost more than the rest of the lookup.
fn canonical_key(xml: &str) -> Result<String, OoxmlError> {
    thread_local! {
        static KEYS: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::new());
    }
    if let Some(key) = KEYS.with(|k| k.borrow().get(xml).cloned()) {
        return Ok(key);
    }
    let key = canonical(&parse_tree(xml, "styles")?);
    KEYS.with(|k| {
        let mut k = k.borrow_mut();
        // Bounded: os2gov writes a few dozen distinct records.
        if k.len() >= 1024 {
            k.clear();
        }
        k.insert(xml.to_string(), key.clone());
    });
    Ok(key)
}

impl List {
    fn new(root: &Node, local: &'static str, defaults: &[&str]) -> List {
        let node = root.child(local).cloned();
        let prefix = pfx(node.as_ref().map_or(root.qname.as_str(), |n| n.qname.as_str()));
        let items: Vec<Node> =
            node.as_ref().map(|n| n.children.iter().filter(|c| is_record(c)).cloned().collect()).unwrap_or_default();
        let mut index = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            index.entry(canonical(item)).or_insert(u32::try_from(i).unwrap_or(u32::MAX));
        }
        let defaults = if node.is_none() { defaults.iter().map(|d| d.to_string()).collect() } else { Vec::new() };
        let mut list = List { local, node, items, index, prefix, added: Vec::new(), defaults: Vec::new() };
        for d in defaults {
            list.push_raw(&d);
        }
        list.defaults = std::mem::take(&mut list.added);
        list
    }

    fn len(&self) -> usize {
        self.items.len() + self.defaults.len() + self.added.len()
    }

    /// The index of a record with this XML (without prefixes), appending it when new.
    fn intern(&mut self, xml: &str) -> Result<u32, OoxmlError> {
        let key = canonical_key(xml)?;
        if let Some(i) = self.index.get(&key) {
            return Ok(*i);
        }
        Ok(self.push_raw(xml))
    }

    fn push_raw(&mut self, xml: &str) -> u32 {
        let i = u32::try_from(self.len()).unwrap_or(u32::MAX);
        if let Ok(key) = canonical_key(xml) {
            self.index.insert(key, i);
        }
        self.added.push(with_prefix(xml, &self.prefix));
        i
    }

    fn edit(&self, edits: &mut Edits, root: &Node) {
        if self.added.is_empty() && self.defaults.is_empty() {
            return;
        }
        let count = self.len().to_string();
        let new: String = self.defaults.iter().chain(self.added.iter()).map(String::as_str).collect();
        match &self.node {
            Some(n) if n.empty => {
                let open = build_tag(&n.qname, &n.attrs, &[("count", Some(&count))], false);
                edits.replace(n.start, n.end, format!("{open}{new}</{}>", n.qname));
            }
            Some(n) => {
                edits.replace(n.start, n.open_end, build_tag(&n.qname, &n.attrs, &[("count", Some(&count))], false));
                edits.insert(n.close_start, new);
            }
            None => {
                let at = insert_position(root, STYLES_ORDER, self.local);
                let p = &self.prefix;
                edits.insert(at, format!(r#"<{p}{} count="{count}">{new}</{p}{}>"#, self.local, self.local));
            }
        }
    }
}

/// Skips `mc:AlternateContent` and other foreign children of a list.
fn is_record(node: &Node) -> bool {
    matches!(node.local(), "font" | "fill" | "xf")
}

/// Puts `x:` in front of every unprefixed element name of a snippet.
fn with_prefix(xml: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return xml.to_string();
    }
    map_names(xml, |name| if name.contains(':') { name.to_string() } else { format!("{prefix}{name}") })
}

/// Removes `x:` from element names of a snippet.
fn strip_prefix(xml: &str, prefix: &str) -> String {
    map_names(xml, |name| name.strip_prefix(prefix).unwrap_or(name).to_string())
}

/// Rewrites the element names of a snippet of markup (attribute values cannot contain `<`).
fn map_names(xml: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(xml.len() + 32);
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        out.push_str(rest.get(..=i).unwrap_or_default());
        rest = rest.get(i + 1..).unwrap_or_default();
        if let Some(r) = rest.strip_prefix('/') {
            out.push('/');
            rest = r;
        }
        if rest.starts_with(['?', '!']) {
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(rest.len());
        out.push_str(&f(rest.get(..end).unwrap_or_default()));
        rest = rest.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

pub(crate) struct Styles {
    part: String,
    src: String,
    root: Node,
    created: bool,
    fonts: List,
    fills: List,
    xfs: List,
    base_font: BaseFont,
    looks: HashMap<Look, u32>,
    /// (original style, fill) → marked style, already worked out.
    filled: HashMap<(u32, u32), u32>,
}

struct BaseFont {
    size: String,
    name: String,
    family: Option<String>,
    scheme: Option<String>,
}

impl Styles {
    /// The workbook's styles, or None when it has no styles part (nothing to restore then).
    pub(crate) fn load_existing(pkg: &mut Package<'_>, wb: &Workbook) -> Result<Option<Styles>, OoxmlError> {
        if wb.related_part("styles").and_then(|p| pkg.find(&p)).is_none() {
            return Ok(None);
        }
        Self::load(pkg, wb).map(Some)
    }

    pub(crate) fn load(pkg: &mut Package<'_>, wb: &Workbook) -> Result<Styles, OoxmlError> {
        let (part, src, created) = match wb.related_part("styles").and_then(|p| pkg.find(&p)) {
            Some(part) => {
                let src = pkg.read_text(&part)?.unwrap_or_default();
                (part, src, false)
            }
            None => {
                let usual = format!("{}styles.xml", wb.dir());
                let part = if pkg.exists(&usual) { pkg.unused_name(wb.dir(), "styles", ".xml") } else { usual };
                (part, MINIMAL_STYLES.to_string(), true)
            }
        };
        let root = parse_tree(&src, &part)?;
        if root.local() != "styleSheet" {
            return Err(err(&part, "not a styles part"));
        }
        let fonts = List::new(
            &root,
            "fonts",
            &[
                r#"<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>"#,
            ],
        );
        let fills = List::new(
            &root,
            "fills",
            &[
                r#"<fill><patternFill patternType="none"/></fill>"#,
                r#"<fill><patternFill patternType="gray125"/></fill>"#,
            ],
        );
        let xfs = List::new(&root, "cellXfs", &[r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#]);
        let font0 = fonts.items.first();
        let val = |local: &str| font0.and_then(|f| f.child(local)).and_then(|c| c.attr("val")).map(|v| v.into_owned());
        let base_font = BaseFont {
            size: val("sz").unwrap_or_else(|| "11".into()),
            name: val("name").unwrap_or_else(|| "Calibri".into()),
            family: val("family"),
            scheme: val("scheme"),
        };
        Ok(Styles {
            part,
            src,
            root,
            created,
            fonts,
            fills,
            xfs,
            base_font,
            looks: HashMap::new(),
            filled: HashMap::new(),
        })
    }

    /// A valid cell format index for a cell's `s` (an index out of range counts as 0).
    pub(crate) fn valid(&self, s: u32) -> u32 {
        if (s as usize) < self.xfs.len() { s } else { 0 }
    }

    /// A copy of cell format `orig` with a solid fill of `rgb`.
    pub(crate) fn with_fill(&mut self, orig: u32, rgb: u32) -> Result<u32, OoxmlError> {
        if let Some(s) = self.filled.get(&(orig, rgb)) {
            return Ok(*s);
        }
        let fill = self.fill(rgb)?.to_string();
        let s = self.xf_like(orig, &[("fillId", Some(&fill)), ("applyFill", Some("1"))])?;
        self.filled.insert((orig, rgb), s);
        Ok(s)
    }

    /// The style for a marked cell the user restyled after os2gov marked it: when it still has
    /// os2gov's fill, its current look with the original fill; None when the user changed the
    /// fill too (then their fill stays).
    pub(crate) fn restore(&mut self, current: u32, original: u32, marked: u32) -> Result<Option<u32>, OoxmlError> {
        let fill_of = |s: u32| -> Option<String> {
            let xf = self.xfs.items.get(s as usize)?;
            let id = xf.attr("fillId").and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(0);
            self.fills.items.get(id).map(canonical)
        };
        let now = fill_of(current);
        if now.is_none() || now != fill_of(marked) {
            return Ok(None);
        }
        let Some(before) = self.xfs.items.get(original as usize) else { return Ok(None) };
        let fill = before.attr("fillId").map_or_else(|| "0".to_string(), |v| v.into_owned());
        let apply = before.attr("applyFill").map(|v| v.into_owned());
        self.xf_like(current, &[("fillId", Some(&fill)), ("applyFill", apply.as_deref())]).map(Some)
    }

    /// A copy of cell format `base` (0 when out of range) with some attributes changed.
    fn xf_like(&mut self, base: u32, changes: &[(&str, Option<&str>)]) -> Result<u32, OoxmlError> {
        let base = self.valid(base) as usize;
        let xml = match self.xfs.items.get(base) {
            Some(node) => {
                let inner: String = node.children.iter().filter_map(|c| self.src.get(c.start..c.end)).collect();
                // Written without prefixes like every new record; `intern` adds the list's own.
                let tag = build_tag("xf", &node.attrs, changes, inner.is_empty());
                if inner.is_empty() { tag } else { format!("{tag}{}</xf>", strip_prefix(&inner, &self.xfs.prefix)) }
            }
            None => {
                let plain = r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#;
                let node = parse_tree(plain, "styles")?;
                build_tag("xf", &node.attrs, changes, true)
            }
        };
        self.xfs.intern(&xml)
    }

    fn fill(&mut self, rgb: u32) -> Result<u32, OoxmlError> {
        self.fills.intern(&format!(
            r#"<fill><patternFill patternType="solid"><fgColor rgb="FF{:06X}"/><bgColor indexed="64"/></patternFill></fill>"#,
            rgb & 0xFF_FFFF
        ))
    }

    fn font(
        &mut self,
        bold: bool,
        underline: bool,
        size: Option<&str>,
        color: Option<&str>,
    ) -> Result<u32, OoxmlError> {
        let b = &self.base_font;
        let mut xml = String::from("<font>");
        if bold {
            xml.push_str("<b/>");
        }
        if underline {
            xml.push_str("<u/>");
        }
        xml.push_str(&format!(r#"<sz val="{}"/>"#, esc_attr(size.unwrap_or(&b.size))));
        match color {
            Some(rgb) => xml.push_str(&format!(r#"<color rgb="{rgb}"/>"#)),
            None => xml.push_str(r#"<color theme="1"/>"#),
        }
        xml.push_str(&format!(r#"<name val="{}"/>"#, esc_attr(&b.name)));
        if let Some(f) = &b.family {
            xml.push_str(&format!(r#"<family val="{}"/>"#, esc_attr(f)));
        }
        if let Some(s) = &b.scheme {
            xml.push_str(&format!(r#"<scheme val="{}"/>"#, esc_attr(s)));
        }
        xml.push_str("</font>");
        self.fonts.intern(&xml)
    }

    /// The cell format for one of the new sheet's looks.
    pub(crate) fn look(&mut self, look: Look) -> Result<u32, OoxmlError> {
        if let Some(s) = self.looks.get(&look) {
            return Ok(*s);
        }
        const TOP_WRAP: &str = r#"<alignment vertical="top" wrapText="1"/>"#;
        const TOP: &str = r#"<alignment vertical="top"/>"#;
        const CENTRE_WRAP: &str = r#"<alignment horizontal="center" vertical="top" wrapText="1"/>"#;
        let (font, fill, align) = match look {
            Look::Plain => (None, None, Some(TOP)),
            Look::Wrap => (None, None, Some(TOP_WRAP)),
            Look::Bold => (Some(self.font(true, false, None, None)?), None, Some(TOP)),
            Look::BoldWrap => (Some(self.font(true, false, None, None)?), None, Some(TOP_WRAP)),
            Look::HeaderFill(rgb) => {
                (Some(self.font(true, false, None, None)?), Some(self.fill(rgb)?), Some(CENTRE_WRAP))
            }
            Look::Title => (Some(self.font(true, false, Some("14"), Some("FF1F4E79"))?), None, None),
            Look::Header => {
                (Some(self.font(true, false, None, Some("FFFFFFFF"))?), Some(self.fill(0x1F4E79)?), Some(TOP_WRAP))
            }
            Look::Fill(rgb) => (None, Some(self.fill(rgb)?), Some(TOP_WRAP)),
            Look::Link => (Some(self.font(false, true, None, Some("FF0563C1"))?), None, Some(TOP)),
        };
        let s = if font.is_none() && fill.is_none() && align.is_none() {
            0
        } else {
            let mut xml = format!(
                r#"<xf numFmtId="0" fontId="{}" fillId="{}" borderId="0" xfId="0""#,
                font.unwrap_or(0),
                fill.unwrap_or(0)
            );
            if font.is_some() {
                xml.push_str(r#" applyFont="1""#);
            }
            if fill.is_some() {
                xml.push_str(r#" applyFill="1""#);
            }
            match align {
                Some(a) => xml.push_str(&format!(r#" applyAlignment="1">{a}</xf>"#)),
                None => xml.push_str("/>"),
            }
            self.xfs.intern(&xml)?
        };
        self.looks.insert(look, s);
        Ok(s)
    }

    /// Writes the part when something was added (and, for a new part, its relationship and
    /// content type).
    pub(crate) fn save(
        self,
        pkg: &mut Package<'_>,
        wb_rels: &mut Rels,
        ct: &mut ContentTypes,
    ) -> Result<(), OoxmlError> {
        let mut edits = Edits::default();
        for list in [&self.fonts, &self.fills, &self.xfs] {
            list.edit(&mut edits, &self.root);
        }
        if edits.is_empty() && !self.created {
            return Ok(());
        }
        // A created part's source is os2gov's own minimal styles, parsed like any other.
        pkg.write_edited(&self.part, &self.src, edits, self.root.inside())?;
        if self.created {
            wb_rels.add(REL_STYLES, &self.part);
            ct.add_override(&self.part, CT_STYLES);
        }
        Ok(())
    }
}

//! `os2gov annotate` and the workbooks of `os2gov run`, read back with calamine and from
//! the package XML: the user's own work survives, the copy reads back as the original,
//! text from workbooks stays text, the portfolio adds up, LibreOffice opens everything,
//! and output names never escape or collide.

use crate::util::{TestDir, json, set};
use calamine::{Data, Reader, Xlsx, open_workbook};
use os2gov::model::cell::Value;
use os2gov::model::filled::Filled;
use os2gov::model::layout::FieldKey;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

// ---- a small XML reader for the package parts -----------------------------------------

/// An element: local name, attributes (local names, unescaped values), children, text.
#[derive(Clone, Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let j = after.find(';').expect("entity ends with ;");
        out.push(entity(&after[..j]));
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> char {
    match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#').unwrap_or_else(|| panic!("unknown entity &{name};"));
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
                None => num.parse().unwrap(),
            };
            char::from_u32(code).unwrap()
        }
    }
}

fn parse(src: &str) -> Node {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::reader::Reader::from_str(src);
    let node = |e: &BytesStart<'_>| Node {
        name: local(e.name().as_ref()).to_string(),
        attrs: e
            .attributes()
            .with_checks(false)
            .map(|a| {
                let a = a.unwrap();
                (local(a.key.as_ref()).to_string(), unescape(&a.value))
            })
            .collect(),
        ..Node::default()
    };
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(node(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => stack.last_mut().unwrap().text.push(entity(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    stack.pop().unwrap().children.into_iter().next().expect("a root element")
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every descendant with this local name, in document order.
    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        fn walk<'a>(n: &'a Node, name: &str, out: &mut Vec<&'a Node>) {
            for c in &n.children {
                if c.name == name {
                    out.push(c);
                }
                walk(c, name, out);
            }
        }
        walk(self, name, &mut out);
        out
    }

    fn deep_text(&self) -> String {
        let mut s = self.text.clone();
        for c in &self.children {
            s.push_str(&c.deep_text());
        }
        s
    }
}

// ---- the package ------------------------------------------------------------------------

/// An xlsx package held in memory, part by part.
struct Pkg {
    parts: BTreeMap<String, Vec<u8>>,
}

impl Pkg {
    fn open(path: &Path) -> Pkg {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open xlsx")).expect("zip");
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            parts.insert(f.name().unwrap().into_owned(), bytes);
        }
        Pkg { parts }
    }

    fn xml(&self, name: &str) -> String {
        let bytes = self.parts.get(name).unwrap_or_else(|| panic!("no part {name}"));
        String::from_utf8(bytes.clone()).unwrap().trim_start_matches('\u{FEFF}').to_string()
    }

    fn tree(&self, name: &str) -> Node {
        parse(&self.xml(name))
    }

    /// (type, resolved target) of each relationship of a part.
    fn rels(&self, part: &str) -> Vec<(String, String)> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let name = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
        if !self.parts.contains_key(&name) {
            return Vec::new();
        }
        self.tree(&name)
            .children
            .iter()
            .filter(|r| r.attr("TargetMode") != Some("External"))
            .map(|r| (r.attr("Type").unwrap().to_string(), resolve(dir, r.attr("Target").unwrap())))
            .collect()
    }

    /// (name, state, part) of every sheet in workbook order.
    fn sheets(&self) -> Vec<(String, String, String)> {
        let wb = self.tree("xl/workbook.xml");
        let rels = self.tree("xl/_rels/workbook.xml.rels");
        wb.all("sheet")
            .iter()
            .map(|s| {
                let rid = s.attr("id").unwrap();
                let rel = rels.children.iter().find(|r| r.attr("Id") == Some(rid)).unwrap();
                (
                    s.attr("name").unwrap().to_string(),
                    s.attr("state").unwrap_or("visible").to_string(),
                    resolve("xl", rel.attr("Target").unwrap()),
                )
            })
            .collect()
    }

    fn sheet_names(&self) -> Vec<String> {
        self.sheets().into_iter().map(|(n, ..)| n).collect()
    }

    fn sheet_part(&self, sheet: &str) -> String {
        self.sheets().into_iter().find(|(n, ..)| n == sheet).unwrap_or_else(|| panic!("no sheet {sheet}")).2
    }

    fn sheet(&self, sheet: &str) -> Node {
        self.tree(&self.sheet_part(sheet))
    }

    /// The `<c>` element of a cell, if the sheet has one.
    fn cell(&self, sheet: &str, a1: &str) -> Option<Node> {
        self.sheet(sheet).all("c").into_iter().find(|c| c.attr("r") == Some(a1)).cloned()
    }

    /// How a cell looks, resolved through styles.xml.
    fn look(&self, sheet: &str, a1: &str) -> Look {
        let s = self.cell(sheet, a1).and_then(|c| c.attr("s").map(|s| s.parse::<usize>().unwrap())).unwrap_or(0);
        self.look_of(s)
    }

    fn look_of(&self, s: usize) -> Look {
        let st = self.tree("xl/styles.xml");
        let xf = &st.child("cellXfs").unwrap().children[s];
        let id = |k: &str| xf.attr(k).map(|v| v.parse::<usize>().unwrap()).unwrap_or(0);
        let font = &st.child("fonts").unwrap().children[id("fontId")];
        let bold = font.child("b").is_some_and(|b| !matches!(b.attr("val"), Some("0" | "false")));
        let fill = &st.child("fills").unwrap().children[id("fillId")];
        let fill = fill
            .child("patternFill")
            .filter(|p| p.attr("patternType").is_some_and(|t| t != "none"))
            .and_then(|p| p.child("fgColor"))
            .and_then(|c| c.attr("rgb"))
            .map(|rgb| rgb[rgb.len().saturating_sub(6)..].to_uppercase());
        let numfmt = id("numFmtId");
        let num_format = st
            .child("numFmts")
            .and_then(|n| n.children.iter().find(|f| f.attr("numFmtId") == Some(numfmt.to_string().as_str())))
            .map(|f| f.attr("formatCode").unwrap().to_string())
            .unwrap_or_else(|| format!("builtin {numfmt}"));
        let border = &st.child("borders").unwrap().children[id("borderId")];
        let border = border
            .children
            .iter()
            .filter_map(|side| side.attr("style").map(|s| format!("{} {s}", side.name)))
            .collect();
        let wrap = xf.child("alignment").is_some_and(|a| a.attr("wrapText") == Some("1"));
        Look { bold, fill, num_format, border, wrap }
    }

    /// (cell, author, text) of every note on a sheet.
    fn notes(&self, sheet: &str) -> Vec<Note> {
        let part = self.sheet_part(sheet);
        let Some((_, comments)) = self.rels(&part).into_iter().find(|(t, _)| t.ends_with("/comments")) else {
            return Vec::new();
        };
        let root = self.tree(&comments);
        let authors: Vec<String> = root.all("author").iter().map(|a| a.deep_text()).collect();
        root.all("comment")
            .iter()
            .map(|c| {
                let author = authors[c.attr("authorId").unwrap().parse::<usize>().unwrap()].clone();
                let text = c.child("text").map(|t| t.deep_text()).unwrap_or_default();
                (c.attr("ref").unwrap().to_string(), author, text)
            })
            .collect()
    }

    /// The frozen pane's top-left cell.
    fn frozen_at(&self, sheet: &str) -> Option<String> {
        let ws = self.sheet(sheet);
        let pane = ws.all("pane").into_iter().next()?;
        (pane.attr("state") == Some("frozen")).then(|| pane.attr("topLeftCell").unwrap_or("").to_string())
    }

    fn autofilter(&self, sheet: &str) -> Option<String> {
        self.sheet(sheet).child("autoFilter").map(|a| a.attr("ref").unwrap().to_string())
    }

    /// Every cell of a sheet with an `<f>` element.
    fn formula_cells(&self, sheet: &str) -> Vec<String> {
        self.sheet(sheet)
            .all("c")
            .into_iter()
            .filter(|c| c.child("f").is_some())
            .map(|c| c.attr("r").unwrap().to_string())
            .collect()
    }

    /// The text of every `<c>` as the package says it: (cell, type, text). Shared strings
    /// are looked up; numbers come as written.
    fn cell_texts(&self, sheet: &str) -> Vec<(String, String, String)> {
        let shared: Vec<String> = if self.parts.contains_key("xl/sharedStrings.xml") {
            self.tree("xl/sharedStrings.xml").children.iter().map(si_text).collect()
        } else {
            Vec::new()
        };
        self.sheet(sheet)
            .all("c")
            .into_iter()
            .map(|c| {
                let t = c.attr("t").unwrap_or("n").to_string();
                let v = c.child("v").map(|v| v.text.clone()).unwrap_or_default();
                let text = match t.as_str() {
                    "s" => shared[v.parse::<usize>().unwrap()].clone(),
                    "inlineStr" => c.child("is").map(si_text).unwrap_or_default(),
                    _ => v,
                };
                (c.attr("r").unwrap().to_string(), t, text)
            })
            .collect()
    }
}

/// The text of a shared or inline string, without phonetic runs.
fn si_text(si: &Node) -> String {
    si.children
        .iter()
        .map(|c| match c.name.as_str() {
            "t" => c.text.clone(),
            "r" => c.child("t").map(|t| t.text.clone()).unwrap_or_default(),
            _ => String::new(),
        })
        .collect()
}

fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = if dir.is_empty() { Vec::new() } else { dir.split('/').collect() };
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A note: (cell, author, text).
type Note = (String, String, String);
/// A cell and its fill (RRGGBB).
type Fill = (String, Option<String>);
/// A cell holding a string: (sheet, cell, cell type, text).
type Hit = (String, String, String, String);

/// A cell format, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Look {
    bold: bool,
    /// RRGGBB of a pattern fill.
    fill: Option<String>,
    num_format: String,
    /// "left thin", … for each side with a border.
    border: Vec<String>,
    wrap: bool,
}

// ---- calamine ---------------------------------------------------------------------------

fn workbook(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("calamine cannot open {}: {e}", path.display()))
}

fn show(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Every non-empty cell of a sheet by (row, col), zero-based and absolute.
fn cells(path: &Path, sheet: &str) -> BTreeMap<(u32, u32), String> {
    let range = workbook(path).worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .cells()
        .filter(|(_, _, d)| !matches!(d, Data::Empty))
        .map(|(r, c, d)| ((r0 + r as u32, c0 + c as u32), show(d)))
        .collect()
}

/// The rows of a sheet as text, trailing empty cells left off.
fn rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let all = cells(path, sheet);
    let last = all.keys().map(|(r, _)| *r).max().map_or(0, |r| r + 1);
    (0..last)
        .map(|r| {
            let in_row: Vec<(u32, &String)> = all.range((r, 0)..(r + 1, 0)).map(|((_, c), v)| (*c, v)).collect();
            let width = in_row.last().map_or(0, |(c, _)| *c + 1);
            (0..width)
                .map(|c| in_row.iter().find(|(x, _)| *x == c).map(|(_, v)| (*v).clone()).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The cells with a formula, as calamine sees them.
fn calamine_formulas(path: &Path, sheet: &str) -> Vec<((u32, u32), String)> {
    let range = workbook(path).worksheet_formula(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .cells()
        .filter(|(_, _, f)| !f.is_empty())
        .map(|(r, c, f)| ((r0 + r as u32, c0 + c as u32), f.clone()))
        .collect()
}

// ---- fixtures ---------------------------------------------------------------------------

/// A level-1 project with a few findings: F7 unanswered (G12, which also blocks N1),
/// F10 without evidence (H13), F11 Nej with an explanation (G14), a non-default licence.
fn few_findings(dir: &TestDir, id: &str) -> Filled {
    let mut filled = dir.clean(id, "N1", "Implementering");
    for a in filled.answers.iter_mut() {
        match a.id.as_str() {
            "F7" => a.efterlevet = Value::Blank,
            "F10" => a.dokumentation = Value::Blank,
            "F11" => {
                a.efterlevet = text("Nej");
                a.dokumentation = Value::Blank;
                a.forklaring = text("Vi bruger kommunens interne tracker, indtil repoet er flyttet.");
            }
            _ => {}
        }
    }
    set(&mut filled, FieldKey::Licence, text("EUPL-1.2"));
    filled
}

/// A working folder without the blank template in the inbox.
fn folder() -> TestDir {
    TestDir::new().init()
}

/// The findings JSON of `check` for one file, with the file names left out (they differ
/// between an original and its copy).
fn findings_of(dir: &TestDir, file: &Path) -> (serde_json::Value, serde_json::Value) {
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never", file.to_str().unwrap()]).code(0));
    let p = &j["projects"][0];
    let mut findings = p["findings"].clone();
    for f in findings.as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("file");
    }
    let mut rest = p.clone();
    let o = rest.as_object_mut().unwrap();
    o.remove("findings");
    o.remove("file");
    (findings, rest)
}

// ---- 1. fidelity --------------------------------------------------------------------------

const DKK: &str = "#,##0.00 \"DKK\"";

/// The few-findings projektark with what a user adds in Excel: a bold, filled Navn, a
/// custom number format on Budget, a wide column D, another frozen pane on Status, notes
/// by Mette (one on a cell os2gov will mark), a dropdown of their own, and an extra sheet
/// with a formula and a conditional format.
fn users_own_workbook(dir: &TestDir, id: &str) -> PathBuf {
    use rust_xlsxwriter::{
        Color, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, Format, FormatPattern, Formula, Note,
    };
    let filled = few_findings(dir, id);
    let mut wb = os2gov::render::projektark::build_projektark(&dir.rules(), &filled).unwrap();
    let ws = wb.worksheet_from_name("Projekt").unwrap();
    let bold_fill =
        Format::new().set_bold().set_background_color(Color::RGB(0xCCFFCC)).set_pattern(FormatPattern::Solid);
    ws.write_string_with_format(2, 1, format!("{id} – fælleskommunal løsning"), &bold_fill).unwrap();
    ws.write_number_with_format(20, 1, 1_000_000.0, &Format::new().set_num_format(DKK)).unwrap();
    ws.set_column_width(3, 33.5).unwrap();
    ws.insert_note(1, 2, &Note::new("Spørg Jonas om ID'et").set_author("Mette")).unwrap();
    ws.write_string(0, 3, "Mit tjek").unwrap();
    ws.add_data_validation(1, 3, 20, 3, &DataValidation::new().allow_list_strings(&["Tjekket", "Mangler"]).unwrap())
        .unwrap();
    let ws = wb.worksheet_from_name("Krav").unwrap();
    // C12: F7's Efterlevet, which os2gov marks as unanswered.
    ws.insert_note(11, 2, &Note::new("Afventer svar fra leverandøren").set_author("Mette")).unwrap();
    let ws = wb.worksheet_from_name("Status").unwrap();
    ws.set_freeze_panes(2, 1).unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Mine tal").unwrap();
    ws.write_string(0, 0, "Timer").unwrap();
    for (r, n) in [3.0, 7.0, 11.0].iter().enumerate() {
        ws.write_number(r as u32 + 1, 0, *n).unwrap();
    }
    ws.write_formula(4, 0, Formula::new("=SUM(A2:A4)")).unwrap();
    let red = Format::new().set_background_color(Color::RGB(0xFFC7CE));
    ws.add_conditional_format(
        1,
        0,
        3,
        0,
        &ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::GreaterThan(5)).set_format(red),
    )
    .unwrap();
    let path = dir.join(&format!("indsendt/{}.xlsx", id.to_lowercase()));
    wb.save(&path).unwrap();
    path
}

#[test]
fn the_annotated_copy_keeps_everything_the_user_made() {
    let dir = folder();
    let original = users_own_workbook(&dir, "OS2demo");
    let before = std::fs::read(&original).unwrap();
    let run = dir.run(&["annotate", "indsendt", "-o", "ud/kopi"]).code(0);
    assert!(run.stdout().contains("1 af 1 annoterede kopier skrevet"), "{}", run.stdout());
    assert_eq!(std::fs::read(&original).unwrap(), before, "the input was modified");
    let copy = dir.join("ud/kopi/OS2demo.xlsx");
    let (o, c) = (Pkg::open(&original), Pkg::open(&copy));

    // Sheets: Kontrol first and active, the user's sheets in order, os2gov's storage last.
    let names = c.sheet_names();
    assert_eq!(names[0], "Kontrol");
    assert_eq!(&names[1..names.len() - 1], o.sheet_names().as_slice());
    let last = c.sheets().pop().unwrap();
    assert_eq!((last.0.as_str(), last.1.as_str()), ("_os2gov", "veryHidden"));
    let lister = c.sheets().into_iter().find(|(n, ..)| n == "Lister").unwrap();
    assert_eq!(lister.1, "hidden", "the template's lists sheet stays hidden");

    // Bold text with a fill, the custom number format, the column width.
    let navn = c.look("Projekt", "B3");
    assert!(navn.bold && navn.fill.as_deref() == Some("CCFFCC"), "{navn:?}");
    assert_eq!(c.look("Projekt", "B21").num_format, DKK);
    assert_eq!(o.look("Projekt", "B21"), c.look("Projekt", "B21"));
    let width = |p: &Pkg| -> Option<String> {
        p.sheet("Projekt")
            .all("col")
            .iter()
            .find(|col| col.attr("min") == Some("4"))
            .map(|col| col.attr("width").unwrap().to_string())
    };
    assert!(width(&c).is_some_and(|w| w.starts_with("34.")), "{:?}", width(&c));
    assert_eq!(width(&o), width(&c));
    // Frozen panes: the user's on Status, the template's on Krav.
    assert_eq!(c.frozen_at("Status").as_deref(), Some("B3"));
    assert_eq!(c.frozen_at("Krav"), o.frozen_at("Krav"));
    // The user's dropdown and the template's.
    let lists = |p: &Pkg, sheet: &str| -> Vec<(String, String)> {
        p.sheet(sheet)
            .all("dataValidation")
            .iter()
            .map(|v| {
                let f = v.child("formula1").map(|f| f.text.clone()).unwrap_or_default();
                (v.attr("sqref").unwrap().to_string(), f)
            })
            .collect()
    };
    assert!(
        lists(&c, "Projekt").contains(&("D2:D21".to_string(), "\"Tjekket,Mangler\"".to_string())),
        "{:?}",
        lists(&c, "Projekt")
    );
    for sheet in ["Projekt", "Krav", "Historik", "Deltagere", "Status"] {
        assert_eq!(lists(&o, sheet), lists(&c, sheet), "{sheet}");
    }
    // The extra sheet: its formula and its conditional format.
    assert_eq!(c.formula_cells("Mine tal"), ["A5"]);
    assert_eq!(calamine_formulas(&copy, "Mine tal"), [((4, 0), "SUM(A2:A4)".to_string())]);
    let cf = c.sheet("Mine tal");
    let cf = cf.child("conditionalFormatting").expect("conditional format kept");
    assert_eq!(cf.attr("sqref"), Some("A2:A4"));
    assert_eq!(cf.child("cfRule").and_then(|r| r.attr("operator")), Some("greaterThan"));
    assert_eq!(cells(&copy, "Mine tal"), cells(&original, "Mine tal"));
    // Every value the user wrote is still there.
    for sheet in o.sheet_names() {
        assert_eq!(cells(&copy, &sheet), cells(&original, &sheet), "{sheet}");
    }

    // Mette's notes are kept, word for word, next to os2gov's.
    let mette = |p: &Pkg, sheet: &str| -> Vec<(String, String, String)> {
        p.notes(sheet).into_iter().filter(|(_, a, _)| a == "Mette").collect()
    };
    for sheet in ["Projekt", "Krav"] {
        assert_eq!(mette(&c, sheet), mette(&o, sheet), "{sheet}");
        assert_eq!(mette(&o, sheet).len(), 1);
    }

    // The findings: each cell with one has os2gov's fill, and a note unless the user had one.
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never", "indsendt"]).code(0));
    let findings = j["projects"][0]["findings"].as_array().unwrap().clone();
    let codes: BTreeSet<&str> = findings.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        BTreeSet::from([
            "DATA-LICENSE-NOT-DEFAULT",
            "KRAV-NO-EVIDENCE",
            "KRAV-SKAL-EXPLAINED",
            "KRAV-UNANSWERED",
            "LEVEL-BELOW-DECLARED"
        ])
    );
    let fill_of = |severity: &str| match severity {
        "error" => "FFC7CE",
        "warning" => "FFEB9C",
        _ => "DDEBF7",
    };
    for f in &findings {
        let (sheet, cell) = (f["sheet"].as_str().unwrap(), f["cell"].as_str().unwrap());
        let look = c.look(sheet, cell);
        assert_eq!(look.fill.as_deref(), Some(fill_of(f["severity"].as_str().unwrap())), "{sheet}!{cell}");
        let notes = c.notes(sheet);
        let on_cell: Vec<_> = notes.iter().filter(|(r, ..)| r == cell).collect();
        assert_eq!(on_cell.len(), 1, "one note on {sheet}!{cell}: {on_cell:?}");
        if (sheet, cell) != ("Krav", "C12") {
            let (_, author, note) = on_cell[0];
            assert_eq!(author, "os2gov");
            // The note says what the code means in words (the code is on Kontrol).
            let code = os2gov::model::finding::Code::parse(f["code"].as_str().unwrap()).unwrap();
            assert!(note.contains(code.label(os2gov::text::Lang::Da)), "{note}");
            assert!(note.contains(f["message"].as_str().unwrap()), "{note}");
        }
    }
    // Marking keeps the rest of the cell's look: B19 (Licens) keeps the template's border.
    let (marked, was) = (c.look("Projekt", "B19"), o.look("Projekt", "B19"));
    assert_eq!(marked.border.len(), 4, "{marked:?}");
    assert_eq!((&marked.border, marked.wrap, &marked.num_format), (&was.border, was.wrap, &was.num_format));
    // The Krav sheet shows each answered requirement's light on its ID cell.
    assert_eq!(c.look("Krav", "A2").fill.as_deref(), Some("C6EFCE"), "R1 is green");
    assert_eq!(c.look("Krav", "A14").fill.as_deref(), Some("FFC7CE"), "F11 (Nej) is red");
    assert_eq!(c.look("Krav", "A13").fill.as_deref(), Some("FFEB9C"), "F10 (no evidence) is yellow");
    assert_eq!(c.look("Krav", "A3").fill, o.look("Krav", "A3").fill, "R2 does not apply at N1");
    // The Kontrol sheet lists every finding.
    let kontrol = rows(&copy, "Kontrol");
    assert_eq!(kontrol[0][0], "Kontrol af projektark");
    let listed: BTreeSet<(String, String)> =
        kontrol.iter().skip(11).filter(|r| r.len() > 5).map(|r| (r[5].clone(), r[3].clone())).collect();
    for f in &findings {
        let at = format!("{}!{}", f["sheet"].as_str().unwrap(), f["cell"].as_str().unwrap());
        assert!(listed.contains(&(f["code"].as_str().unwrap().to_string(), at.clone())), "{at}: {listed:?}");
    }
}

// ---- 2. round trip --------------------------------------------------------------------------

/// What an annotated copy says, read back: sheets, Kontrol, notes, fills and `_os2gov`.
#[derive(Debug, PartialEq)]
struct Content {
    sheets: Vec<(String, String)>,
    kontrol: Vec<Vec<String>>,
    /// Per sheet, its notes.
    notes: Vec<(String, Vec<Note>)>,
    /// Per sheet, the fill of every cell.
    fills: Vec<(String, Vec<Fill>)>,
    storage: Vec<Vec<String>>,
    storage_rows: usize,
}

fn content(path: &Path) -> Content {
    let p = Pkg::open(path);
    let user_sheets: Vec<String> = p.sheet_names().into_iter().filter(|n| n != "Kontrol" && n != "_os2gov").collect();
    Content {
        sheets: p.sheets().into_iter().map(|(n, s, _)| (n, s)).collect(),
        kontrol: rows(path, "Kontrol"),
        notes: user_sheets.iter().map(|s| (s.clone(), p.notes(s))).collect(),
        fills: user_sheets
            .iter()
            .map(|s| {
                let cells = p.sheet(s).all("c").iter().map(|c| c.attr("r").unwrap().to_string()).collect::<Vec<_>>();
                (s.clone(), cells.into_iter().map(|a| (a.clone(), p.look(s, &a).fill)).collect())
            })
            .collect(),
        storage: rows(path, "_os2gov"),
        storage_rows: p.sheet("_os2gov").all("row").len(),
    }
}

#[test]
fn the_annotated_copy_reads_back_as_the_original_and_reannotates_the_same() {
    let dir = folder();
    let original = users_own_workbook(&dir, "OS2demo");
    let original_bytes = std::fs::read(&original).unwrap();
    dir.run(&["annotate", "indsendt", "-o", "ud/1"]).code(0);
    let first = dir.join("ud/1/OS2demo.xlsx");

    // The same project, through the library …
    let rules = dir.rules();
    let load = |p: &Path| {
        os2gov::load::projektark::load_projektark(&std::fs::read(p).unwrap(), &rules, &Default::default()).unwrap()
    };
    let (po, fo) = load(&original);
    let (pc, fc) = load(&first);
    assert_eq!(po, pc);
    assert_eq!(fo, fc);
    // … and the same findings and lights, through `check`.
    let (findings_o, rest_o) = findings_of(&dir, &original);
    let (findings_c, rest_c) = findings_of(&dir, &first);
    assert_eq!(findings_o, findings_c);
    assert_eq!(rest_o, rest_c);
    assert_eq!(findings_o.as_array().unwrap().len(), 5);

    // Annotating the copy (in the original's place, so the Kontrol sheet names the same
    // file) gives the same content.
    std::fs::copy(&first, &original).unwrap();
    dir.run(&["annotate", "indsendt", "-o", "ud/2"]).code(0);
    let second = dir.join("ud/2/OS2demo.xlsx");
    let (a, b) = (content(&first), content(&second));
    assert_eq!(a, b);
    assert_eq!(a.sheets.iter().filter(|(n, _)| n == "Kontrol").count(), 1);
    let os2gov_notes: usize =
        a.notes.iter().map(|(_, n)| n.iter().filter(|(_, author, _)| author == "os2gov").count()).sum();
    assert_eq!(os2gov_notes, 4, "five findings, one of them on a cell with the user's note");
    // The storage sheet is not read as part of the project, and is not repeated.
    assert_eq!(load(&second).0, po);
    for sheet in ["Projekt", "Krav", "Mine tal"] {
        assert_eq!(cells(&second, sheet), cells(&first, sheet), "{sheet}");
        assert_eq!(cells(&second, sheet), cells_of_bytes(&dir, &original_bytes, sheet), "{sheet}");
    }
}

/// The cells of a sheet of a workbook held in memory.
fn cells_of_bytes(dir: &TestDir, bytes: &[u8], sheet: &str) -> BTreeMap<(u32, u32), String> {
    let path = dir.join("bytes.xlsx");
    std::fs::write(&path, bytes).unwrap();
    cells(&path, sheet)
}

/// The package with one cell's `<c>` element replaced, as a user's edit in Excel.
fn edit_cell(path: &Path, sheet: &str, a1: &str, new_cell: impl Fn(&str) -> String) {
    let pkg = Pkg::open(path);
    let part = pkg.sheet_part(sheet);
    let xml = pkg.xml(&part);
    let needle = format!("<c r=\"{a1}\"");
    let start = xml.find(&needle).unwrap_or_else(|| panic!("no cell {a1}"));
    let open_end = start + xml[start..].find('>').unwrap();
    let end = if xml[..open_end].ends_with('/') {
        open_end + 1
    } else {
        open_end + xml[open_end..].find("</c>").unwrap() + 4
    };
    let old_tag = &xml[start..=open_end];
    let edited = format!("{}{}{}", &xml[..start], new_cell(old_tag), &xml[end..]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).unwrap();
        if f.name().unwrap() == part {
            drop(f);
            out.start_file(part.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut out, edited.as_bytes()).unwrap();
        } else {
            out.raw_copy_file(f).unwrap();
        }
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn a_finding_fixed_in_the_annotated_copy_is_unmarked_when_annotated_again() {
    let dir = folder();
    let original = users_own_workbook(&dir, "OS2demo");
    dir.run(&["annotate", "indsendt", "-o", "ud/1"]).code(0);
    let first = dir.join("ud/1/OS2demo.xlsx");
    let original_looks = (Pkg::open(&original).look("Krav", "D13"), Pkg::open(&original).look("Projekt", "B19"));
    let before = Pkg::open(&first);
    // D13 (F10's Dokumentation) was blank and is marked; the user fills in a link, in the
    // annotated copy they got by mail, keeping the cell's (marked) style as Excel does.
    assert!(before.notes("Krav").iter().any(|(r, a, _)| r == "D13" && a == "os2gov"));
    assert_eq!(before.look("Krav", "D13").fill.as_deref(), Some("FFEB9C"));
    let fixed = dir.join("indsendt/os2demo.xlsx");
    std::fs::copy(&first, &fixed).unwrap();
    edit_cell(&fixed, "Krav", "D13", |open| {
        let style = open.split_whitespace().find(|a| a.starts_with("s=\"")).unwrap_or("").trim_end_matches(['/', '>']);
        format!("<c r=\"D13\" {style} t=\"inlineStr\"><is><t>https://os2.eu/kanaler</t></is></c>")
    });
    // And B19 (Licens, an info) gets the default licence.
    assert_eq!(before.look("Projekt", "B19").fill.as_deref(), Some("DDEBF7"));
    edit_cell(&fixed, "Projekt", "B19", |open| {
        let style = open.split_whitespace().find(|a| a.starts_with("s=\"")).unwrap_or("").trim_end_matches(['/', '>']);
        format!("<c r=\"B19\" {style} t=\"inlineStr\"><is><t>MPL-2.0</t></is></c>")
    });
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never", "indsendt"]).code(0));
    let codes = crate::util::codes_of(&j, "OS2demo");
    assert!(!codes.contains(&"KRAV-NO-EVIDENCE".to_string()), "{codes:?}");
    assert!(!codes.contains(&"DATA-LICENSE-NOT-DEFAULT".to_string()), "{codes:?}");

    dir.run(&["annotate", "indsendt", "-o", "ud/2"]).code(0);
    let second = dir.join("ud/2/OS2demo.xlsx");
    let after = Pkg::open(&second);
    assert!(!after.notes("Krav").iter().any(|(r, ..)| r == "D13"), "{:?}", after.notes("Krav"));
    assert_eq!(after.look("Krav", "D13"), original_looks.0, "the original style is back");
    assert_eq!(after.look("Projekt", "B19"), original_looks.1, "the original style is back");
    assert!(!after.notes("Projekt").iter().any(|(r, ..)| r == "B19"), "{:?}", after.notes("Projekt"));
    assert_eq!(cells(&second, "Krav")[&(12, 3)], "https://os2.eu/kanaler");
    // The ID cell turns green, the other marks stay, the Kontrol sheet no longer lists it.
    assert_eq!(after.look("Krav", "A13").fill.as_deref(), Some("C6EFCE"));
    assert!(after.notes("Krav").iter().any(|(r, a, _)| r == "C14" && a == "os2gov"));
    let kontrol = rows(&second, "Kontrol");
    assert!(!kontrol.iter().flatten().any(|c| c == "KRAV-NO-EVIDENCE"), "{kontrol:?}");
    assert!(kontrol.iter().flatten().any(|c| c == "KRAV-SKAL-EXPLAINED"));
    // Nothing of the first annotation is left behind twice.
    assert_eq!(after.sheet_names().iter().filter(|n| *n == "Kontrol" || *n == "_os2gov").count(), 2);
}

// ---- 3. text that looks like a formula --------------------------------------------------

const FORMULA_LIKE: [&str; 4] = ["=HYPERLINK(\"http://evil\",\"klik\")", "=1+1", "+SUM(A1)", "@cmd"];

/// Where a string shows up in a workbook: (sheet, cell, cell type, text) of every cell whose
/// text contains it, and (sheet, cell) of every note that does.
fn occurrences(path: &Path, needle: &str) -> (Vec<Hit>, Vec<(String, String)>) {
    let p = Pkg::open(path);
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for sheet in p.sheet_names() {
        for (cell, t, text) in p.cell_texts(&sheet) {
            if text.contains(needle) {
                found.push((sheet.clone(), cell, t, text));
            }
        }
        for (cell, _, text) in p.notes(&sheet) {
            if text.contains(needle) {
                notes.push((sheet.clone(), cell));
            }
        }
    }
    (found, notes)
}

/// No sheet of the workbook has a formula, in the XML or as calamine reads it – except
/// os2gov's storage sheet, whose formulas are plain references to the marked cells (so they
/// follow cells the user moves).
#[track_caller]
fn assert_no_formulas(path: &Path) {
    let p = Pkg::open(path);
    for sheet in p.sheet_names() {
        if sheet == "_os2gov" {
            for (_, f) in calamine_formulas(path, &sheet) {
                let (target, cell) = f.rsplit_once('!').unwrap_or_else(|| panic!("not a reference: {f}"));
                assert!(target.starts_with('\'') && target.ends_with('\''), "{f}");
                assert!(os2gov::model::cell::CellRef::parse(cell).is_some(), "{f}");
            }
            continue;
        }
        assert_eq!(p.formula_cells(&sheet), Vec::<String>::new(), "{}: {sheet}", path.display());
        assert_eq!(calamine_formulas(path, &sheet), vec![], "{}: {sheet}", path.display());
    }
}

#[test]
fn text_that_looks_like_a_formula_stays_text_in_every_output() {
    let dir = folder();
    for (i, s) in FORMULA_LIKE.iter().enumerate() {
        let id = format!("OS2formel{i}");
        let mut filled = few_findings(&dir, &id);
        set(&mut filled, FieldKey::Name, text(s));
        for a in filled.answers.iter_mut().filter(|a| a.id == "F11") {
            a.forklaring = text(s);
        }
        filled.history[0].resize(7, Value::Blank);
        filled.history[0][6] = text(s); // Bemærkning

        filled.status[0][1] = text(s); // Fremdrift: not a colour, so a finding quotes it.
        dir.projektark(&format!("indsendt/formel{i}.xlsx"), &filled);
    }
    // A workbook without a valid Projekt-ID is named after its file.
    let mut filled = dir.clean("OS2x", "SB", "Koncept");
    set(&mut filled, FieldKey::Id, text("+SUM(A1)"));
    dir.projektark("indsendt/@cmd.xlsx", &filled);
    dir.run(&["run"]).code(0);
    let out = dir.join("ud/2026-11");
    let portfolio = out.join("portefoelje-2026-11.xlsx");
    let annotated: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(out.join("annoteret")).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v
    };
    let names: Vec<String> = annotated.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["OS2formel0.xlsx", "OS2formel1.xlsx", "OS2formel2.xlsx", "OS2formel3.xlsx", "_cmd.xlsx"]);
    for f in annotated.iter().chain([&portfolio]) {
        assert_no_formulas(f);
    }
    let text_types = ["s", "inlineStr", "str"];
    for (i, s) in FORMULA_LIKE.iter().enumerate() {
        let copy = out.join(format!("annoteret/OS2formel{i}.xlsx"));
        let (found, notes) = occurrences(&copy, s);
        for (sheet, cell, t, _) in &found {
            assert!(text_types.contains(&t.as_str()), "{s}: {sheet}!{cell} has type {t}");
        }
        let exact: BTreeSet<(&str, &str)> =
            found.iter().filter(|(.., v)| v == s).map(|(sh, c, ..)| (sh.as_str(), c.as_str())).collect();
        // Navn, the Forklaring, the Historik Bemærkning and the Fremdrift, as the user typed them.
        for at in [("Projekt", "B3"), ("Krav", "E14"), ("Historik", "G2"), ("Status", "B2")] {
            assert!(exact.contains(&at), "{s} not kept as text in {at:?}: {found:?}");
        }
        let kontrol = cells(&copy, "Kontrol");
        assert_eq!(kontrol[&(1, 1)], format!("OS2formel{i} – {s}"));
        assert!(kontrol.values().any(|v| v.starts_with("Fremdrift: '") && v.contains(s)), "{kontrol:?}");
        assert_eq!(notes, [("Status".to_string(), "B2".to_string())], "{s}");
        let note = Pkg::open(&copy).notes("Status").into_iter().find(|(r, ..)| r == "B2").unwrap().2;
        assert!(note.contains(&format!("'{s}'")), "{note}");
        assert_eq!(cells(&copy, "Projekt")[&(2, 1)], *s);

        let (found, _) = occurrences(&portfolio, s);
        for (sheet, cell, t, _) in &found {
            assert!(text_types.contains(&t.as_str()), "{s}: portfolio {sheet}!{cell} has type {t}");
        }
        let sheets: BTreeSet<&str> = found.iter().map(|(sh, ..)| sh.as_str()).collect();
        assert!(sheets.contains("Oversigt") && sheets.contains("Fund"), "{s}: {found:?}");
        assert!(cells(&portfolio, "Oversigt").values().any(|v| v == s), "{s}");
    }
    // The file named @cmd.xlsx: its name is the project's key in the outputs, as text.
    let (found, _) = occurrences(&portfolio, "@cmd");
    assert!(found.iter().any(|(sh, c, t, v)| sh == "Oversigt" && c == "A5" && t == "s" && v == "@cmd"), "{found:?}");
    let copy = out.join("annoteret/_cmd.xlsx");
    let (found, _) = occurrences(&copy, "+SUM(A1)");
    assert!(found.iter().all(|(.., t, _)| text_types.contains(&t.as_str())), "{found:?}");
    assert!(found.iter().any(|(sh, c, ..)| sh == "Projekt" && c == "B2"), "{found:?}");
    // The mails escape it.
    let mut mentioned = 0;
    for entry in std::fs::read_dir(out.join("post")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            assert!(!html.contains("\"http://evil\"") && !html.contains("(\"http"), "{}", path.display());
            mentioned += html.matches("evil").count();
        }
    }
    assert!(mentioned > 0, "the name is in the digest and the lead's mail");
}

// ---- 4. the portfolio workbook ----------------------------------------------------------

#[test]
fn the_portfolio_adds_up_to_the_projects_lights_and_findings() {
    let dir = folder();
    dir.projektark("indsendt/demo.xlsx", &few_findings(&dir, "OS2demo"));
    dir.projektark("indsendt/iot.xlsx", &dir.clean("OS2iot", "N2", "Implementering"));
    let mut filled = dir.clean("OS2mo", "N3", "Produkt");
    // The secretariat's assessments of every fifth requirement, in its register.
    let assessed: Vec<(&str, String, &str)> = filled
        .answers
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 == 0)
        .map(|(i, a)| ("OS2mo", a.id.clone(), ["Gul", "Rød", "Grå"][i % 3]))
        .collect();
    let register_rows: Vec<(&str, &str, &str, &str, Option<&str>)> =
        assessed.iter().map(|(p, id, light)| (*p, id.as_str(), *light, "", None)).collect();
    dir.register(&register_rows, &[]);
    filled.answers.retain(|a| a.id != "G14");
    dir.projektark("indsendt/mo.xlsx", &filled);
    dir.run(&["run"]).code(0);
    let out = dir.join("ud/2026-11");
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fund-2026-11.json")).unwrap()).unwrap();
    let projects = j["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 3);
    let path = out.join("portefoelje-2026-11.xlsx");
    let pkg = Pkg::open(&path);
    assert_eq!(
        pkg.sheet_names(),
        [
            "Oversigt",
            "Niveau og tema",
            "Til bestyrelsen",
            "Til sekretariatet",
            "Ændringer",
            "Fund",
            "Diagrammer",
            "Udvikling"
        ]
    );

    // Niveau og tema counts only the requirements that apply to each project (its declared
    // level and below). By hand: the catalogue has 6 SB, 10 N1, 19 N2 and 8 N3 requirements;
    // OS2demo is N1, OS2iot N2 and OS2mo N3, so SB and N1 apply to three projects, N2 to
    // two, N3 to one: 18 + 30 + 38 + 8 = 94 lights (not 3 × 43 = 129).
    let keys = ["groen", "gul", "roed", "graa", "blank"];
    let table = rows(&path, "Niveau og tema");
    assert_eq!(table[3], ["Niveau", "Tema", "Grøn", "Gul", "Rød", "Grå", "Ikke udfyldt", "I alt", "Projekter"]);
    let numbers = |row: &[String]| -> Vec<u64> { row[2..8].iter().map(|v| v.parse().unwrap()).collect() };
    let rules = dir.rules();
    let declared = |p: &serde_json::Value| {
        let code = p["declared_level"].as_str().unwrap();
        rules.levels.iter().position(|l| l.code == code).unwrap()
    };
    let mut grand = vec![0u64; 6];
    for (l, (level, (n, applies_to))) in rules.levels.iter().zip([(6u64, 3u64), (10, 3), (19, 2), (8, 1)]).enumerate() {
        let label = format!("{} {}", level.code, level.name);
        let mut expected: Vec<u64> = keys
            .iter()
            .map(|k| {
                projects
                    .iter()
                    .filter(|p| declared(p) >= l)
                    .map(|p| p["lights_by_level"][&level.code][k].as_u64().unwrap())
                    .sum()
            })
            .collect();
        expected.push(expected.iter().sum());
        assert_eq!(expected[5], n * applies_to, "{label}: hand-counted");
        let of_level: Vec<&Vec<String>> = table.iter().filter(|r| r.len() >= 8 && r[0] == label).collect();
        let total = of_level.iter().find(|r| r[1] == "I alt").unwrap_or_else(|| panic!("{label}"));
        assert_eq!(numbers(total), expected, "{label}");
        assert_eq!(total[8], applies_to.to_string(), "{label}: projects the level applies to");
        let mut themes = vec![0u64; 6];
        for r in of_level.iter().filter(|r| r[1] != "I alt") {
            for (t, n) in themes.iter_mut().zip(numbers(r)) {
                *t += n;
            }
        }
        assert_eq!(themes, expected, "{label}: the themes add up to the total");
        for (g, n) in grand.iter_mut().zip(&expected) {
            *g += n;
        }
    }
    let all = table.iter().rev().find(|r| r.first().is_some_and(|c| c == "Alle niveauer")).unwrap();
    assert_eq!((all[0].as_str(), all[1].as_str()), ("Alle niveauer", "I alt"));
    assert_eq!(numbers(all), grand);
    assert_eq!(grand[5], 94, "only applicable requirements are counted");
    assert!(grand[1] > 0 && grand[2] > 0 && grand[3] > 0 && grand[4] > 0, "{grand:?}");
    // The definition is a note on the header and a line above the table.
    assert!(table[2][0].contains("Ikke udfyldt = et krav, der gælder"), "{:?}", table[2]);
    assert!(crate::xml::all_notes(&path).contains("Ikke udfyldt = et krav, der gælder"));

    // Oversigt: one row per project, in the JSON's order, with its applicable lights and
    // its counts.
    let oversigt = rows(&path, "Oversigt");
    assert_eq!(oversigt[3][0], "Projekt-ID");
    let body: Vec<&Vec<String>> = oversigt.iter().skip(4).collect();
    assert_eq!(body.len(), projects.len());
    for (row, p) in body.iter().zip(projects) {
        assert_eq!(row[0], p["id"].as_str().unwrap());
        assert_eq!(row[4], p["attained_level"].as_str().unwrap());
        let l: Vec<String> = keys
            .iter()
            .map(|k| {
                rules.levels[..=declared(p)]
                    .iter()
                    .map(|lv| p["lights_by_level"][&lv.code][k].as_u64().unwrap())
                    .sum::<u64>()
                    .to_string()
            })
            .collect();
        assert_eq!(&row[6..11], l.as_slice(), "{}", row[0]);
        let errors = p["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count();
        assert_eq!(row[11], errors.to_string());
    }
    // OS2demo (N1) answered requirements of N2 and N3 too: they are not counted.
    let demo = projects.iter().find(|p| p["id"] == "OS2demo").unwrap();
    let all_lights: u64 = keys.iter().map(|k| demo["lights"][k].as_u64().unwrap()).sum();
    let demo_row = body.iter().find(|r| r[0] == "OS2demo").unwrap();
    let counted: u64 = demo_row[6..11].iter().map(|v| v.parse::<u64>().unwrap()).sum();
    assert_eq!((all_lights, counted), (43, 16));

    // Fund: one row per finding.
    let fund = rows(&path, "Fund");
    assert_eq!(fund[3], ["Projekt-ID", "Fil", "Alvor", "Kode", "Krav", "Ark", "Celle", "Besked"]);
    let mut listed: Vec<(String, String, String, String)> =
        fund.iter().skip(4).map(|r| (r[0].clone(), r[3].clone(), r[6].clone(), r[7].clone())).collect();
    let mut expected: Vec<(String, String, String, String)> = projects
        .iter()
        .flat_map(|p| {
            p["findings"].as_array().unwrap().iter().map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
                (p["id"].as_str().unwrap().to_string(), s("code"), s("cell"), s("message"))
            })
        })
        .collect();
    assert!(expected.len() >= 8, "{expected:?}");
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);

    // Frozen headers and filters.
    for sheet in ["Oversigt", "Niveau og tema", "Til bestyrelsen", "Ændringer", "Fund"] {
        // Oversigt keeps Projekt-ID and Navn in view as well.
        let expect = if sheet == "Oversigt" { "C5" } else { "A5" };
        assert_eq!(pkg.frozen_at(sheet).as_deref(), Some(expect), "{sheet}");
    }
    assert_eq!(pkg.autofilter("Oversigt").as_deref(), Some("A4:W7"));
    assert_eq!(pkg.autofilter("Fund").unwrap(), format!("A4:H{}", 4 + expected.len()));
    for sheet in ["Til bestyrelsen", "Ændringer"] {
        assert!(pkg.autofilter(sheet).is_some_and(|r| r.starts_with("A4:")), "{sheet}");
    }

    // Charts: at least the two the spec names, on the Diagrammer sheet.
    let charts: Vec<&String> = pkg
        .parts
        .keys()
        .filter(|n| n.starts_with("xl/charts/chart") && n.ends_with(".xml") && !n.contains("/_rels/"))
        .collect();
    assert!(charts.len() >= 2, "{charts:?}");
    let drawing = pkg.rels(&pkg.sheet_part("Diagrammer"));
    assert!(drawing.iter().any(|(t, _)| t.ends_with("/drawing")), "{drawing:?}");
    // The Diagrammer tables count each project once.
    let diagram = rows(&path, "Diagrammer");
    let phase_total: u64 = rules
        .phases
        .iter()
        .map(|ph| {
            let r = diagram.iter().find(|r| r.first() == Some(&ph.name)).unwrap();
            r[1..=rules.levels.len()].iter().map(|v| v.parse::<u64>().unwrap()).sum::<u64>()
        })
        .sum();
    assert_eq!(phase_total, 3);
}

// ---- 5. LibreOffice opens every output --------------------------------------------------

/// LibreOffice's CSV filter with "all sheets" (the last token): one file per sheet.
const CSV_ALL_SHEETS: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

/// Converts every sheet of `input` to CSV with headless LibreOffice and returns the CSV
/// rows by sheet name; `None` (skip) when LibreOffice is missing, except under CI=true.
/// (`util::soffice` expects one `<stem>.csv`; with all sheets LibreOffice writes
/// `<stem>-<Sheet>.csv` instead.)
fn soffice_sheets(input: &Path, outdir: &Path, sheets: &[String]) -> Option<BTreeMap<String, Vec<Vec<String>>>> {
    if !crate::util::soffice_found() {
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outdir).unwrap();
    let run = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", CSV_ALL_SHEETS, "--outdir"])
        .arg(outdir)
        .arg(input)
        .output()
        .expect("run soffice");
    let stem = input.file_stem().unwrap().to_string_lossy();
    let mut out = BTreeMap::new();
    for sheet in sheets {
        let csv = outdir.join(format!("{stem}-{sheet}.csv"));
        // soffice exits 0 even when it fails, so the output file is the proof.
        let bytes = std::fs::read(&csv).unwrap_or_else(|_| {
            panic!(
                "soffice did not write {}:\n{}\n{}",
                csv.display(),
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            )
        });
        out.insert(sheet.clone(), parse_csv(&String::from_utf8(bytes).expect("UTF-8 CSV")));
    }
    Some(out)
}

/// RFC 4180 CSV: commas, double quotes, quoted newlines.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn libreoffice_opens_every_output() {
    let dir = folder();
    users_own_workbook(&dir, "OS2demo");
    dir.projektark("indsendt/iot.xlsx", &dir.clean("OS2iot", "N2", "Implementering"));
    let mut formula = few_findings(&dir, "OS2formel");
    set(&mut formula, FieldKey::Name, text("=1+1"));
    dir.projektark("indsendt/formel.xlsx", &formula);
    dir.run(&["run"]).code(0);
    dir.run(&["template", "-o", "skabelon.xlsx"]).code(0);
    let out = dir.join("ud/2026-11");
    let csv = dir.join("csv");
    let sheets_of = |p: &Path| Pkg::open(p).sheet_names();

    // The annotated copy: every sheet, and the Kontrol sheet names the project and its findings.
    let copy = out.join("annoteret/OS2demo.xlsx");
    let Some(annotated) = soffice_sheets(&copy, &csv, &sheets_of(&copy)) else {
        return;
    };
    let kontrol = &annotated["Kontrol"];
    assert!(kontrol[1][1].starts_with("OS2demo"), "{:?}", kontrol[1]);
    assert!(kontrol.iter().flatten().any(|c| c == "KRAV-UNANSWERED"), "{kontrol:?}");
    assert!(kontrol.iter().flatten().any(|c| c == "Krav!C12"), "{kontrol:?}");
    assert_eq!(annotated["Projekt"][1][1], "OS2demo");
    // LibreOffice sees the same values in every sheet of the user's as in the original.
    let original = dir.join("indsendt/os2demo.xlsx");
    let before = soffice_sheets(&original, &dir.join("csv-original"), &sheets_of(&original)).unwrap();
    for (sheet, rows) in &before {
        assert_eq!(&annotated[sheet], rows, "{sheet}");
    }
    assert_eq!(annotated["Mine tal"][0][0], "Timer");
    // And the copy of the project whose name looks like a formula shows it as text.
    let copy = out.join("annoteret/OS2formel.xlsx");
    let formel = soffice_sheets(&copy, &csv, &sheets_of(&copy)).unwrap();
    assert_eq!(formel["Projekt"][2][1], "=1+1");

    // The portfolio: Oversigt lists every project.
    let portfolio = out.join("portefoelje-2026-11.xlsx");
    let p = soffice_sheets(&portfolio, &csv, &sheets_of(&portfolio)).unwrap();
    let ids: BTreeSet<&str> = p["Oversigt"].iter().skip(4).map(|r| r[0].as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["OS2demo", "OS2formel", "OS2iot"]));
    assert!(p["Oversigt"].iter().any(|r| r[1] == "=1+1"), "{:?}", p["Oversigt"]);
    assert!(p["Fund"].iter().any(|r| r[3] == "KRAV-UNANSWERED"));

    // The template: 43 requirement rows.
    let template = dir.join("skabelon.xlsx");
    let t = soffice_sheets(&template, &csv, &sheets_of(&template)).unwrap();
    let krav: Vec<&Vec<String>> = t["Krav"].iter().skip(1).filter(|r| !r[0].is_empty()).collect();
    assert_eq!(krav.len(), 43, "{krav:?}");
    assert_eq!((krav[0][0].as_str(), krav[42][0].as_str()), ("R1", "G14"));

    // The styringsmodel: R1 … G14 in its Krav sheet.
    let model = dir.join("styringsmodel.xlsx");
    let m = soffice_sheets(&model, &csv, &sheets_of(&model)).unwrap();
    let header = &m["Krav"][0];
    let id_col = header.iter().position(|h| h == "ID").unwrap_or_else(|| panic!("{header:?}"));
    let ids: Vec<&str> = m["Krav"].iter().skip(1).map(|r| r[id_col].as_str()).filter(|s| !s.is_empty()).collect();
    let expected: Vec<String> = dir.rules().requirements.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids, expected);
    assert_eq!((ids[0], ids[42]), ("R1", "G14"));
}

// ---- 6. the Kontrol sheet, as the project lead reads it ---------------------------------

/// The Kontrol sheet as text: one line per row (cells separated by " | "), then the links
/// of the Celle column, the frozen pane and the filter.
fn kontrol_dump(path: &Path) -> String {
    let mut out = String::new();
    for (r, row) in rows(path, "Kontrol").iter().enumerate() {
        out.push_str(&format!("{:>2}: {}\n", r + 1, row.join(" | ").trim_end()));
    }
    let p = Pkg::open(path);
    let ws = p.sheet("Kontrol");
    out.push_str("\nlinks:\n");
    for h in ws.all("hyperlink") {
        out.push_str(&format!("  {} → {}\n", h.attr("ref").unwrap(), h.attr("location").unwrap_or("(external)")));
    }
    out.push_str(&format!("frozen at: {:?}\nfilter: {:?}\n", p.frozen_at("Kontrol"), p.autofilter("Kontrol")));
    out
}

#[test]
fn kontrol_sheet_snapshot_da_and_en() {
    let dir = folder();
    dir.projektark("indsendt/os2demo.xlsx", &few_findings(&dir, "OS2demo"));
    dir.run(&["annotate", "indsendt", "-o", "da"]).code(0);
    let run = dir.run(&["annotate", "indsendt", "-o", "en", "--lang", "en"]).code(0);
    assert!(run.stdout().contains("1 of 1 annotated copies written"), "{}", run.stdout());
    let da = kontrol_dump(&dir.join("da/OS2demo.xlsx"));
    let en = kontrol_dump(&dir.join("en/OS2demo.xlsx"));
    insta::assert_snapshot!("kontrol_da", da);
    insta::assert_snapshot!("kontrol_en", en);
}

// ---- 7. output names --------------------------------------------------------------------

/// Every file under a folder, relative, sorted.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The input file an annotated copy was made from, as its Kontrol sheet says.
fn made_from(copy: &Path) -> String {
    cells(copy, "Kontrol")[&(2, 1)].clone()
}

#[test]
fn output_names_never_escape_the_folder_or_overwrite_each_other() {
    let dir = folder();
    let mut evil = dir.clean("OS2x", "SB", "Koncept");
    set(&mut evil, FieldKey::Id, text("../../etc/x"));
    dir.projektark("indsendt/ond.xlsx", &evil);
    let mut abs = dir.clean("OS2x", "SB", "Koncept");
    set(&mut abs, FieldKey::Id, text("/tmp/os2gov-x"));
    dir.projektark("indsendt/absolut.xlsx", &abs);
    dir.projektark("indsendt/a.xlsx", &dir.clean("OS2twin", "SB", "Koncept"));
    dir.projektark("indsendt/b.xlsx", &dir.clean("OS2twin", "SB", "Koncept"));
    dir.projektark("indsendt/case.xlsx", &dir.clean("OS2Case", "SB", "Koncept"));
    dir.projektark("indsendt/CASE2.xlsx", &dir.clean("os2case", "SB", "Koncept"));
    // Six inputs, two pairs of which share a Projekt-ID (OS2twin; OS2Case/os2case, folded):
    // the older of each pair is set aside (one current submission per project).
    let inputs = 4;

    let run = dir.run(&["annotate", "indsendt", "-o", "kopier"]).code(0);
    let written = files_under(&dir.join("kopier"));
    assert_eq!(written.len(), inputs, "{written:?}\n{}", run.stdout());
    assert!(written.iter().all(|f| !f.contains('/') && f.ends_with(".xlsx")), "{written:?}");
    // Nothing was written outside the output folder.
    assert!(!dir.join("etc").exists() && !dir.path().parent().unwrap().join("etc/x.xlsx").exists());
    assert!(!Path::new("/tmp/os2gov-x.xlsx").exists());
    // Case-insensitive file systems (Windows, macOS) must not merge two copies either.
    let folded: BTreeSet<String> = written.iter().map(|f| f.to_lowercase()).collect();
    assert_eq!(folded.len(), inputs, "{written:?}");
    // Each copy comes from a different input.
    let sources: BTreeSet<String> = written.iter().map(|f| made_from(&dir.join("kopier").join(f))).collect();
    assert_eq!(sources.len(), inputs, "{sources:?}");
    assert!(written.iter().any(|f| f.starts_with("OS2twin")), "{written:?}");
    assert!(run.stdout().contains(&format!("{inputs} af {inputs} annoterede kopier skrevet")), "{}", run.stdout());

    // The same through `os2gov run`.
    dir.run(&["run"]).code(0);
    let annoteret = dir.join("ud/2026-11/annoteret");
    let written = files_under(&annoteret);
    assert_eq!(written.len(), inputs, "{written:?}");
    let sources: BTreeSet<String> = written.iter().map(|f| made_from(&annoteret.join(f))).collect();
    assert_eq!(sources.len(), inputs, "{sources:?}");
}

#[test]
fn same_id_in_files_with_the_same_name_in_different_folders_is_one_project() {
    let dir = folder();
    dir.projektark("indsendt/aarhus/projektark.xlsx", &dir.clean("OS2twin", "SB", "Koncept"));
    let newer = dir.projektark("indsendt/odense/projektark.xlsx", &dir.clean("OS2twin", "SB", "Koncept"));
    let t = std::fs::metadata(dir.join("indsendt/aarhus/projektark.xlsx")).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(&newer)
        .unwrap()
        .set_modified(t + std::time::Duration::from_secs(9))
        .unwrap();
    // And a project whose own ID is the name a second copy used to get.
    dir.projektark("indsendt/tredje.xlsx", &dir.clean("OS2twin__projektark", "SB", "Koncept"));
    let run = dir.run(&["annotate", "indsendt", "-o", "kopier"]).code(0);
    let written = files_under(&dir.join("kopier"));
    let sources: BTreeSet<String> = written.iter().map(|f| made_from(&dir.join("kopier").join(f))).collect();
    assert_eq!(
        sources,
        BTreeSet::from(["indsendt/odense/projektark.xlsx".to_string(), "indsendt/tredje.xlsx".to_string()]),
        "one copy per project, none overwritten: {written:?}\n{}",
        run.stdout()
    );
}

// ---- exit codes and the rebuilt fallback ------------------------------------------------

#[test]
fn annotate_exit_codes_follow_fail_on_and_unreadable_files() {
    let dir = folder();
    dir.projektark("indsendt/demo.xlsx", &few_findings(&dir, "OS2demo"));
    dir.run(&["annotate", "indsendt", "-o", "a"]).code(0);
    dir.run(&["annotate", "indsendt", "-o", "b", "--fail-on", "error"]).code(1);
    assert!(dir.join("b/OS2demo.xlsx").exists(), "copies are written even when the exit code is 1");
    std::fs::write(dir.join("indsendt/ødelagt.xlsx"), b"PK\x03\x04 not really").unwrap();
    let run = dir.run(&["annotate", "indsendt", "-o", "c"]).code(3);
    assert!(dir.join("c/OS2demo.xlsx").exists());
    assert_eq!(files_under(&dir.join("c")), ["OS2demo.xlsx"]);
    assert!(run.stdout().contains("ødelagt.xlsx"), "{}", run.stdout());
}

#[test]
fn a_workbook_that_cannot_be_edited_in_place_is_rebuilt_and_says_so() {
    let dir = folder();
    let mut wb = os2gov::render::projektark::build_projektark(&dir.rules(), &few_findings(&dir, "OS2demo")).unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("_os2gov").unwrap();
    ws.write_string(0, 0, "mine egne noter").unwrap();
    wb.save(dir.join("indsendt/demo.xlsx")).unwrap();
    let run = dir.run(&["annotate", "indsendt", "-o", "kopi"]).code(0);
    assert!(run.stdout().contains("genopbygget ud fra værdierne"), "{}", run.stdout());
    let copy = dir.join("kopi/OS2demo.xlsx");
    let kontrol = rows(&copy, "Kontrol");
    assert_eq!(kontrol[9][0], "Bemærk:");
    assert!(kontrol[9][1].contains("genopbygget"), "{:?}", kontrol[9]);
    let p = Pkg::open(&copy);
    assert_eq!(p.sheet_names()[0], "Kontrol");
    assert!(p.notes("Krav").iter().any(|(r, a, _)| r == "D13" && a == "os2gov"), "the marks are there");
    // It still reads back as the same project.
    let rules = dir.rules();
    let load = |path: &Path| {
        os2gov::load::projektark::load_projektark(&std::fs::read(path).unwrap(), &rules, &Default::default()).unwrap().0
    };
    assert_eq!(load(&copy), load(&dir.join("indsendt/demo.xlsx")));
    // The rebuilt copy, annotated again, is edited in place.
    std::fs::copy(&copy, dir.join("indsendt/demo.xlsx")).unwrap();
    let run = dir.run(&["annotate", "indsendt", "-o", "igen"]).code(0);
    assert!(!run.stdout().contains("genopbygget"), "{}", run.stdout());
    assert_eq!(rows(&dir.join("igen/OS2demo.xlsx"), "Kontrol")[9], Vec::<String>::new());
}

#[test]
fn an_annotated_copy_saved_by_libreoffice_is_annotated_again_cleanly() {
    let dir = folder();
    let original = users_own_workbook(&dir, "OS2demo");
    dir.run(&["annotate", "indsendt", "-o", "ud/1"]).code(0);
    let first = dir.join("ud/1/OS2demo.xlsx");
    let Some(saved) = crate::util::soffice(&first, "xlsx", &dir.join("lo")) else {
        return;
    };
    let rules = dir.rules();
    let load = |path: &Path| {
        os2gov::load::projektark::load_projektark(&std::fs::read(path).unwrap(), &rules, &Default::default()).unwrap().0
    };
    assert_eq!(load(&saved), load(&original));
    std::fs::copy(&saved, &original).unwrap();
    let run = dir.run(&["annotate", "indsendt", "-o", "ud/2"]).code(0);
    assert!(!run.stdout().contains("genopbygget"), "{}", run.stdout());
    let second = dir.join("ud/2/OS2demo.xlsx");
    let (a, b) = (content(&first), content(&second));
    let names = |c: &Content| c.sheets.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.kontrol, b.kontrol);
    // One note per marked cell, os2gov's and Mette's, no leftovers of the first round.
    // (LibreOffice does not keep the authors of the notes it did not write: Mette's come
    // back with the author " ".)
    let notes = |c: &Content| -> Vec<(String, String, String)> {
        c.notes.iter().flat_map(|(s, n)| n.iter().map(move |(r, a, _)| (s.clone(), r.clone(), a.clone()))).collect()
    };
    let cells_of = |c: &Content| notes(c).into_iter().map(|(s, r, _)| (s, r)).collect::<Vec<_>>();
    assert_eq!(cells_of(&a), cells_of(&b));
    let ours = |c: &Content| notes(c).into_iter().filter(|(.., a)| a == "os2gov").collect::<Vec<_>>();
    assert_eq!(ours(&a), ours(&b));
    assert_eq!(ours(&b).len(), 4);
    let mettes = |c: &Content| -> Vec<String> {
        c.notes.iter().flat_map(|(_, n)| n.iter().filter(|(_, a, _)| a != "os2gov").map(|(.., t)| t.clone())).collect()
    };
    assert_eq!(mettes(&a), mettes(&b), "Mette's notes keep their text");
    let p = Pkg::open(&second);
    assert_eq!(p.look("Krav", "D13").fill.as_deref(), Some("FFEB9C"));
    assert_eq!(p.look("Krav", "A2").fill.as_deref(), Some("C6EFCE"));
    assert!(p.look("Projekt", "B3").bold);
    // LibreOffice writes the format as #,##0.00" DKK" – the same format.
    let plain = |f: &str| f.replace(['"', ' '], "");
    assert_eq!(plain(&p.look("Projekt", "B21").num_format), plain(DKK));
}

//! Tests for the package editor: a projektark-like workbook written by rust_xlsxwriter is
//! annotated, read back with calamine and inspected part by part.

use std::io::{Cursor, Read, Write};

use calamine::{Data, Reader, SheetVisible, Xlsx};
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatDataBar, DataValidation,
    DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, FormatPattern, Formula, Note, Workbook,
};

use crate::model::cell::CellRef;
use crate::ooxml::annotation::*;
use crate::ooxml::xml::{Node, canonical, parse_tree};
use crate::ooxml::*;

const MONEY: &str = "#,##0 \"kr.\"";
const DATE: &str = "dd-mm-yyyy";
const RED: u32 = 0xFFC7CE;
const AMBER: u32 = 0xFFEB9C;
const TRICKY: &str = "=HYPERLINK(\"http://x\",\"y\") <script>alert('x')</script> & _x0041_ \u{1}end";

/// A projektark-like workbook; `extra` more Krav rows make it bigger (for timing).
fn projektark(extra: u32) -> Vec<u8> {
    projektark_with(extra, 0)
}

/// … and `guidance` paragraphs of text on a Vejledning sheet (as the real template has).
fn projektark_with(extra: u32, guidance: u32) -> Vec<u8> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let yellow = Format::new().set_background_color(Color::RGB(0xFFFF00)).set_pattern(FormatPattern::Solid);
    let money = Format::new().set_num_format(MONEY);
    let date = Format::new().set_num_format(DATE);
    {
        let ws = wb.add_worksheet().set_name("Projekt").unwrap();
        ws.write_string_with_format(0, 0, "Felt", &bold).unwrap();
        ws.write_string_with_format(0, 1, "Værdi", &bold).unwrap();
        ws.write_string_with_format(0, 2, "Vejledning", &bold).unwrap();
        ws.write_string_with_format(1, 0, "Projekt-ID", &bold).unwrap();
        ws.write_string(1, 1, "P 1").unwrap(); // B2
        ws.write_string_with_format(2, 0, "Navn", &bold).unwrap();
        ws.write_string(2, 1, "Testprojekt").unwrap(); // B3, Mette's note
        ws.write_string(3, 0, "Budget (kr.)").unwrap();
        ws.write_number_with_format(3, 1, 250_000.0, &money).unwrap(); // B4
        ws.write_string(4, 0, "Udfyldt dato").unwrap();
        ws.write_datetime_with_format(4, 1, ExcelDateTime::from_ymd(2026, 3, 14).unwrap(), &date).unwrap(); // B5
        ws.write_string(5, 0, "Projektleder").unwrap();
        ws.write_string_with_format(5, 1, "Mette Hansen", &yellow).unwrap(); // B6
        ws.write_string(5, 2, "Navn på projektlederen").unwrap();
        ws.set_column_width(0, 28).unwrap();
        ws.set_column_width(2, 50).unwrap();
        ws.set_freeze_panes(1, 0).unwrap();
        ws.insert_note(2, 1, &Note::new("Husk det officielle navn").set_author("Mette")).unwrap();
    }
    {
        let ws = wb.add_worksheet().set_name("Krav").unwrap();
        for (c, h) in [
            "ID",
            "Tema",
            "Niveau",
            "Type",
            "Krav",
            "Vejledning",
            "Efterlevet",
            "Dokumentation",
            "Forklaring",
            "Vurdering",
            "Dato",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold).unwrap();
        }
        for r in 1..=(5 + extra) {
            ws.write_string(r, 0, format!("G{r}")).unwrap();
            ws.write_string(r, 1, "Governance").unwrap();
            ws.write_number(r, 2, f64::from(r % 3 + 1)).unwrap();
            ws.write_string(r, 3, if r % 2 == 0 { "Skal" } else { "Bør" }).unwrap();
            ws.write_string(r, 4, format!("Krav nummer {r} med en beskrivelse af hvad der kræves")).unwrap();
            if r != 2 {
                ws.write_string(r, 6, if r % 2 == 0 { "Ja" } else { "Nej" }).unwrap();
            }
            ws.write_datetime_with_format(r, 10, ExcelDateTime::from_ymd(2026, 1, (r % 28 + 1) as u8).unwrap(), &date)
                .unwrap();
        }
        ws.set_column_width(4, 60).unwrap();
        ws.set_freeze_panes(1, 1).unwrap();
        let list = DataValidation::new().allow_list_formula(Formula::new("=Lister!$A$2:$A$5"));
        ws.add_data_validation(1, 6, 50, 6, &list).unwrap();
        let dates = DataValidation::new()
            .allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(2020, 1, 1).unwrap(),
                ExcelDateTime::from_ymd(2030, 12, 31).unwrap(),
            ))
            .set_error_style(DataValidationErrorStyle::Warning);
        ws.add_data_validation(1, 10, 50, 10, &dates).unwrap();
        ws.autofilter(0, 0, 5 + extra, 10).unwrap();
        // A 2010 data bar: a cfRule plus an x14 block in the sheet's <extLst>.
        ws.add_conditional_format(1, 2, 5, 2, &ConditionalFormatDataBar::new()).unwrap();
    }
    {
        let ws = wb.add_worksheet().set_name("Lister").unwrap();
        for (r, s) in ["Svar", "Ja", "Nej", "Ikke relevant", "Ved ikke"].iter().enumerate() {
            ws.write_string(r as u32, 0, *s).unwrap();
        }
        ws.set_hidden(true);
    }
    {
        let ws = wb.add_worksheet().set_name("Beregning").unwrap();
        ws.write_number(0, 0, 10.0).unwrap();
        ws.write_number(1, 0, 20.0).unwrap();
        ws.write_number(2, 0, 30.0).unwrap();
        ws.write_formula(3, 0, Formula::new("=SUM(A1:A3)").set_result("60")).unwrap();
        let red = Format::new().set_font_color(Color::RGB(0x9C0006)).set_background_color(Color::RGB(0xFFC7CE));
        let cf = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::GreaterThan(15)).set_format(red);
        ws.add_conditional_format(0, 0, 2, 0, &cf).unwrap();
        ws.add_conditional_format(0, 0, 2, 0, &ConditionalFormatDataBar::new()).unwrap();
    }
    if guidance > 0 {
        let ws = wb.add_worksheet().set_name("Vejledning").unwrap();
        ws.set_column_width(0, 120).unwrap();
        let words = [
            "projekt",
            "krav",
            "styregruppe",
            "kommune",
            "dokumentation",
            "licens",
            "bestyrelse",
            "fase",
            "niveau",
            "budget",
            "leverandør",
            "arkitektur",
            "drift",
            "sikkerhed",
            "data",
            "borger",
        ];
        let mut seed = 7u64;
        for r in 0..guidance {
            let text: Vec<&str> = (0..40)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    words[(seed >> 33) as usize % words.len()]
                })
                .collect();
            ws.write_string(r, 0, format!("Afsnit {r}: {}.", text.join(" "))).unwrap();
        }
    }
    wb.define_name("Krav!Svar", "=Krav!$G$2:$G$6").unwrap();
    wb.define_name("Budget", "=Projekt!$B$4").unwrap();
    wb.save_to_buffer().unwrap()
}

fn cell(a1: &str) -> CellRef {
    CellRef::parse(a1).unwrap()
}

fn mark(sheet: &str, a1: &str, fill: u32, note: Option<&str>) -> Mark {
    Mark { sheet: sheet.into(), cell: cell(a1), fill, note: note.map(str::to_string) }
}

fn marks() -> Vec<Mark> {
    vec![
        mark("Projekt", "B2", RED, Some("Projekt-ID må kun indeholde bogstaver, tal, - og _.")),
        mark("Projekt", "B3", AMBER, Some("Dette ser ikke ud som et navn")), // Mette's note stays alone
        mark("projekt", "B6", RED, Some("Projektleder mangler e-mail")),
        mark("Krav", "G3", RED, Some(TRICKY)),
        mark("Krav", "G3", AMBER, Some("Anden besked")),
        mark("Krav", "K4", AMBER, None),
        mark("Krav", "M20", RED, Some("En celle uden indhold")),
        mark("Krav", "H2", AMBER, Some("Dokumentation mangler")),
        mark("Findes ikke", "A1", RED, Some("springes over")),
    ]
}

fn kontrol() -> NewSheet {
    let text = |row, col, t: &str, look| NewCell { row, col, value: CellValue::Text(t.into()), look, link: None };
    let mut cells = vec![
        text(0, 0, "Kontrol af projektark P 1", Look::Title),
        text(2, 0, "Erklæret niveau", Look::Bold),
        NewCell { row: 2, col: 1, value: CellValue::Number(2.0), look: Look::Plain, link: None },
        text(3, 0, TRICKY, Look::Wrap),
        text(3, 1, "<script>alert(1)</script>", Look::Plain),
    ];
    for (c, h) in ["Alvor", "Kode", "Krav", "Celle", "Besked"].iter().enumerate() {
        cells.push(text(5, c as u32, h, Look::Header));
    }
    for (i, (code, target)) in
        [("INPUT-VALUE-INVALID", "Projekt!B2"), ("KRAV-UNANSWERED", "Krav!G3")].iter().enumerate()
    {
        let r = 6 + i as u32;
        cells.push(text(r, 0, "fejl", Look::Fill(RED)));
        cells.push(text(r, 1, code, Look::Plain));
        cells.push(text(r, 2, "G3", Look::Plain));
        let (sheet, a1) = target.split_once('!').unwrap();
        cells.push(NewCell {
            row: r,
            col: 3,
            value: CellValue::Text(target.to_string()),
            look: Look::Link,
            link: Some(format!("'{sheet}'!{a1}")),
        });
        cells.push(text(r, 4, "En lang besked om hvad der er galt og hvad man skal gøre", Look::Wrap));
    }
    NewSheet {
        name: "Kontrol".into(),
        cells,
        widths: vec![(0, 12.0), (4, 70.0)],
        freeze_rows: 6,
        autofilter: Some((5, 0, 7, 4)),
        tab_colour: Some(0x1F4E79),
        merges: vec![],
        print: None,
    }
}

// ---- reading packages back -------------------------------------------------------------

fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

fn raw_entry(bytes: &[u8], name: &str) -> Option<(Vec<u8>, u32)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = zip.by_name_raw(name.as_bytes()).ok()?;
    let crc = f.crc32();
    let mut out = Vec::new();
    f.read_to_end(&mut out).unwrap();
    Some((out, crc))
}

fn names(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn tree(bytes: &[u8], name: &str) -> (String, Node) {
    let src = part(bytes, name).unwrap_or_else(|| panic!("{name} missing"));
    let src = src.trim_start_matches('\u{FEFF}').to_string();
    let node = parse_tree(&src, name).unwrap();
    (src, node)
}

fn all<'a>(node: &'a Node, local: &str, out: &mut Vec<&'a Node>) {
    for c in &node.children {
        if c.local() == local {
            out.push(c);
        }
        all(c, local, out);
    }
}

fn find_all<'a>(node: &'a Node, local: &str) -> Vec<&'a Node> {
    let mut out = Vec::new();
    all(node, local, &mut out);
    out
}

/// Raw text of every element with this local name.
fn raw_elements(bytes: &[u8], name: &str, local: &str) -> Vec<String> {
    let (src, root) = tree(bytes, name);
    find_all(&root, local).iter().map(|n| src[n.start..n.end].to_string()).collect()
}

/// Sheet name → part name, in workbook order, with the sheet's state.
fn sheets(bytes: &[u8]) -> Vec<(String, String, String)> {
    let (_, wb) = tree(bytes, "xl/workbook.xml");
    let (_, rels) = tree(bytes, "xl/_rels/workbook.xml.rels");
    find_all(&wb, "sheet")
        .iter()
        .map(|s| {
            let rid = s.prefixed_attr("id").unwrap().into_owned();
            let rel = rels.children.iter().find(|r| r.attr("Id").as_deref() == Some(rid.as_str())).unwrap();
            let target = package::resolve_target("xl/workbook.xml", &rel.attr("Target").unwrap());
            (s.attr("name").unwrap().into_owned(), target, s.attr("state").unwrap_or_default().into_owned())
        })
        .collect()
}

fn sheet_part(bytes: &[u8], sheet: &str) -> String {
    sheets(bytes).into_iter().find(|(n, ..)| n == sheet).unwrap_or_else(|| panic!("no sheet {sheet}")).1
}

fn cell_style(bytes: &[u8], sheet: &str, a1: &str) -> Option<u32> {
    let p = sheet_part(bytes, sheet);
    let src = part(bytes, &p).unwrap();
    let (r, c) = crate::model::cell::parse_a1(a1).unwrap();
    let cells = sheet::read_cells(&src, &p, None).unwrap();
    cells.iter().find(|x| x.row == r && x.col == c).map(|x| x.s.unwrap_or(0))
}

/// How a cell format looks: its font, fill, number format and alignment, resolved.
fn look_of(bytes: &[u8], s: u32) -> String {
    let (_, st) = tree(bytes, "xl/styles.xml");
    let list = |name: &str| st.child(name).map(|n| n.children.clone()).unwrap_or_default();
    let xf = list("cellXfs")[s as usize].clone();
    let id = |k: &str| xf.attr(k).map(|v| v.parse::<usize>().unwrap()).unwrap_or(0);
    let numfmt = id("numFmtId");
    let code = list("numFmts")
        .iter()
        .find(|n| n.attr("numFmtId").map(|v| v.parse::<usize>().unwrap()) == Some(numfmt))
        .map(|n| n.attr("formatCode").unwrap().into_owned())
        .unwrap_or_else(|| format!("builtin {numfmt}"));
    let align = xf.child("alignment").map(canonical).unwrap_or_default();
    format!(
        "font {} | fill {} | numfmt {code} | {align}",
        canonical(&list("fonts")[id("fontId")]),
        canonical(&list("fills")[id("fillId")])
    )
}

fn look_at(bytes: &[u8], sheet: &str, a1: &str) -> String {
    look_of(bytes, cell_style(bytes, sheet, a1).unwrap_or(0))
}

/// (cell, author, text) of every note on a sheet.
fn notes_of(bytes: &[u8], sheet: &str) -> Vec<(String, String, String)> {
    let p = sheet_part(bytes, sheet);
    let rels_name = package::rels_part_for(&p);
    let Some(rels) = part(bytes, &rels_name) else { return Vec::new() };
    let rels = parse_tree(&rels, &rels_name).unwrap();
    let Some(rel) = rels.children.iter().find(|r| r.attr("Type").unwrap().ends_with("/comments")) else {
        return Vec::new();
    };
    let cpart = package::resolve_target(&p, &rel.attr("Target").unwrap());
    let (_, root) = tree(bytes, &cpart);
    let authors: Vec<String> = find_all(&root, "author").iter().map(|a| a.text.clone()).collect();
    find_all(&root, "comment")
        .iter()
        .map(|c| {
            let mut text = String::new();
            c.deep_text(&mut text);
            let text = text.replace("_x005F_", "_");
            let author = authors[c.attr("authorId").unwrap().parse::<usize>().unwrap()].clone();
            (c.attr("ref").unwrap().into_owned(), author, text)
        })
        .collect()
}

fn calamine(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
}

fn value(bytes: &[u8], sheet: &str, a1: &str) -> Data {
    let (r, c) = crate::model::cell::parse_a1(a1).unwrap();
    let range = calamine(bytes).worksheet_range(sheet).unwrap();
    range.get_value((r, c)).cloned().unwrap_or(Data::Empty)
}

fn defined_names(bytes: &[u8]) -> Vec<(String, Option<String>, String)> {
    let (_, wb) = tree(bytes, "xl/workbook.xml");
    find_all(&wb, "definedName")
        .iter()
        .map(|d| (d.attr("name").unwrap().into_owned(), d.attr("localSheetId").map(|v| v.into_owned()), d.text.clone()))
        .collect()
}

/// A package from (name, content) pairs.
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The package with one part replaced (or removed when `content` is None).
fn with_part(bytes: &[u8], name: &str, content: Option<&[u8]>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).unwrap();
        if f.name().unwrap() == name {
            drop(f);
            if let Some(c) = content {
                w.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
                w.write_all(c).unwrap();
            }
        } else {
            w.raw_copy_file(f).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

// ---- the tests ----------------------------------------------------------------------------

#[test]
fn parts_are_read_whole_or_cut_at_a_limit_and_checked_against_their_checksum() {
    use crate::ooxml::package::Package;
    let big = format!("<a>{}</a>", "<b>tekst æøå</b>".repeat(5000));
    for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("x.xml", zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        w.write_all(big.as_bytes()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(Package::open(&bytes).unwrap().read("x.xml").unwrap().unwrap(), big.as_bytes(), "{method:?}");
        let head = Package::open(&bytes).unwrap().read_limited("x.xml", 100).unwrap().unwrap();
        assert_eq!(head, &big.as_bytes()[..100], "{method:?}");
        // The same again on this thread's (reused) inflater.
        assert_eq!(Package::open(&bytes).unwrap().read("x.xml").unwrap().unwrap(), big.as_bytes(), "{method:?}");
        // A checksum that does not match the data: the part cannot be read.
        let crc = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap().by_index_raw(0).unwrap().crc32();
        let mut bad = bytes.clone();
        let (from, to) = (crc.to_le_bytes(), (crc ^ 1).to_le_bytes());
        for i in 0..bad.len() - 4 {
            if bad[i..i + 4] == from {
                bad[i..i + 4].copy_from_slice(&to);
            }
        }
        let e = Package::open(&bad).unwrap().read("x.xml").unwrap_err();
        assert!(e.0.contains("checksum"), "{method:?}: {e:?}");
        // Cut at a limit, the checksum is not asked (as a head is read).
        assert!(Package::open(&bad).unwrap().read_limited("x.xml", 100).is_ok(), "{method:?}");
    }
}

#[test]
fn annotate_adds_kontrol_first_and_keeps_everything_the_user_made() {
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &marks()).unwrap();

    // Sheets, order and states, as calamine sees them.
    let mut wb = calamine(&y);
    let meta: Vec<(String, SheetVisible)> = wb.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible)).collect();
    assert_eq!(
        meta,
        vec![
            ("Kontrol".to_string(), SheetVisible::Visible),
            ("Projekt".to_string(), SheetVisible::Visible),
            ("Krav".to_string(), SheetVisible::Visible),
            ("Lister".to_string(), SheetVisible::Hidden),
            ("Beregning".to_string(), SheetVisible::Visible),
            ("_os2gov".to_string(), SheetVisible::VeryHidden),
        ]
    );
    // The user's values and formulas are unchanged.
    let mut before = calamine(&x);
    for s in ["Projekt", "Krav", "Lister", "Beregning"] {
        assert_eq!(wb.worksheet_range(s).unwrap(), before.worksheet_range(s).unwrap(), "{s}");
        assert_eq!(wb.worksheet_formula(s).unwrap(), before.worksheet_formula(s).unwrap(), "{s}");
    }
    assert_eq!(wb.worksheet_formula("Beregning").unwrap().get_value((3, 0)).map(String::as_str), Some("SUM(A1:A3)"));
    // Kontrol's cells.
    assert_eq!(value(&y, "Kontrol", "A1"), Data::String("Kontrol af projektark P 1".into()));
    assert_eq!(value(&y, "Kontrol", "B3"), Data::Float(2.0));
    assert_eq!(value(&y, "Kontrol", "D8"), Data::String("Krav!G3".into()));
    assert!(wb.worksheet_formula("Kontrol").unwrap().is_empty());

    // Kontrol is first, active and the only selected tab; frozen header, filter, links, looks.
    let (_, book) = tree(&y, "xl/workbook.xml");
    let view = find_all(&book, "workbookView")[0];
    assert!(view.attr("activeTab").is_none_or(|v| v == "0"));
    let kpart = sheet_part(&y, "Kontrol");
    let ksrc = part(&y, &kpart).unwrap();
    assert!(ksrc.contains(r#"<sheetView tabSelected="1" workbookViewId="0"><pane ySplit="6" topLeftCell="A7" activePane="bottomLeft" state="frozen"/>"#));
    assert!(ksrc.contains(r#"<autoFilter ref="A6:E8"/>"#));
    assert!(ksrc.contains(r#"<hyperlink ref="D7" location="'Projekt'!B2" display="Projekt!B2"/>"#));
    assert!(ksrc.contains(r#"<hyperlink ref="D8" location="'Krav'!G3" display="Krav!G3"/>"#));
    assert!(ksrc.contains(r#"<tabColor rgb="FF1F4E79"/>"#));
    for (name, _, _) in sheets(&y).iter().skip(1) {
        let p = sheet_part(&y, name);
        assert!(!part(&y, &p).unwrap().contains("tabSelected"), "{name} is still selected");
    }
    let title = look_at(&y, "Kontrol", "A1");
    assert!(title.contains("<b>") && title.contains("sz val=14") && title.contains("rgb=FF1F4E79"), "{title}");
    let header = look_at(&y, "Kontrol", "A6");
    assert!(
        header.contains("rgb=FFFFFFFF") && header.contains("fgColor rgb=FF1F4E79") && header.contains("wrapText=1"),
        "{header}"
    );
    let link = look_at(&y, "Kontrol", "D7");
    assert!(link.contains("<u>") && link.contains("rgb=FF0563C1"), "{link}");
    assert!(look_at(&y, "Kontrol", "A7").contains("fgColor rgb=FFFFC7CE"));

    // Defined names: the user's follow their sheets; Kontrol's filter is new and hidden.
    let mut expected: Vec<(String, Option<String>, String)> = defined_names(&x)
        .into_iter()
        .map(|(n, id, f)| (n, id.map(|i| (i.parse::<u32>().unwrap() + 1).to_string()), f))
        .collect();
    expected.push(("_xlnm._FilterDatabase".into(), Some("0".into()), "'Kontrol'!$A$6:$E$8".into()));
    let mut got = defined_names(&y);
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert!(part(&y, "xl/workbook.xml").unwrap().contains(r#"localSheetId="0" hidden="1""#));

    // Everything the user made in the marked sheets is there, byte for byte.
    for s in ["Projekt", "Krav"] {
        let (px, py) = (sheet_part(&x, s), sheet_part(&y, s));
        for el in ["dataValidations", "conditionalFormatting", "extLst", "cols", "pane", "autoFilter", "selection"] {
            assert_eq!(raw_elements(&x, &px, el), raw_elements(&y, &py, el), "{s}: {el}");
        }
    }
    assert_eq!(raw_elements(&x, &sheet_part(&x, "Krav"), "dataValidation").len(), 2);
    assert!(part(&y, &sheet_part(&y, "Krav")).unwrap().contains(r#"errorStyle="warning""#));
    assert!(
        raw_elements(&y, &sheet_part(&y, "Krav"), "extLst").iter().any(|e| e.contains("x14:conditionalFormatting"))
    );

    // Untouched parts are copied as they were (compressed bytes and CRC).
    for p in ["xl/sharedStrings.xml", "xl/theme/theme1.xml", &sheet_part(&x, "Beregning"), &sheet_part(&x, "Lister")] {
        assert_eq!(raw_entry(&x, p), raw_entry(&y, p), "{p}");
        assert!(raw_entry(&x, p).is_some(), "{p}");
    }

    // Marked cells: the fill is new, the rest of their look is theirs.
    for (s, a1, fill) in [
        ("Projekt", "B2", RED),
        ("Projekt", "B3", AMBER),
        ("Projekt", "B6", RED),
        ("Krav", "G3", AMBER),
        ("Krav", "K4", AMBER),
    ] {
        let (old, new) = (look_at(&x, s, a1), look_at(&y, s, a1));
        assert!(new.contains(&format!("fgColor rgb=FF{fill:06X}")), "{s}!{a1}: {new}");
        let strip_fill = |l: &str| l.split(" | ").filter(|p| !p.starts_with("fill")).collect::<Vec<_>>().join(" | ");
        assert_eq!(strip_fill(&old), strip_fill(&new), "{s}!{a1}");
    }
    assert!(look_at(&y, "Krav", "K4").contains("numfmt dd-mm-yyyy"));
    assert!(look_at(&y, "Krav", "M20").contains("fgColor rgb=FFFFC7CE"));
    assert_eq!(value(&y, "Krav", "M20"), Data::Empty);
    assert!(part(&y, &sheet_part(&y, "Krav")).unwrap().contains(r#"<dimension ref="A1:M20"/>"#));

    // Notes: Mette's is untouched and alone on B3; os2gov's are added next to it.
    let projekt = notes_of(&y, "Projekt");
    assert!(projekt.contains(&("B3".into(), "Mette".into(), "Mette:\nHusk det officielle navn".into())), "{projekt:?}");
    assert_eq!(projekt.iter().filter(|n| n.0 == "B3").count(), 1);
    assert!(projekt.iter().any(|n| n.0 == "B2" && n.1 == NOTE_AUTHOR));
    assert!(projekt.iter().any(|n| n.0 == "B6" && n.1 == NOTE_AUTHOR && n.2 == "Projektleder mangler e-mail"));
    let krav = notes_of(&y, "Krav");
    let g3 = krav.iter().find(|n| n.0 == "G3").unwrap();
    let literal = TRICKY.replace('\u{1}', "\u{FFFD}");
    assert_eq!(g3.2, format!("{literal}\n\nAnden besked"));
    assert_eq!(krav.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(), vec!["H2", "G3", "M20"]);
    let krav_src = part(&y, &sheet_part(&y, "Krav")).unwrap();
    assert!(krav_src.contains("<legacyDrawing r:id="), "Krav has no legacyDrawing");
    let vml = names(&y).into_iter().filter(|n| n.ends_with(".vml")).collect::<Vec<_>>();
    assert_eq!(vml.len(), 2, "{vml:?}");
    let ct = part(&y, "[Content_Types].xml").unwrap();
    assert_eq!(ct.matches(r#"Extension="vml""#).count(), 1);
    assert!(ct.contains(r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml""#));
    // The user's VML keeps Mette's box; ours use fresh shape ids.
    let projekt_vml = part(&y, "xl/drawings/vmlDrawing1.vml").unwrap();
    assert_eq!(projekt_vml.matches("ObjectType=\"Note\"").count(), 3);

    // The storage sheet: marker, first sheet name and the original styles.
    let store = sheet_part(&y, "_os2gov");
    assert_eq!(value(&y, "_os2gov", "A1"), Data::String(strip::MARKER.into()));
    assert_eq!(value(&y, "_os2gov", "B1"), Data::String("Kontrol".into()));
    let cells = sheet::read_cells(&part(&y, &store).unwrap(), &store, None).unwrap();
    let yellow = cells.iter().find(|c| c.inline.as_deref() == Some("Projekt!B6")).unwrap();
    let original = cells.iter().find(|c| c.row == yellow.row && c.col == 1).and_then(|c| c.s).unwrap();
    assert_eq!(original, cell_style(&x, "Projekt", "B6").unwrap());
}

#[test]
fn annotating_twice_gives_the_same_package() {
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &marks()).unwrap();
    let y2 = annotate(&y, &kontrol(), &marks()).unwrap();
    assert_eq!(sheets(&y), sheets(&y2));
    assert_eq!(sheets(&y2).iter().filter(|s| s.0 == "Kontrol").count(), 1);
    assert_eq!(sheets(&y2).iter().filter(|s| s.0 == "_os2gov").count(), 1);
    for s in ["Projekt", "Krav"] {
        assert_eq!(notes_of(&y, s), notes_of(&y2, s), "{s}");
    }
    let count = |b: &[u8], list: &str| raw_elements(b, "xl/styles.xml", list)[0].matches("<xf ").count();
    assert_eq!(count(&y, "cellXfs"), count(&y2, "cellXfs"));
    let mut n1 = names(&y);
    let mut n2 = names(&y2);
    n1.sort();
    n2.sort();
    assert_eq!(n1, n2);
    for n in &n1 {
        assert_eq!(part(&y, n), part(&y2, n), "{n} differs after a second annotation");
    }
    // And a third time, from a file whose marks changed: the old marks are gone.
    let fewer = vec![mark("Krav", "G3", RED, Some("Kun denne"))];
    let y3 = annotate(&y2, &kontrol(), &fewer).unwrap();
    assert_eq!(look_at(&y3, "Projekt", "B6"), look_at(&x, "Projekt", "B6"));
    assert_eq!(notes_of(&y3, "Krav").len(), 1);
    assert_eq!(notes_of(&y3, "Projekt"), notes_of(&x, "Projekt"));
}

#[test]
fn strip_restores_the_original() {
    let x = projektark(0);
    assert_eq!(strip(&x).unwrap(), x, "a package without annotation is returned as it was");
    let y = annotate(&x, &kontrol(), &marks()).unwrap();
    let z = strip(&y).unwrap();
    let names_of = |b: &[u8]| sheets(b).into_iter().map(|s| (s.0, s.2)).collect::<Vec<_>>();
    assert_eq!(names_of(&z), names_of(&x));
    for (s, a1) in
        [("Projekt", "B2"), ("Projekt", "B3"), ("Projekt", "B6"), ("Krav", "G3"), ("Krav", "K4"), ("Krav", "H2")]
    {
        assert_eq!(look_at(&z, s, a1), look_at(&x, s, a1), "{s}!{a1}");
    }
    assert_eq!(cell_style(&z, "Krav", "M20"), None, "the cell os2gov created is gone");
    assert_eq!(notes_of(&z, "Projekt"), notes_of(&x, "Projekt"));
    assert!(notes_of(&z, "Krav").is_empty());
    assert!(!part(&z, &sheet_part(&z, "Krav")).unwrap().contains("legacyDrawing"));
    assert_eq!(names(&z).iter().filter(|n| n.ends_with(".vml")).count(), 1);
    // The user's own notes part and drawing are back to exactly what they were.
    for p in ["xl/comments1.xml", "xl/drawings/vmlDrawing1.vml", "xl/worksheets/_rels/sheet1.xml.rels"] {
        assert_eq!(part(&z, p), part(&x, p), "{p}");
    }
    assert_eq!(defined_names(&z), defined_names(&x));
    assert_eq!(part(&z, "xl/workbook.xml"), part(&x, "xl/workbook.xml"));
    let ct_x = part(&x, "[Content_Types].xml").unwrap();
    let ct_z = part(&z, "[Content_Types].xml").unwrap();
    assert_eq!(ct_z.matches("<Override").count(), ct_x.matches("<Override").count());
    // The sheets os2gov did not mark are still byte-identical.
    assert_eq!(raw_entry(&z, &sheet_part(&x, "Beregning")), raw_entry(&x, &sheet_part(&x, "Beregning")));
    assert_eq!(strip(&z).unwrap(), z);
}

#[test]
fn strip_follows_cells_the_user_moved() {
    // When the user inserts a row above a marked cell, the cell (with os2gov's style) moves
    // down and Excel or LibreOffice rewrite the storage sheet's formula; here B6 "moved" up to
    // B5, and G3 was deleted.
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &marks()).unwrap();
    let store = sheet_part(&y, "_os2gov");
    let src = part(&y, &store).unwrap();
    assert!(src.contains("<f>'Projekt'!B6</f>"), "{src}");
    let moved = src.replace("<f>'Projekt'!B6</f>", "<f>'Projekt'!B5</f>").replace("<f>'Krav'!G3</f>", "<f>#REF!</f>");
    let y = with_part(&y, &store, Some(moved.as_bytes()));
    let p = sheet_part(&y, "Projekt");
    let sheet_src = part(&y, &p).unwrap();
    let ops = [((4, 1), sheet::Op::Restore { style: cell_style(&y, "Projekt", "B6").unwrap(), marked: None })].into();
    let pass = sheet::run(&sheet_src, &p, &ops, false, &mut |_| Ok(None)).unwrap();
    let y = with_part(&y, &p, Some(pass.edits.apply(&sheet_src, &p).unwrap().as_bytes()));

    let z = strip(&y).unwrap();
    assert_eq!(look_at(&z, "Projekt", "B5"), look_at(&x, "Projekt", "B6"));
    assert!(look_at(&z, "Krav", "G3").contains("FFFFEB9C"), "a deleted cell is not restored elsewhere");
    assert_eq!(look_at(&z, "Krav", "K4"), look_at(&x, "Krav", "K4"));
}

#[test]
fn strip_keeps_formatting_the_user_changed_after_annotation() {
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &marks()).unwrap();
    // The user makes B6 bold (keeping os2gov's red) and gives B2 a green fill of their own.
    let mut pkg = package::Package::open(&y).unwrap();
    let mut wb = workbook::Workbook::load(&mut pkg).unwrap();
    let mut st = styles::Styles::load(&mut pkg, &wb).unwrap();
    let bold_red = st.with_fill(1, RED).unwrap();
    let green = st.with_fill(cell_style(&y, "Projekt", "B2").unwrap(), 0x00FF00).unwrap();
    let mut ct = package::ContentTypes::load(&mut pkg).unwrap();
    st.save(&mut pkg, &mut wb.rels, &mut ct).unwrap();
    let p = sheet_part(&y, "Projekt");
    let src = part(&y, &p).unwrap();
    let ops = [((5, 1), bold_red), ((1, 1), green)]
        .into_iter()
        .map(|(k, s)| (k, sheet::Op::Restore { style: s, marked: None }))
        .collect();
    let pass = sheet::run(&src, &p, &ops, false, &mut |_| Ok(None)).unwrap();
    pkg.write(&p, pass.edits.apply(&src, &p).unwrap().into_bytes());
    let y = pkg.finish().unwrap();
    assert!(look_at(&y, "Projekt", "B6").contains("<b>"));

    let z = strip(&y).unwrap();
    let b6 = look_at(&z, "Projekt", "B6");
    assert!(b6.contains("<b>") && b6.contains("rgb=FFFFFF00"), "bold stays, the original yellow is back: {b6}");
    assert!(look_at(&z, "Projekt", "B2").contains("rgb=FF00FF00"), "the user's own fill stays");
    assert_eq!(look_at(&z, "Krav", "K4"), look_at(&x, "Krav", "K4"), "untouched marks are restored exactly");
}

#[test]
fn notes_are_stripped_even_without_the_storage_sheet() {
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &marks()).unwrap();
    // The user deleted _os2gov by hand (Excel keeps the parts consistent; so do we here).
    let mut pkg = package::Package::open(&y).unwrap();
    let wb = workbook::Workbook::load(&mut pkg).unwrap();
    let i = wb.index_of("_os2gov").unwrap();
    let p = wb.sheets[i].part.clone().unwrap();
    pkg.remove(&p);
    wb.apply(&mut pkg, workbook::Plan { remove: vec![i], ..Default::default() }).unwrap();
    let y = pkg.finish().unwrap();
    assert_eq!(sheets(&y).len(), 5);

    let z = strip(&y).unwrap();
    assert_eq!(
        sheets(&z).iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        vec!["Projekt", "Krav", "Lister", "Beregning"]
    );
    assert_eq!(notes_of(&z, "Projekt"), notes_of(&x, "Projekt"));
    assert!(notes_of(&z, "Krav").is_empty());
    // Fills stay (nothing remembers the originals).
    assert!(look_at(&z, "Projekt", "B6").contains("FFFFC7CE"));
}

#[test]
fn a_users_own_kontrol_sheet_is_never_removed() {
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Kontrol").unwrap().write_string(0, 0, "Mine egne kontroller").unwrap();
    wb.add_worksheet().set_name("Projekt").unwrap().write_string(0, 0, "x").unwrap();
    let x = wb.save_to_buffer().unwrap();
    assert_eq!(strip(&x).unwrap(), x);
    let y = annotate(&x, &kontrol(), &[mark("Projekt", "A1", RED, Some("n"))]).unwrap();
    let got: Vec<String> = sheets(&y).into_iter().map(|s| s.0).collect();
    assert_eq!(got, vec!["Kontrol (2)", "Kontrol", "Projekt", "_os2gov"]);
    let y2 = annotate(&y, &kontrol(), &[mark("Projekt", "A1", RED, Some("n"))]).unwrap();
    assert_eq!(sheets(&y2).into_iter().map(|s| s.0).collect::<Vec<_>>(), got);
    let z = strip(&y2).unwrap();
    assert_eq!(sheets(&z).into_iter().map(|s| s.0).collect::<Vec<_>>(), vec!["Kontrol", "Projekt"]);
    assert_eq!(value(&z, "Kontrol", "A1"), Data::String("Mine egne kontroller".into()));
    // The user deleted os2gov's "Kontrol (2)" by hand; their own Kontrol is now first and stays.
    let mut pkg = package::Package::open(&y2).unwrap();
    let wb = workbook::Workbook::load(&mut pkg).unwrap();
    wb.apply(&mut pkg, workbook::Plan { remove: vec![0], ..Default::default() }).unwrap();
    let deleted = pkg.finish().unwrap();
    let z = strip(&deleted).unwrap();
    assert_eq!(sheets(&z).into_iter().map(|s| s.0).collect::<Vec<_>>(), vec!["Kontrol", "Projekt"]);
}

#[test]
fn new_sheet_text_stays_literal() {
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &[]).unwrap();
    let literal = TRICKY.replace('\u{1}', "\u{FFFD}");
    assert_eq!(value(&y, "Kontrol", "A4"), Data::String(literal));
    assert_eq!(value(&y, "Kontrol", "B4"), Data::String("<script>alert(1)</script>".into()));
    let formulas = calamine(&y).worksheet_formula("Kontrol").unwrap();
    assert!(formulas.is_empty(), "{formulas:?}");
    let src = part(&y, &sheet_part(&y, "Kontrol")).unwrap();
    assert!(src.contains("&lt;script&gt;") && !src.contains("<f>"));
    assert!(src.contains("_x005F_x0041_"));
}

#[test]
fn the_new_sheet_prints_landscape_one_page_wide_with_tall_enough_rows() {
    let x = projektark(0);
    let mut k = kontrol();
    let long = "ord ".repeat(120);
    k.cells.push(NewCell { row: 1, col: 1, value: CellValue::Text(long.clone()), look: Look::Wrap, link: None });
    k.merges.push((1, 1, 1, 4));
    k.print =
        Some(Print { landscape: true, repeat_rows: Some((5, 5)), footer: Some("&LKontrol – A&&B&RSide &P".into()) });
    let y = annotate(&x, &k, &[]).unwrap();
    let (src, sheet) = tree(&y, &sheet_part(&y, "Kontrol"));
    let setup = &find_all(&sheet, "pageSetup")[0];
    assert_eq!(setup.attr("orientation").as_deref(), Some("landscape"));
    assert_eq!((setup.attr("fitToWidth").as_deref(), setup.attr("fitToHeight").as_deref()), (Some("1"), Some("0")));
    assert_eq!(find_all(&sheet, "pageSetUpPr")[0].attr("fitToPage").as_deref(), Some("1"));
    assert_eq!(find_all(&sheet, "mergeCell")[0].attr("ref").as_deref(), Some("B2:E2"));
    assert!(src.contains("<oddFooter>&amp;LKontrol – A&amp;&amp;B&amp;RSide &amp;P</oddFooter>"), "{src}");
    let height = |r: &str| {
        find_all(&sheet, "row").iter().find(|n| n.attr("r").as_deref() == Some(r)).and_then(|n| {
            n.attr("ht").map(|h| (h.parse::<f64>().unwrap(), n.attr("customHeight").map(|c| c.into_owned())))
        })
    };
    // 480 characters over B–E (8.43 + 8.43 + 8.43 + 70): several lines, fixed (merged).
    let (h, custom) = height("2").unwrap();
    assert!((60.0..=150.0).contains(&h), "{h}");
    assert_eq!(custom.as_deref(), Some("1"));
    // A wrapped message of 60 characters at width 70 is one line: no height needed; the
    // TRICKY text in A4 (width 12) wraps and its row is tall, but adjustable.
    assert_eq!(height("7"), None);
    let (h, custom) = height("4").unwrap();
    assert!(h > 15.0 && custom.is_none(), "{h} {custom:?}");
    // The header row is printed on every page.
    let names = defined_names(&y);
    assert!(names.contains(&("_xlnm.Print_Titles".into(), Some("0".into()), "'Kontrol'!$6:$6".into())), "{names:?}");
    // Annotating again replaces the names rather than adding to them.
    let z = annotate(&y, &k, &[]).unwrap();
    assert_eq!(defined_names(&z).iter().filter(|(n, _, _)| n == "_xlnm.Print_Titles").count(), 1);
}

#[test]
fn prefixed_and_minimal_packages() {
    // Every part uses the `x:` prefix; no styles, no shared strings; a row with implicit numbers.
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let root_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = format!(
        r#"<?xml version="1.0"?><x:workbook xmlns:x="{main}" xmlns:rel="{rel}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:AlternateContent><mc:Choice Requires="x15"><foo/></mc:Choice></mc:AlternateContent><x:sheets><x:sheet name="Data" sheetId="3" rel:id="rId7"/></x:sheets><x:calcPr calcId="191029"/></x:workbook>"#
    );
    let wb_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<?xml version="1.0"?><x:worksheet xmlns:x="{main}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row/></x:sheetData><x:tableParts count="0"/></x:worksheet>"#
    );
    let x = zip_of(&[
        ("[Content_Types].xml", ct),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", &wb),
        ("xl/_rels/workbook.xml.rels", wb_rels),
        ("xl/worksheets/sheet1.xml", &sheet),
    ]);
    assert_eq!(strip(&x).unwrap(), x);
    let marks =
        [mark("data", "B1", RED, Some("to")), mark("Data", "A2", RED, None), mark("Data", "C5", AMBER, Some("fem"))];
    let y = annotate(&x, &kontrol(), &marks).unwrap();
    let wb_y = part(&y, "xl/workbook.xml").unwrap();
    assert!(wb_y.contains(r#"<x:sheet name="Kontrol" sheetId="4" rel:id="rId9"/><x:sheet name="Data""#), "{wb_y}");
    assert!(wb_y.contains(r#"<x:sheet name="_os2gov" sheetId="5" state="veryHidden" rel:id="rId10"/></x:sheets><x:definedNames><x:definedName name="_xlnm._FilterDatabase""#), "{wb_y}");
    let s = part(&y, "xl/worksheets/sheet1.xml").unwrap();
    assert!(s.contains(r#"<x:c s="1"><x:v>2</x:v></x:c></x:row><x:row><x:c r="A2" s="1"/></x:row><x:row r="5"><x:c r="C5" s="2"/></x:row></x:sheetData>"#), "{s}");
    assert!(s.contains(r#"<x:legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/><x:tableParts"#), "{s}");
    assert!(names(&y).contains(&"xl/styles.xml".to_string()));
    // Everything new parses, and reading it back works.
    for n in names(&y).iter().filter(|n| n.ends_with(".xml") || n.ends_with(".rels")) {
        parse_tree(&part(&y, n).unwrap(), n).unwrap();
    }
    assert_eq!(value(&y, "Data", "B1"), Data::Float(2.0));
    assert_eq!(value(&y, "Kontrol", "A1"), Data::String("Kontrol af projektark P 1".into()));
    let z = strip(&y).unwrap();
    assert_eq!(sheets(&z).len(), 1);
    assert_eq!(part(&z, "xl/workbook.xml").unwrap(), wb);
    let zs = part(&z, "xl/worksheets/sheet1.xml").unwrap();
    assert!(!zs.contains("legacyDrawing") && !zs.contains("C5") && !zs.contains(r#"r="A2""#), "{zs}");
}

#[test]
fn malformed_input_is_an_error_never_a_panic() {
    let x = projektark(0);
    let k = kontrol();
    let m = marks();
    assert!(annotate(b"not a zip", &k, &m).is_err());
    assert!(strip(b"").is_err());
    let krav = sheet_part(&x, "Krav");
    let src = part(&x, &krav).unwrap();
    let truncated = with_part(&x, &krav, Some(&src.as_bytes()[..src.len() / 2]));
    assert!(annotate(&truncated, &k, &m).is_err());
    for missing in ["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "[Content_Types].xml", "_rels/.rels"] {
        let broken = with_part(&x, missing, None);
        let e = annotate(&broken, &k, &m).unwrap_err();
        assert!(!e.0.is_empty(), "{missing}");
        assert!(strip(&broken).is_err(), "{missing}");
    }
    assert!(annotate(&with_part(&x, "xl/styles.xml", Some(b"<styleSheet><fonts>")), &k, &m).is_err());
    assert!(annotate(&with_part(&x, &krav, Some(&[0xFF, 0xFE, 0x00])), &k, &m).is_err());

    // Damage every part we may read in many ways: no panics, whatever the outcome.
    let y = annotate(&x, &k, &m).unwrap();
    for base in [&x, &y] {
        for name in names(base) {
            let Some(content) = part(base, &name) else { continue };
            let bytes = content.as_bytes();
            let n = bytes.len();
            let mut variants: Vec<Vec<u8>> = (1..5).map(|i| bytes[..n * i / 5].to_vec()).collect();
            for i in (0..n).step_by((n / 8).max(1)) {
                for b in [b'<', b'"', b'/'] {
                    let mut v = bytes.to_vec();
                    v[i] = b;
                    variants.push(v);
                }
            }
            for v in variants {
                let damaged = with_part(base, &name, Some(&v));
                if std::ptr::eq(base, &x) {
                    let _ = annotate(&damaged, &k, &m);
                } else {
                    let _ = strip(&damaged);
                }
            }
        }
    }
}

#[test]
fn styles_do_not_grow_with_repeated_annotation() {
    let x = projektark(0);
    let mut y = x.clone();
    for _ in 0..4 {
        y = annotate(&y, &kontrol(), &marks()).unwrap();
    }
    let once = annotate(&x, &kontrol(), &marks()).unwrap();
    assert_eq!(part(&y, "xl/styles.xml"), part(&once, "xl/styles.xml"));
}

/// Converts with LibreOffice; None when soffice is not installed (fails under CI=true).
#[allow(clippy::print_stderr)]
fn soffice(input: &[u8], filter: &str, ext: &str) -> Option<(tempfile::TempDir, Vec<std::path::PathBuf>)> {
    let found = std::process::Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "soffice is required in CI");
        eprintln!("soffice not found: LibreOffice check skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.xlsx");
    std::fs::write(&file, input).unwrap();
    let out = dir.path().join("out");
    let profile = dir.path().join("profile");
    let status = std::process::Command::new("soffice")
        .arg("--headless")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .arg("--convert-to")
        .arg(filter)
        .arg("--outdir")
        .arg(&out)
        .arg(&file)
        .output()
        .unwrap();
    let mut files: Vec<_> =
        std::fs::read_dir(&out).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    assert!(!files.is_empty(), "LibreOffice wrote nothing: {status:?}");
    Some((dir, files))
}

#[test]
fn libreoffice_opens_the_annotated_file_and_its_resave_strips_cleanly() {
    let x = projektark(0);
    let y = annotate(&x, &kontrol(), &marks()).unwrap();
    let csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    let Some((_dir, files)) = soffice(&y, csv, "csv") else { return };
    let stems: Vec<String> = files.iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    for s in ["Kontrol", "Projekt", "Krav", "Lister", "Beregning"] {
        assert!(stems.iter().any(|f| f.ends_with(&format!("-{s}"))), "no CSV for {s}: {stems:?}");
    }
    let kontrol_csv = files.iter().find(|p| p.to_string_lossy().ends_with("-Kontrol.csv")).unwrap();
    let text = std::fs::read_to_string(kontrol_csv).unwrap();
    assert!(text.contains("Kontrol af projektark P 1") && text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("=HYPERLINK"), "the formula-like text is text: {text}");

    // LibreOffice re-saves the annotated file (rewriting styles, parts and ids); strip still
    // finds the originals and os2gov's notes.
    let Some((_d1, saved)) = soffice(&y, "xlsx:Calc MS Excel 2007 XML", "xlsx") else { return };
    let resaved = std::fs::read(&saved[0]).unwrap();
    let Some((_d2, plain)) = soffice(&x, "xlsx:Calc MS Excel 2007 XML", "xlsx") else { return };
    let plain = std::fs::read(&plain[0]).unwrap();
    let z = strip(&resaved).unwrap();
    let got: Vec<String> = calamine(&z).sheet_names();
    assert_eq!(got, vec!["Projekt", "Krav", "Lister", "Beregning"]);
    for (s, a1) in [("Projekt", "B2"), ("Projekt", "B6"), ("Krav", "G3"), ("Krav", "K4")] {
        let fill = |b: &[u8]| look_at(b, s, a1).split(" | ").find(|p| p.starts_with("fill")).unwrap().to_string();
        assert_eq!(fill(&z), fill(&plain), "{s}!{a1}");
    }
    // LibreOffice writes every author as " ", so the cells os2gov remembers decide.
    let cells = |b: &[u8], s: &str| notes_of(b, s).into_iter().map(|n| (n.0, n.2)).collect::<Vec<_>>();
    assert_eq!(cells(&z, "Projekt"), cells(&plain, "Projekt"));
    assert_eq!(cells(&z, "Projekt").len(), 1);
    assert!(cells(&z, "Krav").is_empty());
    // And the stripped file can be annotated again.
    let again = annotate(&z, &kontrol(), &marks()).unwrap();
    assert_eq!(calamine(&again).sheet_names()[0], "Kontrol");
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
#[allow(clippy::print_stdout)]
fn timing() {
    for (extra, guidance, what) in timing_cases() {
        let x = projektark_with(extra, guidance);
        let n = 50;
        let start = std::time::Instant::now();
        let mut y = Vec::new();
        for _ in 0..n {
            y = annotate(&x, &kontrol(), &marks()).unwrap();
        }
        let once = start.elapsed() / n;
        let start = std::time::Instant::now();
        for _ in 0..n {
            let _ = annotate(&y, &kontrol(), &marks()).unwrap();
        }
        let again = start.elapsed() / n;
        let start = std::time::Instant::now();
        for _ in 0..n {
            let _ = strip(&y).unwrap();
        }
        let stripped = start.elapsed() / n;
        println!(
            "{what:>10}: {:>7} bytes in, {:>7} out: annotate {once:?}, re-annotate {again:?}, strip {stripped:?}",
            x.len(),
            y.len()
        );
    }
    // Many marks with notes (a badly filled-in sheet).
    let x = projektark_with(3000, 0);
    let many: Vec<Mark> = (1..2001).map(|r| mark("Krav", &format!("G{r}"), RED, Some("Mangler svar"))).collect();
    let start = std::time::Instant::now();
    let y = annotate(&x, &kontrol(), &many).unwrap();
    let once = start.elapsed();
    let start = std::time::Instant::now();
    let z = strip(&y).unwrap();
    println!("2000 marks with notes: annotate {once:?}, strip {:?}", start.elapsed());
    assert_eq!(notes_of(&y, "Krav").len(), 2000);
    assert!(notes_of(&z, "Krav").is_empty());
}

fn timing_cases() -> Vec<(u32, u32, &'static str)> {
    match std::env::var("OOXML_TIMING").as_deref() {
        Ok("small") => vec![(0, 0, "small")],
        _ => vec![(0, 0, "small"), (55, 250, "realistic"), (300, 0, "dense"), (3000, 0, "very dense")],
    }
}
/// Annotates and strips every workbook in `OOXML_CORPUS` (a folder of .xlsx/.xlsm files made
/// by other programs) and checks that values survive and the sheet list comes back.
#[test]
#[ignore = "needs OOXML_CORPUS=<folder>"]
#[allow(clippy::print_stdout)]
fn corpus() {
    let Ok(dir) = std::env::var("OOXML_CORPUS") else { return };
    let out = std::env::var("OOXML_CORPUS_OUT").ok();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "xlsm"));
    files.sort();
    let (mut ok, mut refused, mut unreadable) = (0, 0, 0);
    for path in files {
        let x = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(mut before) = Xlsx::new(Cursor::new(x.clone())) else {
            unreadable += 1;
            continue;
        };
        let sheet_names = before.sheet_names();
        let marks: Vec<Mark> = sheet_names
            .iter()
            .take(3)
            .flat_map(|s| {
                [
                    mark(s, "A1", RED, Some("os2gov note A1")),
                    mark(s, "B2", AMBER, None),
                    mark(s, "D40", RED, Some("far")),
                ]
            })
            .collect();
        let y = match annotate(&x, &kontrol(), &marks) {
            Ok(y) => y,
            Err(e) => {
                println!("{name}: refused: {e}");
                refused += 1;
                continue;
            }
        };
        if let Some(out) = &out {
            std::fs::write(format!("{out}/{name}"), &y).unwrap();
        }
        let mut after =
            Xlsx::new(Cursor::new(y.clone())).unwrap_or_else(|e| panic!("{name}: calamine cannot read: {e}"));
        let mut expected = vec!["Kontrol".to_string()];
        expected.extend(sheet_names.iter().cloned());
        expected.push("_os2gov".into());
        assert_eq!(after.sheet_names(), expected, "{name}");
        for s in &sheet_names {
            let (a, b) = (before.worksheet_range(s), after.worksheet_range(s));
            if let (Ok(a), Ok(b)) = (a, b) {
                assert_eq!(a, b, "{name}: {s} values changed");
            }
        }
        let y2 = annotate(&y, &kontrol(), &marks).unwrap_or_else(|e| panic!("{name}: second annotation: {e}"));
        assert_eq!(Xlsx::new(Cursor::new(y2)).unwrap().sheet_names(), expected, "{name}: second annotation");
        let z = strip(&y).unwrap_or_else(|e| panic!("{name}: strip: {e}"));
        assert_eq!(Xlsx::new(Cursor::new(z.clone())).unwrap().sheet_names(), sheet_names, "{name}: strip");
        assert_eq!(strip(&x).unwrap(), x, "{name}: strip of an unannotated file");
        ok += 1;
    }
    println!("corpus: {ok} ok, {refused} refused, {unreadable} unreadable by calamine");
}

// ---- input nested arbitrarily deep ---------------------------------------------------------

/// `depth` nested elements.
fn nest(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 15);
    s.push_str(&"<deep>".repeat(depth));
    s.push_str(&"</deep>".repeat(depth));
    s
}

/// The package with `nest(depth)` put into `part` just before the end tag of the element
/// whose end tag is `before` (its last occurrence).
fn deepened(bytes: &[u8], part_name: &str, before: &str, depth: usize) -> Vec<u8> {
    let src = part(bytes, part_name).unwrap_or_else(|| panic!("{part_name} missing"));
    let at = src.rfind(before).unwrap_or_else(|| panic!("{before} not in {part_name}"));
    let changed = format!("{}{}{}", &src[..at], nest(depth), &src[at..]);
    with_part(bytes, part_name, Some(changed.as_bytes()))
}

/// Runs `f` on a thread with a small stack: a recursion over the depth would overflow it
/// (and abort the whole test binary), an iterative walk does not.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(512 * 1024).spawn(f).unwrap().join().unwrap()
}

#[test]
fn parts_nested_100000_deep_are_built_walked_and_dropped_without_recursion() {
    const DEPTH: usize = 100_000;
    let x = projektark(0);
    let cases = [
        ("[Content_Types].xml", "</Types>"),
        ("_rels/.rels", "</Relationships>"),
        ("xl/_rels/workbook.xml.rels", "</Relationships>"),
        ("xl/workbook.xml", "</workbook>"),
        ("xl/styles.xml", "</styleSheet>"),
        // Inside a style record, which is cloned and compared in canonical form.
        ("xl/styles.xml", "</font>"),
        ("xl/comments1.xml", "</comments>"),
        // Inside a note's text, which is read as text.
        ("xl/comments1.xml", "</text>"),
    ];
    for (name, before) in cases {
        let deep = deepened(&x, name, before, DEPTH);
        let (k, m) = (kontrol(), marks());
        let annotated = on_small_stack(move || annotate(&deep, &k, &m));
        let y = annotated.unwrap_or_else(|e| panic!("{name} before {before}: {e}"));
        // The user's deep content is kept as it was, and stripping works on it too.
        assert!(part(&y, name).unwrap().contains(&nest(DEPTH)), "{name}");
        let stripped = on_small_stack(move || strip(&y));
        assert!(stripped.is_ok(), "{name}: {stripped:?}");
    }
}

#[test]
fn trees_are_cloned_compared_and_dropped_iteratively() {
    let src = format!("<a x=\"1\">{}<b>t</b></a>", nest(200_000));
    let copy = on_small_stack(move || {
        let tree = parse_tree(&src, "p").unwrap();
        let copy = tree.clone();
        assert_eq!(canonical(&copy), canonical(&tree));
        let mut text = String::new();
        copy.deep_text(&mut text);
        assert_eq!(text, "t");
        assert_eq!(copy.descendants().count(), 200_002);
        format!("{copy:?}")
    });
    assert!(copy.contains("children: 2"), "{copy}");
}

#[test]
fn a_part_with_too_many_elements_is_an_error() {
    let src = format!("<a>{}</a>", "<b/>".repeat(xml::MAX_ELEMENTS));
    let e = parse_tree(&src, "xl/styles.xml").unwrap_err();
    assert!(e.0.contains("xl/styles.xml") && e.0.contains("elements"), "{e}");
    assert!(parse_tree(&format!("<a>{}</a>", "<b/>".repeat(xml::MAX_ELEMENTS - 1)), "p").is_ok());
}

#[test]
fn a_part_too_large_to_edit_is_an_error_not_a_memory_spike() {
    let x = projektark(0);
    let krav = sheet_part(&x, "Krav");
    let src = part(&x, &krav).unwrap();
    let at = src.rfind("</worksheet>").unwrap();
    let padding = " ".repeat(package::MAX_PART as usize);
    let big = format!("{}{padding}{}", &src[..at], &src[at..]);
    let e = annotate(&with_part(&x, &krav, Some(big.as_bytes())), &kontrol(), &marks()).unwrap_err();
    assert!(e.0.contains(&krav) && e.0.contains("too large"), "{e}");
}

/// Setting values and annotating in one edit of the package gives the package that
/// setting the values, writing it and annotating that gives: the same entries in the same
/// order with the same contents – also for an annotated copy annotated again (the strip
/// step then runs over parts the value step changed), and with a value set in a cell that
/// is also marked. Near miss: no value applies (only cells that do not exist) – the edit
/// is then the plain annotation.
#[test]
fn setting_values_and_annotating_in_one_edit_equals_the_two_steps() {
    let values = vec![
        ("Krav".to_string(), cell("G4"), CellValue::Text("Gul".into())),
        ("Krav".to_string(), cell("E2"), CellValue::Text("Accepteret <&>".into())),
        ("krav".to_string(), cell("K4"), CellValue::Number(46000.0)),
        ("Krav".to_string(), cell("Z99"), CellValue::Text("findes ikke".into())),
    ];
    let absent = vec![("Krav".to_string(), cell("Z99"), CellValue::Text("findes ikke".into()))];
    let fresh = projektark(3);
    let again = annotate(&fresh, &kontrol(), &marks()).unwrap();
    for (input, values, set_count) in [(&fresh, &values, 3), (&again, &values, 3), (&fresh, &absent, 0)] {
        let (shown, set_two) = set_values(input, values).unwrap();
        let two = annotate(&shown, &kontrol(), &marks()).unwrap();
        let (one, set_one) = set_values_and_annotate(input, values, &kontrol(), &marks()).unwrap();
        assert_eq!(set_one, set_two);
        assert_eq!(set_one.len(), set_count);
        assert_eq!(names(&one), names(&two));
        for name in names(&two) {
            assert_eq!(part(&one, &name), part(&two, &name), "{name} differs");
        }
        if set_count > 0 {
            assert_eq!(value(&one, "Krav", "G4"), Data::String("Gul".into()));
            assert_eq!(value(&one, "Krav", "E2"), Data::String("Accepteret <&>".into()));
        } else {
            assert_eq!(value(&one, "Krav", "G4"), value(input, "Krav", "G4"));
        }
    }
}

/// A sheet os2gov does not mark loses its `tabSelected` also when the attribute stands
/// beyond the first 4 KB of the part (a long first view before it), where the head read
/// in the first step ends; the near miss: a sheet with as long a head and no selection is
/// copied untouched (raw, the same compressed bytes).
#[test]
fn tab_selected_beyond_the_first_head_is_cleared_and_an_unselected_sheet_stays_untouched() {
    let x = projektark(0);
    let lister = sheet_part(&x, "Lister");
    let sqref: Vec<String> = (1..=900).map(|r| format!("A{r}")).collect();
    let long_view = format!(r#"<sheetView workbookViewId="0"><selection sqref="{}"/></sheetView>"#, sqref.join(" "));
    assert!(long_view.len() > 4096);
    let sheet = |second_view: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews>{long_view}{second_view}</sheetViews><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Svar</t></is></c></row></sheetData></worksheet>"#
        )
    };
    let selected = with_part(&x, &lister, Some(sheet(r#"<sheetView tabSelected="1" workbookViewId="1"/>"#).as_bytes()));
    let y = annotate(&selected, &kontrol(), &marks()).unwrap();
    let src = part(&y, &lister).unwrap();
    assert!(!src.contains("tabSelected=\"1\""), "Lister is still selected");
    assert!(src.contains(&long_view));
    let unselected = with_part(&x, &lister, Some(sheet(r#"<sheetView workbookViewId="1"/>"#).as_bytes()));
    let y = annotate(&unselected, &kontrol(), &marks()).unwrap();
    assert_eq!(raw_entry(&y, &lister), raw_entry(&unselected, &lister));
}

/// A sheet pass that read the whole part proves its edits by looking only at them: marks on
/// existing cells, new cells in existing rows and new rows all are; the result is what the
/// plain edit gives, and it is well-formed.
#[test]
fn a_marked_sheet_is_proven_by_its_own_edits() {
    let x = projektark(0);
    let p = sheet_part(&x, "Krav");
    let src = part(&x, &p).unwrap();
    // An existing cell, a cell to the right of a row's cells, a row below all rows.
    let ops = [(2, 3), (3, 40), (500, 2)].into_iter().map(|k| (k, sheet::Op::Mark { fill: RED })).collect();
    let mut restyle = |_: sheet::Ask| Ok(Some(7));
    let pass = sheet::run(&src, &p, &ops, true, &mut restyle).unwrap();
    let inside = pass.inside.expect("the whole part was read");
    assert!(src[..inside.0].trim_end().ends_with('>') && src[inside.1..].starts_with("</"), "{inside:?}");
    let plain = sheet::run(&src, &p, &ops, true, &mut restyle).unwrap().edits.apply(&src, &p).unwrap();
    let (text, proven) = pass.edits.apply_proven(&src, &p, inside).unwrap();
    assert!(proven);
    assert_eq!(text, plain);
    assert!(crate::ooxml::xml::check_well_formed(text.as_bytes(), &p).is_ok());
}

/// The near misses: an edit that lands inside a tag, changes which elements are open,
/// reaches outside the root or brings malformed markup of its own is not proven (the whole
/// part is then checked as before); a well-formed element inserted between two tags is.
#[test]
fn an_edit_that_cannot_be_proven_is_left_to_the_whole_check() {
    use crate::ooxml::xml::Edits;
    let src =
        r#"<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#;
    let pass = sheet::run(src, "s.xml", &[((0, 0), sheet::Op::Mark { fill: RED })].into(), true, &mut |_| Ok(Some(3)))
        .unwrap();
    let inside = pass.inside.unwrap();
    let row = src.find("<row").unwrap();
    let cell = src.find("<c ").unwrap();
    let proven = |edit: &dyn Fn(&mut Edits)| {
        let mut e = Edits::default();
        edit(&mut e);
        e.apply_proven(src, "s.xml", inside).unwrap().1
    };
    assert!(proven(&|e| e.insert(cell, r#"<c r="Z1" s="2"/>"#)));
    assert!(proven(&|e| e.replace(row, cell, r#"<row r="1" spans="1:2">"#)));
    assert!(!proven(&|e| e.insert(cell + 2, r#"<c r="Z1"/>"#)), "inside a tag");
    assert!(!proven(&|e| e.replace(row, cell, r#"<rox r="1">"#)), "another element left open");
    assert!(!proven(&|e| e.replace(row, cell, r#"<row r="1"/>"#)), "the row no longer open");
    assert!(!proven(&|e| e.insert(cell, "<c>")), "an element left open");
    assert!(!proven(&|e| e.insert(src.find("<worksheet").unwrap(), "<x/>")), "outside the root");
    assert!(!proven(&|e| e.insert(src.len(), "<x/>")), "after the root");
    assert!(!proven(&|e| e.insert(cell, "<c r=Z1/>")), "an unquoted value");
    assert!(!proven(&|e| e.insert(cell, "a & b")), "a bare &");

    // A pass that did not read the whole part, or found text outside the root, proves nothing.
    let early = sheet::run(src, "s.xml", &Default::default(), true, &mut |_| Ok(None)).unwrap();
    assert_eq!(early.inside, None);
    let stray = format!("{src}x");
    let pass =
        sheet::run(&stray, "s.xml", &[((0, 0), sheet::Op::Mark { fill: RED })].into(), true, &mut |_| Ok(Some(3)));
    assert_eq!(pass.unwrap().inside, None);
    let cut = &src[..src.find("</sheetData>").unwrap()];
    let pass = sheet::run(cut, "s.xml", &[((0, 0), sheet::Op::Mark { fill: RED })].into(), true, &mut |_| Ok(Some(3)));
    assert!(pass.is_err() || pass.unwrap().inside.is_none(), "a cut part");
}

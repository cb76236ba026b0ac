//! What people look at in the workbooks os2gov writes: rows as tall as their wrapped text,
//! print setup (landscape, one page wide, the header on every page), Kontrol's two tables
//! apart, the portfolio's alignment, highlighting and charts – read back from the package
//! XML.

use crate::util::{TestDir, cells};
use crate::xml;
use std::path::Path;

/// The height of a row (1-based), or 15 (Excel's default) when it has none.
fn height(path: &Path, sheet: &str, row: u32) -> f64 {
    xml::row_heights(path, sheet).get(&row).map_or(15.0, |(h, _)| *h)
}

#[track_caller]
fn assert_prints_landscape_one_page_wide(path: &Path, sheet: &str, pages_wide: &str) {
    let (setup, fit) = xml::page_setup(path, sheet);
    assert!(fit, "{sheet}: fitToPage");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"), "{sheet}: {setup:?}");
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"), "{sheet}: A4");
    // fitToWidth defaults to 1 when absent.
    assert_eq!(setup.get("fitToWidth").map_or("1", String::as_str), pages_wide, "{sheet}: {setup:?}");
    assert_eq!(setup.get("fitToHeight").map(String::as_str), Some("0"), "{sheet}: as many pages down as needed");
}

#[track_caller]
fn assert_print_titles(path: &Path, sheet_index: usize, expected: &str) {
    let names = xml::defined_names(path);
    let titles = names
        .iter()
        .find(|(n, local, _)| n == "_xlnm.Print_Titles" && local.as_deref() == Some(&sheet_index.to_string()))
        .unwrap_or_else(|| panic!("no print titles on sheet {sheet_index}: {names:?}"));
    assert_eq!(titles.2, expected);
}

#[test]
fn the_template_and_the_styringsmodel_have_rows_as_tall_as_their_text() {
    let dir = TestDir::new().init();
    dir.run(&["template", "-o", "skabelon.xlsx"]).code(0);
    for (path, guide_first_row) in [(dir.join("skabelon.xlsx"), 4), (dir.join("styringsmodel.xlsx"), 3)] {
        // Vejledning: every paragraph (column B, 100 wide) gets a row as tall as its lines.
        let guide = cells(&path, "Vejledning");
        let heights = xml::row_heights(&path, "Vejledning");
        let mut checked = 0;
        for (r, row) in guide.iter().enumerate().skip(guide_first_row as usize - 1) {
            let Some(body) = row.get(1).filter(|b| !b.is_empty()) else { continue };
            let lines = os2gov::xlsx::text_lines(body, 100.0, false);
            let expected = os2gov::xlsx::lines_height(lines, 11.0);
            let got = heights.get(&(r as u32 + 1)).map_or(15.0, |(h, _)| *h);
            assert_eq!(got, expected, "{}: Vejledning row {} ({} chars)", path.display(), r + 1, body.len());
            // Adjustable: Excel refits the row when someone edits it.
            assert!(!heights.get(&(r as u32 + 1)).is_some_and(|(_, custom)| *custom));
            checked += usize::from(lines > 1);
        }
        assert!(checked >= 5, "{}: most paragraphs wrap", path.display());
        // Printed landscape, one page wide.
        assert_prints_landscape_one_page_wide(&path, "Vejledning", "1");
    }
    // The template's Krav rows: the pre-filled requirement and guidance wrap (45 wide).
    let template = dir.join("skabelon.xlsx");
    let krav = cells(&template, "Krav");
    let tallest = (2..=krav.len() as u32).map(|r| height(&template, "Krav", r)).fold(0.0, f64::max);
    assert!(tallest >= 30.0, "{tallest}");
    for (r, row) in krav.iter().enumerate().skip(1) {
        let need = [(1, 44.0), (11, 50.0)]
            .iter()
            .map(|(c, w)| os2gov::xlsx::row_height(row.get(*c).map_or("", String::as_str), *w, false))
            .fold(15.0, f64::max);
        assert!(height(&template, "Krav", r as u32 + 1) >= need, "Krav row {}", r + 1);
    }
    // Twelve columns: two pages wide, the ID and the header repeated. Krav is the third
    // sheet (Vejledning, Projekt, Krav).
    assert_prints_landscape_one_page_wide(&template, "Krav", "2");
    assert_print_titles(&template, 2, "Krav!$A:$B,Krav!$1:$1");
    // The styringsmodel's Krav (text 60 wide) too.
    let model = dir.join("styringsmodel.xlsx");
    assert!((2..=44).map(|r| height(&model, "Krav", r)).any(|h| h >= 30.0));
}

#[test]
fn init_writes_a_draft_styringsmodel_with_no_invented_approval() {
    let dir = TestDir::new().init();
    let doc = cells(&dir.join("styringsmodel.xlsx"), "Dokument");
    let row = doc.iter().find(|r| r[0] == "Godkendelsesdato").unwrap();
    assert_eq!(row[1], "", "no approval date nobody gave");
    assert!(row[2].starts_with("Kladde"), "{row:?}");
    let out = dir.run(&["rules"]).code(0).stdout();
    let line = out.lines().nth(1).unwrap();
    assert!(line.contains("kladde, endnu ikke godkendt af OS2's bestyrelse") && !line.contains("godkendt 2"), "{line}");
}

#[test]
fn kontrol_reads_and_prints_well() {
    let dir = TestDir::new().init();
    let mut f = dir.clean("OS2loop", "N2", "Implementering");
    // Several findings with long messages, and many requirements missing for N3.
    for a in f.answers.iter_mut().take(12) {
        a.dokumentation = os2gov::model::cell::Value::Blank;
    }
    dir.projektark("indsendt/loop.xlsx", &f);
    dir.run(&["annotate", "-o", "ud"]).code(0);
    let copy = dir.join("ud/OS2loop.xlsx");
    let sheet = "Kontrol";

    // Printed landscape, one page wide, the findings' header (row 11) on every page.
    assert_prints_landscape_one_page_wide(&copy, sheet, "1");
    assert_print_titles(&copy, 0, "'Kontrol'!$11:$11");
    assert!(xml::sheet_xml(&copy, sheet).contains("<oddFooter>"), "page numbers in the footer");

    // The header block: each value spans B–F and wraps there; a long one has a taller row.
    let merged = xml::merges(&copy, sheet);
    for r in 2..=9 {
        assert!(merged.contains(&format!("B{r}:F{r}")), "{merged:?}");
    }
    let rows = cells(&copy, sheet);
    let gap = rows[5][1].clone();
    assert!(rows[5][0].starts_with("Mangler til N3"), "{:?}", rows[5]);
    let width = 19.0 + 5.0 + 9.0 + 50.0 + 13.0;
    assert_eq!(height(&copy, sheet, 6), os2gov::xlsx::row_height(&gap, width, false).max(15.0));
    // Kept as set: Excel does not fit rows with merged cells.
    assert!(xml::row_heights(&copy, sheet).get(&6).is_none_or(|(_, custom)| *custom));

    // The findings (A–F from row 11): what it means in Danish, the code last; each message
    // row as tall as its message at width 50.
    assert_eq!(rows[10][..6], ["Alvor", "Hvad", "Krav", "Celle", "Besked", "Kode"]);
    let findings: Vec<usize> =
        (11..rows.len()).take_while(|r| !rows[*r].first().is_none_or(|c| c.is_empty())).collect();
    assert!(findings.len() >= 12, "{}", findings.len());
    for r in &findings {
        let message = &rows[*r][4];
        let need = os2gov::xlsx::row_height(message, 50.0, false);
        assert!(height(&copy, sheet, *r as u32 + 1) >= need, "row {}: {message}", r + 1);
        let code = os2gov::model::finding::Code::parse(&rows[*r][5]).expect("a code in F");
        assert_eq!(rows[*r][1], code.label(os2gov::text::Lang::Da));
    }

    // The light table: H–N beside the header block, in the frozen rows above the findings
    // (sharing no row with a finding).
    assert_eq!(rows[1][7..14], ["Niveau", "Grøn", "Gul", "Rød", "Grå", "Ikke udfyldt", "I alt"]);
    assert!(rows[2][7].starts_with("SB"), "{:?}", rows[2]);
    assert_eq!(xml::frozen_at(&copy, sheet).as_deref(), Some("A12"));
    for row in &rows[10..] {
        assert!(row.iter().skip(6).all(String::is_empty), "nothing beside the findings: {row:?}");
    }
    // The header's Farver line points at the table; a legible print: all columns together
    // at most ~165 characters wide (plus Excel's ~0.7 per column of cell padding in the
    // stored widths), so one A4 width prints at about 90 %.
    assert!(rows[8][1].contains("H1"), "{:?}", rows[8]);
    let cols = xml::sheet_xml(&copy, sheet);
    let total: f64 = cols
        .split("<col ")
        .skip(1)
        .filter_map(|c| c.split("width=\"").nth(1)?.split('"').next()?.parse::<f64>().ok())
        .sum();
    assert!(total <= 165.0 + 14.0 * 0.72, "{total}");
    // Cell notes say what the finding means, not its code.
    let notes = xml::all_notes(&copy);
    assert!(!notes.contains("KRAV-") && notes.contains("Advarsel – Ja uden dokumentation: "), "{notes}");
}

#[test]
fn the_portfolio_prints_aligns_and_highlights() {
    let dir = TestDir::new().init();
    let mut late = dir.clean("OS2sen", "N2", "Implementering");
    // A status report 130 days old, and a forecast 30 % over budget.
    late.status[0][0] = os2gov::model::cell::Value::Date(crate::util::as_of() - chrono::Duration::days(130));
    late.status[0][4] = os2gov::model::cell::Value::Number(2_600_000.0);
    dir.projektark("indsendt/sen.xlsx", &late);
    dir.projektark("indsendt/iot.xlsx", &dir.clean("OS2iot", "N1", "Igangsat"));
    dir.run(&["run"]).code(0);
    let path = dir.join("ud/2026-11/portefoelje-2026-11.xlsx");
    for sheet in ["Niveau og tema", "Til bestyrelsen", "Ændringer", "Fund", "Diagrammer", "Udvikling"] {
        assert_prints_landscape_one_page_wide(&path, sheet, "1");
    }
    // Oversigt's 23 columns: two pages wide, Projekt-ID, Navn and the title rows repeated.
    assert_prints_landscape_one_page_wide(&path, "Oversigt", "2");
    assert_print_titles(&path, 0, "Oversigt!$A:$B,Oversigt!$1:$4");
    for (i, sheet) in ["Niveau og tema", "Til bestyrelsen", "Til sekretariatet", "Ændringer", "Fund"].iter().enumerate()
    {
        let quoted = if sheet.contains(' ') { format!("'{sheet}'") } else { sheet.to_string() };
        assert_print_titles(&path, i + 1, &format!("{quoted}!$4:$4"));
    }

    // Follow-up highlighted by conditional formats: status age over the limits, spending
    // and forecast over the budget.
    let oversigt = xml::sheet_xml(&path, "Oversigt");
    assert!(oversigt.contains(r#"<conditionalFormatting sqref="O5:O6">"#), "status age");
    assert!(oversigt.contains("<formula>92</formula>") && oversigt.contains("<formula>365</formula>"));
    assert!(oversigt.contains(r#"<conditionalFormatting sqref="S5:S6">"#), "forecast");
    assert!(oversigt.contains("$S5&gt;$Q5*1.1"), "forecast over budget + tolerance");
    assert!(oversigt.contains(r#"<conditionalFormatting sqref="R5:R6">"#), "spending");

    // Numbers right-aligned under right-aligned headers; Navn and Fase wide enough.
    let styles = xml::part_text(&path, "xl/styles.xml").unwrap();
    assert!(styles.contains(r#"horizontal="right""#));
    let cols = oversigt.split("<col ").skip(1).map(|c| c.to_string()).collect::<Vec<_>>();
    let width = |n: u32| -> f64 {
        let c = cols.iter().find(|c| c.contains(&format!(r#"min="{n}""#))).unwrap();
        c.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    };
    let fase = os2gov::xlsx::fit_width(["Implementering"], false, 0.0, 100.0);
    assert!(width(6) >= fase, "Fase {} < {fase}", width(6));

    // Two charts, side by side with the tables and one below the other, never overlapping;
    // the lights in full traffic-light colours.
    let drawing = xml::part_names(&path).into_iter().find(|n| n.starts_with("xl/drawings/drawing")).unwrap();
    let drawing = xml::part_text(&path, &drawing).unwrap();
    let anchors: Vec<(u32, u32)> = drawing
        .split("<xdr:twoCellAnchor")
        .skip(1)
        .map(|a| {
            let row = |tag: &str| -> u32 {
                let part = a.split(tag).nth(1).unwrap();
                part.split("<xdr:row>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap()
            };
            (row("<xdr:from>"), row("<xdr:to>"))
        })
        .collect();
    assert_eq!(anchors.len(), 2, "{anchors:?}");
    assert!(anchors[0].1 < anchors[1].0, "the second chart starts below the first: {anchors:?}");
    let charts: String = xml::part_names(&path)
        .iter()
        .filter(|n| n.starts_with("xl/charts/chart"))
        .map(|n| xml::part_text(&path, n).unwrap())
        .collect();
    for colour in ["00A651", "FFC000", "E00000", "808080"] {
        assert!(charts.contains(&format!(r#"<a:srgbClr val="{colour}"/>"#)), "{colour}");
    }
    assert!(!charts.contains(r#"val="FFC7CE""#), "no pastel red in charts");
}

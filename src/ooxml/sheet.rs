//! Worksheet parts: one streaming pass that changes the style of given cells (inserting cells
//! and rows where needed), clears `tabSelected` and finds `<legacyDrawing>`; a reader for the
//! few cells os2gov reads back; and the XML of the two sheets os2gov adds. A sheet's other
//! markup is never re-serialised: edits are splices into the original text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::model::cell::{MAX_COL, MAX_ROW, a1, column_letters, parse_a1};
use crate::ooxml::annotation::{CellValue, Look, NewSheet, OoxmlError};
use crate::ooxml::package::{NS_MAIN, NS_REL, Package};
use crate::ooxml::xml::{
    Edits, attr_of, build_tag, err, esc_attr, esc_text, local, offset, open_of_empty, pfx, raw_attrs, sanitize,
};

const WORKSHEET_ORDER: &[&str] = &[
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// What to do with one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    /// Give the cell a copy of its style with this fill (creating the cell if needed).
    Mark { fill: u32 },
    /// Set the cell's style back to `style` (only when the cell exists). `marked` is the style
    /// os2gov gave it; when the cell has another one now, the user changed its format and the
    /// pass asks what to do.
    Restore { style: u32, marked: Option<u32> },
}

/// A style question the pass cannot answer alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Ask {
    /// The style for a cell now styled `current`, marked with `fill`.
    Mark { current: u32, fill: u32 },
    /// The style for a cell os2gov marked (`original` → `marked`) that the user has restyled
    /// to `current` since; None leaves the cell as it is.
    Restore { current: u32, original: u32, marked: u32 },
}

/// Answers [`Ask`]s, usually with the workbook's styles.
pub(crate) type Restyle<'a> = dyn FnMut(Ask) -> Result<Option<u32>, OoxmlError> + 'a;

/// A cell the pass marked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Marked {
    pub row: u32,
    pub col: u32,
    /// The style the cell showed before.
    pub original: u32,
    /// The style os2gov gave it.
    pub style: u32,
}

/// What a pass found and the edits it wants.
pub(crate) struct Pass {
    pub edits: Edits,
    pub marked: Vec<Marked>,
    /// The `<legacyDrawing>` element: its relationship id and span.
    pub legacy: Option<(String, usize, usize)>,
    /// Where a new `<legacyDrawing>` goes.
    pub legacy_at: usize,
    /// The prefix for new elements in the sheet (`x:` or empty).
    pub prefix: String,
    /// The prefix bound to the relationships namespace on the root, if any.
    pub r_prefix: Option<String>,
    /// Where the root element's content lies (after its start tag, up to its end tag), when
    /// the pass read the whole part and found it well-formed, with nothing but white space
    /// outside the root: then an edit can be proven without reading the part again
    /// ([`Edits::apply_proven`]).
    pub inside: Option<(usize, usize)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Root,
    Top,
    AltTop,
    AltChoice,
    SheetData,
    Row,
    Cols,
    Views,
    Legacy,
    Other,
}

/// Runs the pass over a sheet; `restyle` answers the style questions. With no ops the pass
/// stops after the sheet views (cheap on big sheets).
pub(crate) fn run(
    src: &str,
    part: &str,
    ops: &BTreeMap<(u32, u32), Op>,
    clear_tab: bool,
    restyle: &mut Restyle<'_>,
) -> Result<Pass, OoxmlError> {
    let mut reader = Reader::from_str(src);
    reader.config_mut().check_end_names = true;
    let ops: Vec<((u32, u32), Op)> = ops.iter().map(|(k, v)| (*k, *v)).collect();
    let mut next = 0usize;
    let mut stack: Vec<Kind> = Vec::with_capacity(16);
    let mut edits = Edits::default();
    let mut marked = Vec::new();
    let mut legacy = None;
    let mut tops: Vec<(String, usize)> = Vec::new();
    let mut root_close = None;
    let mut prefix = String::new();
    let mut r_prefix = None;
    let mut col_styles: Vec<(u32, u32, u32)> = Vec::new();
    let mut prev_row: Option<u32> = None;
    let mut row: Option<(u32, Option<u32>)> = None;
    let mut prev_col: Option<u32> = None;
    let mut dimension = None;
    let early = ops.is_empty();
    let (mut root_open_end, mut whole, mut stray) = (None, false, false);

    loop {
        let pos = offset(reader.buffer_position());
        let ev = reader
            .read_event()
            .map_err(|e| err(part, format_args!("malformed XML near byte {}: {e}", reader.error_position())))?;
        let after = offset(reader.buffer_position());
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                match stack.pop() {
                    Some(Kind::Row) => {
                        if let Some((r, style)) = row.take() {
                            let cells =
                                new_cells(&ops, &mut next, r, None, style, &col_styles, &prefix, restyle, &mut marked)?;
                            if !cells.is_empty() {
                                edits.insert(pos, cells);
                            }
                        }
                    }
                    Some(Kind::SheetData) => {
                        let rows = new_rows(&ops, &mut next, None, &col_styles, &prefix, restyle, &mut marked)?;
                        if !rows.is_empty() {
                            edits.insert(pos, rows);
                        }
                    }
                    Some(Kind::Views) if early => break,
                    Some(Kind::Legacy) => {
                        if let Some((_, _, end)) = &mut legacy {
                            *end = after;
                        }
                    }
                    Some(Kind::Root) => root_close = Some(pos),
                    Some(_) => {}
                    None => return Err(err(part, "unexpected end tag")),
                }
                continue;
            }
            Event::Eof => {
                whole = stack.is_empty();
                break;
            }
            Event::DocType(_) => return Err(err(part, "a DOCTYPE is not allowed in OOXML")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            Event::Text(t) if t.as_ref().bytes().all(crate::ooxml::xml::is_xml_space) => continue,
            _ => {
                stray |= stack.is_empty();
                continue;
            }
        };
        let qname = e.name();
        let name = local(qname.as_ref());
        let parent = stack.last().copied();
        let kind = match parent {
            None => {
                if root_close.is_some() {
                    return Err(err(part, "more than one root element"));
                }
                if name != "worksheet" && name != "chartsheet" && name != "dialogsheet" && name != "macrosheet" {
                    return Err(err(part, "not a worksheet"));
                }
                prefix = pfx(qname.as_ref());
                for (k, v) in raw_attrs(&e, part)? {
                    if let Some(p) = k.strip_prefix("xmlns:")
                        && v == NS_REL
                    {
                        r_prefix = Some(p.to_string());
                    }
                }
                if empty {
                    root_close = Some(pos);
                } else {
                    root_open_end = Some(after);
                }
                Kind::Root
            }
            Some(Kind::Root) => {
                tops.push((name.to_string(), pos));
                match name {
                    "sheetData" => {
                        if early {
                            break;
                        }
                        prefix = pfx(qname.as_ref());
                        if empty {
                            let rows = new_rows(&ops, &mut next, None, &col_styles, &prefix, restyle, &mut marked)?;
                            if !rows.is_empty() {
                                let open = open_of_empty(src.get(pos..after).unwrap_or_default());
                                edits.replace(pos, after, format!("{open}{rows}</{}>", qname.as_ref()));
                            }
                        }
                        Kind::SheetData
                    }
                    "cols" => Kind::Cols,
                    "sheetViews" => Kind::Views,
                    "dimension" => {
                        dimension = Some((pos, after, empty, qname.as_ref().to_string(), raw_attrs(&e, part)?));
                        Kind::Top
                    }
                    "legacyDrawing" => {
                        let rid = e
                            .attributes()
                            .with_checks(false)
                            .flatten()
                            .find(|a| {
                                let k = a.key.as_ref();
                                k.contains(':') && local(k) == "id" && !k.starts_with("xmlns")
                            })
                            .map(|a| crate::ooxml::xml::unescape_attr(&a.value).into_owned())
                            .unwrap_or_default();
                        legacy = Some((rid, pos, after));
                        Kind::Legacy
                    }
                    "AlternateContent" => Kind::AltTop,
                    _ => Kind::Top,
                }
            }
            Some(Kind::AltTop) => Kind::AltChoice,
            Some(Kind::AltChoice) => {
                if let Some(last) = tops.last_mut()
                    && last.0 == "AlternateContent"
                {
                    last.0 = name.to_string();
                }
                Kind::Other
            }
            Some(Kind::Views) => {
                if clear_tab && name == "sheetView" && attr_of(&e, "tabSelected", part)?.is_some() {
                    let attrs = raw_attrs(&e, part)?;
                    edits.replace(pos, after, build_tag(qname.as_ref(), &attrs, &[("tabSelected", None)], empty));
                }
                Kind::Other
            }
            Some(Kind::Cols) => {
                if name == "col" {
                    let num = |k: &str| -> Result<Option<u32>, OoxmlError> {
                        Ok(attr_of(&e, k, part)?.and_then(|v| v.trim().parse::<u32>().ok()))
                    };
                    if let (Some(min), Some(max), Some(style)) = (num("min")?, num("max")?, num("style")?) {
                        col_styles.push((min.saturating_sub(1), max.saturating_sub(1), style));
                    }
                }
                Kind::Other
            }
            Some(Kind::SheetData) if name == "row" => {
                let r = match attr_of(&e, "r", part)? {
                    Some(v) => v.trim().parse::<u32>().ok().and_then(|n| n.checked_sub(1)),
                    None => None,
                }
                .or_else(|| prev_row.map_or(Some(0), |p| p.checked_add(1)))
                .ok_or_else(|| err(part, "a row without a valid number"))?;
                prev_row = Some(r);
                let rows = new_rows(&ops, &mut next, Some(r), &col_styles, &prefix, restyle, &mut marked)?;
                if !rows.is_empty() {
                    edits.insert(pos, rows);
                }
                let has_ops = ops.get(next).is_some_and(|((or, _), _)| *or == r);
                let style = if has_ops {
                    let custom = attr_of(&e, "customFormat", part)?.is_some_and(|v| v == "1" || v == "true");
                    if custom { attr_of(&e, "s", part)?.and_then(|v| v.trim().parse::<u32>().ok()) } else { None }
                } else {
                    None
                };
                if empty {
                    if has_ops {
                        let cells =
                            new_cells(&ops, &mut next, r, None, style, &col_styles, &prefix, restyle, &mut marked)?;
                        if !cells.is_empty() {
                            let open = open_of_empty(src.get(pos..after).unwrap_or_default());
                            edits.replace(pos, after, format!("{open}{cells}</{}>", qname.as_ref()));
                        }
                    }
                } else {
                    row = Some((r, style));
                    prev_col = None;
                }
                Kind::Row
            }
            Some(Kind::Row) if name == "c" => {
                if let Some((r, style)) = row
                    && ops.get(next).is_some_and(|((or, _), _)| *or == r)
                {
                    let col = attr_of(&e, "r", part)?
                        .and_then(|v| parse_a1(&v).map(|(_, c)| c))
                        .or_else(|| prev_col.map_or(Some(0), |p| p.checked_add(1)))
                        .ok_or_else(|| err(part, "a cell without a valid reference"))?;
                    prev_col = Some(col);
                    let cells =
                        new_cells(&ops, &mut next, r, Some(col), style, &col_styles, &prefix, restyle, &mut marked)?;
                    if !cells.is_empty() {
                        edits.insert(pos, cells);
                    }
                    if let Some(((or, oc), op)) = ops.get(next).copied()
                        && or == r
                        && oc == col
                    {
                        next += 1;
                        edit_cell(&e, empty, pos, after, op, part, &mut edits, restyle, (r, col), &mut marked)?;
                    }
                }
                Kind::Other
            }
            Some(_) => Kind::Other,
        };
        if !empty {
            stack.push(kind);
        }
    }
    if !early && !stack.is_empty() {
        return Err(err(part, "malformed XML: the document ends inside an element"));
    }
    if !early && root_close.is_none() {
        return Err(err(part, "no root element"));
    }
    if ops.iter().skip(next).any(|(_, op)| matches!(op, Op::Mark { .. })) {
        return Err(err(part, "the sheet has no <sheetData>"));
    }
    if let Some((start, end, empty, qname, attrs)) = dimension
        && let Some(range) = widened(&attrs, &marked)
    {
        edits.replace(start, end, build_tag(&qname, &attrs, &[("ref", Some(&range))], empty));
    }
    let legacy_rank = WORKSHEET_ORDER.iter().position(|n| *n == "legacyDrawing").unwrap_or(0);
    let legacy_at = tops
        .iter()
        .find(|(n, _)| WORKSHEET_ORDER.iter().position(|o| o == n).is_some_and(|r| r > legacy_rank))
        .map(|(_, p)| *p)
        .or(root_close)
        .unwrap_or(src.len());
    let inside = match (root_open_end, root_close) {
        (Some(open_end), Some(close)) if whole && !stray => Some((open_end, close)),
        _ => None,
    };
    Ok(Pass { edits, marked, legacy, legacy_at, prefix, r_prefix, inside })
}

/// The `<dimension>` range grown to cover the marked cells, when it does not already.
fn widened(attrs: &[(String, String)], marked: &[Marked]) -> Option<String> {
    let range = attrs.iter().find(|(k, _)| k == "ref")?.1.as_str();
    let (a, b) = range.split_once(':').unwrap_or((range, range));
    let ((r0, c0), (r1, c1)) = (parse_a1(a)?, parse_a1(b)?);
    let (mut lo_r, mut lo_c, mut hi_r, mut hi_c) = (r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1));
    let before = (lo_r, lo_c, hi_r, hi_c);
    for m in marked {
        (lo_r, lo_c, hi_r, hi_c) = (lo_r.min(m.row), lo_c.min(m.col), hi_r.max(m.row), hi_c.max(m.col));
    }
    // An empty sheet says `A1`; a sheet with cells says where they are.
    ((lo_r, lo_c, hi_r, hi_c) != before).then(|| format!("{}:{}", a1(lo_r, lo_c), a1(hi_r, hi_c)))
}

#[allow(clippy::too_many_arguments)]
fn edit_cell(
    e: &BytesStart<'_>,
    empty: bool,
    pos: usize,
    after: usize,
    op: Op,
    part: &str,
    edits: &mut Edits,
    restyle: &mut Restyle<'_>,
    (r, col): (u32, u32),
    marked: &mut Vec<Marked>,
) -> Result<(), OoxmlError> {
    let attrs = raw_attrs(e, part)?;
    let qname = e.name();
    let current = attrs.iter().find(|(k, _)| k == "s").and_then(|(_, v)| v.trim().parse::<u32>().ok()).unwrap_or(0);
    let new = match op {
        Op::Mark { fill } => {
            let Some(new) = restyle(Ask::Mark { current, fill })? else { return Ok(()) };
            marked.push(Marked { row: r, col, original: current, style: new });
            new
        }
        Op::Restore { style, marked: None } => style,
        Op::Restore { style, marked: Some(m) } if m == current => style,
        Op::Restore { style, marked: Some(m) } => {
            match restyle(Ask::Restore { current, original: style, marked: m })? {
                Some(new) => new,
                None => return Ok(()),
            }
        }
    };
    let restoring = matches!(op, Op::Restore { .. });
    if new == 0 && restoring && empty && attrs.iter().all(|(k, _)| k == "r" || k == "s") {
        // A cell os2gov created (or one that says nothing) goes away again.
        edits.delete(pos, after);
    } else if new == 0 && restoring {
        edits.replace(pos, after, build_tag(qname.as_ref(), &attrs, &[("s", None)], empty));
    } else if new != current || attrs.iter().all(|(k, _)| k != "s") {
        edits.replace(pos, after, build_tag(qname.as_ref(), &attrs, &[("s", Some(&new.to_string()))], empty));
    }
    Ok(())
}

/// New cells for pending marks in row `r` before column `before` (all remaining when None).
#[allow(clippy::too_many_arguments)]
fn new_cells(
    ops: &[((u32, u32), Op)],
    next: &mut usize,
    r: u32,
    before: Option<u32>,
    row_style: Option<u32>,
    col_styles: &[(u32, u32, u32)],
    prefix: &str,
    restyle: &mut Restyle<'_>,
    marked: &mut Vec<Marked>,
) -> Result<String, OoxmlError> {
    let mut out = String::new();
    while let Some(((or, oc), op)) = ops.get(*next).copied() {
        if or != r || before.is_some_and(|b| oc >= b) {
            break;
        }
        *next += 1;
        if let Op::Mark { fill } = op {
            let inherited = row_style
                .or_else(|| col_styles.iter().find(|(lo, hi, _)| (*lo..=*hi).contains(&oc)).map(|(_, _, s)| *s))
                .unwrap_or(0);
            let Some(new) = restyle(Ask::Mark { current: inherited, fill })? else { continue };
            marked.push(Marked { row: or, col: oc, original: inherited, style: new });
            let _ = write!(out, r#"<{prefix}c r="{}" s="{new}"/>"#, a1(or, oc));
        }
    }
    Ok(out)
}

/// New rows for pending marks in rows before `before` (all remaining when None).
fn new_rows(
    ops: &[((u32, u32), Op)],
    next: &mut usize,
    before: Option<u32>,
    col_styles: &[(u32, u32, u32)],
    prefix: &str,
    restyle: &mut Restyle<'_>,
    marked: &mut Vec<Marked>,
) -> Result<String, OoxmlError> {
    let mut out = String::new();
    while let Some(((or, _), _)) = ops.get(*next).copied() {
        if before.is_some_and(|b| or >= b) {
            break;
        }
        let cells = new_cells(ops, next, or, None, None, col_styles, prefix, restyle, marked)?;
        if !cells.is_empty() {
            let _ = write!(out, r#"<{prefix}row r="{}">{cells}</{prefix}row>"#, u64::from(or) + 1);
        }
    }
    Ok(out)
}

/// Clears `tabSelected` on a sheet os2gov does not otherwise change. Reads only the start of
/// the part when the attribute is not there (the usual case), and then leaves the part alone.
/// The head is read in two steps, 4 KB and then 64 KB: `sheetData` usually begins within
/// the first kilobyte, and inflating 64 KB of every sheet of a workbook cost more than the
/// rest of this function.
pub(crate) fn clear_tab_selected(pkg: &mut Package<'_>, part: &str) -> Result<(), OoxmlError> {
    for head_len in [4 * 1024, 64 * 1024] {
        let Some(head) = pkg.read_limited(part, head_len)? else { return Ok(()) };
        let data_at = find(&head, b"sheetData");
        let scope = head.get(..data_at.unwrap_or(head.len())).unwrap_or_default();
        if find(scope, b"tabSelected").is_some() {
            break;
        }
        if data_at.is_some() || (head.len() as u64) < head_len {
            return Ok(());
        }
    }
    let Some(src) = pkg.read_text(part)? else { return Ok(()) };
    let pass = run(&src, part, &BTreeMap::new(), true, &mut |_| Ok(None))?;
    if pass.edits.is_empty() {
        return Ok(());
    }
    let text = pass.edits.apply(&src, part)?;
    pkg.write(part, text.into_bytes());
    Ok(())
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = *needle.first()?;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match hay.get(i..).and_then(|h| h.iter().position(|b| *b == first)) {
            Some(j) => {
                i += j;
                if hay.get(i..i + needle.len()) == Some(needle) {
                    return Some(i);
                }
                i += 1;
            }
            None => return None,
        }
    }
    None
}

/// A cell as stored: its type, style, value and inline text.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawCell {
    pub row: u32,
    pub col: u32,
    pub t: String,
    pub s: Option<u32>,
    pub v: Option<String>,
    pub inline: Option<String>,
    /// The formula (`<f>`), if any.
    pub f: Option<String>,
}

/// Reads the cells of rows up to `max_row` (zero-based; all when None).
pub(crate) fn read_cells(src: &str, part: &str, max_row: Option<u32>) -> Result<Vec<RawCell>, OoxmlError> {
    let mut reader = Reader::from_str(src);
    let mut out = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut cur: Option<RawCell> = None;
    let mut prev_row: Option<u32> = None;
    let mut row: u32 = 0;
    let mut prev_col: Option<u32> = None;
    let mut in_rph = 0usize;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| err(part, format_args!("malformed XML near byte {}: {e}", reader.error_position())))?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                match name.as_str() {
                    "c" => out.extend(cur.take()),
                    "rPh" => in_rph = in_rph.saturating_sub(1),
                    _ => {}
                }
                continue;
            }
            Event::Text(t) => {
                add_text(&mut cur, &path, in_rph, &t.xml10_content());
                continue;
            }
            Event::CData(t) => {
                add_text(&mut cur, &path, in_rph, &t.xml10_content());
                continue;
            }
            Event::GeneralRef(r) => {
                let s = crate::ooxml::xml::unescape_attr(&format!("&{};", &*r)).into_owned();
                add_text(&mut cur, &path, in_rph, &s);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = local(e.name().as_ref()).to_string();
        match (path.last().map(String::as_str), name.as_str()) {
            (Some("sheetData"), "row") => {
                row = attr_of(&e, "r", part)?
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .and_then(|n| n.checked_sub(1))
                    .or_else(|| prev_row.map_or(Some(0), |p| p.checked_add(1)))
                    .unwrap_or(MAX_ROW);
                prev_row = Some(row);
                prev_col = None;
                if max_row.is_some_and(|m| row > m) {
                    break;
                }
            }
            (Some("row"), "c") => {
                let col = attr_of(&e, "r", part)?
                    .and_then(|v| parse_a1(&v).map(|(_, c)| c))
                    .or_else(|| prev_col.map_or(Some(0), |p| p.checked_add(1)))
                    .unwrap_or(MAX_COL);
                prev_col = Some(col);
                let cell = RawCell {
                    row,
                    col,
                    t: attr_of(&e, "t", part)?.map(|v| v.into_owned()).unwrap_or_default(),
                    s: attr_of(&e, "s", part)?.and_then(|v| v.trim().parse().ok()),
                    v: None,
                    inline: None,
                    f: None,
                };
                if empty {
                    out.push(cell);
                } else {
                    cur = Some(cell);
                }
            }
            (_, "rPh") => in_rph += usize::from(!empty),
            _ => {}
        }
        if !empty {
            path.push(name);
        }
    }
    Ok(out)
}

fn add_text(cur: &mut Option<RawCell>, path: &[String], in_rph: usize, text: &str) {
    let Some(cell) = cur else { return };
    match path.last().map(String::as_str) {
        Some("v") => cell.v.get_or_insert_with(String::new).push_str(text),
        Some("f") => cell.f.get_or_insert_with(String::new).push_str(text),
        Some("t") if in_rph == 0 && path.iter().any(|p| p == "is") => {
            cell.inline.get_or_insert_with(String::new).push_str(text)
        }
        _ => {}
    }
}

/// The part's XML for os2gov's own sheet. Returns it and the autofilter range as a defined
/// name formula (`'Kontrol'!$A$11:$E$40`), if any.
/// What the new sheet adds to the workbook's defined names: its autofilter range and its
/// print titles (`'Kontrol'!$11:$11`), both local to it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct SheetNames {
    pub filter: Option<String>,
    pub print_titles: Option<String>,
}

/// The height (points) of each row of the new sheet that holds wrapped text, from the
/// shared estimate in `crate::xlsx`: each wrapped cell is measured against its column's
/// width (a merged range's total width), and the tallest decides. Also the rows holding a
/// merged wrapped cell, whose height must be kept as given (Excel never fits those).
fn row_heights(sheet: &NewSheet, widths: &BTreeMap<u32, f64>) -> (BTreeMap<u32, f64>, BTreeSet<u32>) {
    let width = |c: u32| widths.get(&c).copied().unwrap_or(crate::xlsx::DEFAULT_WIDTH);
    let mut heights: BTreeMap<u32, f64> = BTreeMap::new();
    let mut fixed = BTreeSet::new();
    for cell in &sheet.cells {
        let CellValue::Text(text) = &cell.value else { continue };
        let h = match (cell.look, cell.look.wraps()) {
            (Look::Title, _) => crate::xlsx::lines_height(1, 14.0),
            (_, None) => continue,
            (_, Some(bold)) => {
                let merged = sheet.merges.iter().find(|(r0, c0, _, _)| *r0 == cell.row && *c0 == cell.col);
                let w = match merged {
                    Some((_, c0, _, c1)) => {
                        fixed.insert(cell.row);
                        (*c0..=*c1).map(width).sum()
                    }
                    None => width(cell.col),
                };
                crate::xlsx::row_height(&sanitize(text), w, bold)
            }
        };
        let entry = heights.entry(cell.row).or_insert(0.0);
        *entry = entry.max(h);
    }
    heights.retain(|_, h| *h > 15.0);
    (heights, fixed)
}

pub(crate) fn new_sheet_xml(
    sheet: &NewSheet,
    name: &str,
    look: &mut dyn FnMut(crate::ooxml::annotation::Look) -> Result<u32, OoxmlError>,
) -> Result<(String, SheetNames), OoxmlError> {
    let mut cells: BTreeMap<(u32, u32), &crate::ooxml::annotation::NewCell> = BTreeMap::new();
    for c in &sheet.cells {
        if c.row <= MAX_ROW && c.col <= MAX_COL {
            cells.insert((c.row, c.col), c);
        }
    }
    let mut x = String::with_capacity(4096 + sheet.cells.len() * 96);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
    let _ = write!(x, r#"<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">"#);
    if sheet.tab_colour.is_some() || sheet.print.is_some() {
        x.push_str("<sheetPr>");
        if let Some(rgb) = sheet.tab_colour {
            let _ = write!(x, r#"<tabColor rgb="FF{:06X}"/>"#, rgb & 0xFF_FFFF);
        }
        if sheet.print.is_some() {
            x.push_str(r#"<pageSetUpPr fitToPage="1"/>"#);
        }
        x.push_str("</sheetPr>");
    }
    let dim = match (cells.keys().next(), cells.keys().next_back()) {
        (Some(_), Some(_)) => {
            let (r0, r1) = (cells.keys().map(|k| k.0).min().unwrap_or(0), cells.keys().map(|k| k.0).max().unwrap_or(0));
            let (c0, c1) = (cells.keys().map(|k| k.1).min().unwrap_or(0), cells.keys().map(|k| k.1).max().unwrap_or(0));
            if (r0, c0) == (r1, c1) { a1(r0, c0) } else { format!("{}:{}", a1(r0, c0), a1(r1, c1)) }
        }
        _ => "A1".to_string(),
    };
    let _ = write!(x, r#"<dimension ref="{dim}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0""#);
    let freeze = sheet.freeze_rows.min(MAX_ROW);
    if freeze > 0 {
        let top = a1(freeze, 0);
        let _ = write!(
            x,
            r#"><pane ySplit="{freeze}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>"#
        );
    } else {
        x.push_str("/>");
    }
    x.push_str(r#"</sheetViews><sheetFormatPr defaultRowHeight="15"/>"#);
    let mut widths: BTreeMap<u32, f64> = BTreeMap::new();
    for (c, w) in &sheet.widths {
        if *c <= MAX_COL && w.is_finite() {
            widths.insert(*c, w.clamp(0.0, 255.0));
        }
    }
    if !widths.is_empty() {
        x.push_str("<cols>");
        for (c, w) in &widths {
            let width = if *w > 0.0 { w + 0.7109375 } else { 0.0 };
            let _ = write!(x, r#"<col min="{n}" max="{n}" width="{width}" customWidth="1"/>"#, n = c + 1);
        }
        x.push_str("</cols>");
    }
    let (heights, fixed) = row_heights(sheet, &widths);
    x.push_str("<sheetData>");
    let mut current: Option<u32> = None;
    let mut links = String::new();
    for ((r, c), cell) in &cells {
        if current != Some(*r) {
            if current.is_some() {
                x.push_str("</row>");
            }
            // A height for rows of wrapped text, so LibreOffice does not draw them at one
            // line. Left adjustable (Excel refits such a row when its text is edited),
            // except where a merged cell needs it: Excel would fit those rows too small.
            let height = match heights.get(r) {
                Some(h) if fixed.contains(r) => format!(r#" ht="{h}" customHeight="1""#),
                Some(h) => format!(r#" ht="{h}""#),
                None => String::new(),
            };
            let _ = write!(x, r#"<row r="{}"{height}>"#, u64::from(*r) + 1);
            current = Some(*r);
        }
        let s = look(cell.look)?;
        let style = if s == 0 { String::new() } else { format!(r#" s="{s}""#) };
        let text = match &cell.value {
            CellValue::Text(t) => Some(sanitize(t)),
            CellValue::Number(n) if !n.is_finite() => Some(n.to_string()),
            CellValue::Number(_) => None,
        };
        match (&text, &cell.value) {
            (Some(t), _) => {
                let _ = write!(
                    x,
                    r#"<c r="{}"{style} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    a1(*r, *c),
                    esc_text(t)
                );
            }
            (None, CellValue::Number(n)) => {
                let _ = write!(x, r#"<c r="{}"{style}><v>{}</v></c>"#, a1(*r, *c), number(*n));
            }
            (None, CellValue::Text(_)) => {}
        }
        if let Some(link) = &cell.link {
            let display = text.as_deref().map(|t| t.chars().take(255).collect::<String>());
            let display = display.map(|d| format!(r#" display="{}""#, esc_attr(&d))).unwrap_or_default();
            let _ =
                write!(links, r#"<hyperlink ref="{}" location="{}"{display}/>"#, a1(*r, *c), esc_attr(&sanitize(link)));
        }
    }
    if current.is_some() {
        x.push_str("</row>");
    }
    x.push_str("</sheetData>");
    let mut names = SheetNames::default();
    let quoted = format!("'{}'", name.replace('\'', "''"));
    if let Some((r0, c0, r1, c1)) = sheet.autofilter {
        let (r0, r1) = (r0.min(r1).min(MAX_ROW), r0.max(r1).min(MAX_ROW));
        let (c0, c1) = (c0.min(c1).min(MAX_COL), c0.max(c1).min(MAX_COL));
        let _ = write!(x, r#"<autoFilter ref="{}:{}"/>"#, a1(r0, c0), a1(r1, c1));
        let abs = |r: u32, c: u32| format!("${}${}", column_letters(c), u64::from(r) + 1);
        names.filter = Some(format!("{quoted}!{}:{}", abs(r0, c0), abs(r1, c1)));
    }
    let merges: Vec<String> = sheet
        .merges
        .iter()
        .filter(|(r0, c0, r1, c1)| *r1 <= MAX_ROW && *c1 <= MAX_COL && (r0, c0) <= (r1, c1) && (r0, c0) != (r1, c1))
        .map(|(r0, c0, r1, c1)| format!(r#"<mergeCell ref="{}:{}"/>"#, a1(*r0, *c0), a1(*r1, *c1)))
        .collect();
    if !merges.is_empty() {
        let _ = write!(x, r#"<mergeCells count="{}">{}</mergeCells>"#, merges.len(), merges.concat());
    }
    if !links.is_empty() {
        let _ = write!(x, "<hyperlinks>{links}</hyperlinks>");
    }
    match &sheet.print {
        Some(p) => {
            x.push_str(r#"<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>"#);
            let orientation = if p.landscape { "landscape" } else { "portrait" };
            let _ =
                write!(x, r#"<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>"#);
            if let Some(footer) = &p.footer {
                let _ =
                    write!(x, "<headerFooter><oddFooter>{}</oddFooter></headerFooter>", esc_text(&sanitize(footer)));
            }
            if let Some((r0, r1)) = p.repeat_rows {
                let (r0, r1) = (r0.min(r1).min(MAX_ROW), r0.max(r1).min(MAX_ROW));
                names.print_titles = Some(format!("{quoted}!${}:${}", u64::from(r0) + 1, u64::from(r1) + 1));
            }
        }
        None => {
            x.push_str(r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#)
        }
    }
    x.push_str("</worksheet>");
    Ok((x, names))
}

fn number(n: f64) -> String {
    let a = n.abs();
    if a == 0.0 || (1e-5..1e15).contains(&a) { format!("{n}") } else { format!("{n:e}") }
}

/// The part's XML for the very hidden sheet that remembers what os2gov changed: A1 the
/// marker, B1 the name of os2gov's first sheet, then per marked cell: A `Sheet!A1`, B an empty
/// cell carrying the cell's original style, C `note` when os2gov gave the cell a note, D a
/// formula reference to the cell, E an empty cell with the style os2gov gave it.
pub(crate) fn storage_sheet_xml(marker: &str, first_sheet: &str, entries: &[Stored]) -> String {
    let mut x = String::with_capacity(512 + entries.len() * 80);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
    let _ = write!(x, r#"<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheetData>"#);
    let text = |r: u32, c: &str, t: &str| {
        format!(r#"<c r="{c}{r}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#, esc_text(&sanitize(t)))
    };
    let _ = write!(x, r#"<row r="1">{}{}</row>"#, text(1, "A", marker), text(1, "B", first_sheet));
    for (i, e) in entries.iter().enumerate() {
        let r = i + 2;
        let b = if e.style == 0 { String::new() } else { format!(r#"<c r="B{r}" s="{}"/>"#, e.style) };
        let c = if e.note { text(r as u32, "C", NOTE_FLAG) } else { String::new() };
        let marked = if e.marked == 0 { String::new() } else { format!(r#"<c r="E{r}" s="{}"/>"#, e.marked) };
        // A reference Excel and LibreOffice keep pointing at the cell when rows, columns or
        // the sheet's name change; A is the fallback.
        let d = format!(
            r#"<c r="D{r}"><f>{}</f></c>"#,
            esc_text(&format!("{}!{}", quote_sheet(&e.sheet), a1(e.row, e.col)))
        );
        let _ = write!(
            x,
            r#"<row r="{r}">{}{b}{c}{d}{marked}</row>"#,
            text(r as u32, "A", &format!("{}!{}", e.sheet, a1(e.row, e.col)))
        );
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// A sheet name as a formula writes it: `'Krav'`, with `'` doubled.
pub(crate) fn quote_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// `'My sheet'!G7` or `Krav!$G$7` → (sheet, row, col). None for errors such as `#REF!`.
pub(crate) fn parse_reference(formula: &str) -> Option<(String, u32, u32)> {
    let formula = formula.trim().trim_start_matches('=');
    let (sheet, cell) = formula.rsplit_once('!')?;
    let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => sheet.to_string(),
    };
    if sheet.is_empty() || sheet.contains(['[', ']']) {
        return None;
    }
    let (row, col) = parse_a1(cell)?;
    Some((sheet, row, col))
}

/// What the storage sheet remembers about one marked cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stored {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
    /// The style the cell showed before os2gov marked it.
    pub style: u32,
    /// The style os2gov gave it (0: unknown).
    pub marked: u32,
    /// Whether os2gov gave the cell a note.
    pub note: bool,
}

pub(crate) const NOTE_FLAG: &str = "note";

/// The text of a cell, resolving shared strings through `shared`.
pub(crate) fn cell_text(
    cell: &RawCell,
    shared: &mut dyn FnMut(usize) -> Result<Option<String>, OoxmlError>,
) -> Result<Option<String>, OoxmlError> {
    Ok(match cell.t.as_str() {
        "inlineStr" => cell.inline.clone(),
        "s" => match cell.v.as_deref().and_then(|v| v.trim().parse::<usize>().ok()) {
            Some(i) => shared(i)?,
            None => None,
        },
        _ => cell.v.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(cells: &[(u32, u32)]) -> BTreeMap<(u32, u32), Op> {
        cells.iter().map(|c| (*c, Op::Mark { fill: 1 })).collect()
    }

    #[test]
    fn marks_existing_and_new_cells_in_order() {
        let src = r#"<worksheet xmlns="m"><cols><col min="4" max="4" width="9" style="7"/></cols><sheetData><row r="2"><c r="B2" s="3"><v>1</v></c><c r="E2"/></row><row r="5" s="9" customFormat="1"/></sheetData><extLst/></worksheet>"#;
        let ops = mark(&[(0, 0), (1, 1), (1, 2), (1, 3), (1, 5), (4, 0), (9, 9)]);
        let pass = run(src, "s", &ops, true, &mut |ask| match ask {
            Ask::Mark { current, .. } => Ok(Some(100 + current)),
            Ask::Restore { .. } => Ok(None),
        })
        .unwrap();
        let marked: Vec<(u32, u32, u32)> = pass.marked.iter().map(|m| (m.row, m.col, m.original)).collect();
        assert_eq!(marked.len(), 7);
        assert!(marked.contains(&(1, 3, 7)), "column style inherited: {marked:?}");
        assert!(marked.contains(&(4, 0, 9)), "row style inherited");
        let out = pass.edits.apply(src, "s").unwrap();
        assert_eq!(
            out,
            r#"<worksheet xmlns="m"><cols><col min="4" max="4" width="9" style="7"/></cols><sheetData><row r="1"><c r="A1" s="100"/></row><row r="2"><c r="B2" s="103"><v>1</v></c><c r="C2" s="100"/><c r="D2" s="107"/><c r="E2"/><c r="F2" s="100"/></row><row r="5" s="9" customFormat="1"><c r="A5" s="109"/></row><row r="10"><c r="J10" s="100"/></row></sheetData><extLst/></worksheet>"#
        );
        assert_eq!(&src[pass.legacy_at..pass.legacy_at + 8], "<extLst/");
    }

    #[test]
    fn prefixed_sheets_keep_their_prefix() {
        let src = r#"<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        let pass = run(src, "s", &mark(&[(0, 0), (0, 2)]), true, &mut |_| Ok(Some(5))).unwrap();
        let out = pass.edits.apply(src, "s").unwrap();
        assert!(out.contains(r#"<x:c r="A1" t="s" s="5"><x:v>0</x:v></x:c><x:c r="C1" s="5"/></x:row>"#), "{out}");
    }

    #[test]
    fn references_parse() {
        assert_eq!(parse_reference("'Kra''v 2'!G7"), Some(("Kra'v 2".into(), 6, 6)));
        assert_eq!(parse_reference("Krav!$B$2"), Some(("Krav".into(), 1, 1)));
        assert_eq!(parse_reference("#REF!"), None);
        assert_eq!(parse_reference("Krav!#REF!"), None);
        assert_eq!(parse_reference("[1]Krav!A1"), None);
        assert_eq!(parse_reference(&format!("{}!A1", quote_sheet("a'b"))), Some(("a'b".into(), 0, 0)));
    }
}

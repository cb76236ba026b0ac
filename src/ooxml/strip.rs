//! Removing an earlier annotation: the original styles come back from the very hidden
//! `_os2gov` sheet, notes by os2gov go (the user's stay), and os2gov's own sheets are removed.
//! A user's sheet is never removed, and a package without an annotation is left untouched.

use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::model::cell::parse_a1;
use crate::ooxml::annotation::OoxmlError;
use crate::ooxml::notes::{Comments, remove_vml_notes};
use crate::ooxml::package::{ContentTypes, Package, Rels, rels_part_for};
use crate::ooxml::sheet::{Ask, NOTE_FLAG, Op, RawCell, Stored, cell_text, find, parse_reference, read_cells, run};
use crate::ooxml::styles::Styles;
use crate::ooxml::workbook::{Plan, Workbook};
use crate::ooxml::xml::{as_text, err, local, same_name};

pub(crate) const MARKER: &str = "os2gov-annotation-v1";
pub(crate) const STORAGE_SHEET: &str = "_os2gov";
pub(crate) const DEFAULT_FIRST: &str = "Kontrol";
/// How os2gov's first sheet begins (A1), for recognising it when `_os2gov` is gone.
const TITLES: &[&str] = &["kontrol af projektark", "check of projektark"];

/// What the `_os2gov` sheet remembers.
struct Marker {
    first_sheet: Option<String>,
    entries: Vec<Stored>,
}

/// Shared strings, read only when a cell needs one (after the user re-saved the file).
pub(crate) struct Shared {
    part: Option<String>,
    strings: Option<Vec<String>>,
}

impl Shared {
    pub(crate) fn new(wb: &Workbook) -> Shared {
        Shared { part: wb.related_part("sharedStrings"), strings: None }
    }

    pub(crate) fn get(&mut self, pkg: &mut Package<'_>, i: usize) -> Result<Option<String>, OoxmlError> {
        if self.strings.is_none() {
            let strings = match &self.part {
                Some(part) => match pkg.read(part)? {
                    Some(bytes) => read_shared(&as_text(bytes, part)?, part)?,
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            self.strings = Some(strings);
        }
        Ok(self.strings.as_ref().and_then(|s| s.get(i).cloned()))
    }
}

fn read_shared(src: &str, part: &str) -> Result<Vec<String>, OoxmlError> {
    let mut reader = Reader::from_str(src);
    let mut out = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut cur = String::new();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| err(part, format_args!("malformed XML near byte {}: {e}", reader.error_position())))?;
        let in_t = |path: &[String]| path.last().is_some_and(|p| p == "t") && !path.iter().any(|p| p == "rPh");
        match ev {
            Event::Start(e) => path.push(local(e.name().as_ref()).to_string()),
            Event::Empty(e) if local(e.name().as_ref()) == "si" => {
                out.push(String::new());
            }
            Event::End(_) if path.pop().as_deref() == Some("si") => {
                out.push(std::mem::take(&mut cur));
            }
            Event::Text(t) if in_t(&path) => cur.push_str(&t.xml10_content()),
            Event::CData(t) if in_t(&path) => cur.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t(&path) => {
                cur.push_str(&crate::ooxml::xml::unescape_attr(&format!("&{};", &*r)))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn read_marker(pkg: &mut Package<'_>, part: &str, shared: &mut Shared) -> Result<Option<Marker>, OoxmlError> {
    let Some(src) = pkg.read_text(part)? else { return Ok(None) };
    let list = read_cells(&src, part, None)?;
    let cells: HashMap<(u32, u32), &RawCell> = list.iter().map(|c| ((c.row, c.col), c)).collect();
    let mut text_at = |pkg: &mut Package<'_>, row: u32, col: u32| -> Result<Option<String>, OoxmlError> {
        match cells.get(&(row, col)) {
            Some(c) => cell_text(c, &mut |i| shared.get(pkg, i)),
            None => Ok(None),
        }
    };
    if text_at(pkg, 0, 0)?.as_deref().map(str::trim) != Some(MARKER) {
        return Ok(None);
    }
    let first_sheet = text_at(pkg, 0, 1)?.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut entries = Vec::new();
    let last_row = list.iter().map(|c| c.row).max().unwrap_or(0);
    for row in 1..=last_row {
        // The formula in D follows the cell when the user moves it; A is what was written.
        let moved = cells.get(&(row, 3)).and_then(|x| x.f.as_deref());
        let target = match moved {
            Some(f) => parse_reference(f),
            None => text_at(pkg, row, 0)?.and_then(|t| {
                let (sheet, cell) = t.rsplit_once('!')?;
                parse_a1(cell).map(|(r, c)| (sheet.to_string(), r, c))
            }),
        };
        let Some((sheet, r, c)) = target else { continue };
        let style = cells.get(&(row, 1)).and_then(|x| x.s).unwrap_or(0);
        let marked = cells.get(&(row, 4)).and_then(|x| x.s).unwrap_or(0);
        let note = text_at(pkg, row, 2)?.is_some_and(|t| t.trim() == NOTE_FLAG);
        entries.push(Stored { sheet, row: r, col: c, style, marked, note });
    }
    Ok(Some(Marker { first_sheet, entries }))
}

/// Removes an earlier annotation from the package (changes only the overlay).
pub(crate) fn strip_package(pkg: &mut Package<'_>) -> Result<(), OoxmlError> {
    let mut wb = Workbook::load(pkg)?;
    let mut shared = Shared::new(&wb);
    let storage = wb.index_of(STORAGE_SHEET);
    let marker = match storage.and_then(|i| wb.sheets.get(i)).and_then(|s| s.part.clone()) {
        Some(part) => read_marker(pkg, &part, &mut shared)?,
        None => None,
    };
    let mut ct = ContentTypes::load(pkg)?;
    // Read only when a marked cell was restyled by the user since.
    let mut styles: Option<Option<Styles>> = None;

    for (i, sheet) in wb.sheets.iter().enumerate() {
        let Some(part) = sheet.part.as_deref().filter(|_| sheet.is_worksheet()) else { continue };
        if Some(i) == storage && marker.is_some() {
            continue;
        }
        let mine: Vec<&Stored> =
            marker.iter().flat_map(|m| m.entries.iter()).filter(|e| same_name(&e.sheet, &sheet.name)).collect();
        let restores: BTreeMap<(u32, u32), Op> = mine
            .iter()
            .map(|e| ((e.row, e.col), Op::Restore { style: e.style, marked: (e.marked != 0).then_some(e.marked) }))
            .collect();
        let noted: HashSet<(u32, u32)> = mine.iter().filter(|e| e.note).map(|e| (e.row, e.col)).collect();
        strip_sheet(pkg, &mut ct, (&wb, &mut styles), part, &restores, &noted)?;
    }

    let mut remove = Vec::new();
    if let (Some(i), Some(_)) = (storage, &marker) {
        remove.push(i);
    }
    if let Some(first) = wb.sheets.first().filter(|_| !remove.contains(&0)) {
        // With the marker, the name os2gov gave its sheet decides; without it (the user
        // deleted `_os2gov`), the default name and os2gov's title in A1 must both be there.
        let ours = match &marker {
            Some(m) => same_name(&first.name, m.first_sheet.as_deref().unwrap_or(DEFAULT_FIRST)),
            None => {
                same_name(&first.name, DEFAULT_FIRST)
                    && match first.part.as_deref().filter(|_| first.is_worksheet()) {
                        Some(part) => first_cell_is_title(pkg, part, &mut shared)?,
                        None => false,
                    }
            }
        };
        let others_visible = wb.sheets.iter().enumerate().any(|(i, s)| i != 0 && !remove.contains(&i) && s.visible());
        if ours && others_visible {
            remove.push(0);
        }
    }
    if let Some(Some(styles)) = styles {
        styles.save(pkg, &mut wb.rels, &mut ct)?;
    }
    if remove.is_empty() {
        return ct.save(pkg);
    }
    for i in &remove {
        if let Some(part) = wb.sheets.get(*i).and_then(|s| s.part.clone()) {
            pkg.remove(&part);
            pkg.remove(&rels_part_for(&part));
            ct.remove_override(&part);
        }
    }
    wb.apply(pkg, Plan { remove, ..Plan::default() })?;
    ct.save(pkg)
}

fn first_cell_is_title(pkg: &mut Package<'_>, part: &str, shared: &mut Shared) -> Result<bool, OoxmlError> {
    let Some(src) = pkg.read_text(part)? else { return Ok(false) };
    let cells = read_cells(&src, part, Some(0))?;
    let Some(a1) = cells.iter().find(|c| c.row == 0 && c.col == 0) else { return Ok(false) };
    let text = cell_text(a1, &mut |i| shared.get(pkg, i))?.unwrap_or_default().trim().to_lowercase();
    Ok(TITLES.iter().any(|t| text.starts_with(t)))
}

/// Restores styles and removes os2gov's notes (and then-empty comments/VML parts) on one sheet.
fn strip_sheet(
    pkg: &mut Package<'_>,
    ct: &mut ContentTypes,
    (wb, styles): (&Workbook, &mut Option<Option<Styles>>),
    part: &str,
    restores: &BTreeMap<(u32, u32), Op>,
    noted: &HashSet<(u32, u32)>,
) -> Result<(), OoxmlError> {
    let mut rels = Rels::load(pkg, part)?;
    let mut removed_notes = None;
    if let Some(rel) = rels.first_of_kind("comments").cloned()
        && let Some(cpart) = rels.target_part(&rel).and_then(|p| pkg.find(&p))
    {
        let bytes = pkg.read(&cpart)?.unwrap_or_default();
        if !noted.is_empty() || find(&bytes, crate::ooxml::annotation::NOTE_AUTHOR.as_bytes()).is_some() {
            let comments = Comments::parse(&cpart, as_text(bytes, &cpart)?)?;
            if let Some((text, cells, remaining)) = comments.remove_ours(noted)? {
                if remaining == 0 {
                    pkg.remove(&cpart);
                    rels.remove(&rel.id);
                    ct.remove_override(&cpart);
                } else {
                    pkg.write(&cpart, text.into_bytes());
                }
                removed_notes = Some(cells);
            }
        }
    }
    if restores.is_empty() && removed_notes.is_none() {
        return Ok(());
    }
    let src = pkg.read_text(part)?.ok_or_else(|| err(part, "the sheet part is missing"))?;
    let mut pass = run(&src, part, restores, false, &mut |ask| match ask {
        Ask::Restore { current, original, marked } => {
            if styles.is_none() {
                *styles = Some(Styles::load_existing(pkg, wb)?);
            }
            match styles {
                Some(Some(st)) => st.restore(current, original, marked),
                _ => Ok(None),
            }
        }
        Ask::Mark { .. } => Ok(None),
    })?;
    if let (Some(cells), Some((rid, start, end))) = (&removed_notes, &pass.legacy) {
        let vml_part = rels.by_id(rid).and_then(|r| rels.target_part(r)).and_then(|p| pkg.find(&p));
        if let Some(vml_part) = vml_part {
            let bytes = pkg.read(&vml_part)?.unwrap_or_default();
            let (new, remaining) = remove_vml_notes(&bytes, cells);
            if remaining == 0 {
                pkg.remove(&vml_part);
                rels.remove(rid);
                ct.remove_override(&vml_part);
                pass.edits.delete(*start, *end);
            } else if new != bytes {
                pkg.write(&vml_part, new);
            }
        }
    }
    if !pass.edits.is_empty() {
        let text = pass.edits.apply(&src, part)?;
        pkg.write(part, text.into_bytes());
    }
    rels.save(pkg)
}

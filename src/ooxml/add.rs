//! Adding an annotation to a (stripped) package: marks on the user's cells with notes, the
//! new first sheet, and the very hidden `_os2gov` sheet that remembers the original styles.

use std::collections::{BTreeMap, HashSet};

use crate::model::cell::{MAX_COL, MAX_ROW};
use crate::ooxml::annotation::{Mark, NewSheet, OoxmlError};
use crate::ooxml::notes::{Comments, NewNote, append_vml, idmap_blocks, max_shape_id, new_comments, new_vml};
use crate::ooxml::package::{
    CT_COMMENTS, CT_RELS, CT_VML, CT_WORKSHEET, ContentTypes, NS_REL, Package, REL_COMMENTS, REL_VML, Rels,
};
use crate::ooxml::sheet::{Ask, Op, Pass, Stored, clear_tab_selected, new_sheet_xml, run, storage_sheet_xml};
use crate::ooxml::strip::{DEFAULT_FIRST, MARKER, STORAGE_SHEET};
use crate::ooxml::styles::Styles;
use crate::ooxml::workbook::{NewEntry, Plan, Workbook};
use crate::ooxml::xml::{as_text, err, same_name};

/// Marks for one sheet: (row, col) → (fill, notes).
type SheetMarks = BTreeMap<(u32, u32), (u32, Vec<String>)>;

pub(crate) fn add(pkg: &mut Package<'_>, sheet: &NewSheet, marks: &[Mark]) -> Result<(), OoxmlError> {
    let mut wb = Workbook::load(pkg)?;
    if wb.index_of(STORAGE_SHEET).is_some() {
        return Err(OoxmlError(format!(
            "the workbook already has a sheet named {STORAGE_SHEET} that os2gov did not write; rename it"
        )));
    }
    let mut ct = ContentTypes::load(pkg)?;
    // New relationship parts need it; every real package has it already.
    ct.ensure_default("rels", CT_RELS);
    let mut styles = Styles::load(pkg, &wb)?;

    let mut by_sheet: BTreeMap<usize, SheetMarks> = BTreeMap::new();
    for m in marks {
        let Some(i) = wb.index_of(&m.sheet) else { continue };
        let usable = wb.sheets.get(i).is_some_and(|s| s.is_worksheet() && s.part.is_some());
        if !usable || m.cell.row > MAX_ROW || m.cell.col > MAX_COL {
            continue;
        }
        let entry = by_sheet.entry(i).or_default().entry((m.cell.row, m.cell.col)).or_insert((m.fill, Vec::new()));
        entry.0 = m.fill;
        if let Some(note) = m.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            entry.1.push(note.to_string());
        }
    }

    let mut stored: Vec<Stored> = Vec::new();
    let mut blocks: Option<Vec<u32>> = None;
    for (i, cells) in &by_sheet {
        let Some(info) = wb.sheets.get(*i) else { continue };
        let Some(part) = info.part.clone() else { continue };
        let src = pkg.read_text(&part)?.ok_or_else(|| err(&part, "the sheet part is missing"))?;
        let ops: BTreeMap<(u32, u32), Op> = cells.iter().map(|(k, (fill, _))| (*k, Op::Mark { fill: *fill })).collect();
        let mut pass = run(&src, &part, &ops, true, &mut |ask| match ask {
            Ask::Mark { current, fill } => styles.with_fill(current, fill).map(Some),
            Ask::Restore { .. } => Ok(None),
        })?;
        let first_new = stored.len();
        stored.extend(pass.marked.iter().map(|m| Stored {
            sheet: info.name.clone(),
            row: m.row,
            col: m.col,
            style: m.original,
            marked: m.style,
            note: false,
        }));
        let notes: Vec<NewNote> =
            cells.iter().filter(|(_, (_, n))| !n.is_empty()).map(|((r, c), (_, n))| (*r, *c, n.join("\n\n"))).collect();
        if !notes.is_empty() {
            let noted = add_notes(pkg, &mut ct, &wb, &part, &mut pass, notes, &mut blocks)?;
            for s in stored.iter_mut().skip(first_new) {
                s.note = noted.contains(&(s.row, s.col));
            }
        }
        pkg.write_edited(&part, &src, pass.edits, pass.inside)?;
    }
    for (i, s) in wb.sheets.iter().enumerate() {
        if let (false, Some(part)) = (by_sheet.contains_key(&i), &s.part) {
            clear_tab_selected(pkg, part)?;
        }
    }

    let name = unique_name(&wb, &sheet.name);
    let first_part = pkg.unused_name(&wb.worksheet_dir(), "sheet", ".xml");
    let (xml, names) = new_sheet_xml(sheet, &name, &mut |look| styles.look(look))?;
    pkg.write(&first_part, xml.into_bytes());
    ct.add_override(&first_part, CT_WORKSHEET);
    let storage_part = pkg.unused_name(&wb.worksheet_dir(), "sheet", ".xml");
    pkg.write(&storage_part, storage_sheet_xml(MARKER, &name, &stored).into_bytes());
    ct.add_override(&storage_part, CT_WORKSHEET);

    styles.save(pkg, &mut wb.rels, &mut ct)?;
    wb.apply(
        pkg,
        Plan {
            remove: Vec::new(),
            first: Some(NewEntry { name, part: first_part, very_hidden: false }),
            last: Some(NewEntry { name: STORAGE_SHEET.to_string(), part: storage_part, very_hidden: true }),
            first_filter: names.filter,
            first_print_titles: names.print_titles,
        },
    )?;
    ct.save(pkg)
}

/// Adds notes to a sheet whose pass has run: to its comments part and VML drawing (created
/// when missing). Cells that already have a note keep only that one (one note per cell).
/// Returns the cells that got a note.
fn add_notes(
    pkg: &mut Package<'_>,
    ct: &mut ContentTypes,
    wb: &Workbook,
    part: &str,
    pass: &mut Pass,
    mut notes: Vec<NewNote>,
    blocks: &mut Option<Vec<u32>>,
) -> Result<HashSet<(u32, u32)>, OoxmlError> {
    let mut rels = Rels::load(pkg, part)?;
    let comments_rel = rels.first_of_kind("comments").cloned();
    let comments_part = comments_rel.as_ref().and_then(|r| rels.target_part(r)).and_then(|p| pkg.find(&p));
    let comments = match &comments_part {
        Some(cpart) => {
            let bytes = pkg.read(cpart)?.unwrap_or_default();
            Some(Comments::parse(cpart, as_text(bytes, cpart)?)?)
        }
        None => None,
    };
    if let Some(c) = &comments {
        let taken = c.cells();
        notes.retain(|(r, col, _)| !taken.contains(&(*r, *col)));
    }
    if notes.is_empty() {
        return Ok(HashSet::new());
    }

    match &pass.legacy {
        Some((rid, _, _)) => {
            let vml_part = rels.by_id(rid).and_then(|r| rels.target_part(r)).and_then(|p| pkg.find(&p));
            let Some(vml_part) = vml_part else { return Ok(HashSet::new()) };
            let bytes = pkg.read(&vml_part)?.unwrap_or_default();
            // Shapes continue the drawing's ids; a drawing without any (LibreOffice writes
            // none) gets a block of ids no other drawing uses.
            let last_id = match max_shape_id(&bytes) {
                0 => fresh_block(pkg, blocks)?.saturating_mul(1024),
                n => n,
            };
            // A drawing os2gov cannot extend safely: the fills stay, the notes are left out.
            let Some(new) = append_vml(&bytes, &notes, last_id) else { return Ok(HashSet::new()) };
            pkg.write(&vml_part, new);
        }
        None => {
            let data = fresh_block(pkg, blocks)?;
            let vml_part = pkg.unused_name(&format!("{}drawings/", wb.dir()), "vmlDrawing", ".vml");
            pkg.write(&vml_part, new_vml(data, &notes));
            ct.ensure_default("vml", CT_VML);
            let rid = rels.add(REL_VML, &vml_part);
            let (decl, r) = match &pass.r_prefix {
                Some(r) => (String::new(), r.clone()),
                None => (format!(r#" xmlns:r="{NS_REL}""#), "r".to_string()),
            };
            pass.edits.insert(pass.legacy_at, format!(r#"<{}legacyDrawing{decl} {r}:id="{rid}"/>"#, pass.prefix));
        }
    }

    match (&comments, &comments_part) {
        (Some(c), Some(cpart)) => {
            let text = c.append(&notes)?;
            pkg.write(cpart, text.into_bytes());
        }
        _ => {
            let cpart = pkg.unused_name(wb.dir(), "comments", ".xml");
            pkg.write(&cpart, new_comments(&notes).into_bytes());
            rels.add(REL_COMMENTS, &cpart);
            ct.add_override(&cpart, CT_COMMENTS);
        }
    }
    rels.save(pkg)?;
    Ok(notes.iter().map(|(r, c, _)| (*r, *c)).collect())
}

/// A VML shape-id block (`o:idmap data`) that no drawing in the package uses yet.
fn fresh_block(pkg: &mut Package<'_>, blocks: &mut Option<Vec<u32>>) -> Result<u32, OoxmlError> {
    let used = match blocks {
        Some(b) => b,
        None => {
            let mut all = Vec::new();
            for name in pkg.part_names() {
                if name.to_lowercase().ends_with(".vml")
                    && let Some(bytes) = pkg.read(&name)?
                {
                    all.extend(idmap_blocks(&bytes));
                    all.push(max_shape_id(&bytes) / 1024);
                }
            }
            blocks.insert(all)
        }
    };
    let data = used.iter().max().copied().unwrap_or(0).saturating_add(1);
    used.push(data);
    Ok(data)
}

/// A valid sheet name for os2gov's sheet that no other sheet has.
fn unique_name(wb: &Workbook, wanted: &str) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_string();
    let base = if cleaned.is_empty() || same_name(&cleaned, STORAGE_SHEET) || same_name(&cleaned, "History") {
        DEFAULT_FIRST.to_string()
    } else {
        cleaned
    };
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let base = clip(&base, 31);
    if wb.index_of(&base).is_none() {
        return base;
    }
    for n in 2u32.. {
        let suffix = format!(" ({n})");
        let candidate = format!("{}{suffix}", clip(&base, 31 - suffix.chars().count()));
        if wb.index_of(&candidate).is_none() {
            return candidate;
        }
    }
    base
}

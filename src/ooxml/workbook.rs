//! `xl/workbook.xml` and its relationships: the sheet list, and the one edit that adds and
//! removes sheets while keeping sheet-local defined names and the active tab pointing at the
//! same sheets. Everything else in the workbook part is left as written.

use crate::ooxml::annotation::OoxmlError;
use crate::ooxml::package::{NS_REL, NS_STRICT_MAIN, Package, Rels, rel_kind, resolve_target, retag};
use crate::ooxml::xml::{Edits, Node, build_tag, err, esc_attr, esc_text, insert_position, parse_tree, pfx};

const WORKBOOK_ORDER: &[&str] = &[
    "fileVersion",
    "fileSharing",
    "workbookPr",
    "workbookProtection",
    "bookViews",
    "sheets",
    "functionGroups",
    "externalReferences",
    "definedNames",
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
];

#[derive(Debug, Clone)]
pub(crate) struct SheetInfo {
    pub name: String,
    pub state: String,
    /// The sheet's part, when its relationship resolves.
    pub part: Option<String>,
    /// `worksheet`, `chartsheet`, …
    pub kind: String,
}

impl SheetInfo {
    pub(crate) fn is_worksheet(&self) -> bool {
        self.kind == "worksheet"
    }

    pub(crate) fn visible(&self) -> bool {
        self.state.is_empty() || self.state == "visible"
    }
}

/// A sheet to add: its name, its part and whether it is very hidden.
pub(crate) struct NewEntry {
    pub name: String,
    pub part: String,
    pub very_hidden: bool,
}

#[derive(Default)]
pub(crate) struct Plan {
    /// Indexes of sheets to remove.
    pub remove: Vec<usize>,
    /// Added in front (becomes active).
    pub first: Option<NewEntry>,
    /// Added at the end.
    pub last: Option<NewEntry>,
    /// The range of an autofilter on the new first sheet (`'Kontrol'!$A$11:$E$40`).
    pub first_filter: Option<String>,
    /// The rows the new first sheet repeats on every printed page (`'Kontrol'!$11:$11`).
    pub first_print_titles: Option<String>,
}

pub(crate) struct Workbook {
    pub part: String,
    src: String,
    root: Node,
    pub sheets: Vec<SheetInfo>,
    pub rels: Rels,
}

impl Workbook {
    pub(crate) fn load(pkg: &mut Package<'_>) -> Result<Workbook, OoxmlError> {
        let root_rels = Rels::load(pkg, "")?;
        let part = root_rels
            .first_of_kind("officeDocument")
            .and_then(|r| root_rels.target_part(r))
            .ok_or_else(|| OoxmlError("xlsx: the package names no workbook (_rels/.rels)".into()))?;
        let part = pkg.find(&part).ok_or_else(|| err(&part, "the workbook part is missing"))?;
        let src = pkg.read_text(&part)?.ok_or_else(|| err(&part, "the workbook part is missing"))?;
        let root = parse_tree(&src, &part)?;
        if root.local() != "workbook" {
            return Err(err(&part, "not a workbook"));
        }
        if root.attrs.iter().any(|(k, v)| k.starts_with("xmlns") && v == NS_STRICT_MAIN) {
            return Err(err(&part, "Strict Open XML workbooks are not supported; save as an ordinary .xlsx"));
        }
        let rels_part = crate::ooxml::package::rels_part_for(&part);
        if !pkg.exists(&rels_part) {
            return Err(err(&rels_part, "the workbook's relationships part is missing"));
        }
        let rels = Rels::load(pkg, &part)?;
        let sheets_node = root.child("sheets").ok_or_else(|| err(&part, "the workbook has no <sheets>"))?;
        let mut sheets = Vec::new();
        for s in sheets_node.children_named("sheet") {
            let rid = s.prefixed_attr("id").unwrap_or_default();
            let rel = rels.by_id(&rid);
            sheets.push(SheetInfo {
                name: s.attr("name").unwrap_or_default().into_owned(),
                state: s.attr("state").unwrap_or_default().into_owned(),
                part: rel.and_then(|r| rels.target_part(r)).and_then(|p| pkg.find(&p)),
                kind: rel.map(|r| rel_kind(&r.rtype).to_string()).unwrap_or_default(),
            });
        }
        if sheets.is_empty() {
            return Err(err(&part, "the workbook has no sheets"));
        }
        Ok(Workbook { part, src, root, sheets, rels })
    }

    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.sheets.iter().position(|s| crate::ooxml::xml::same_name(&s.name, name))
    }

    /// Where new worksheet parts go (`xl/worksheets/`).
    pub(crate) fn worksheet_dir(&self) -> String {
        format!("{}worksheets/", crate::ooxml::package::dir_of(&self.part))
    }

    pub(crate) fn dir(&self) -> &str {
        crate::ooxml::package::dir_of(&self.part)
    }

    /// The part of the workbook-level relationship of this kind (styles, sharedStrings).
    pub(crate) fn related_part(&self, kind: &str) -> Option<String> {
        self.rels.first_of_kind(kind).map(|r| resolve_target(&self.part, &r.target))
    }

    /// Applies the plan: sheets removed and added, localSheetId and the views renumbered.
    /// Relationships of added sheets are created here; the caller writes the sheet parts.
    pub(crate) fn apply(mut self, pkg: &mut Package<'_>, plan: Plan) -> Result<(), OoxmlError> {
        let part = self.part.clone();
        let root = &self.root;
        let mut edits = Edits::default();
        let shift = usize::from(plan.first.is_some());
        let new_index = |old: usize| -> Option<usize> {
            if plan.remove.contains(&old) {
                return None;
            }
            Some(old - plan.remove.iter().filter(|r| **r < old).count() + shift)
        };
        let sheets = root.child("sheets").ok_or_else(|| err(&part, "the workbook has no <sheets>"))?;
        if sheets.empty {
            return Err(err(&part, "the workbook has no sheets"));
        }
        let p = pfx(&sheets.qname);
        let (r_decl, r) = match root.ns_prefix(NS_REL) {
            Some(r) => (String::new(), r),
            None => (format!(r#" xmlns:r="{NS_REL}""#), "r".to_string()),
        };
        let mut next_id = sheets
            .children_named("sheet")
            .filter_map(|s| s.attr("sheetId").and_then(|v| v.trim().parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        let mut removed_rels = Vec::new();
        for (i, s) in sheets.children_named("sheet").enumerate() {
            if plan.remove.contains(&i) {
                edits.delete(s.start, s.end);
                if let Some(rid) = s.prefixed_attr("id") {
                    removed_rels.push(rid.into_owned());
                }
            }
        }
        let mut entry = |e: &NewEntry, rels: &mut Rels| {
            next_id = next_id.saturating_add(1);
            let rid = rels.add(crate::ooxml::package::REL_WORKSHEET, &e.part);
            let state = if e.very_hidden { r#" state="veryHidden""# } else { "" };
            format!(r#"<{p}sheet name="{}" sheetId="{next_id}"{state}{r_decl} {r}:id="{rid}"/>"#, esc_attr(&e.name))
        };
        if let Some(first) = &plan.first {
            edits.insert(sheets.open_end, entry(first, &mut self.rels));
        }
        if let Some(last) = &plan.last {
            edits.insert(sheets.close_start, entry(last, &mut self.rels));
        }
        for rid in removed_rels {
            self.rels.remove(&rid);
        }

        // Sheet-local names follow their sheets.
        let dp = root.child("definedNames").map_or_else(|| p.clone(), |d| pfx(&d.qname));
        let filter = plan.first_filter.as_ref().map(|range| {
            format!(
                r#"<{dp}definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{}</{dp}definedName>"#,
                esc_text(range)
            )
        });
        let titles = plan.first_print_titles.as_ref().map(|range| {
            format!(
                r#"<{dp}definedName name="_xlnm.Print_Titles" localSheetId="0">{}</{dp}definedName>"#,
                esc_text(range)
            )
        });
        let new_filter: Option<String> = match (filter, titles) {
            (None, None) => None,
            (a, b) => Some(format!("{}{}", a.unwrap_or_default(), b.unwrap_or_default())),
        };
        match root.child("definedNames") {
            Some(names) => {
                let mut kept = 0;
                let mut changes = Edits::default();
                for n in names.children_named("definedName") {
                    let Some(old) = n.attr("localSheetId").and_then(|v| v.trim().parse::<usize>().ok()) else {
                        kept += 1;
                        continue;
                    };
                    match new_index(old) {
                        None => changes.delete(n.start, n.end),
                        Some(new) => {
                            kept += 1;
                            if new != old {
                                retag(&mut changes, n, &[("localSheetId", Some(&new.to_string()))]);
                            }
                        }
                    }
                }
                let others = names.children.iter().filter(|c| c.local() != "definedName").count();
                match new_filter {
                    Some(f) if names.empty => {
                        let open = build_tag(&names.qname, &names.attrs, &[], false);
                        edits.replace(names.start, names.end, format!("{open}{f}</{}>", names.qname));
                    }
                    Some(f) => {
                        edits.extend(changes);
                        edits.insert(names.open_end, f);
                    }
                    // Only os2gov's names were there: remove the element as a whole.
                    None if kept == 0 && others == 0 && !names.empty => edits.delete(names.start, names.end),
                    None => edits.extend(changes),
                }
            }
            None => {
                if let Some(f) = new_filter {
                    let at = insert_position(root, WORKBOOK_ORDER, "definedNames");
                    edits.insert(at, format!("<{p}definedNames>{f}</{p}definedNames>"));
                }
            }
        }

        // The active tab: the new first sheet, or the same sheet as before (or the first
        // visible one when the active sheet was removed).
        let states: Vec<(usize, bool)> = self.sheets.iter().enumerate().map(|(i, s)| (i, s.visible())).collect();
        if let Some(views) = root.child("bookViews") {
            for v in views.children_named("workbookView") {
                let mut changes: Vec<(&str, Option<String>)> = Vec::new();
                for attr in ["activeTab", "firstSheet"] {
                    let Some(old) = v.attr(attr).and_then(|x| x.trim().parse::<usize>().ok()) else { continue };
                    let new = if plan.first.is_some() {
                        0
                    } else {
                        match new_index(old) {
                            Some(n) if states.get(old).is_some_and(|(_, vis)| *vis) || attr == "firstSheet" => n,
                            _ => states
                                .iter()
                                .find(|(i, vis)| *vis && new_index(*i).is_some())
                                .and_then(|(i, _)| new_index(*i))
                                .unwrap_or(0),
                        }
                    };
                    if new != old {
                        changes.push((attr, Some(new.to_string())));
                    }
                }
                if !changes.is_empty() {
                    let changes: Vec<(&str, Option<&str>)> = changes.iter().map(|(k, v)| (*k, v.as_deref())).collect();
                    retag(&mut edits, v, &changes);
                }
            }
        }
        pkg.write_edited(&part, &self.src, edits, self.root.inside())?;
        self.rels.save(pkg)
    }
}

//! Adding the rows that wait for the secretariat to its register after a run (design
//! §1.3): appended at the end of Placeringer and Vurderinger (nothing else in the file
//! changes), written to a temporary name beside it and renamed. Not written when the
//! configuration says so, when Excel or LibreOffice has the file open (a lock file beside
//! it), when it changed since the run read it, or when it cannot be written; the summary
//! says which, and the rows are on the portfolio's *Til sekretariatet* sheet either way.

use crate::config::settings::Settings;
use crate::model::register::{ASSESSMENT_COLS, ASSESSMENTS, Additions, PLACEMENT_COLS, PLACEMENTS, Register, placed};
use crate::text::{Text, t};
use std::path::{Path, PathBuf};

/// The lock files Excel (`~$name`) and LibreOffice (`.~lock.name#`) leave beside a file
/// they have open.
fn lock_files(path: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().map(|n| n.to_string_lossy().into_owned())) else {
        return Vec::new();
    };
    vec![dir.join(format!("~${name}")), dir.join(format!(".~lock.{name}#"))]
}

/// Appends `rows` to the register file whose bytes the run read (`read`). Returns what to
/// tell the user, or `None` when there was nothing to add.
pub fn append_pending(settings: &Settings, register: &Register, read: &[u8], rows: &Additions) -> Option<Text> {
    if rows.is_empty() {
        return None;
    }
    let (n, f) = (rows.len(), settings.terminal.shown(&settings.paths.register));
    let not_written = |why_da: &str, why_en: &str| {
        t!(
            "{n} rækker, der venter på sekretariatet, er ikke skrevet i registeret {f} ({why_da}); de står på porteføljens fane Til sekretariatet.",
            "{n} rows waiting for the secretariat were not written to the register {f} ({why_en}); they are on the portfolio's sheet Til sekretariatet."
        )
    };
    if !settings.paths.add_pending {
        return Some(not_written("tilfoej_ventende = false i os2gov.toml", "tilfoej_ventende = false in os2gov.toml"));
    }
    if lock_files(&settings.paths.register).iter().any(|p| p.exists()) {
        return Some(not_written(
            "filen er åben i Excel eller LibreOffice – luk den, så kommer rækkerne med næste gang",
            "the file is open in Excel or LibreOffice – close it, and the rows come next time",
        ));
    }
    let limit = crate::load::workbook::Limits::default().max_file_bytes;
    match crate::sys::fs::read_bounded(&settings.paths.register, limit) {
        Ok((now, _)) if now == read => {}
        _ => {
            return Some(not_written(
                "filen er ændret, siden kørslen læste den",
                "the file changed since the run read it",
            ));
        }
    }
    let cols = &register.columns;
    let assessments: Vec<Vec<Option<String>>> =
        rows.assessments.iter().map(|a| placed(&a.cells(), &cols.assessments, &ASSESSMENT_COLS)).collect();
    let placements: Vec<Vec<Option<String>>> =
        rows.placements.iter().map(|p| placed(&p.cells(), &cols.placements, &PLACEMENT_COLS)).collect();
    let appended = crate::ooxml::append_rows(read, ASSESSMENTS, &assessments)
        .and_then(|bytes| crate::ooxml::append_rows(&bytes, PLACEMENTS, &placements));
    let bytes = match appended {
        Ok(b) => b,
        Err(e) => {
            let why = e.0;
            return Some(not_written(
                &format!("filen kunne ikke udvides: {why}"),
                &format!("the file could not be extended: {why}"),
            ));
        }
    };
    if let Err(e) = crate::sys::fs::write_atomic(&settings.paths.register, &bytes) {
        let (da, en) = (e.render(crate::text::Lang::Da), e.render(crate::text::Lang::En));
        return Some(not_written(&da, &en));
    }
    let (a, p) = (rows.assessments.len(), rows.placements.len());
    Some(t!(
        "{n} rækker, der venter på sekretariatet, er tilføjet registeret {f} (Vurderinger: {a}, Placeringer: {p}). Udfyld Vurdering/Niveau i rækkerne.",
        "{n} rows waiting for the secretariat were added to the register {f} (Vurderinger: {a}, Placeringer: {p}). Fill in Vurdering/Niveau in those rows."
    ))
}

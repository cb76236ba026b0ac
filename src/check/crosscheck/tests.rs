//! Tests of `crosscheck`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::P;
use crate::model::finding::Code;

#[test]
fn a_missing_sheet_contradicts_nothing() {
    // Repository and licence are blank: with the Projekt sheet there, a Ja on F1/F2 is
    // contradicted; without it, only the missing sheet is said.
    let blank = |p: &mut crate::model::project::Project| {
        p.fields.repository.value = crate::model::project::Input::Blank;
    };
    P::new("N1", "Igangsat").with(blank).has(Code::KravCrosscheck);
    P::new("N1", "Igangsat")
        .with(|p| {
            blank(p);
            p.sheets.projekt = None;
        })
        .lacks(Code::KravCrosscheck);
}

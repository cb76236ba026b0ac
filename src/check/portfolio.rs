//! Checks across the whole batch: two workbooks claiming the same Projekt-ID.

use crate::model::finding::{Code, Finding, Location};
use crate::text::fold;
use crate::text::t;
use std::collections::HashMap;

/// For each project (by position), the `INPUT-DUPLICATE-PROJECT` findings it gets. `ids`
/// holds each project's ID (if any), its file and the location of its ID cell.
pub fn duplicates(ids: &[(Option<&str>, &str, Location)]) -> Vec<Vec<Finding>> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (id, _, _)) in ids.iter().enumerate() {
        if let Some(id) = id {
            groups.entry(fold(id)).or_default().push(i);
        }
    }
    let mut out = vec![Vec::new(); ids.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        for &i in members {
            // The other files are not named: this finding reaches this file's lead, and
            // another submitter's file name is theirs (each file gets its own finding, so
            // the secretariat sees every file in the report).
            let (id, file, at) = (&ids[i].0.unwrap_or_default(), ids[i].1, &ids[i].2);
            let n = members.len() - 1;
            let (other_da, other_en) = if n == 1 {
                ("1 anden indsendt fil".to_string(), "1 other file sent in".to_string())
            } else {
                (format!("{n} andre indsendte filer"), format!("{n} other files sent in"))
            };
            out[i].push(Finding::new(
                Code::InputDuplicateProject,
                at.clone(),
                t!(
                    "Projekt-ID '{id}' i {file} bruges også i {other_da}. Hvert projekt skal have sit eget ID; ret det ene, eller fjern den forældede fil fra indsendt/.",
                    "Projekt-ID '{id}' in {file} is also used in {other_en}. Each project needs its own ID; fix one, or remove the outdated file from the inbox."
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_told_of_the_others_without_their_names_and_case_does_not_matter() {
        let loc = || Location::sheet("Projekt");
        let ids = [
            (Some("OS2iot"), "a.xlsx", loc()),
            (Some("os2iot"), "b.xlsx", loc()),
            (Some("OS2mo"), "c.xlsx", loc()),
            (None, "d.xlsx", loc()),
        ];
        let out = duplicates(&ids);
        assert_eq!(out[0].len(), 1);
        assert!(out[0][0].message.da.contains("a.xlsx") && !out[0][0].message.da.contains("b.xlsx"));
        assert!(out[0][0].message.da.contains("1 anden indsendt fil"), "{}", out[0][0].message.da);
        assert_eq!(out[1].len(), 1);
        assert!(out[1][0].message.da.contains("b.xlsx") && !out[1][0].message.da.contains("a.xlsx"));
        assert!(out[2].is_empty() && out[3].is_empty());
    }
}

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
            let (id, file, at) = (&ids[i].0.unwrap_or_default(), ids[i].1, &ids[i].2);
            let others = members.iter().filter(|&&j| j != i).map(|&j| ids[j].1).collect::<Vec<_>>().join(", ");
            out[i].push(Finding::new(
                Code::InputDuplicateProject,
                at.clone(),
                t!(
                    "Projekt-ID '{id}' bruges både i {file} og i {others}. Hvert projekt skal have sit eget ID; ret det ene, eller fjern den forældede fil fra indsendt/.",
                    "Projekt-ID '{id}' is used both in {file} and in {others}. Each project needs its own ID; fix one, or remove the outdated file from the inbox."
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
    fn both_files_are_named_and_case_does_not_matter() {
        let loc = || Location::sheet("Projekt");
        let ids = [
            (Some("OS2iot"), "a.xlsx", loc()),
            (Some("os2iot"), "b.xlsx", loc()),
            (Some("OS2mo"), "c.xlsx", loc()),
            (None, "d.xlsx", loc()),
        ];
        let out = duplicates(&ids);
        assert_eq!(out[0].len(), 1);
        assert!(out[0][0].message.da.contains("a.xlsx") && out[0][0].message.da.contains("b.xlsx"));
        assert_eq!(out[1].len(), 1);
        assert!(out[2].is_empty() && out[3].is_empty());
    }
}

//! OSI-approved SPDX licence ids (data in data/osi-licenses.txt) and SPDX expression checks. Pure; no I/O.

/// The OSI-approved SPDX ids, one per line; `#` lines are comments.
const OSI_LIST: &str = include_str!("../../data/osi-licenses.txt");

/// OS2's default licence.
const DEFAULT_LICENCE: &str = "MPL-2.0";

/// The ids in [`OSI_LIST`], in file order, without comments and blank lines.
fn osi_ids() -> impl Iterator<Item = &'static str> {
    OSI_LIST.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Case-insensitive, trimmed lookup of an OSI-approved SPDX id; returns the canonical SPDX
/// spelling from the list. A trailing `+` is only accepted when the `+` form itself is listed
/// (`GPL-2.0+` yes, `MIT+` no).
pub fn canonical_osi(id: &str) -> Option<&'static str> {
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    osi_ids().find(|c| c.eq_ignore_ascii_case(id))
}

/// The OSI-approved SPDX ids a text names (e.g. a decision "Licensen EUPL-1.2 godkendt"),
/// canonical spelling, in order, without repeats.
pub fn osi_ids_in(text: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '+'))) {
        let word = word.trim_end_matches('.');
        if let Some(id) = canonical_osi(word)
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// Result of [`check_licence`].
#[derive(Debug, Clone, PartialEq)]
pub enum LicenceCheck {
    /// Every licence id is OSI-approved. `canonical` is the expression with canonical ids,
    /// upper-case operators and single spaces; `is_default` is true only for exactly `MPL-2.0`.
    Osi { canonical: String, is_default: bool },
    /// Licence ids that are not OSI-approved, or tokens that break the expression
    /// (unbalanced parentheses, dangling operators), in order of appearance, without repeats.
    NotOsi { unknown: Vec<String> },
    /// Nothing but whitespace.
    Empty,
}

/// One lexical token of an SPDX expression.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Open,
    Close,
    And,
    Or,
    With,
    Word(&'a str),
}

impl Token<'_> {
    fn text(&self) -> &str {
        match self {
            Token::Open => "(",
            Token::Close => ")",
            Token::And => "AND",
            Token::Or => "OR",
            Token::With => "WITH",
            Token::Word(w) => w,
        }
    }
}

/// Splits on whitespace and parentheses; `AND`, `OR` and `WITH` are recognised in any case.
fn tokenize(expr: &str) -> Vec<Token<'_>> {
    fn word(w: &str) -> Token<'_> {
        if w.eq_ignore_ascii_case("AND") {
            Token::And
        } else if w.eq_ignore_ascii_case("OR") {
            Token::Or
        } else if w.eq_ignore_ascii_case("WITH") {
            Token::With
        } else {
            Token::Word(w)
        }
    }
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in expr.char_indices() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if let Some(s) = start.take() {
                tokens.push(word(&expr[s..i]));
            }
            match c {
                '(' => tokens.push(Token::Open),
                ')' => tokens.push(Token::Close),
                _ => {}
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push(word(&expr[s..]));
    }
    tokens
}

/// What the checker expects next.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A licence id or `(`.
    Operand,
    /// `AND`, `OR`, `)` or `WITH` (right after a licence id).
    OperatorOrWith,
    /// `AND`, `OR` or `)`.
    Operator,
    /// The exception id after `WITH`.
    Exception,
}

/// Checks a licence id or a simple SPDX expression (`OR`, `AND`, `WITH <exception>`,
/// parentheses; operators in any case). Every licence id must be OSI-approved; exception ids
/// after `WITH` are not checked against the list. Never panics: the check is iterative, so
/// deeply nested or unbalanced input just yields [`LicenceCheck::NotOsi`].
pub fn check_licence(expr: &str) -> LicenceCheck {
    if expr.trim().is_empty() {
        return LicenceCheck::Empty;
    }
    let tokens = tokenize(expr);
    let mut unknown: Vec<String> = Vec::new();
    let mut note = |t: &str| {
        if !unknown.iter().any(|u| u == t) {
            unknown.push(t.to_string());
        }
    };
    let mut out = String::new();
    let mut expect = Expect::Operand;
    let mut depth: usize = 0;

    for tok in &tokens {
        match (expect, tok) {
            (Expect::Operand, Token::Open) => {
                depth += 1;
                out.push('(');
            }
            (Expect::Operand, Token::Word(w)) => {
                match canonical_osi(w) {
                    Some(c) => out.push_str(c),
                    None => {
                        note(w);
                        out.push_str(w);
                    }
                }
                expect = Expect::OperatorOrWith;
            }
            (Expect::OperatorOrWith | Expect::Operator, Token::And | Token::Or) => {
                out.push(' ');
                out.push_str(tok.text());
                out.push(' ');
                expect = Expect::Operand;
            }
            (Expect::OperatorOrWith, Token::With) => {
                out.push_str(" WITH ");
                expect = Expect::Exception;
            }
            (Expect::Exception, Token::Word(w)) => {
                out.push_str(w);
                expect = Expect::Operator;
            }
            (Expect::OperatorOrWith | Expect::Operator, Token::Close) if depth > 0 => {
                depth -= 1;
                out.push(')');
                expect = Expect::Operator;
            }
            // Anything else is out of place: note it and carry on, so that every bad token
            // and every unknown id gets reported.
            (_, Token::Word(w)) => note(w),
            (_, other) => note(other.text()),
        }
    }
    if matches!(expect, Expect::Operand | Expect::Exception)
        && let Some(last) = tokens.last()
    {
        note(last.text());
    }
    if depth > 0 {
        note("(");
    }

    if unknown.is_empty() {
        let is_default = out == DEFAULT_LICENCE;
        LicenceCheck::Osi { canonical: out, is_default }
    } else {
        LicenceCheck::NotOsi { unknown }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn osi(canonical: &str, is_default: bool) -> LicenceCheck {
        LicenceCheck::Osi { canonical: canonical.to_string(), is_default }
    }

    fn not_osi(unknown: &[&str]) -> LicenceCheck {
        LicenceCheck::NotOsi { unknown: unknown.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn mpl_is_osi_and_default() {
        assert_eq!(check_licence("MPL-2.0"), osi("MPL-2.0", true));
        assert_eq!(check_licence("  MPL-2.0 \t"), osi("MPL-2.0", true));
    }

    #[test]
    fn lower_case_canonicalises() {
        assert_eq!(canonical_osi("mpl-2.0"), Some("MPL-2.0"));
        assert_eq!(canonical_osi("  eupl-1.2 "), Some("EUPL-1.2"));
        assert_eq!(check_licence("mpl-2.0"), osi("MPL-2.0", true));
    }

    #[test]
    fn eupl_is_osi_not_default() {
        assert_eq!(check_licence("EUPL-1.2"), osi("EUPL-1.2", false));
        assert_eq!(check_licence("MPL-2.0-no-copyleft-exception"), osi("MPL-2.0-no-copyleft-exception", false));
    }

    #[test]
    fn or_expression_is_osi() {
        assert_eq!(check_licence("MIT OR Apache-2.0"), osi("MIT OR Apache-2.0", false));
        assert_eq!(check_licence("mit   or\tapache-2.0"), osi("MIT OR Apache-2.0", false));
        assert_eq!(check_licence("MPL-2.0 OR MIT"), osi("MPL-2.0 OR MIT", false));
    }

    #[test]
    fn with_exception_is_osi() {
        assert_eq!(
            check_licence("GPL-2.0-only WITH Classpath-exception-2.0"),
            osi("GPL-2.0-only WITH Classpath-exception-2.0", false)
        );
        assert_eq!(check_licence("apache-2.0 with LLVM-exception"), osi("Apache-2.0 WITH LLVM-exception", false));
    }

    #[test]
    fn parentheses_and_and() {
        assert_eq!(
            check_licence("( mit OR apache-2.0 )and bsd-3-clause"),
            osi("(MIT OR Apache-2.0) AND BSD-3-Clause", false)
        );
        assert_eq!(check_licence("((EUPL-1.2))"), osi("((EUPL-1.2))", false));
    }

    #[test]
    fn deprecated_and_plus_ids() {
        assert_eq!(check_licence("gpl-3.0"), osi("GPL-3.0", false));
        assert_eq!(check_licence("GPL-2.0+"), osi("GPL-2.0+", false));
        assert_eq!(check_licence("lgpl-2.1+"), osi("LGPL-2.1+", false));
        assert_eq!(check_licence("MIT+"), not_osi(&["MIT+"]));
        assert_eq!(check_licence("MPL-2.0+"), not_osi(&["MPL-2.0+"]));
    }

    #[test]
    fn cc_by_sa_is_not_osi() {
        assert_eq!(check_licence("CC-BY-SA-4.0"), not_osi(&["CC-BY-SA-4.0"]));
        assert_eq!(check_licence("MIT OR CC-BY-SA-4.0"), not_osi(&["CC-BY-SA-4.0"]));
        assert_eq!(canonical_osi("CC-BY-SA-4.0"), None);
    }

    #[test]
    fn proprietary_is_not_osi() {
        assert_eq!(check_licence("Proprietary"), not_osi(&["Proprietary"]));
        assert_eq!(check_licence("LicenseRef-Proprietary"), not_osi(&["LicenseRef-Proprietary"]));
        assert_eq!(check_licence("MIT/Apache-2.0"), not_osi(&["MIT/Apache-2.0"]));
    }

    #[test]
    fn blank_is_empty() {
        assert_eq!(check_licence(""), LicenceCheck::Empty);
        assert_eq!(check_licence(" \t\n\u{a0}"), LicenceCheck::Empty);
        assert_eq!(canonical_osi("   "), None);
    }

    #[test]
    fn garbage_is_not_osi() {
        assert_eq!(check_licence("(("), not_osi(&["("]));
        assert_eq!(check_licence("MIT)"), not_osi(&[")"]));
        assert_eq!(check_licence("(MIT"), not_osi(&["("]));
        assert_eq!(check_licence("MIT OR"), not_osi(&["OR"]));
        assert_eq!(check_licence("AND MIT"), not_osi(&["AND"]));
        assert_eq!(check_licence("MIT WITH"), not_osi(&["WITH"]));
        assert_eq!(check_licence("MIT Apache-2.0"), not_osi(&["Apache-2.0"]));
        assert_eq!(check_licence("()"), not_osi(&[")", "("]));
        assert_eq!(check_licence("MIT WITH x WITH y"), not_osi(&["WITH", "y"]));
    }

    #[test]
    fn never_panics() {
        let deep_open = "(".repeat(200_000);
        assert!(matches!(check_licence(&deep_open), LicenceCheck::NotOsi { .. }));
        let deep_close = ")".repeat(200_000);
        assert!(matches!(check_licence(&deep_close), LicenceCheck::NotOsi { .. }));
        let nested = format!("{}MIT{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(matches!(check_licence(&nested), LicenceCheck::Osi { .. }));
        let long = "MIT OR ".repeat(50_000) + "MIT";
        assert!(matches!(check_licence(&long), LicenceCheck::Osi { .. }));
        for s in ["ÆØÅ", "MIT OR 日本語", "😀(", "MIT\u{0}", "\u{feff}MIT", "+", "WITH", "()()", ")("] {
            assert!(matches!(check_licence(s), LicenceCheck::NotOsi { .. }), "{s:?}");
        }
        assert_eq!(canonical_osi("ÆØÅ"), None);
    }

    #[test]
    fn list_is_large_and_unique() {
        let ids: Vec<&str> = osi_ids().collect();
        assert!(ids.len() > 100, "only {} ids", ids.len());
        let mut seen = HashSet::new();
        for id in &ids {
            assert!(!id.chars().any(char::is_whitespace), "{id:?}");
            assert!(seen.insert(id.to_ascii_lowercase()), "duplicate {id}");
            assert_eq!(canonical_osi(id), Some(*id));
        }
        for must in ["MPL-2.0", "EUPL-1.2", "Apache-2.0", "GPL-3.0-only", "GPL-3.0-or-later", "MIT", "BSD-3-Clause"] {
            assert_eq!(canonical_osi(must), Some(must));
        }
    }
}

//! The layers of README's "Layers" section, enforced: reads every file under `src/`, draws
//! the import graph – `use` items (also `pub use` and those in `#[cfg(test)]` code) and
//! `crate::…`, `super::…`, `self::…` paths, and paths through a module imported by name –
//! and fails on an edge that points up a layer, an edge between two modules of one layer
//! that the README does not allow, or a cycle between files. Each failure names the edge
//! (`file:line: from → to`). A `mod x;` declaration is containment, not an edge.
//!
//! Std only, so the same file builds as a stand-alone program for quick runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
    Other,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Rust tokens without comments and literals (enough to find paths).
fn lex(src: &str) -> Vec<Token> {
    let b: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut out) = (0usize, 1usize, Vec::new());
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    while i < b.len() {
        let c = b[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if (c == 'r' || c == 'b' || c == 'c') && raw_string_start(&b, i).is_some() {
            let (hashes, body) = raw_string_start(&b, i).unwrap();
            i = body;
            loop {
                if i >= b.len() {
                    break;
                }
                if b[i] == '"' && (0..hashes).all(|k| at(i + 1 + k) == '#') {
                    i += 1 + hashes;
                    break;
                }
                if b[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            out.push(Token { tok: Tok::Other, line });
        } else if c == '"' || ((c == 'b' || c == 'c') && at(i + 1) == '"') {
            i += if c == '"' { 1 } else { 2 };
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if at(i) == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(Token { tok: Tok::Other, line });
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            // A char literal ('x', '\n', '\u{..}', b'x') or a lifetime ('a).
            let start = if c == 'b' { i + 1 } else { i };
            if at(start + 1) == '\\' {
                let mut j = start + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if at(start + 2) == '\'' {
                i = start + 3;
            } else {
                // Lifetime or label: skip the quote, the name follows as an identifier.
                i = start + 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
            }
            out.push(Token { tok: Tok::Other, line });
        } else if c.is_alphabetic() || c == '_' {
            let s = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let mut word: String = b[s..i].iter().collect();
            if word == "r" && at(i) == '#' {
                // r#ident
                i += 1;
                let s = i;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
                word = b[s..i].iter().collect();
            }
            out.push(Token { tok: Tok::Ident(word), line });
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '.') {
                if b[i] == '.' && !at(i + 1).is_ascii_digit() {
                    break;
                }
                i += 1;
            }
            out.push(Token { tok: Tok::Other, line });
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token { tok: Tok::Path, line });
            i += 2;
        } else if c == '$' && b.get(i + 1..i + 6).is_some_and(|w| w.iter().collect::<String>() == "crate") {
            out.push(Token { tok: Tok::Ident("crate".into()), line });
            i += 6;
        } else {
            out.push(Token { tok: Tok::Punct(c), line });
            i += 1;
        }
    }
    out
}

/// `r"…"`, `r#"…"#`, `br"…"`, `cr"…"`: the number of hashes and where the body starts.
fn raw_string_start(b: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if b[j] == 'b' || b[j] == 'c' {
        j += 1;
    }
    if b.get(j) != Some(&'r') {
        return None;
    }
    if i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while b.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (b.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

/// One source file and the module it is.
struct File {
    rel: String,
    module: Vec<String>,
    tokens: Vec<Token>,
}

/// A module: the file it lives in and its child modules.
#[derive(Default)]
struct Module {
    file: String,
    children: BTreeSet<String>,
}

/// One edge of the import graph.
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: String,
    pub line: usize,
    pub to: String,
    pub path: String,
}

fn module_of(rel: &str) -> Vec<String> {
    let stem = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

fn rs_files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src/ is readable").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, base, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

/// A `use` tree flattened: the full path of every leaf, with the name it is bound to
/// (`None` for `*`).
fn use_leaves(
    t: &[Token],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, usize)>,
) -> usize {
    let mut path = prefix;
    loop {
        match t.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(w)) => {
                let line = t[i].line;
                path.push(w.clone());
                i += 1;
                if t.get(i).map(|t| &t.tok) == Some(&Tok::Path) {
                    i += 1;
                    continue;
                }
                // `as name`
                let mut bound = w.clone();
                if matches!(t.get(i).map(|t| &t.tok), Some(Tok::Ident(a)) if a == "as") {
                    if let Some(Tok::Ident(n)) = t.get(i + 1).map(|t| &t.tok) {
                        bound = n.clone();
                    }
                    i += 2;
                }
                if w == "self" {
                    path.pop();
                    let name = if bound == "self" { path.last().cloned().unwrap_or_default() } else { bound };
                    out.push((path, Some(name), line));
                } else {
                    out.push((path, Some(bound), line));
                }
                return i;
            }
            Some(Tok::Punct('*')) => {
                out.push((path, None, t[i].line));
                return i + 1;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    match t.get(i).map(|t| &t.tok) {
                        Some(Tok::Punct('}')) => return i + 1,
                        Some(Tok::Punct(',')) => i += 1,
                        None => return i,
                        _ => i = use_leaves(t, i, path.clone(), out),
                    }
                }
            }
            _ => return i + 1,
        }
    }
}

struct Graph {
    modules: BTreeMap<Vec<String>, Module>,
}

impl Graph {
    fn child(&self, m: &[String], name: &str) -> Option<Vec<String>> {
        let module = self.modules.get(m)?;
        module.children.contains(name).then(|| {
            let mut c = m.to_vec();
            c.push(name.to_string());
            c
        })
    }

    /// The deepest module a path reaches from `start`, and whether every segment was a module.
    fn descend(&self, start: Vec<String>, rest: &[String]) -> (Vec<String>, bool) {
        let mut at = start;
        for seg in rest {
            match self.child(&at, seg) {
                Some(c) => at = c,
                None => return (at, false),
            }
        }
        (at, true)
    }
}

/// Resolves the first segments of a path (`crate`, `super`, `self`, a child module or a
/// module imported by name) to a module, then descends. `None` when the path is not into
/// this crate.
fn resolve(
    g: &Graph,
    scope: &[String],
    aliases: &HashMap<String, Vec<String>>,
    path: &[String],
    crate_names: &[&str],
) -> Option<(Vec<String>, bool)> {
    let first = path.first()?;
    let (start, rest): (Vec<String>, &[String]) = if crate_names.contains(&first.as_str()) {
        (Vec::new(), &path[1..])
    } else if first == "super" || first == "self" {
        let mut at = scope.to_vec();
        let mut k = 0;
        while path.get(k).is_some_and(|s| s == "super" || (s == "self" && k == 0)) {
            if path[k] == "super" {
                at.pop();
            }
            k += 1;
        }
        (at, &path[k..])
    } else if let Some(c) = g.child(scope, first) {
        (c, &path[1..])
    } else if let Some(a) = aliases.get(first) {
        (a.clone(), &path[1..])
    } else {
        return None;
    };
    Some(g.descend(start, rest))
}

/// Every edge between files of `src/`.
pub fn edges(src: &Path) -> Vec<Edge> {
    let mut paths = Vec::new();
    rs_files(src, src, &mut paths);
    let mut files: Vec<File> = paths
        .iter()
        .map(|p| {
            let rel = p.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(src.join(p)).expect("a readable source file");
            File {
                module: if rel == "main.rs" { vec!["<main>".into()] } else { module_of(&rel) },
                rel,
                tokens: lex(&text),
            }
        })
        .collect();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut g = Graph { modules: BTreeMap::new() };
    for f in &files {
        g.modules.entry(f.module.clone()).or_default().file = f.rel.clone();
    }
    // Children: every file's module is its parent's child; inline `mod x { … }` too.
    let file_modules: Vec<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    for m in &file_modules {
        if let Some((last, parent)) = m.split_last() {
            g.modules.entry(parent.to_vec()).or_default().children.insert(last.clone());
        }
    }
    let mut inline: Vec<Vec<(Vec<String>, usize, usize)>> = Vec::new(); // per file: (module, open, close) token ranges
    for f in &files {
        let mut ranges = Vec::new();
        let mut stack: Vec<(Vec<String>, usize, usize)> = Vec::new(); // module, depth, start
        let mut depth = 0usize;
        let t = &f.tokens;
        for i in 0..t.len() {
            match &t[i].tok {
                Tok::Punct('{') => {
                    depth += 1;
                    if i >= 2
                        && matches!(&t[i - 2].tok, Tok::Ident(m) if m == "mod")
                        && let Tok::Ident(name) = &t[i - 1].tok
                    {
                        let mut m = stack.last().map(|s| s.0.clone()).unwrap_or_else(|| f.module.clone());
                        m.push(name.clone());
                        stack.push((m, depth, i));
                    }
                }
                Tok::Punct('}') => {
                    if stack.last().is_some_and(|s| s.1 == depth) {
                        let (m, _, start) = stack.pop().unwrap();
                        ranges.push((m, start, i));
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
        }
        inline.push(ranges);
    }
    for (f, ranges) in files.iter().zip(&inline) {
        for (m, _, _) in ranges {
            let entry = g.modules.entry(m.clone()).or_default();
            entry.file = f.rel.clone();
            let (last, parent) = m.split_last().unwrap();
            g.modules.entry(parent.to_vec()).or_default().children.insert(last.clone());
        }
    }
    let scope_at = |fi: usize, i: usize| -> Vec<String> {
        inline[fi]
            .iter()
            .filter(|(_, s, e)| *s < i && i < *e)
            .max_by_key(|(m, _, _)| m.len())
            .map(|(m, _, _)| m.clone())
            .unwrap_or_else(|| files[fi].module.clone())
    };
    // Pass 1: the names each file imports that are modules (and its glob imports).
    let mut aliases: Vec<HashMap<String, Vec<String>>> = vec![HashMap::new(); files.len()];
    let mut globs: Vec<Vec<Vec<String>>> = vec![Vec::new(); files.len()];
    // Per file: (token index, path, bound name, line) of every `use` leaf.
    type UseLeaf = (usize, Vec<String>, Option<String>, usize);
    let mut uses: Vec<Vec<UseLeaf>> = vec![Vec::new(); files.len()];
    for (fi, f) in files.iter().enumerate() {
        let crate_names: &[&str] = if f.rel == "main.rs" { &["os2gov"] } else { &["crate"] };
        let t = &f.tokens;
        let mut i = 0;
        while i < t.len() {
            if matches!(&t[i].tok, Tok::Ident(w) if w == "use")
                && !matches!(t.get(i.wrapping_sub(1)).map(|t| &t.tok), Some(Tok::Path))
            {
                let mut leaves = Vec::new();
                let end = use_leaves(t, i + 1, Vec::new(), &mut leaves);
                let scope = scope_at(fi, i);
                for (path, bound, line) in leaves {
                    uses[fi].push((i, path.clone(), bound.clone(), line));
                    let no_alias = HashMap::new();
                    if let Some((m, whole)) = resolve(&g, &scope, &no_alias, &path, crate_names) {
                        match bound {
                            None => globs[fi].push(m),
                            Some(b) if whole => {
                                aliases[fi].insert(b, m);
                            }
                            Some(_) => {}
                        }
                    }
                }
                i = end;
            } else {
                i += 1;
            }
        }
    }
    // Glob imports bring in the target's child modules and module aliases.
    for fi in 0..files.len() {
        for m in globs[fi].clone() {
            if let Some(module) = g.modules.get(&m) {
                for c in &module.children {
                    let mut p = m.clone();
                    p.push(c.clone());
                    aliases[fi].entry(c.clone()).or_insert(p);
                }
                if let Some(other) = files.iter().position(|f| f.rel == module.file) {
                    for (k, v) in aliases[other].clone() {
                        aliases[fi].entry(k).or_insert(v);
                    }
                }
            }
        }
    }
    // Pass 2: edges from use items and path expressions.
    let mut out = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        let crate_names: &[&str] = if f.rel == "main.rs" { &["os2gov"] } else { &["crate"] };
        let mut push = |module: Vec<String>, line: usize, path: &[String]| {
            if let Some(target) = g.modules.get(&module)
                && target.file != f.rel
            {
                out.push(Edge { from: f.rel.clone(), line, to: target.file.clone(), path: path.join("::") });
            }
        };
        for (i, path, _, line) in &uses[fi] {
            let scope = scope_at(fi, *i);
            if let Some((m, _)) = resolve(&g, &scope, &aliases[fi], path, crate_names) {
                push(m, *line, path);
            }
        }
        let t = &f.tokens;
        let mut i = 0;
        let mut in_use = false;
        while i < t.len() {
            match &t[i].tok {
                Tok::Ident(w) if w == "use" => in_use = true,
                Tok::Punct(';') => in_use = false,
                _ => {}
            }
            if in_use {
                i += 1;
                continue;
            }
            let starts = matches!(&t[i].tok, Tok::Ident(_))
                && t.get(i + 1).map(|t| &t.tok) == Some(&Tok::Path)
                && !matches!(t.get(i.wrapping_sub(1)).map(|t| &t.tok), Some(Tok::Path));
            if starts {
                let mut path = Vec::new();
                let mut j = i;
                while let Some(Tok::Ident(w)) = t.get(j).map(|t| &t.tok) {
                    path.push(w.clone());
                    if t.get(j + 1).map(|t| &t.tok) == Some(&Tok::Path) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                let scope = scope_at(fi, i);
                if let Some((m, _)) = resolve(&g, &scope, &aliases[fi], &path, crate_names) {
                    push(m, t[i].line, &path);
                }
                i = j + 1;
            } else {
                i += 1;
            }
        }
    }
    // One edge per pair of files: the first place it is made.
    out.sort_by(|a, b| (&a.from, &a.to, a.line).cmp(&(&b.from, &b.to, b.line)));
    out.dedup_by(|a, b| a.from == b.from && a.to == b.to);
    out.sort_by(|a, b| (&a.from, a.line, &a.to).cmp(&(&b.from, b.line, &b.to)));
    out
}

/// The top-level module a file belongs to: `cli` for `src/cli/args.rs`, `text` for
/// `src/text.rs`, `main` for `src/main.rs`, `lib` for `src/lib.rs`.
pub fn top(file: &str) -> String {
    match file {
        "main.rs" => "main".into(),
        "lib.rs" => "lib".into(),
        _ => file.split('/').next().unwrap().trim_end_matches(".rs").to_string(),
    }
}

/// The layers as the README writes them: the code block under `## Layers`, one line per
/// layer from the top; the first column lists the layer's modules (`cli/`, `xlsx`,
/// `main.rs`); `a/ → b/` in the rest of a line allows an edge between two modules of that
/// layer.
pub struct Layers {
    pub layer: HashMap<String, usize>,
    pub allowed: BTreeSet<(String, String)>,
}

pub fn layers(readme: &str) -> Result<Layers, String> {
    let section = readme.split("\n## Layers").nth(1).ok_or("README has no '## Layers' section")?;
    let block = section.split("```").nth(1).ok_or("the Layers section has no code block")?;
    let name = |w: &str| w.trim_end_matches('/').trim_end_matches(".rs").trim_end_matches(',').to_string();
    let mut out = Layers { layer: HashMap::new(), allowed: BTreeSet::new() };
    for (n, line) in block.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let (modules, rest) = line.split_once("  ").unwrap_or((line, ""));
        for m in modules.split_whitespace() {
            if out.layer.insert(name(m), n).is_some() {
                return Err(format!("README Layers: {m} is listed twice"));
            }
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        for w in words.windows(3) {
            if w[1] == "→" {
                out.allowed.insert((name(w[0]), name(w[2].trim_end_matches(&[':', ';', '.', ')'][..]))));
            }
        }
    }
    Ok(out)
}

/// Strongly connected components with more than one node.
fn cycles(nodes: &BTreeSet<String>, edges: &[(String, String)]) -> Vec<BTreeSet<String>> {
    let idx: HashMap<&String, usize> = nodes.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let names: Vec<&String> = nodes.iter().collect();
    let mut adj = vec![Vec::new(); nodes.len()];
    for (a, b) in edges {
        adj[idx[a]].push(idx[b]);
    }
    // Iterative Tarjan.
    let n = nodes.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut counter, mut out) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, k)) = work.pop() {
            if k == 0 {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on[v] = true;
            }
            if k < adj[v].len() {
                work.push((v, k + 1));
                let w = adj[v][k];
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = BTreeSet::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    comp.insert(names[w].clone());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    out.push(comp);
                }
            }
        }
    }
    out
}

/// Every violation, one line each.
pub fn violations(src: &Path, readme: &str) -> Vec<String> {
    let edges = edges(src);
    let mut bad = Vec::new();
    let layers = match layers(readme) {
        Ok(l) => l,
        Err(e) => return vec![e],
    };
    let mut tops = BTreeSet::new();
    let mut files = BTreeSet::new();
    let mut paths = Vec::new();
    rs_files(src, src, &mut paths);
    for p in &paths {
        let rel = p.to_string_lossy().replace('\\', "/");
        tops.insert(top(&rel));
        files.insert(rel);
    }
    for t in &tops {
        if t != "lib" && !layers.layer.contains_key(t) {
            bad.push(format!("src/{t}: a module in no layer of README's Layers section"));
        }
    }
    for e in &edges {
        let (a, b) = (top(&e.from), top(&e.to));
        if a == b {
            continue;
        }
        let at = |m: &str| layers.layer.get(m).copied();
        let what = match (at(&a), at(&b)) {
            _ if b == "lib" => Some("uses the crate root".to_string()),
            (Some(x), Some(y)) if y < x => Some(format!("points up (layer {} → layer {})", x + 1, y + 1)),
            (Some(x), Some(y)) if y == x && !layers.allowed.contains(&(a.clone(), b.clone())) => {
                Some("joins two modules of one layer without the README allowing it".to_string())
            }
            _ => None,
        };
        if let Some(what) = what {
            bad.push(format!("src/{}:{}: {a} → {b} ({}) {what}", e.from, e.line, e.path));
        }
    }
    let file_edges: Vec<(String, String)> = edges.iter().map(|e| (e.from.clone(), e.to.clone())).collect();
    for comp in cycles(&files, &file_edges) {
        let mut text = format!("a cycle between {} files:", comp.len());
        for e in edges.iter().filter(|e| comp.contains(&e.from) && comp.contains(&e.to)) {
            let _ = write!(text, "\n    src/{}:{}: {} → {} ({})", e.from, e.line, e.from, e.to, e.path);
        }
        bad.push(text);
    }
    let top_edges: BTreeSet<(String, String)> =
        edges.iter().map(|e| (top(&e.from), top(&e.to))).filter(|(a, b)| a != b).collect();
    let top_edges: Vec<(String, String)> = top_edges.into_iter().collect();
    for comp in cycles(&tops, &top_edges) {
        bad.push(format!("a cycle between top-level modules: {}", comp.into_iter().collect::<Vec<_>>().join(", ")));
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn layers_only_call_down_and_files_form_no_cycle() {
        let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
        let bad = violations(&root().join("src"), &readme);
        assert!(bad.is_empty(), "{} layer violation(s):\n{}", bad.len(), bad.join("\n"));
    }
}

//! "No module cycles" (issue 13 §6): within each crate, the modules its files name through
//! `crate::…` paths form no cycle, so each crate reads as layers, bottom up.
//!
//! A file's module is where it sits under `src/` (`a/b.rs` and `a/b/mod.rs` are `a::b`). A
//! `crate::a::b::Item` path in a file's code (as `shiming_test_support::tidy::code` sees it:
//! test modules and comment lines left out) is an arrow to the deepest module file it names.
//! Arrows into the crate root are left out: the root declares the modules and re-exports
//! their items, so every `crate::Item` would otherwise close a circle through it. `super::`
//! paths are left out too: a child module leaning on its parent is how Rust spells a module
//! family, not a layering problem.

use shiming_test_support::tidy::{code, sources};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module path from the crate root (`["batch", "engine", "dispatch"]`).
type ModulePath = Vec<String>;

/// The first cycle among `src`'s module files, as the files' module paths in order (the
/// first repeated at the end); `None` when there is none.
pub(super) fn first_cycle(src: &Path) -> Option<Vec<String>> {
    let modules = module_files(src);
    let known: BTreeSet<&ModulePath> = modules.keys().collect();
    let mut arrows: BTreeMap<&ModulePath, BTreeSet<&ModulePath>> = BTreeMap::new();
    for (module, text) in &modules {
        let targets = arrows.entry(module).or_default();
        for named in crate_paths(&code(text)) {
            let target = (1..=named.len())
                .rev()
                .map(|len| named[..len].to_vec())
                .find(|prefix| known.contains(prefix));
            if let Some(target) = target.filter(|t| t != module && !t.is_empty()) {
                let target = known.get(&target).expect("a known module");
                targets.insert(target);
            }
        }
    }
    let mut done = BTreeSet::new();
    for start in arrows.keys() {
        let mut trail = Vec::new();
        if let Some(cycle) = search(start, &arrows, &mut trail, &mut done) {
            return Some(cycle.iter().map(|m| display(m)).collect());
        }
    }
    None
}

/// Depth-first search from `at`; returns the cycle when `at` is already on the trail.
fn search<'a>(
    at: &'a ModulePath,
    arrows: &BTreeMap<&'a ModulePath, BTreeSet<&'a ModulePath>>,
    trail: &mut Vec<&'a ModulePath>,
    done: &mut BTreeSet<&'a ModulePath>,
) -> Option<Vec<&'a ModulePath>> {
    if let Some(position) = trail.iter().position(|m| *m == at) {
        let mut cycle = trail[position..].to_vec();
        cycle.push(at);
        return Some(cycle);
    }
    if done.contains(at) {
        return None;
    }
    trail.push(at);
    for next in arrows.get(at).into_iter().flatten() {
        if let Some(cycle) = search(next, arrows, trail, done) {
            return Some(cycle);
        }
    }
    trail.pop();
    done.insert(at);
    None
}

fn display(module: &ModulePath) -> String {
    format!("crate::{}", module.join("::"))
}

/// Every module file below `src` (binaries under `src/bin/` are crates of their own), with
/// its text.
fn module_files(src: &Path) -> BTreeMap<ModulePath, String> {
    let mut found = BTreeMap::new();
    for file in sources(src) {
        let relative = file.strip_prefix(src).expect("under src");
        let mut module: ModulePath = relative
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        if module.first().is_some_and(|first| first == "bin") && module.len() > 1 {
            continue;
        }
        let file_name = module.pop().expect("a file name");
        let stem = file_name.trim_end_matches(".rs");
        let is_root = module.is_empty() && (stem == "lib" || stem == "main");
        if stem != "mod" && !is_root {
            module.push(stem.to_string());
        }
        let text = fs::read_to_string(&file).expect("source is UTF-8");
        found.insert(module, text);
    }
    found
}

/// Every path `crate::a::b…` names, with `crate::{a::x, b}` groups spread out.
fn crate_paths(code: &str) -> Vec<ModulePath> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `$crate::` and `shiming_crate::` are not this crate's root.
        if before.is_some_and(|c| c == '$' || c == '_' || c.is_alphanumeric()) {
            continue;
        }
        paths.extend(spread(rest, Vec::new()));
    }
    paths
}

/// The paths at the start of `text` (just after `crate::` or after a group's `::`).
fn spread(text: &str, prefix: ModulePath) -> Vec<ModulePath> {
    if let Some(group) = text.strip_prefix('{') {
        let inside = &group[..closing_brace(group)];
        return split_top_level(inside)
            .into_iter()
            .flat_map(|item| spread(item.trim_start(), prefix.clone()))
            .collect();
    }
    let mut path = prefix;
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        path.push(rest[..end].to_string());
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(after) if after.starts_with('{') => return spread(after, path),
            Some(after) => rest = after,
            None => break,
        }
    }
    vec![path]
}

/// Where the group that `text` starts inside of closes (or its end).
fn closing_brace(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// `a::{b, c}, d` → `["a::{b, c}", " d"]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(code: &str) -> Vec<String> {
        crate_paths(code).iter().map(|p| p.join("::")).collect()
    }

    #[test]
    fn paths_and_groups_are_read_as_written() {
        assert_eq!(
            paths("use crate::config::{ConfigError, Hidden};\nlet x = crate::a::b::f();"),
            ["config::ConfigError", "config::Hidden", "a::b::f"]
        );
        assert_eq!(
            paths("use crate::{batch::engine::{Job, sink::Sink}, report};"),
            ["batch::engine::Job", "batch::engine::sink::Sink", "report"]
        );
        assert!(paths("$crate::masked::shown!(x); shiming_crate::a").is_empty());
    }

    #[test]
    fn a_cycle_is_found_and_a_layered_crate_passes() {
        let root = std::env::temp_dir().join(format!("tidy-cycles-{}", std::process::id()));
        let src = root.join("src");
        fs::create_dir_all(src.join("a")).unwrap();
        fs::write(src.join("lib.rs"), "mod a;\nmod b;\npub use a::X;\n").unwrap();
        fs::write(
            src.join("a.rs"),
            "mod inner;\nuse crate::b::Y;\npub struct X;\n",
        )
        .unwrap();
        fs::write(
            src.join("a/inner.rs"),
            "use super::X;\nuse crate::X as Z;\n",
        )
        .unwrap();
        fs::write(src.join("b.rs"), "pub struct Y;\n").unwrap();
        assert_eq!(first_cycle(&src), None);
        fs::write(src.join("b.rs"), "use crate::a::X;\npub struct Y;\n").unwrap();
        let cycle = first_cycle(&src).expect("a cycle");
        assert_eq!(cycle.first(), cycle.last());
        assert!(cycle.contains(&"crate::a".to_string()), "{cycle:?}");
        let _ = fs::remove_dir_all(root);
    }
}

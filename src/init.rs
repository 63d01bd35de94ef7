//! `fixbook init DIR`: a small, working starter guide that shows every part of
//! the format (guide.toml, the symptom catalog, an introduction, and two
//! sections with steps, settings paths, symptoms and links). It builds with
//! zero warnings, so a new author starts from a clean `fixbook check`.
//! It also carries the JSON Schemas of its files (`.fixbook/schema/`, from
//! `source::schema`) and the editor settings that use them, so an editor
//! checks guide.toml and symptoms.yml as the author types (hidden folders
//! are not part of the guide: the loader skips them).
//! The files are plain data here; `writer::create_new_folder` writes them.

use std::path::Path;

use crate::source::{config, frontmatter, schema, symptoms};

/// The starter guide's files: (path inside the guide, text).
pub fn starter_files(title: &str) -> Vec<(&'static str, String)> {
    let title_toml = toml_string(title);
    vec![
        (
            "guide.toml",
            format!(
                "#:schema ./.fixbook/schema/guide.json\n\
                 # The guide's settings. `fixbook check` rejects unknown keys, so typos show up.\n\
                 title = {title_toml}\n\
                 description = \"Step-by-step fixes for a home Wi-Fi network that drops or crawls.\"\n\
                 language = \"en\"\n\
                 # Where the \"Edit this page\" link of each section points; {{path}} is the file.\n\
                 # edit_url = \"https://github.com/you/your-guide/edit/main/{{path}}\"\n"
            ),
        ),
        (
            "symptoms.yml",
            "# yaml-language-server: $schema=.fixbook/schema/symptoms.json\n\
             # What readers can tick on the home page. Sections list these ids under `symptoms:`.\n\
             symptoms:\n\
             \x20 - id: wifi-keeps-dropping\n\
             \x20   label: Wi-Fi keeps dropping\n\
             \x20   group: Connection\n\
             \x20   aliases: [disconnects, keeps disconnecting, signal drops]\n\
             \x20   description: Devices lose the network every few minutes and join again.\n\
             \x20 - id: internet-is-slow\n\
             \x20   label: Internet is slow\n\
             \x20   group: Speed\n\
             \x20   aliases: [slow wifi, pages load slowly, buffering]\n\
             \x20   description: Pages and videos load far slower than your plan promises.\n"
                .to_string(),
        ),
        (
            "index.md",
            "Pick the symptoms you see on your network, and this guide lists the fixes to try, \
             the quickest first.\n\n\
             Each fix is a short checklist you can print and take to the router.\n"
                .to_string(),
        ),
        (
            "restart-router.md",
            "---\n\
             title: Restart the router the right way\n\
             summary: Clear a stuck router in two minutes; most drops and slowdowns end here.\n\
             weight: 10\n\
             symptoms: [wifi-keeps-dropping, internet-is-slow]\n\
             settings:\n\
             \x20 - Admin page > System > Reboot\n\
             ---\n\n\
             A router that has run for weeks can slow down or drop devices. A clean restart \
             clears its memory and picks a fresh Wi-Fi channel.\n\n\
             ## Restart it\n\n\
             1. **Unplug the router** — Pull the power cable out of the router, not just the \
             wall switch, and wait 30 seconds.\n\
             2. **Plug it back in** — Wait until the lights stop blinking, usually two minutes.\n\
             3. **Or restart it from the admin page** — Open `Admin page > System > Reboot` and \
             confirm. Use this when the router is out of reach.\n\n\
             Still dropping? Go to [Move the router away from interference](wifi/interference.md).\n"
                .to_string(),
        ),
        (
            "wifi/interference.md",
            "---\n\
             title: Move the router away from interference\n\
             summary: Walls, microwaves and crowded channels weaken Wi-Fi; place and tune the router.\n\
             weight: 20\n\
             symptoms: [wifi-keeps-dropping]\n\
             settings:\n\
             \x20 - Admin page > Wireless > Channel\n\
             ---\n\n\
             Wi-Fi is radio: thick walls, metal and other radios near the router make it drop.\n\n\
             ## Place and tune the router\n\n\
             1. **Raise it** — Put the router high and in the open, not in a cupboard or \
             behind the TV.\n\
             2. **Keep radios apart** — Move it at least a metre away from microwaves, \
             cordless phone bases and baby monitors.\n\
             3. **Pick a quieter channel** — Open `Admin page > Wireless > Channel`, choose 1, \
             6 or 11 for 2.4 GHz, save, and test again.\n\n\
             If that did not help, [restart the router](../restart-router.md#restart-it-step-1) \
             once more after changing the channel.\n"
                .to_string(),
        ),
        (".fixbook/schema/front-matter.json", schema::to_text(&frontmatter::schema(None))),
        (".fixbook/schema/symptoms.json", schema::to_text(&symptoms::schema())),
        (".fixbook/schema/guide.json", schema::to_text(&config::schema())),
        (".vscode/settings.json", VSCODE_SETTINGS.to_string()),
        // `fixbook build` keeps the previous site in .fixbook/cache/ for fast rebuilds.
        (".gitignore", "/.fixbook/cache/\n/public/\n".to_string()),
        (".vscode/extensions.json", VSCODE_EXTENSIONS.to_string()),
    ]
}

/// VS Code: the YAML extension checks symptoms.yml with its schema (the
/// line atop symptoms.yml does it too, in any editor with
/// yaml-language-server). guide.toml names its schema itself (`#:schema`,
/// read by Taplo: Even Better TOML in VS Code, taplo in other editors).
const VSCODE_SETTINGS: &str = r#"{
  "yaml.schemas": {
    ".fixbook/schema/symptoms.json": "symptoms.yml"
  }
}
"#;

/// The extensions that read those schemas.
const VSCODE_EXTENSIONS: &str = r#"{
  "recommendations": ["redhat.vscode-yaml", "tamasfe.even-better-toml"]
}
"#;

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The title a new guide gets: from the folder's name, else a generic one.
pub fn title_for(dir: &Path) -> String {
    // `.` and `..` have no name of their own; ask the file system for it.
    let named = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = named.or_else(|| dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())));
    match name.map(|n| n.replace(['-', '_'], " ").trim().to_string()) {
        Some(n) if !n.is_empty() => {
            let mut chars = n.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
            format!("{first}{}", chars.as_str())
        }
        _ => "Home Wi-Fi help".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};
    use std::sync::Arc;

    #[test]
    fn the_starter_guide_parses_and_checks_clean() {
        let mut gf = GuideFiles::default();
        for (path, text) in starter_files("Title with \"quotes\" \\ and ünïcode") {
            let f = SourceFile { path: path.to_string(), text: Arc::from(text.as_str()) };
            if path.starts_with('.') {
                continue; // hidden: the loader skips it
            }
            match path {
                "guide.toml" => gf.config = Some(f),
                "symptoms.yml" => gf.symptoms = Some(f),
                "index.md" => gf.intro = Some(f),
                _ => gf.sections.push(f),
            }
        }
        let (guide, problems) = crate::content::model::build(gf, false);
        assert!(problems.is_empty(), "{problems:?}");
        let guide = guide.unwrap();
        assert_eq!(guide.config.title, "Title with \"quotes\" \\ and ünïcode");
        assert_eq!(guide.sections.len(), 2);
        assert!(guide.sections.iter().all(|s| s.body.steps.len() == 3));
        assert_eq!(crate::checks::check(&guide), Vec::new());
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000A\"");
    }
}

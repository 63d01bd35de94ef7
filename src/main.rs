//! The `fixbook` command line: parses arguments and calls the library, one
//! function per subcommand. Exit codes: 0 success, 1 guide errors, 2 usage.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use fixbook::checks::freshness::MaxAge;
use fixbook::diagnostics::{self, Severity};
use fixbook::source::date::{self, Date};
use fixbook::source::{config, frontmatter, symptoms};
use fixbook::{CompileOptions, Compiled, Staleness};

#[derive(Parser)]
#[command(name = "fixbook", version, about = "Build static sites from Markdown troubleshooting guides")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the guide in DIR into a static site
    Build {
        /// The guide folder (default: the current folder)
        dir: Option<PathBuf>,
        /// Output folder (default: ./public)
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Include sections marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Publish at URL instead of guide.toml's `base_url` (a preview deploy): sitemap, canonical links, 404 page and checklist QR codes use it
        #[arg(long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        /// Keep a copy of the previous site in DIR and rewrite it in place on the next build (faster rebuilds of large guides; DIR must be on the same filesystem as OUT). Default: .fixbook/cache in the guide when the guide has a .fixbook folder, else no copy is kept
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Print every warning in full, as `fixbook check` does (by default: errors in full, the first 10 warnings, then a count per code)
        #[arg(short, long)]
        verbose: bool,
    },
    /// Check the guide in DIR and report every problem; writes nothing
    Check {
        /// The guide folder (default: the current folder)
        dir: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Include sections marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Warn about sections reviewed longer ago than AGE (`365d`, `52w`, `12m`, `1y`) or never
        #[arg(long, value_name = "AGE", value_parser = MaxAge::parse)]
        stale_after: Option<MaxAge>,
    },
    /// Preview the guide in DIR in a browser, rebuilding and reloading on every change
    Serve {
        /// The guide folder (default: the current folder)
        dir: Option<PathBuf>,
        /// Port to listen on; when it is busy the next free one is used
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on (loopback unless you say otherwise)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
        /// Include sections marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Preview as if published at URL instead of guide.toml's `base_url`
        #[arg(long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
    },
    /// Turn an existing documentation folder (plain Markdown, mdBook, MkDocs, Docusaurus, Microsoft Learn/DocFX) into a guide in GUIDE; SRC is not changed
    Import {
        /// The documentation folder (for MkDocs, mdBook, Docusaurus: the project folder with mkdocs.yml, book.toml or docs/)
        src: PathBuf,
        /// The guide folder to create (must be empty or missing)
        #[arg(short, long, value_name = "GUIDE")]
        out: PathBuf,
        /// The format of SRC (default: detected from mkdocs.yml, book.toml, _category_.json or Learn front matter)
        #[arg(long, value_parser = ["plain", "mdbook", "mkdocs", "docusaurus", "learn"])]
        format: Option<String>,
    },
    /// Create a small working guide in DIR to start from (DIR must be empty or missing)
    Init {
        /// The folder to create
        dir: PathBuf,
    },
    /// Print the JSON Schema (draft 2020-12) of section front matter, symptoms.yml or guide.toml, for editors
    Schema {
        /// Which file's schema
        #[arg(value_enum)]
        kind: SchemaKind,
        /// With `front-matter`: accept exactly the symptom ids of the catalog in DIR/symptoms.yml, so editors complete them
        #[arg(long, value_name = "DIR")]
        guide: Option<PathBuf>,
    },
    /// Print the shell completion script for SHELL (e.g. `source <(fixbook completions bash)`)
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page of fixbook, or of one COMMAND, in roff (`fixbook man | man -l -`)
    Man {
        /// The command whose page to print (default: the page of fixbook itself)
        command: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The YAML front matter of a section (.md)
    FrontMatter,
    /// symptoms.yml, the symptom catalog
    Symptoms,
    /// guide.toml, the guide's settings
    Guide,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style reports with the offending line, on stderr
    Human,
    /// one JSON object per problem (JSON Lines), on stdout
    Json,
    /// GitHub Actions workflow commands (annotations), on stdout; paths relative to the repository root
    Github,
}

/// `eprintln!` for lines that may name files of a guide or the command
/// line: every control character is shown, never obeyed by the terminal.
macro_rules! say {
    ($($arg:tt)*) => { eprintln!("{}", fixbook::escape::terminal(&format!($($arg)*), "\n")) };
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Build { dir, out, drafts, base_url, cache_dir, verbose } => build(dir, out, drafts, base_url, cache_dir, verbose),
        Command::Check { dir, format, drafts, stale_after } => check(dir, format, drafts, stale_after),
        Command::Serve { dir, port, bind, open, drafts, base_url } => serve(dir, port, bind, open, drafts, base_url),
        Command::Import { src, out, format } => import(src, out, format),
        Command::Init { dir } => init(dir),
        Command::Schema { kind, guide } => schema(kind, guide),
        Command::Completions { shell } => completions(shell),
        Command::Man { command } => man(command.as_deref()),
    }
}

fn completions(shell: Shell) -> ExitCode {
    use clap::CommandFactory;
    use clap_complete::{Shell as S, generate};
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    generate(shell, &mut Cli::command(), "fixbook", &mut std::io::stdout());
    ExitCode::SUCCESS
}

fn man(command: Option<&str>) -> ExitCode {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            // Named as `man` and `--help` show it: `fixbook-build(1)`, usage `fixbook build`.
            Some(sub) => sub.clone().name(format!("fixbook-{name}")).bin_name(format!("fixbook {name}")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).filter(|n| *n != "help").collect();
                say!("error: fixbook has no command `{name}`; pages exist for: {}", names.join(", "));
                return ExitCode::from(2);
            }
        },
    };
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut out) {
        say!("error: cannot write the manual page: {e}");
        return ExitCode::from(1);
    }
    use std::io::Write;
    let _ = std::io::stdout().write_all(&out);
    ExitCode::SUCCESS
}

/// `--base-url`: the rule guide.toml's `base_url` follows.
fn base_url(raw: &str) -> Result<String, String> {
    config::parse_base_url(raw).map_err(|why| format!("`{raw}` {why}; {}", config::BASE_URL_HELP))
}

fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn print_diagnostics(compiled: &Compiled) {
    if !compiled.diagnostics.is_empty() {
        eprint!("{}", diagnostics::render_human(&compiled.diagnostics, &compiled.sources, use_color()));
    }
}

fn counts(compiled: &Compiled) -> (usize, usize) {
    let errors = compiled.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, compiled.diagnostics.len() - errors)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

#[allow(clippy::too_many_arguments)]
fn build(dir: Option<PathBuf>, out: Option<PathBuf>, drafts: bool, base_url: Option<String>, cache_dir: Option<PathBuf>, verbose: bool) -> ExitCode {
    let started = Instant::now();
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let out = out.unwrap_or_else(|| PathBuf::from("public"));
    // `fixbook build -o my-guide` from the folder above: -o was given the guide.
    if !dir.join(fixbook::source::config::FILE_NAME).exists() && out.join(fixbook::source::config::FILE_NAME).is_file() {
        say!(
            "error: {} is a guide (it has guide.toml), but -o names the folder the site is written to; the guide is the first argument: fixbook build {} -o public",
            sanitize(&out.display().to_string()),
            sanitize(&out.display().to_string())
        );
        return ExitCode::from(2);
    }
    let options = CompileOptions { include_drafts: drafts, render: true, exclude: vec![out.clone()], stale: None, base_url, cache_dir };
    // Renders and writes in one pass (pages go to disk as they are made).
    let (compiled, written) = match fixbook::build(&dir, &out, &options) {
        Ok(c) => c,
        Err(e) => {
            say!("error: cannot read guide folder {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    };
    if verbose {
        print_diagnostics(&compiled);
    } else {
        eprint!("{}", diagnostics::render_build_log(&compiled.diagnostics, &compiled.sources, use_color()));
    }
    let (errors, warnings) = counts(&compiled);
    let Some(written) = written.filter(|_| errors == 0) else {
        say!("error: build failed with {} and {}; nothing was written", plural(errors, "error"), plural(warnings, "warning"));
        return ExitCode::from(1);
    };
    match written {
        Ok(summary) => {
            print_output_report(&out, &summary.output);
            say!(
                "built {} into {}: {}, {} written, {} in {:.2?}",
                plural(summary.sections, "section"),
                out.display(),
                plural(summary.pages, "page"),
                plural(summary.files_written, "file"),
                plural(warnings, "warning"),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Warnings about OUT: files fixbook did not write (kept or replaced) and
/// folders of earlier builds it could not delete. One line each kind.
fn print_output_report(out: &std::path::Path, report: &fixbook::output::writer::Written) {
    let out = out.display();
    if !report.kept.is_empty() {
        say!(
            "warning: kept {} in {out} that the guide does not make: {} (fixbook never deletes them; to publish them from the guide instead, put them in the guide folder)",
            plural(report.kept.len(), "file"),
            sanitize(&name_list(&report.kept))
        );
    }
    if !report.replaced.is_empty() {
        say!(
            "warning: replaced {} in {out} that fixbook had not written, because the new site has a file or folder of that name (a link's target was not touched): {}",
            plural(report.replaced.len(), "file"),
            sanitize(&name_list(&report.replaced))
        );
    }
    for (path, why) in &report.leftovers {
        say!("warning: cannot delete {}, an earlier site fixbook made: {why}; delete it yourself", sanitize(&path.display().to_string()));
    }
}

/// At most 10 names, then how many more.
fn name_list(names: &[String]) -> String {
    let mut text = names.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 10 {
        text.push_str(&format!(" and {} more", names.len() - 10));
    }
    text
}

/// File names as the terminal should see them: control characters escaped.
fn sanitize(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

fn check(dir: Option<PathBuf>, format: Format, drafts: bool, stale_after: Option<MaxAge>) -> ExitCode {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let stale = match stale_after.map(|max_age| today().map(|today| Staleness { today, max_age })).transpose() {
        Ok(stale) => stale,
        Err(message) => {
            say!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = CompileOptions { include_drafts: drafts, render: false, exclude: Vec::new(), stale, base_url: None, cache_dir: None };
    let compiled = match fixbook::compile(&dir, &options) {
        Ok(c) => c,
        Err(e) => {
            say!("error: cannot read guide folder {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    };
    let (errors, warnings) = counts(&compiled);
    let summary = format!("checked {}: {} and {}", dir.display(), plural(errors, "error"), plural(warnings, "warning"));
    match format {
        Format::Json => print!("{}", diagnostics::render_json(&compiled.diagnostics, &compiled.sources)),
        Format::Human => {
            print_diagnostics(&compiled);
            say!("{summary}");
        }
        Format::Github => {
            print!("{}", diagnostics::render_github(&compiled.diagnostics, &compiled.sources, &repository_prefix(&dir)));
            say!("{summary}");
        }
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// What turns a path relative to the guide into one relative to the root of
/// the git repository the guide is in (`docs/guide/`; empty when the guide
/// is the root): GitHub places annotations by repository path. Outside a
/// repository, paths are relative to the current folder, or absolute when
/// the guide is not inside it.
fn repository_prefix(dir: &std::path::Path) -> String {
    let Ok(guide) = dir.canonicalize() else { return String::new() };
    let root = guide.ancestors().find(|a| a.join(".git").exists()).map(std::path::Path::to_path_buf);
    let root = root.or_else(|| std::env::current_dir().ok().and_then(|cwd| cwd.canonicalize().ok()).filter(|cwd| guide.starts_with(cwd)));
    let relative = match &root {
        Some(root) => guide.strip_prefix(root).unwrap_or(&guide),
        None => &guide,
    };
    let mut prefix: String = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    if relative.is_absolute() {
        prefix = guide.to_string_lossy().into_owned();
    }
    if !prefix.is_empty() && !prefix.ends_with('/') {
        prefix.push('/');
    }
    prefix
}

/// Today's date for `--stale-after`: `FIXBOOK_TODAY=YYYY-MM-DD` (tests,
/// reproducible CI runs) or the system clock in UTC. Only `check` asks for
/// it; nothing that `build` writes depends on the date.
fn today() -> Result<Date, String> {
    if let Some(value) = std::env::var_os("FIXBOOK_TODAY") {
        let value = value.to_string_lossy();
        return Date::parse(&value).ok_or_else(|| format!("FIXBOOK_TODAY=`{value}` is not a date written YYYY-MM-DD"));
    }
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|_| "the system clock is before 1970".to_string())?.as_secs();
    date::date_from_unix_seconds(seconds).ok_or_else(|| "the system clock is out of range".to_string())
}

fn serve(dir: Option<PathBuf>, port: u16, bind: std::net::IpAddr, open: bool, drafts: bool, base_url: Option<String>) -> ExitCode {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let options = fixbook::serve::ServeOptions { dir, bind, port, open, drafts, base_url, color: use_color() };
    match fixbook::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn import(src: PathBuf, out: PathBuf, format: Option<String>) -> ExitCode {
    let started = Instant::now();
    if std::fs::read_dir(&out).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!("error: {} is not empty; `fixbook import` only creates a guide in an empty or new folder", out.display());
        return ExitCode::from(1);
    }
    let files = match fixbook::source::loader::read_folder(&src) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", src.display());
            return ExitCode::from(1);
        }
    };
    let name =
        std::fs::canonicalize(&src).ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).unwrap_or_else(|| "Imported guide".into());
    let imported = fixbook::import::import(&files, format.as_deref().and_then(fixbook::import::Format::parse), &name);
    match fixbook::output::writer::create_new_folder(&out, &imported.files) {
        Ok(n) => {
            eprint!("{}", imported.report.render(&src.display().to_string(), &out.display().to_string()));
            eprintln!("wrote {n} files in {:.2?}; next: `fixbook check {1}`, then `fixbook serve {1}`", started.elapsed(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {} is not empty; `fixbook import` only creates a guide in an empty or new folder", out.display());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: cannot create the guide in {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

fn init(dir: PathBuf) -> ExitCode {
    let files = fixbook::init::starter_files(&fixbook::init::title_for(&dir));
    match fixbook::output::writer::create_new_folder(&dir, &files) {
        Ok(n) => {
            say!("created a starter guide in {} ({n} files)", dir.display());
            say!("next: `fixbook serve {0}` to preview it, `fixbook check {0}` to check it", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            say!("error: {} is not empty; `fixbook init` only creates a guide in an empty or new folder", dir.display());
            ExitCode::from(1)
        }
        Err(e) => {
            say!("error: cannot create a guide in {}: {e}", dir.display());
            ExitCode::from(1)
        }
    }
}

fn schema(kind: SchemaKind, guide: Option<PathBuf>) -> ExitCode {
    let value = match (kind, guide) {
        (SchemaKind::FrontMatter, None) => frontmatter::schema(None),
        (SchemaKind::FrontMatter, Some(dir)) => match catalog_ids(&dir) {
            Ok(ids) => frontmatter::schema(Some(&ids.iter().map(String::as_str).collect::<Vec<_>>())),
            Err(code) => return code,
        },
        (SchemaKind::Symptoms, None) => symptoms::schema(),
        (SchemaKind::Guide, None) => config::schema(),
        (_, Some(_)) => {
            say!("error: --guide applies to `fixbook schema front-matter` only");
            return ExitCode::from(2);
        }
    };
    print!("{}", fixbook::source::schema::to_text(&value));
    ExitCode::SUCCESS
}

/// The symptom ids of the catalog in `dir`, or the exit code after saying
/// why there are none to give (no catalog, or one with errors).
fn catalog_ids(dir: &std::path::Path) -> Result<Vec<String>, ExitCode> {
    let file = match fixbook::source::loader::read_catalog(dir) {
        Ok(Some(file)) => file,
        Ok(None) => {
            say!("error: {} has no {}; a front-matter schema for this guide would accept no symptom id", dir.display(), symptoms::FILE_NAME);
            return Err(ExitCode::from(1));
        }
        Err(e) => {
            say!("error: cannot read the symptom catalog of {}: {e}", dir.display());
            return Err(ExitCode::from(1));
        }
    };
    let (catalog, problems) = symptoms::parse(&file.text);
    if problems.iter().any(diagnostics::Diagnostic::is_error) {
        let mut sources = diagnostics::SourceMap::default();
        sources.insert(file.path.clone(), file.text.clone());
        eprint!("{}", diagnostics::render_human(&problems, &sources, use_color()));
        say!("error: fix {} first; the schema takes its ids from there", symptoms::FILE_NAME);
        return Err(ExitCode::from(1));
    }
    Ok(catalog.into_iter().map(|s| s.id.as_str().to_string()).collect())
}

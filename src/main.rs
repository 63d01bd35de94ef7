//! The `fixbook` command line: parses arguments and calls the library, one
//! function per subcommand. Exit codes: 0 success, 1 guide errors, 2 usage.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use fixbook::diagnostics::{self, Severity};
use fixbook::{CompileOptions, Compiled};

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
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
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
        Command::Build { dir, out, drafts } => build(dir, out, drafts),
        Command::Check { dir, format, drafts } => check(dir, format, drafts),
    }
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

fn build(dir: Option<PathBuf>, out: Option<PathBuf>, drafts: bool) -> ExitCode {
    let started = Instant::now();
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let out = out.unwrap_or_else(|| PathBuf::from("public"));
    let options = CompileOptions { include_drafts: drafts, render: true, exclude: vec![out.clone()] };
    let compiled = match fixbook::compile(&dir, &options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read guide folder {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    };
    print_diagnostics(&compiled);
    let (errors, warnings) = counts(&compiled);
    if errors > 0 || compiled.files.is_none() {
        eprintln!("error: build failed with {} and {}; nothing was written", plural(errors, "error"), plural(warnings, "warning"));
        return ExitCode::from(1);
    }
    match fixbook::write(&compiled, &out) {
        Ok(summary) => {
            eprintln!(
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
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(dir: Option<PathBuf>, format: Format, drafts: bool) -> ExitCode {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let options = CompileOptions { include_drafts: drafts, render: false, exclude: Vec::new() };
    let compiled = match fixbook::compile(&dir, &options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read guide folder {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    };
    let (errors, warnings) = counts(&compiled);
    match format {
        Format::Json => print!("{}", diagnostics::render_json(&compiled.diagnostics, &compiled.sources)),
        Format::Human => {
            print_diagnostics(&compiled);
            eprintln!("checked {}: {} and {}", dir.display(), plural(errors, "error"), plural(warnings, "warning"));
        }
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

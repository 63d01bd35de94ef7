//! View structs: the only data templates see. Each is shaped for its template
//! (URLs already relative to the page, dates already formatted), never the
//! internal model.

use serde::Serialize;

/// The guide as every page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Whether the guide has a symptom catalog (the home page then has `#symptoms`).
    pub has_symptoms: bool,
}

/// What every page needs to know about itself.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Prefix leading back to the site root from this page (`""`, `"../"`).
    pub root: String,
    /// This page's path in the output.
    pub path: String,
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    /// Which page kind: index, section, symptom, settings, print, 404.
    pub kind: &'static str,
    /// Whether the page holds highlighted code, so it needs `highlight.css`.
    /// Pages filled in by a script (the guided walk, the combined checklist)
    /// leave it false; `common.js` links the stylesheet when a step has code.
    pub has_code: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// A section as listed on the home page, symptom pages and "still not fixed?".
#[derive(Debug, Clone, Serialize)]
pub struct SectionCard {
    pub title: String,
    /// `title` with its inline Markdown (`code`, emphasis) as escaped HTML.
    pub title_html: String,
    pub url: String,
    pub summary: String,
    /// `summary` with its inline Markdown as escaped HTML.
    pub summary_html: String,

    pub steps: usize,
    /// The title of the section's folder (empty at the top of the guide).
    pub folder: String,
    /// Labels of the symptoms it fixes.
    pub symptoms: Vec<String>,
}

/// A folder as a link: on the home page, a folder page's list of sub-folders, the 404 page.
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub title: String,
    pub url: String,
    pub summary: String,
    /// Sections in the folder and below.
    pub count: usize,
}

/// One of the `all-fixes/<n>.html` pages, as the home page links to it.
#[derive(Debug, Clone, Serialize)]
pub struct FixPageLink {
    pub url: String,
    /// "Fixes 1–250".
    pub label: String,
    pub first: String,
    pub last: String,
}

/// A heading of a section for its "On this page" list.
#[derive(Debug, Clone, Serialize)]
pub struct TocItem {
    pub title: String,
    pub id: String,
    /// 2 or 3.
    pub level: u8,
}

/// Sections under one heading of a folder page: the folder's own (no title)
/// or a sub-folder's (with its landing page).
#[derive(Debug, Clone, Serialize)]
pub struct FolderGroupView {
    pub title: String,
    pub url: Option<String>,
    pub summary: String,
    pub sections: Vec<SectionCard>,
}

/// A folder's landing page (`<folder>/index.html`), or a page of the top-level
/// sections (`all-fixes/<n>.html`).
#[derive(Debug, Clone, Serialize)]
pub struct FolderView {
    pub title: String,
    pub summary: String,
    pub intro_html: String,
    /// Home and the folders above this one.
    pub crumbs: Vec<LinkView>,
    pub subfolders: Vec<TopicView>,
    pub groups: Vec<FolderGroupView>,
    /// Sections on this page.
    pub count: usize,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
}

/// Where a reader can go from a dead end (the 404 page, "No matches").
#[derive(Debug, Clone, Serialize)]
pub struct WayOnView {
    pub topics: Vec<TopicView>,
    pub fix_pages: Vec<FixPageLink>,
    pub escalation: Option<SectionCard>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SymptomLink {
    pub id: String,
    pub label: String,
    pub url: String,
    pub count: usize,
    pub description: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SymptomGroupView {
    pub name: String,
    pub symptoms: Vec<SymptomLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    pub intro_html: String,
    pub groups: Vec<SymptomGroupView>,
    /// The groups whose rows and links the page itself holds: `groups`, or
    /// none with a large catalog (`rows_in_script`).
    pub row_groups: Vec<SymptomGroupView>,
    /// With many symptoms: groups start collapsed and these (the symptoms most
    /// sections fix) come first.
    pub collapse_groups: bool,
    pub popular: Vec<SymptomLink>,
    /// A large catalog (`index::filter::ROWS_IN_PAGE`): the page holds the
    /// "Most common" rows only; `filter.js` renders the rest from the filter
    /// data, and readers without JavaScript follow `all_symptoms_url`.
    pub rows_in_script: bool,
    /// `symptoms/index.html` from the home page, with a large catalog.
    pub all_symptoms_url: String,
    /// Top-level folders, sections at the top of the guide (when few), or
    /// the pages listing them (when many), and the escalation section.
    pub way_on: WayOnView,
    pub home_sections: Vec<SectionCard>,
    pub section_count: usize,
    pub symptom_count: usize,
}

/// `symptoms/index.html`: every symptom by group (a large catalog only).
#[derive(Debug, Clone, Serialize)]
pub struct SymptomIndexView {
    /// Home.
    pub crumbs: Vec<LinkView>,
    pub groups: Vec<SymptomGroupView>,
    pub count: usize,
    /// The home page's symptom filter.
    pub filter_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SettingsUse {
    pub path: String,
    /// The breadcrumb HTML (escaped segments) linking into the settings map.
    pub crumbs_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Home, then the folders down to this section's.
    pub crumbs: Vec<LinkView>,
    /// "On this page": the section's headings, when it has at least 3.
    pub toc: Vec<TocItem>,
    pub title: String,
    /// `title` with its inline Markdown (`code`, emphasis) as escaped HTML.
    pub title_html: String,
    pub summary: String,
    /// `summary` with its inline Markdown as escaped HTML.
    pub summary_html: String,

    pub body_html: String,
    pub symptoms: Vec<SymptomLink>,
    pub settings: Vec<SettingsUse>,
    pub steps: usize,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub edit_url: Option<String>,
    /// The folder's other sections, a bounded window around this one.
    pub nearby: Vec<NavItem>,
    pub nearby_more: bool,
    /// The title of the section's folder and its landing page.
    pub folder: String,
    pub folder_url: Option<String>,
    pub applies_to: Vec<String>,
    /// "November 2026", when the section has a `reviewed` date.
    pub reviewed: Option<String>,
    pub reviewed_iso: Option<String>,
    /// Link to the printable checklist, when the section has steps.
    pub checklist_url: Option<String>,
    /// The section's guided walk (`guided.html?section=…`), shown beside the checklist link.
    pub walk_url: String,
    /// "Still not fixed?" at the end of the page.
    pub still_not_fixed: StillNotFixedView,
    /// schema.org `HowTo` JSON-LD, already safe inside `<script>`; none without steps.
    pub json_ld: Option<String>,
}

/// "Still not fixed?": the next sections to try for the same symptoms, in the
/// filter's ranking, then the escalation section; `all_fixes_url` when there
/// is neither, so a reader never reaches a dead end.
#[derive(Debug, Clone, Serialize)]
pub struct StillNotFixedView {
    pub tries: Vec<NextTryView>,
    pub escalation: Option<SectionCard>,
    pub all_fixes_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextTryView {
    pub title: String,
    /// `title` with its inline Markdown (`code`, emphasis) as escaped HTML.
    pub title_html: String,
    pub url: String,
    pub summary: String,
    /// `summary` with its inline Markdown as escaped HTML.
    pub summary_html: String,

    /// Labels of the symptoms it shares with this page.
    pub shared: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SymptomView {
    pub label: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub group: String,
    pub sections: Vec<SectionCard>,
    /// The combined checklist of this symptom's sections, when any has steps.
    pub checklist_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SettingsMapView {
    /// The tree as nested lists (segments escaped).
    pub tree_html: String,
    pub path_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintSection {
    pub title: String,
    /// `title` with its inline Markdown (`code`, emphasis) as escaped HTML.
    pub title_html: String,
    pub anchor: String,
    pub summary: String,
    /// `summary` with its inline Markdown as escaped HTML.
    pub summary_html: String,

    pub body_html: String,
    pub symptoms: Vec<String>,
    pub settings: Vec<SettingsUse>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintView {
    pub intro_html: String,
    pub sections: Vec<PrintSection>,
    /// On the print index of a large guide (print.html), its print pages;
    /// empty on a print page and on a whole-guide print.html.
    pub parts: Vec<PrintPart>,
    /// On one print page of a large guide: its heading ("network, part 2
    /// of 3"), and links to the print index and the neighbouring pages.
    pub part_title: String,
    pub index_url: String,
    pub previous_url: String,
    pub next_url: String,
}

/// One print page of a large guide, as listed on the print index.
#[derive(Debug, Clone, Serialize)]
pub struct PrintPart {
    pub title: String,
    pub url: String,
    pub sections: usize,
    /// The first and last section titles, so a reader finds the page.
    pub first: String,
    pub last: String,
}

/// One step of a checklist: a tick box, its number and the step's own HTML
/// (title included), with links re-based for the checklist page.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistStepView {
    pub number: u64,
    /// Position on the page (1, 2, ...), for the tick box's id.
    pub tick: usize,
    /// Id of the step on this page (links to `#<id>` from other steps work).
    pub id: String,
    pub title: Option<String>,
    pub html: String,
}

/// Steps under one heading of the section. The heading is shown only when
/// the section's steps sit under more than one (numbers restart there).
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistGroupView {
    pub heading: Option<String>,
    pub steps: Vec<ChecklistStepView>,
}

/// A printable checklist for one section (`checklists/<section>.html`).
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub title: String,
    pub summary: String,
    /// Link back to the section page.
    pub section_url: String,
    pub symptoms: Vec<String>,
    pub applies_to: Vec<String>,
    pub groups: Vec<ChecklistGroupView>,
    pub settings: Vec<SettingsUse>,
    /// The section page's absolute URL, when the guide has a `base_url`.
    pub url: Option<String>,
    /// Inline SVG of a QR code of `url` (generated at build time).
    pub qr_svg: Option<String>,
    pub reviewed: Option<String>,
    pub reviewed_iso: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistSymptomView {
    pub id: String,
    pub label: String,
    /// Classic script with this symptom's sections and steps (no fetch needed).
    pub data_url: String,
}

/// The combined checklist page; the browser assembles it from `?symptoms=`.
#[derive(Debug, Clone, Serialize)]
pub struct CombinedView {
    /// Known symptoms as JSON safe inside `<script>` (id, label, data_url).
    pub symptoms_json: String,
    pub symptoms: Vec<ChecklistSymptomView>,
    /// Absolute URL of this page when the guide has a `base_url`.
    pub url: Option<String>,
}

/// The guided walk's page (`guided.html`).
#[derive(Debug, Clone, Serialize)]
pub struct GuidedView {
    pub escalation: Option<GuidedEscalationView>,
    /// The theme's strings as JSON safe inside `<script>`, for `guided.js`.
    pub strings_json: String,
    /// Absolute URL of this page when the guide has a `base_url`.
    pub url: Option<String>,
}

/// The guide's escalation section, where every walk that fixed nothing ends.
#[derive(Debug, Clone, Serialize)]
pub struct GuidedEscalationView {
    /// Position in reading order: the walk leaves it out of the ranked sections.
    pub order: usize,
    pub title_html: String,
    pub url: String,
    pub summary_html: String,
    /// Its steps' data script, relative to the combined checklist (none without steps).
    pub src: Option<String>,
}
